package build

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPreflightRefuses: a print build whose preflight finds errors (the
// test issue's one small picture prints far under 300 ppi) writes no file,
// and leaves no temporary file behind, although the PDF is written to one
// while preflight runs; with Force it writes the file.
func TestPreflightRefuses(t *testing.T) {
	dir := t.TempDir()
	issue := copyIssue(t, filepath.Join(dir, "issue"))
	outDir := filepath.Join(dir, "out")
	out := filepath.Join(outDir, "print.pdf")
	_, err := File(issue, out, Options{CacheDir: "off"})
	if err == nil || !strings.Contains(err.Error(), "preflight found") || !strings.Contains(err.Error(), "image-ppi") {
		t.Fatalf("got %v, want preflight's image-ppi errors", err)
	}
	if entries, _ := os.ReadDir(outDir); len(entries) != 0 {
		t.Errorf("the refused build left %d files in the output folder, e.g. %s", len(entries), entries[0].Name())
	}
	rep, err := File(issue, out, Options{CacheDir: "off", Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Preflight.Errors == 0 {
		t.Error("the forced build's report has no preflight errors")
	}
	if fi, err := os.Stat(out); err != nil || fi.Size() != int64(rep.Bytes) {
		t.Errorf("forced build: %v, want a file of %d bytes", err, rep.Bytes)
	}
}
