package images

import (
	"bytes"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"

	"paiban/display"
	"paiban/internal/jpegcmyk"
)

// TestProof: with Options.Proof a CMYK JPEG becomes RGB through it (also
// when nothing else would change and it could pass through); without, it
// passes through as CMYK.
func TestProof(t *testing.T) {
	// Photoshop's convention: inverted samples, which decode to ink.
	img := image.NewCMYK(image.Rect(0, 0, 144, 72))
	for y := range 72 {
		for x := range 144 {
			ink := [4]uint8{255, 0, 0, 0} // cyan, then magenta
			if x >= 72 {
				ink = [4]uint8{0, 255, 0, 0}
			}
			i := img.PixOffset(x, y)
			for c := range 4 {
				img.Pix[i+c] = 255 - ink[c]
			}
		}
	}
	var b bytes.Buffer
	if err := jpegcmyk.Encode(&b, img, 95); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "cmyk.jpg")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	calls := 0
	proof := func(c, m, y, k uint8) (uint8, uint8, uint8) {
		calls++
		// A stand-in for a profile: ink to its complement, halved.
		return 255 - c/2, 255 - m/2, 255 - y/2
	}
	for _, tc := range []struct {
		name   string
		wPt    float64
		o      Options
		pass   bool
		space  string
		w      int
		cyanAt [3]uint8
	}{
		{"preview, in range: converted", 144, Options{TargetPPI: 72, MaxPPI: 150, Proof: proof}, false, "rgb", 144, [3]uint8{128, 255, 255}},
		{"preview, reduced: converted", 48, Options{TargetPPI: 72, MaxPPI: 150, Fast: true, Proof: proof}, false, "rgb", 48, [3]uint8{128, 255, 255}},
		{"print: passed through", 144, Options{TargetPPI: 72, MaxPPI: 150}, true, "cmyk", 144, [3]uint8{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls = 0
			p, err := Prepare(path, tc.wPt, tc.wPt/2, display.Cover, 0, 0, tc.o)
			if err != nil {
				t.Fatal(err)
			}
			if p.PassThrough != tc.pass || p.ColorSpace != tc.space || p.W != tc.w {
				t.Fatalf("PassThrough=%v %s %d px wide, want %v %s %d", p.PassThrough, p.ColorSpace, p.W, tc.pass, tc.space, tc.w)
			}
			if tc.pass {
				return
			}
			if calls == 0 || calls > 64 {
				t.Errorf("proof called %d times, want once a distinct colour", calls)
			}
			got, err := jpeg.Decode(bytes.NewReader(p.Data))
			if err != nil {
				t.Fatal(err)
			}
			r, g, bl, _ := got.At(p.W/8, p.H/2).RGBA()
			if d := [3]int{int(r>>8) - int(tc.cyanAt[0]), int(g>>8) - int(tc.cyanAt[1]), int(bl>>8) - int(tc.cyanAt[2])}; d[0]*d[0]+d[1]*d[1]+d[2]*d[2] > 3*8*8 {
				t.Errorf("cyan half is %d,%d,%d, want about %v", r>>8, g>>8, bl>>8, tc.cyanAt)
			}
		})
	}
}
