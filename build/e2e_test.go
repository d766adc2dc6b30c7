package build

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"paiban/display"
	"paiban/manifest"
	"paiban/render"
)

const sample = "../samples/zhenjing-2023-05/issue.toml"

// need skips the test when a poppler tool is missing, except in CI, where
// .ci/run installs poppler-utils and a missing tool is a failure.
func need(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s not installed (apt-get install poppler-utils)", tool)
			}
			t.Skipf("%s not installed (apt-get install poppler-utils)", tool)
		}
	}
}

var (
	metricsOnce sync.Once
	metricsBin  string
	metricsErr  error
)

// pdfmetrics builds ../shared/tools/pdfmetrics once into a temp folder.
func pdfmetrics(t *testing.T) string {
	t.Helper()
	metricsOnce.Do(func() {
		src, err := filepath.Abs("../../shared/tools/pdfmetrics")
		if err != nil {
			metricsErr = err
			return
		}
		if _, err := os.Stat(src); err != nil {
			metricsErr = fmt.Errorf("pdfmetrics source not found at %s: %w", src, err)
			return
		}
		dir, err := os.MkdirTemp("", "pdfmetrics")
		if err != nil {
			metricsErr = err
			return
		}
		metricsBin = filepath.Join(dir, "pdfmetrics")
		cmd := exec.Command("go", "build", "-o", metricsBin, ".")
		cmd.Dir = src
		if out, err := cmd.CombinedOutput(); err != nil {
			metricsErr = fmt.Errorf("building pdfmetrics: %v\n%s", err, out)
		}
	})
	if metricsErr != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(metricsErr)
		}
		t.Skip(metricsErr)
	}
	return metricsBin
}

// metrics is the part of pdfmetrics' JSON report the tests read.
type metrics struct {
	Pages            int  `json:"pages"`
	TrimboxDeclared  bool `json:"trimbox_declared"`
	BleedboxDeclared bool `json:"bleedbox_declared"`
	PageBoxes        []struct {
		Page    int                `json:"page"`
		BleedMM map[string]float64 `json:"bleed_mm"`
	} `json:"page_boxes"`
	Fonts struct {
		Count       int  `json:"count"`
		AllEmbedded bool `json:"all_embedded"`
		AllSubset   bool `json:"all_subset"`
		AnyType3    bool `json:"any_type3"`
	} `json:"fonts"`
	Lines struct {
		Count      int `json:"count"`
		StartViol  int `json:"line_start_violations"`
		EndViol    int `json:"line_end_violations"`
		Violations any `json:"violations"`
	} `json:"lines"`
	Fidelity *struct {
		RefChars   int     `json:"ref_chars"`
		PDFChars   int     `json:"pdf_chars"`
		Distance   int     `json:"edit_distance"`
		Similarity float64 `json:"similarity"`
		Missing    int     `json:"missing_chars"`
		Extra      int     `json:"extra_chars"`
		FirstDiffs any     `json:"first_diffs"`
	} `json:"fidelity"`
	OutOfBounds struct {
		Count int `json:"count"`
		Words any `json:"words"`
	} `json:"out_of_bounds"`
}

func runMetrics(t *testing.T, pdf, ref string) metrics {
	t.Helper()
	args := []string{"-o", pdf + ".json", pdf}
	if ref != "" {
		args = append(args, ref)
	}
	if out, err := exec.Command(pdfmetrics(t), args...).CombinedOutput(); err != nil {
		t.Fatalf("pdfmetrics: %v\n%s", err, out)
	}
	data, err := os.ReadFile(pdf + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var m metrics
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// reference is the issue's text as the articles' sources give it, one
// paragraph a line, in the order the layout sets it: kicker, title,
// source and credit, byline, then the body (a figure by its caption).
func reference(iss *manifest.Issue) string {
	var b strings.Builder
	line := func(s string) {
		if s != "" {
			b.WriteString(s)
			b.WriteByte('\n')
		}
	}
	for _, sec := range iss.Sections {
		for _, a := range sec.Articles {
			line(a.Kicker)
			line(a.Title)
			line(a.Source)
			line(a.Credit)
			line(a.Author)
			line(a.Affiliation)
			for i := range a.Blocks {
				line(a.Blocks[i].Text())
			}
		}
	}
	return b.String()
}

// withoutFurniture returns a copy of the document without folios and
// running heads: the text that must match the articles' sources.
func withoutFurniture(d *display.Document) *display.Document {
	c := *d
	c.Pages = nil
	for _, p := range d.Pages {
		q := *p
		q.Items = nil
		for _, it := range p.Items {
			if tx, ok := it.(*display.Text); ok && tx.Artifact {
				continue
			}
			q.Items = append(q.Items, it)
		}
		c.Pages = append(c.Pages, &q)
	}
	return &c
}

// TestSampleEndToEnd builds the reference issue and checks the PDF with
// pdfmetrics and poppler: no line-start or line-end violations, text
// fidelity against the article sources, nothing outside the trim, fonts
// embedded and subset, 3 mm bleed on every page, folios on every page.
func TestSampleEndToEnd(t *testing.T) {
	need(t, "pdftotext", "pdfinfo", "pdffonts", "pdfimages")
	dir := t.TempDir()
	pdf := filepath.Join(dir, "sample.pdf")
	rep, err := File(sample, pdf)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range rep.Warnings {
		t.Errorf("warning: %s", w)
	}
	iss, err := manifest.Parse(sample)
	if err != nil {
		t.Fatal(err)
	}
	ref := filepath.Join(dir, "ref.txt")
	if err := os.WriteFile(ref, []byte(reference(iss)), 0o644); err != nil {
		t.Fatal(err)
	}
	m := runMetrics(t, pdf, ref)

	if m.Pages != rep.Pages || m.Pages == 0 {
		t.Errorf("pdfmetrics counts %d pages, the build %d", m.Pages, rep.Pages)
	}
	if m.Lines.StartViol != 0 || m.Lines.EndViol != 0 {
		t.Errorf("line-start violations %d, line-end violations %d: %v", m.Lines.StartViol, m.Lines.EndViol, m.Lines.Violations)
	}
	if m.OutOfBounds.Count != 0 {
		t.Errorf("%d words outside the trim box: %v", m.OutOfBounds.Count, m.OutOfBounds.Words)
	}
	if !m.Fonts.AllEmbedded || !m.Fonts.AllSubset || m.Fonts.AnyType3 || m.Fonts.Count == 0 {
		t.Errorf("fonts: %+v", m.Fonts)
	}
	if !m.TrimboxDeclared || !m.BleedboxDeclared {
		t.Errorf("TrimBox declared %v, BleedBox declared %v", m.TrimboxDeclared, m.BleedboxDeclared)
	}
	if len(m.PageBoxes) != m.Pages {
		t.Errorf("%d page boxes for %d pages", len(m.PageBoxes), m.Pages)
	}
	for _, pb := range m.PageBoxes {
		for side, v := range pb.BleedMM {
			if v < 2.99 || v > 3.01 {
				t.Errorf("page %d: bleed %s %.2f mm, want 3", pb.Page, side, v)
			}
		}
	}
	// The whole PDF holds every character of the sources: nothing is
	// missing; what is extra is the folios.
	if m.Fidelity == nil {
		t.Fatal("no fidelity report")
	}
	if m.Fidelity.Missing != 0 {
		t.Errorf("%d characters of the sources missing from the PDF: %v", m.Fidelity.Missing, m.Fidelity.FirstDiffs)
	}
	digits := 0
	for i := 1; i <= rep.Pages; i++ {
		digits += len(strconv.Itoa(i))
	}
	if m.Fidelity.Extra != digits {
		t.Errorf("%d extra characters in the PDF, want %d (the folios): %v", m.Fidelity.Extra, digits, m.Fidelity.FirstDiffs)
	}

	// Without the page furniture the text is the sources', in order.
	bare := filepath.Join(dir, "bare.pdf")
	var buf bytes.Buffer
	if err := render.WritePDF(&buf, withoutFurniture(rep.Doc), mustFonts(t), render.DefaultOptions()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bare, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	f := runMetrics(t, bare, ref).Fidelity
	if f == nil || f.Similarity < 0.999 {
		t.Errorf("text fidelity %+v, want similarity ≥ 0.999", f)
	}
	t.Logf("fidelity: %d reference characters, edit distance %d, similarity %.5f", f.RefChars, f.Distance, f.Similarity)

	// Every page carries its folio, in the outer corner.
	for i := 1; i <= rep.Pages; i++ {
		out, err := exec.Command("pdftotext", "-f", strconv.Itoa(i), "-l", strconv.Itoa(i), "-layout", pdf, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Fields(strings.TrimSpace(string(out)))
		if len(lines) == 0 || lines[len(lines)-1] != strconv.Itoa(i) {
			t.Errorf("page %d does not end with its folio %d", i, i)
		}
	}
}

// TestReproducible builds the sample twice with the command, under
// different time zones, GOMAXPROCS and temp dirs: the bytes must match.
func TestReproducible(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "paiban")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/paiban").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	var sums [2][]byte
	for i, env := range [][]string{
		{"TZ=Asia/Shanghai", "GOMAXPROCS=1", "LANG=zh_CN.UTF-8"},
		{"TZ=America/Los_Angeles", "GOMAXPROCS=2", "LANG=C"},
	} {
		tmp := filepath.Join(dir, fmt.Sprint("tmp", i))
		os.MkdirAll(tmp, 0o755)
		out := filepath.Join(tmp, "sample.pdf")
		cmd := exec.Command(bin, "build", sample, "-o", out)
		cmd.Env = append(os.Environ(), append(env, "TMPDIR="+tmp)...)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("build: %v\n%s", err, b)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		sums[i] = b
	}
	if !bytes.Equal(sums[0], sums[1]) {
		t.Errorf("two builds of the same issue differ (%d and %d bytes)", len(sums[0]), len(sums[1]))
	}
}
