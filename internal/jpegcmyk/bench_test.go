package jpegcmyk

import (
	"bytes"
	"compress/zlib"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"os"
	"sync"
	"testing"
)

// samplePhoto is a 2200×1467 photograph of the sample issue.
const samplePhoto = "../../samples/zhenjing-2023-05/images/lead-datang.jpg"

// benchImages returns the 2200×1467 benchmark pictures: the sample
// photograph converted to CMYK through FOGRA39 as a print build does (when
// the file is there), and a synthetic photo-like image.
var benchImages = sync.OnceValue(func() []namedImage {
	imgs := []namedImage{{"synthetic", photoCMYK(image.Rect(0, 0, 2200, 1467), 42)}}
	f, err := os.Open(samplePhoto)
	if err != nil {
		return imgs
	}
	defer f.Close()
	src, err := jpeg.Decode(f)
	if err != nil {
		return imgs
	}
	// A plain RGB→CMYK formula: package color (the profile's conversion)
	// imports this package, so its tests cannot use it.
	b := src.Bounds()
	m := image.NewCMYK(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			r, g, bb, _ := src.At(b.Min.X+x, b.Min.Y+y).RGBA()
			c, mm, yy, k := color.RGBToCMYK(uint8(r>>8), uint8(g>>8), uint8(bb>>8))
			m.SetCMYK(x, y, color.CMYK{C: c, M: mm, Y: yy, K: k})
		}
	}
	return append([]namedImage{{"photo", m}}, imgs...)
})

type namedImage struct {
	name string
	m    *image.CMYK
}

// zlibSize returns the size of m's samples compressed with zlib at the
// default level, as the Flate path embeds them.
func zlibSize(m *image.CMYK) int {
	var buf bytes.Buffer
	z := zlib.NewWriter(&buf)
	z.Write(m.Pix)
	z.Close()
	return buf.Len()
}

// BenchmarkEncode encodes 2200×1467 CMYK pictures at quality 90 and
// reports the JPEG size next to the size of the zlib-compressed (default
// level) raw samples.
func BenchmarkEncode(b *testing.B) { benchEncode(b, Encode) }

// BenchmarkEncodeYCCK is BenchmarkEncode for EncodeYCCK.
func BenchmarkEncodeYCCK(b *testing.B) { benchEncode(b, EncodeYCCK) }

func benchEncode(b *testing.B, enc func(io.Writer, *image.CMYK, int) error) {
	for _, im := range benchImages() {
		b.Run(im.name, func(b *testing.B) {
			var buf bytes.Buffer
			if err := enc(&buf, im.m, 90); err != nil {
				b.Fatal(err)
			}
			size, zsize := buf.Len(), zlibSize(im.m)
			b.SetBytes(int64(len(im.m.Pix)))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				buf.Reset()
				if err := enc(&buf, im.m, 90); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(size), "jpeg-bytes")
			b.ReportMetric(float64(zsize), "zlib-bytes")
			b.ReportMetric(float64(zsize)/float64(size), "zlib/jpeg")
		})
	}
}

// BenchmarkZlib is the Flate path for comparison: zlib at the default
// level over the raw samples of the same pictures.
func BenchmarkZlib(b *testing.B) {
	for _, im := range benchImages() {
		b.Run(im.name, func(b *testing.B) {
			b.SetBytes(int64(len(im.m.Pix)))
			b.ReportAllocs()
			for b.Loop() {
				zlibSize(im.m)
			}
		})
	}
}

// TestPhotoRoundTrip checks the quality on the sample photograph in CMYK
// with both encodings (skipped when it is not there), and that
// EncodeYCCK's output is clearly the smaller.
func TestPhotoRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	imgs := benchImages()
	if imgs[0].name != "photo" {
		t.Skipf("%s not available", samplePhoto)
	}
	m := imgs[0].m
	zsize := zlibSize(m)
	for _, q := range []int{75, 90} {
		var sizes [2]int
		for i, e := range encodings {
			data := encodeWith(t, e.enc, m, q)
			sizes[i] = len(data)
			psnr, maxDiff := compare(m, decodeGo(t, data))
			t.Logf("photo %-10s q%d: %d bytes (zlib raw %d), PSNR %.2f dB, max |diff| %d", e.name, q, len(data), zsize, psnr, maxDiff)
			if q == 90 && psnr < 35 {
				t.Errorf("photo %s q90: PSNR %.2f dB, want ≥ 35", e.name, psnr)
			}
		}
		if 4*sizes[1] > 3*sizes[0] {
			t.Errorf("photo q%d: EncodeYCCK wrote %d bytes, Encode %d: want at most 3/4", q, sizes[1], sizes[0])
		}
	}
}
