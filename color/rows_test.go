package color

import (
	"bytes"
	"image"
	imgcolor "image/color"
	"testing"
)

// TestRowConverter: converting a picture in strips, as a streaming encoder
// asks for them, gives ConvertImage's pixels, for every kind of picture
// ConvertImage takes, with bounds not at the origin.
func TestRowConverter(t *testing.T) {
	p, err := FOGRA39()
	if err != nil {
		t.Fatal(err)
	}
	p = p.WithInkLimit(2.85)
	ycc := photo(67, 45, true).(*image.YCbCr).SubImage(image.Rect(3, 5, 60, 44))
	rgba := photo(67, 45, false).(*image.RGBA).SubImage(image.Rect(1, 2, 66, 41))
	cmyk := p.ConvertImage(rgba, Perceptual)
	gray := image.NewGray(image.Rect(-4, -3, 30, 20))
	for i := range gray.Pix {
		gray.Pix[i] = uint8(i * 7)
	}
	for name, img := range map[string]image.Image{"ycbcr": ycc, "rgba": rgba, "cmyk": cmyk, "gray": gray} {
		want := p.ConvertImage(img, Perceptual)
		b := img.Bounds()
		got := make([]byte, 0, 4*b.Dx()*b.Dy())
		rc := p.Rows(img, Perceptual)
		strip := make([]byte, 4*b.Dx()*8)
		for y := 0; y < b.Dy(); y += 8 {
			y1 := min(y+8, b.Dy())
			rc.Convert(y, y1, strip)
			got = append(got, strip[:4*b.Dx()*(y1-y)]...)
		}
		if !bytes.Equal(got, want.Pix) {
			t.Errorf("%s: strips differ from ConvertImage", name)
		}
	}
}

// TestYCbCrPixels: every pixel of converted 4:2:0 pictures (taken two rows
// and two pixels at a time where they share chroma, one by one at odd
// edges) is convert of its own YCbCr triple.
func TestYCbCrPixels(t *testing.T) {
	p, err := FOGRA39()
	if err != nil {
		t.Fatal(err)
	}
	p = p.WithInkLimit(2.85)
	f := p.frontEnd(Perceptual)
	full := photo(67, 45, true).(*image.YCbCr)
	for _, r := range []image.Rectangle{full.Bounds(), image.Rect(3, 5, 60, 44), image.Rect(2, 2, 66, 44), image.Rect(1, 0, 2, 1)} {
		src := full.SubImage(r).(*image.YCbCr)
		got := p.ConvertImage(src, Perceptual)
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				yi, ci := src.YOffset(x, y), src.COffset(x, y)
				rr, gg, bb := imgcolor.YCbCrToRGB(src.Y[yi], src.Cb[ci], src.Cr[ci])
				var want [4]byte
				f.convert(rr, gg, bb, want[:])
				o := got.PixOffset(x, y)
				if !bytes.Equal(got.Pix[o:o+4], want[:]) {
					t.Fatalf("%v: pixel (%d, %d) is %v, want %v", r, x, y, got.Pix[o:o+4], want)
				}
			}
		}
	}
}
