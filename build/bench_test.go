package build

import (
	"io"
	"testing"

	"paiban/layout"
	"paiban/layout/text"
)

// BenchmarkBuildSample lays out the reference issue and writes its print
// PDF and its preview, in one process whose fonts are already loaded (the
// batch case), with a warm picture cache (the first build fills it).
func BenchmarkBuildSample(b *testing.B) {
	cache := b.TempDir()
	for _, tc := range []struct {
		name string
		opt  Options
	}{
		{"print", Options{CacheDir: cache}},
		{"preview", Options{CacheDir: cache, Preview: true}},
		// Cold: no conversion cache, every photo decoded, fitted and (for
		// print) separated to CMYK and encoded again, as on a fresh
		// machine. Only the process is not fresh: the colours met by the
		// first build stay in the print profile's YCbCr table (package
		// color), which a new process fills again (the sample's 1.05
		// million colours, about 70 ms of CPU). Time a new process with
		// the command in the README.
		{"print-cold", Options{CacheDir: "off"}},
		{"preview-cold", Options{CacheDir: "off", Preview: true}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			if _, err := Write(io.Discard, sample, tc.opt); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := Write(io.Discard, sample, tc.opt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLayoutSample is the layout alone: manifest, typesetting,
// pages, with either line breaker (total fit must cost at most 20% more).
func BenchmarkLayoutSample(b *testing.B) {
	for _, br := range []text.Breaker{text.TotalFit, text.Greedy} {
		b.Run(br.String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := LayoutWith(sample, layout.Options{Breaker: br}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
