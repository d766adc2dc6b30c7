package jpegdec

import (
	"bytes"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecode: on any input, full-size decoding agrees with image/jpeg
// (the same error, or the same picture to the byte), and reduced decoding
// never panics and succeeds, at the reduced size, exactly when full-size
// decoding does.
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.jpeg")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		if len(data) < 4000 {
			f.Add(data)
			f.Add(data[:len(data)/3])
		}
	}
	// Small pictures of every layout from the test encoder: restart
	// markers, separate scans, long Huffman codes, large coefficients.
	rng := rand.New(rand.NewPCG(15, 16))
	for added := 0; added < 24; {
		tj, _ := randomTestJPEG(rng)
		if data := tj.encode(); len(data) < 3000 {
			f.Add(data)
			added++
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width*cfg.Height > 1<<18 {
			return // the header is image/jpeg's to judge; keep it quick
		}
		if msg := matchesStdlib(data); msg != "" {
			t.Fatal(msg)
		}
		_, werr := jpeg.Decode(bytes.NewReader(data))
		for shift := uint(1); shift <= 3; shift++ {
			img, err := Decode(bytes.NewReader(data), shift)
			if (err == nil) != (werr == nil) {
				t.Fatalf("1/%d: error %v, full size: %v", 1<<shift, err, werr)
			}
			if err == nil {
				s := 1 << shift
				b := img.Bounds()
				if b.Dx() != (cfg.Width+s-1)/s || b.Dy() != (cfg.Height+s-1)/s {
					t.Fatalf("1/%d: %v for %d×%d", s, b, cfg.Width, cfg.Height)
				}
			}
		}
	})
}
