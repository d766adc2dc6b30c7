package build

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copyIssue copies the golden test issue into dir (made).
func copyIssue(t *testing.T, dir string) string {
	t.Helper()
	const src = "../layout/testdata/golden"
	for _, sub := range []string{".", "articles", "images"} {
		entries, err := os.ReadDir(filepath.Join(src, sub))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.IsDir() {
				continue
			}
			b, err := os.ReadFile(filepath.Join(src, sub, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, sub, e.Name()), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return filepath.Join(dir, "issue.toml")
}

// TestBatch: issues build side by side into a folder that does not exist
// yet, each PDF named after its issue's folder (two folders of the same
// name get distinct files); one broken issue fails alone, with its own
// message, and leaves no file.
func TestBatch(t *testing.T) {
	root := t.TempDir()
	a := copyIssue(t, filepath.Join(root, "a", "issue7"))
	b := copyIssue(t, filepath.Join(root, "b", "issue7"))
	c := copyIssue(t, filepath.Join(root, "spring"))
	bad := copyIssue(t, filepath.Join(root, "broken"))
	if err := os.Remove(filepath.Join(filepath.Dir(bad), "articles", "plates.md")); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(root, "out", "pdf") // does not exist yet
	jobs := Batch([]string{a, b, bad, c}, out, 2, Options{Preview: true, CacheDir: "off"})
	if len(jobs) != 4 {
		t.Fatalf("%d jobs, want 4", len(jobs))
	}
	want := []string{"issue7.pdf", "issue7-2.pdf", "broken.pdf", "spring.pdf"}
	for i, j := range jobs {
		if filepath.Base(j.Out) != want[i] || filepath.Dir(j.Out) != out {
			t.Errorf("job %d writes %s, want %s in %s", i, j.Out, want[i], out)
		}
		_, statErr := os.Stat(j.Out)
		if i == 2 {
			if j.Err == nil || !strings.Contains(j.Err.Error(), "plates.md") {
				t.Errorf("broken issue: error %v, want one naming the missing article", j.Err)
			}
			if statErr == nil {
				t.Errorf("broken issue left %s behind", j.Out)
			}
			continue
		}
		if j.Err != nil {
			t.Errorf("%s: %v", j.Manifest, j.Err)
			continue
		}
		if statErr != nil || j.Report == nil || j.Report.Pages != 12 {
			t.Errorf("%s: %v, report %+v", j.Out, statErr, j.Report)
		}
	}
}
