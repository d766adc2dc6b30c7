package images

import (
	"bytes"
	"image"
	"image/color"
	"testing"

	"paiban/display"
)

// FuzzPrepare feeds arbitrary file contents to Prepare's core (and the
// header parser): it must return an error or a sound result, never panic.
func FuzzPrepare(f *testing.F) {
	old := maxPixels
	maxPixels = 1 << 20 // keep decompression bombs small while fuzzing
	f.Cleanup(func() { maxPixels = old })

	q := quadrants(24, 16)
	jpg := encJPEG(f, q, 80)
	f.Add(jpg)
	f.Add(withExif(jpg, 6, true))
	f.Add(withExif(encJPEG(f, stored(q, 7), 80), 7, false))
	f.Add(jpg[:len(jpg)/2])
	f.Add(encPNG(f, q))
	f.Add(encPNG(f, image.NewPaletted(image.Rect(0, 0, 5, 3), color.Palette{color.NRGBA{1, 2, 3, 0}, red})))
	n64 := image.NewNRGBA64(image.Rect(0, 0, 9, 7))
	f.Add(encPNG(f, n64))
	f.Add(interlacedPNG(n64, 8))
	f.Add(interlacedPNG(n64, 16))
	f.Add(hugePNG(5000, 5000))
	f.Add([]byte("GIF89a"))
	f.Add([]byte{})

	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := parse("fuzz", data); err != nil {
			return
		}
		for _, c := range []struct {
			w, h   float64
			fit    display.Fit
			fx, fy float64
			o      Options
		}{
			{20, 10, display.Cover, -0.5, 0.3, Print}, // keeps pixels or crops
			{2, 3, display.Cover, 0.2, -0.1, Preview}, // downsamples
			{5, 5, display.Contain, 0, 0, Preview},
		} {
			p, err := prepare("fuzz", data, c.w, c.h, c.fit, c.fx, c.fy, c.o)
			if err != nil {
				continue
			}
			if p.W < 1 || p.H < 1 || len(p.Data) == 0 || !(p.EffectivePPI > 0) {
				t.Fatalf("unsound result: %d×%d, %d bytes, %g ppi", p.W, p.H, len(p.Data), p.EffectivePPI)
			}
			if p.PassThrough != bytes.Equal(p.Data, data) && p.PassThrough {
				t.Fatal("pass-through data differs from the input")
			}
			if !p.PassThrough && (p.Image == nil || p.Image.Bounds() != image.Rect(0, 0, p.W, p.H)) {
				t.Fatalf("Image %v for a %d×%d result", p.Image, p.W, p.H)
			}
		}
	})
}
