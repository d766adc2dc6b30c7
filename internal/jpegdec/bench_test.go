package jpegdec

import (
	"bytes"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"
)

// sampleFiles are the sample issue's photographs: baseline 4:2:0 and
// 4:2:2/4:4:4 YCbCr JPEGs of 1.4 to 5.4 megapixels.
func sampleFiles(tb testing.TB) [][]byte {
	names, err := filepath.Glob("../../samples/zhenjing-2023-05/images/*.jpg")
	if err != nil || len(names) == 0 {
		tb.Fatalf("sample photos: %v (%d)", err, len(names))
	}
	var files [][]byte
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			tb.Fatal(err)
		}
		files = append(files, data)
	}
	return files
}

// BenchmarkDecodeSample decodes every sample photo at full size, with
// this package and with image/jpeg, whose output it matches.
func BenchmarkDecodeSample(b *testing.B) {
	files := sampleFiles(b)
	var size int64
	for _, f := range files {
		size += int64(len(f))
	}
	b.Run("jpegdec", func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			for _, f := range files {
				if _, err := Decode(bytes.NewReader(f), 0); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("image-jpeg", func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			for _, f := range files {
				if _, err := jpeg.Decode(bytes.NewReader(f)); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
