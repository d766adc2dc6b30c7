package color

import (
	"image"
	"testing"

	"paiban/assets"
)

// FuzzParseProfile: Parse never panics, and whatever it accepts converts
// without panicking either.
func FuzzParseProfile(f *testing.F) {
	// Small seeds: mutating and minimising the 121 KB FOGRA39 profile is
	// slow enough to stall the fuzzer (TestParseErrors corrupts it instead).
	f.Add(assets.FOGRA39[:2048])
	f.Add(tinyProfile(true, "Lab "))
	f.Add(tinyProfile(false, "Lab "))
	f.Add(tinyProfile(true, "XYZ "))
	f.Add(smallV4())

	// One row: ConvertImage then runs on this goroutine alone. Rows split
	// across goroutines bump coverage counters racily, and the fuzzer takes
	// the noise for new coverage it then cannot reproduce, stalling while
	// it tries to minimise.
	img := image.NewRGBA(image.Rect(0, 0, 6, 1))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 43)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data)
		if err != nil {
			if p != nil {
				t.Fatal("profile and error")
			}
			return
		}
		for _, in := range []Intent{Perceptual, RelativeColorimetric} {
			for _, c := range [][3]uint8{{0, 0, 0}, {255, 255, 255}, {200, 30, 90}} {
				cc, m, y, k := p.RGBToCMYK(c[0], c[1], c[2], in)
				for _, v := range [4]float64{cc, m, y, k} {
					if !(v >= 0 && v <= 1) {
						t.Fatalf("CMYK %v out of range", [4]float64{cc, m, y, k})
					}
				}
			}
			p.ConvertImage(img, in)
		}
		p.CMYKToLab(0.1, 0.9, 0.5, 1)
		p.CMYKToRGB(1, 1, 1, 1)
	})
}
