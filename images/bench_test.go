package images

import (
	"testing"

	"github.com/disintegration/imaging"

	"paiban/display"
)

// benchJPEG writes a 4000 × 3000 photo-like JPEG (before b.Loop starts
// the timer).
func benchJPEG(b *testing.B) string {
	return writeFile(b, b.TempDir(), "4000x3000.jpg", encJPEG(b, photo(4000, 3000), 90))
}

// BenchmarkPrepare: a 12-megapixel camera JPEG into an 85 mm wide 4:3 frame
// for print — decode, Lanczos downsample to 1004 × 753 (300 ppi), encode.
func BenchmarkPrepare(b *testing.B) {
	path := benchJPEG(b)
	b.ReportAllocs()
	for b.Loop() {
		p, err := Prepare(path, mm(85), mm(63.75), display.Cover, 0, 0, Print)
		if err != nil {
			b.Fatal(err)
		}
		if p.W != 1004 || p.H != 753 {
			b.Fatalf("%d×%d", p.W, p.H)
		}
	}
}

// BenchmarkStat: reading the same file's header.
func BenchmarkStat(b *testing.B) {
	path := benchJPEG(b)
	for b.Loop() {
		if _, err := Stat(path); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkResample: the print downsampling of a sample photo, 1600 × 1200
// (4:4:4) to 963 × 722, as prepare did it (imaging.Resize, Lanczos) and
// does it (resampleYCbCr). Decoding is not timed.
func BenchmarkResample(b *testing.B) {
	src := decodeSample(b, "tiyan-1.jpg")
	b.Run("imaging", func(b *testing.B) {
		for b.Loop() {
			imaging.Resize(src, 963, 722, imaging.Lanczos)
		}
	})
	b.Run("ycbcr", func(b *testing.B) {
		for b.Loop() {
			resampleYCbCr(src, 963, 722, 1)
		}
	})
}
