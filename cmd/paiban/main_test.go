package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// copyIssue copies the golden test issue into a temp folder, so a test
// can break it.
func copyIssue(t *testing.T) string {
	t.Helper()
	src := "../../layout/testdata/golden"
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestBuildWritesPDF(t *testing.T) {
	dir := copyIssue(t)
	out := filepath.Join(dir, "out.pdf")
	var stdout, stderr bytes.Buffer
	// The test issue's cover is a small picture: --force writes it anyway.
	if code := run([]string{"build", filepath.Join(dir, "issue.toml"), "-o", out, "--force"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	b, err := os.ReadFile(out)
	if err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("no PDF written: %v", err)
	}
	if !regexp.MustCompile(`: \d+ pages in `).MatchString(stdout.String()) {
		t.Errorf("summary %q does not give the page count", stdout.String())
	}
}

func TestBuildErrorsLeaveNoFile(t *testing.T) {
	tests := []struct {
		name, file, from, to, want string
	}{
		{"unknown-key", "issue.toml", "columns = 2", "colums = 2", `issue.toml:11:1: unknown key "colums"`},
		{"malformed-toml", "issue.toml", `title = "测试"`, `title = "测试`, "issue.toml:2:"},
		{"missing-article", "issue.toml", "articles/figure.md", "articles/nothere.md", "nothere.md"},
		{"missing-glyph", "articles/figure.md", "图片前的段落", "图片前的𠮷段落", "figure.md:5:13: no font has '𠮷' (U+20BB7)"},
	}
	// A truncated picture: found when the PDF is written, named with the
	// article line that placed it.
	tests = append(tests, struct{ name, file, from, to, want string }{
		"broken-image", "articles/figure.md", "(images/grey.png)", "(images/broken.png)",
		"articles/figure.md:7): ",
	})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyIssue(t)
			grey, err := os.ReadFile(filepath.Join(dir, "images", "grey.png"))
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(dir, "images", "broken.png"), grey[:len(grey)/2], 0o644)
			p := filepath.Join(dir, tc.file)
			b, _ := os.ReadFile(p)
			if !bytes.Contains(b, []byte(tc.from)) {
				t.Fatalf("%s has no %q", tc.file, tc.from)
			}
			os.WriteFile(p, bytes.Replace(b, []byte(tc.from), []byte(tc.to), 1), 0o644)
			out := filepath.Join(dir, "out.pdf")
			var stdout, stderr bytes.Buffer
			code := run([]string{"build", filepath.Join(dir, "issue.toml"), "-o", out}, &stdout, &stderr)
			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			if !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("message %q does not contain %q", stderr.String(), tc.want)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("a failed build left %s behind", out)
			}
			left, _ := filepath.Glob(filepath.Join(dir, ".out.pdf*"))
			if len(left) > 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
}

func TestPreflightErrorsRefusePrint(t *testing.T) {
	dir := copyIssue(t)
	out := filepath.Join(dir, "out.pdf")
	var stdout, stderr bytes.Buffer
	code := run([]string{"build", filepath.Join(dir, "issue.toml"), "-o", out}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "prints at 88 ppi") || !strings.Contains(stderr.String(), "--force") {
		t.Errorf("exit %d, %q: want a refusal naming the low-resolution picture", code, stderr.String())
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("a refused print build left a PDF")
	}
	// A preview is not refused.
	if code := run([]string{"build", filepath.Join(dir, "issue.toml"), "-o", out, "--preview"}, &stdout, &stderr); code != 0 {
		t.Errorf("preview: exit %d: %s", code, stderr.String())
	}
	// check reports the same error as JSON and exits 1.
	stdout.Reset()
	if code := run([]string{"check", "--json", filepath.Join(dir, "issue.toml")}, &stdout, &stderr); code != 1 {
		t.Errorf("check: exit %d", code)
	}
	var rep struct {
		Errors   int
		Findings []struct{ Code, Severity string }
	}
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil || rep.Errors == 0 {
		t.Errorf("check --json: %v %s", err, stdout.String())
	}
}

func TestUsage(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"frobnicate"}, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), "unknown command") {
		t.Errorf("exit %d, %q", code, stderr.String())
	}
	if code := run([]string{"build"}, &stdout, &stderr); code != 2 {
		t.Errorf("build without an issue: exit %d", code)
	}
}

func TestInitBuilds(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"init", dir}, &stdout, &stderr); code != 0 {
		t.Fatalf("init: exit %d: %s", code, stderr.String())
	}
	out := filepath.Join(dir, "issue.pdf")
	if code := run([]string{"build", filepath.Join(dir, "issue.toml"), "-o", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("the new issue does not build: %s", stderr.String())
	}
	if code := run([]string{"init", dir}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "already") {
		t.Errorf("init over an issue: exit %d, %q", code, stderr.String())
	}
}
