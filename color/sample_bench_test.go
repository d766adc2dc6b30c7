package color

import (
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkConvertSample converts every photo of the sample issue, as a
// first print build does (before the ink limit the build adds).
func BenchmarkConvertSample(b *testing.B) {
	p, err := FOGRA39()
	if err != nil {
		b.Fatal(err)
	}
	files, _ := filepath.Glob("../samples/zhenjing-2023-05/images/*.jpg")
	if len(files) == 0 {
		b.Skip("no sample photos")
	}
	var imgs []image.Image
	px := 0
	for _, fn := range files {
		f, err := os.Open(fn)
		if err != nil {
			b.Fatal(err)
		}
		img, err := jpeg.Decode(f)
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		imgs = append(imgs, img)
		px += img.Bounds().Dx() * img.Bounds().Dy()
	}
	b.SetBytes(int64(px))
	for b.Loop() {
		// A fresh profile each time: its tables (and the colours it has
		// met) are made again, as in a new process.
		q := p.WithInkLimit(2.85)
		for _, img := range imgs {
			q.ConvertImage(img, Perceptual)
		}
	}
}
