package render

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"runtime"
	"testing"
	"time"
)

// TestDeterministic renders the same document repeatedly under different
// GOMAXPROCS, time zones and temporary folders and expects identical bytes.
// The sample has three images of equal pixel width, which fpdf alone orders
// at random.
func TestDeterministic(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	defer func(l *time.Location) { time.Local = l }(time.Local)

	var first []byte
	zones := []*time.Location{time.UTC, time.FixedZone("CST", 8*3600), time.FixedZone("PST", -8*3600), time.FixedZone("X", 5*3600+1800), time.Local}
	for i := 0; i < 5; i++ {
		runtime.GOMAXPROCS(1 + i%4)
		time.Local = zones[i]
		// A new temporary folder (so new image paths) every time.
		doc := sampleDoc(t, t.TempDir())
		for _, opt := range []Options{DefaultOptions()} {
			b := render(t, doc, opt)
			if first == nil {
				first = b
				continue
			}
			if !bytes.Equal(b, first) {
				t.Fatalf("run %d (GOMAXPROCS %d, zone %s): %s", i, runtime.GOMAXPROCS(0), time.Local, firstDiff(first, b))
			}
		}
	}
	t.Logf("%d bytes, sha256 %x", len(first), sha256.Sum256(first))

	// And the text document, uncompressed, many times (map order varies per
	// run of a loop).
	doc := textDoc(t)
	want := render(t, doc, Options{})
	for i := 0; i < 5; i++ {
		if b := render(t, doc, Options{}); !bytes.Equal(b, want) {
			t.Fatalf("text document, run %d: %s", i, firstDiff(want, b))
		}
	}
}

func firstDiff(a, b []byte) string {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			lo := max(0, i-80)
			return fmt.Sprintf("differ at byte %d:\n%q\nvs\n%q", i, a[lo:min(len(a), i+80)], b[lo:min(len(b), i+80)])
		}
	}
	return fmt.Sprintf("lengths %d and %d", len(a), len(b))
}
