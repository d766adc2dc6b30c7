package build

import (
	"io"
	"testing"

	"paiban/layout"
	"paiban/layout/text"
)

// BenchmarkBuildSample lays out the reference issue and writes its PDF,
// in one process whose fonts are already loaded (the batch case).
func BenchmarkBuildSample(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Write(io.Discard, sample, Options{}); err != nil {
			b.Fatal(err)
		}
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
