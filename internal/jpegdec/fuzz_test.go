package jpegdec

import (
	"bytes"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecode: on any input, full-size decoding agrees with image/jpeg
// (the same error or the same pixels), and reduced decoding never panics
// and succeeds, at the reduced size, exactly when full-size decoding does.
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
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width*cfg.Height > 1<<18 {
			return // the header is image/jpeg's to judge; keep it quick
		}
		want, werr := jpeg.Decode(bytes.NewReader(data))
		got, gerr := Decode(bytes.NewReader(data), 0)
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("error %v, image/jpeg says %v", gerr, werr)
		}
		if werr == nil {
			b := want.Bounds()
			if got.Bounds() != b {
				t.Fatalf("bounds %v, want %v", got.Bounds(), b)
			}
			for y := b.Min.Y; y < b.Max.Y; y++ {
				for x := b.Min.X; x < b.Max.X; x++ {
					if got.At(x, y) != want.At(x, y) {
						t.Fatalf("(%d,%d) = %v, want %v", x, y, got.At(x, y), want.At(x, y))
					}
				}
			}
		}
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
