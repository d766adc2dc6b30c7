package gopdf

import (
	"testing"

	"paiban/display"
	"paiban/fonts"
	"paiban/internal/sampledoc"
	"paiban/render"
)

// countWriter counts the bytes written to it.
type countWriter int64

func (c *countWriter) Write(p []byte) (int, error) {
	*c += countWriter(len(p))
	return len(p), nil
}

func benchSample(b *testing.B) (*display.Document, *fonts.Set) {
	b.Helper()
	res, faces, err := sampledoc.Layout(samplePath)
	if err != nil {
		b.Fatal(err)
	}
	return res.Doc, faces
}

// BenchmarkWriteSample writes the reference sample with this writer (the
// layout is done once, outside the timing); pdf-bytes is the output size.
func BenchmarkWriteSample(b *testing.B) {
	doc, faces := benchSample(b)
	b.ReportAllocs()
	var n countWriter
	for b.Loop() {
		n = 0
		if err := WritePDF(&n, doc, faces); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n), "pdf-bytes")
}

// BenchmarkWriteSampleFpdf is the same with package render's fpdf writer,
// for comparison.
func BenchmarkWriteSampleFpdf(b *testing.B) {
	doc, faces := benchSample(b)
	b.ReportAllocs()
	var n countWriter
	for b.Loop() {
		n = 0
		if err := render.WritePDF(&n, doc, faces, render.DefaultOptions()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n), "pdf-bytes")
}
