package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// leftovers lists the files in dir other than keep.
func leftovers(t *testing.T, dir string, keep ...string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
outer:
	for _, e := range es {
		for _, k := range keep {
			if e.Name() == k {
				continue outer
			}
		}
		out = append(out, e.Name())
	}
	return out
}

func TestWriteNew(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "issue.pdf")
	err := Write(path, func(w io.Writer) error {
		_, err := io.WriteString(w, "%PDF-1.4 whole file")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil || string(b) != "%PDF-1.4 whole file" {
		t.Fatalf("got %q, %v", b, err)
	}
	if l := leftovers(t, dir, "issue.pdf"); len(l) != 0 {
		t.Errorf("left behind: %v", l)
	}
	// The mode a new file gets from os.Create (0666 less the umask).
	ref, err := os.Create(filepath.Join(dir, "ref"))
	if err != nil {
		t.Fatal(err)
	}
	ref.Close()
	fi, _ := os.Stat(path)
	rfi, _ := os.Stat(ref.Name())
	if fi.Mode() != rfi.Mode() {
		t.Errorf("mode %v, os.Create gives %v", fi.Mode(), rfi.Mode())
	}
}

func TestReplaceKeepsMode(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "issue.pdf")
	if err := os.WriteFile(path, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	os.Chmod(path, 0o640)
	if err := Write(path, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	fi, _ := os.Stat(path)
	if string(b) != "new" || fi.Mode().Perm() != 0o640 {
		t.Errorf("got %q mode %v", b, fi.Mode())
	}
}

func TestErrorLeavesOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "issue.pdf")
	if err := os.WriteFile(path, []byte("old complete file"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("layout failed")
	err := Write(path, func(w io.Writer) error {
		io.WriteString(w, "half a PDF")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("error %v, want %v", err, boom)
	}
	b, _ := os.ReadFile(path)
	if string(b) != "old complete file" {
		t.Errorf("existing file changed to %q", b)
	}
	if l := leftovers(t, dir, "issue.pdf"); len(l) != 0 {
		t.Errorf("left behind: %v", l)
	}
}

func TestErrorCreatesNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "issue.pdf")
	if err := Write(path, func(w io.Writer) error { return errors.New("no") }); err == nil {
		t.Fatal("no error")
	}
	if l := leftovers(t, dir); len(l) != 0 {
		t.Errorf("left behind: %v", l)
	}
}

func TestPanicCleansUp(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "issue.pdf")
	os.WriteFile(path, []byte("old"), 0o644)
	func() {
		defer func() {
			if r := recover(); r == nil || !strings.Contains(r.(string), "boom") {
				t.Errorf("panic not passed on: %v", r)
			}
		}()
		Write(path, func(w io.Writer) error {
			io.WriteString(w, "partial")
			panic("boom")
		})
	}()
	b, _ := os.ReadFile(path)
	if string(b) != "old" {
		t.Errorf("existing file changed to %q", b)
	}
	if l := leftovers(t, dir, "issue.pdf"); len(l) != 0 {
		t.Errorf("left behind: %v", l)
	}
}

func TestBadTargets(t *testing.T) {
	dir := t.TempDir()
	if err := Write(filepath.Join(dir, "no", "such", "folder.pdf"), func(io.Writer) error { return nil }); err == nil {
		t.Error("missing folder accepted")
	}
	if err := Write(dir, func(io.Writer) error { return nil }); err == nil {
		t.Error("a folder as target accepted")
	}
	if l := leftovers(t, dir); len(l) != 0 {
		t.Errorf("left behind: %v", l)
	}
}

// TestWriteUnsynced: the same all-or-nothing behaviour without the flush.
func TestWriteUnsynced(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "entry")
	fill := func(s string, fail error) func(io.Writer) error {
		return func(w io.Writer) error {
			if _, err := io.WriteString(w, s); err != nil {
				return err
			}
			return fail
		}
	}
	if err := WriteUnsynced(path, fill("first", nil)); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	if err := WriteUnsynced(path, fill("second, half", boom)); !errors.Is(err, boom) {
		t.Fatalf("error %v, want boom", err)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "first" {
		t.Errorf("after a failed write: %q, %v", b, err)
	}
	if err := WriteUnsynced(path, fill("third", nil)); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "third" {
		t.Errorf("got %q, want third", b)
	}
	if l := leftovers(t, dir, "entry"); len(l) != 0 {
		t.Errorf("left behind: %v", l)
	}
}
