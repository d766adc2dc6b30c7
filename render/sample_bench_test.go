package render_test

import (
	"bytes"
	"testing"
	"time"

	"paiban/color"
	"paiban/display"
	"paiban/fonts"
	"paiban/internal/sampledoc"
	"paiban/render"
)

// sample is the reference issue.
const sample = "../samples/zhenjing-2023-05/issue.toml"

func layoutSample(tb testing.TB) (*display.Document, *fonts.Set) {
	tb.Helper()
	res, set, err := sampledoc.Layout(sample)
	if err != nil {
		tb.Fatal(err)
	}
	return res.Doc, set
}

// benchSample writes the reference issue with opt; cache, when not nil,
// makes the options' cache for each run (a new folder: a cold cache).
func benchSample(b *testing.B, opt render.Options, cache func() *color.Cache) {
	doc, set := layoutSample(b)
	var buf bytes.Buffer
	if opt.Cache != nil { // warm it
		if err := render.WritePDF(&buf, doc, set, opt); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		if cache != nil {
			b.StopTimer()
			opt.Cache = cache()
			b.StartTimer()
		}
		buf.Reset()
		if err := render.WritePDF(&buf, doc, set, opt); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "pdf-bytes")
}

func newCache(b *testing.B) *color.Cache {
	c, err := color.NewCache(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkSamplePrint is a first print build: every photo converted to
// CMYK and compressed, into an empty cache folder.
func BenchmarkSamplePrint(b *testing.B) {
	benchSample(b, render.DefaultOptions(), func() *color.Cache { return newCache(b) })
}

// BenchmarkSamplePrintCached rebuilds with the conversions in the cache.
func BenchmarkSamplePrintCached(b *testing.B) {
	opt := render.DefaultOptions()
	opt.Cache = newCache(b)
	benchSample(b, opt, nil)
}

// BenchmarkSamplePreview is a preview build with a watermark.
func BenchmarkSamplePreview(b *testing.B) {
	benchSample(b, render.Options{Profile: render.Preview, Compress: true, Watermark: "校样 PREVIEW"}, nil)
}

// TestSampleProfiles builds the reference issue for print (a cold cache,
// then a warm one) and as a preview: the rebuild is the same bytes, and
// the preview is at least 5× smaller and faster to build than the first
// print build.
func TestSampleProfiles(t *testing.T) {
	if testing.Short() {
		t.Skip("converts every photo of the sample to CMYK")
	}
	doc, set := layoutSample(t)
	cache, err := color.NewCache(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	build := func(opt render.Options) ([]byte, time.Duration) {
		t0 := time.Now()
		var b bytes.Buffer
		if err := render.WritePDF(&b, doc, set, opt); err != nil {
			t.Fatal(err)
		}
		return b.Bytes(), time.Since(t0)
	}
	opt := render.DefaultOptions()
	opt.Cache = cache
	cold, tCold := build(opt)
	warm, tWarm := build(opt)
	preview, tPreview := build(render.Options{Profile: render.Preview, Compress: true, Watermark: "校样 PREVIEW"})
	t.Logf("print, cold cache: %d bytes in %v; cached: %v; preview: %d bytes in %v", len(cold), tCold, tWarm, len(preview), tPreview)
	if !bytes.Equal(cold, warm) {
		t.Errorf("the cached rebuild differs from the first build")
	}
	if len(preview)*5 > len(cold) {
		t.Errorf("preview %d bytes, print %d: not 5× smaller", len(preview), len(cold))
	}
	if tPreview >= tCold {
		t.Errorf("preview took %v, the first print build %v", tPreview, tCold)
	}
}
