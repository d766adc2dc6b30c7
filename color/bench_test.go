package color

import (
	"image"
	imgcolor "image/color"
	"image/jpeg"
	"os"
	"strconv"
	"testing"
)

// photo returns a deterministic w×h test image with smooth gradients and
// some noise, as an RGBA or a 4:2:0 YCbCr (what image/jpeg decodes to).
func photo(w, h int, ycc bool) image.Image {
	seed := uint32(1)
	noise := func() int {
		seed = seed*1664525 + 1013904223
		return int(seed>>28) - 8
	}
	px := func(x, y int) (uint8, uint8, uint8) {
		c := func(v int) uint8 { return uint8(max(0, min(255, v+noise()))) }
		return c(x * 255 / w), c(y * 255 / h), c((x + y) * 255 / (w + h))
	}
	r := image.Rect(0, 0, w, h)
	if ycc {
		img := image.NewYCbCr(r, image.YCbCrSubsampleRatio420)
		for y := range h {
			for x := range w {
				rr, g, b := px(x, y)
				yy, cb, cr := imgcolor.RGBToYCbCr(rr, g, b)
				img.Y[img.YOffset(x, y)] = yy
				ci := img.COffset(x, y)
				img.Cb[ci], img.Cr[ci] = cb, cr
			}
		}
		return img
	}
	img := image.NewRGBA(r)
	for y := range h {
		for x := range w {
			rr, g, b := px(x, y)
			i := img.PixOffset(x, y)
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = rr, g, b, 255
		}
	}
	return img
}

// BenchmarkConvertImage converts an A4 page at 300 ppi (2480×3508).
func BenchmarkConvertImage(b *testing.B) {
	p, err := FOGRA39()
	if err != nil {
		b.Fatal(err)
	}
	p.ConvertImage(image.NewRGBA(image.Rect(0, 0, 1, 1)), Perceptual) // build tables
	run := func(name string, img image.Image) {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(img.Bounds().Dx() * img.Bounds().Dy()))
			for b.Loop() {
				p.ConvertImage(img, Perceptual)
			}
		})
	}
	// The sample issue's cover photo, 2560×3591 (a JPEG: YCbCr 4:2:0).
	if f, err := os.Open("../samples/zhenjing-2023-05/images/cover.jpg"); err == nil {
		img, err := jpeg.Decode(f)
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		run("cover.jpg", img)
	}
	// Synthetic gradients with noise: far more distinct colours than a
	// photo, so the colour cache helps less.
	run("noise-ycbcr420", photo(2480, 3508, true))
	run("noise-rgba", photo(2480, 3508, false))
}

func BenchmarkConvertPixel(b *testing.B) {
	p, _ := FOGRA39()
	f := p.frontEnd(Perceptual)
	var dst [4]byte
	i := 0
	for b.Loop() {
		i++
		f.convert(uint8(i), uint8(i>>3), uint8(i>>6), dst[:])
	}
}

func BenchmarkRGBToCMYK(b *testing.B) {
	p, _ := FOGRA39()
	i := 0
	for b.Loop() {
		i++
		p.RGBToCMYK(uint8(i), uint8(i>>3), uint8(i>>6), Perceptual)
	}
}

// BenchmarkCMYKFlate is a cache miss for the cover photo: convert and
// deflate (the cache folder write included).
func BenchmarkCMYKFlate(b *testing.B) {
	p, err := FOGRA39()
	if err != nil {
		b.Fatal(err)
	}
	f, err := os.Open("../samples/zhenjing-2023-05/images/cover.jpg")
	if err != nil {
		b.Skip(err)
	}
	img, err := jpeg.Decode(f)
	f.Close()
	if err != nil {
		b.Fatal(err)
	}
	c, _ := NewCache(b.TempDir())
	i := 0
	var size int
	for b.Loop() {
		i++
		_, _, z, err := c.CMYKFlate(strconv.Itoa(i), func() (*image.CMYK, error) { return p.ConvertImage(img, Perceptual), nil })
		if err != nil {
			b.Fatal(err)
		}
		size = len(z)
	}
	b.ReportMetric(float64(size), "zlib-bytes")
}
