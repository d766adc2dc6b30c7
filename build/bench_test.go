package build

import (
	"io"
	"testing"
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

// BenchmarkLayoutSample is the layout alone: manifest, typesetting, pages.
func BenchmarkLayoutSample(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Layout(sample); err != nil {
			b.Fatal(err)
		}
	}
}
