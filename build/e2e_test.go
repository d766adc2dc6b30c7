package build

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/jpeg"
	"os"
	"os/exec"
	"paiban/internal/sampledoc"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode"

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

// reference is the articles' own text as their sources give it, one
// paragraph a line, in the order the layout sets it: kicker, title,
// source and credit, byline, then the body without figures (captions
// are checked apart: a figure may float away from its place in the text)
// or pull quotes (counted with the layout's own text).
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
				// Figures and pull quotes (the article's words again) are
				// the layout's to place.
				if k := a.Blocks[i].Kind; k != manifest.Figure && k != manifest.PullQuote {
					line(a.Blocks[i].Text())
				}
			}
		}
	}
	return b.String()
}

// articleText returns a copy of the document holding only the articles'
// own text: no folios or running heads, no captions, no contents,
// openers, masthead or cover lines.
func articleText(d *display.Document) *display.Document {
	c := *d
	c.Pages = nil
	for _, p := range d.Pages {
		q := *p
		q.Items = nil
		for _, it := range p.Items {
			if tx, ok := it.(*display.Text); ok && (tx.Artifact || tx.Role != display.Content) {
				continue
			}
			q.Items = append(q.Items, it)
		}
		c.Pages = append(c.Pages, &q)
	}
	return &c
}

// otherText counts the characters the PDF prints besides the articles'
// text: folios, running heads, captions, contents, openers, covers.
func otherText(d *display.Document) int {
	n := 0
	for _, p := range d.Pages {
		for _, it := range p.Items {
			if tx, ok := it.(*display.Text); ok && (tx.Artifact || tx.Role != display.Content) {
				for _, g := range tx.Glyphs {
					if !unicode.IsSpace(g.R) {
						n++
					}
				}
			}
		}
	}
	return n
}

// TestSampleEndToEnd builds the reference issue and checks the PDF with
// pdfmetrics and poppler: no line-start or line-end violations, text
// fidelity against the article sources, nothing outside the trim, fonts
// embedded and subset, 3 mm bleed on every page, folios on every page.
func TestSampleEndToEnd(t *testing.T) {
	need(t, "pdftotext", "pdfinfo", "pdffonts", "pdfimages")
	dir := t.TempDir()
	pdf := filepath.Join(dir, "sample.pdf")
	rep, err := File(sample, pdf, Options{CacheDir: filepath.Join(dir, "cache")})
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
	// missing, and what is extra is exactly the text the layout adds.
	if m.Fidelity == nil {
		t.Fatal("no fidelity report")
	}
	if m.Fidelity.Missing != 0 {
		t.Errorf("%d characters of the sources missing from the PDF: %v", m.Fidelity.Missing, m.Fidelity.FirstDiffs)
	}
	if want := otherText(rep.Doc); m.Fidelity.Extra != want {
		t.Errorf("%d extra characters in the PDF, want %d (folios, heads, captions, contents, openers, covers): %v", m.Fidelity.Extra, want, m.Fidelity.FirstDiffs)
	}

	// The articles' own text is the sources', in order.
	bare := filepath.Join(dir, "bare.pdf")
	var buf bytes.Buffer
	if err := render.WritePDF(&buf, articleText(rep.Doc), sampledoc.Faces(t), render.DefaultOptions()); err != nil {
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

	// Every caption is printed, once.
	all, err := exec.Command("pdftotext", pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	flat := squeeze(string(all))
	for _, sec := range iss.Sections {
		for _, a := range sec.Articles {
			for _, b := range a.Blocks {
				if b.Kind == manifest.Figure && b.Text() != "" {
					if n := strings.Count(flat, squeeze(b.Text())); n != 1 {
						t.Errorf("caption %q printed %d times", b.Text(), n)
					}
				}
			}
		}
	}
	checkContents(t, pdf, m.Pages)

	// The reference issue is 24 pages, like the printed one.
	if m.Pages != 24 {
		t.Errorf("the sample has %d pages, want 24", m.Pages)
	}
	checkImages(t, pdf)
	checkInk(t, pdf)
	checkBleedArt(t, rep.Doc)
	checkPrint(t, pdf)
}

// checkPrint runs the checks of print.md that open tools can do on the
// sample's print PDF: PDF/X-4 identity, the OutputIntent and XMP read
// back from the file, CMYK images, a clean qpdf --check.
func checkPrint(t *testing.T, pdf string) {
	t.Helper()
	info, err := exec.Command("pdfinfo", pdf).Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"PDF version:     1.6", "PDF subtype:    PDF/X-4", "Title:           臻境 2023年第5期"} {
		if !strings.Contains(string(info), want) {
			t.Errorf("pdfinfo lacks %q:\n%s", want, info)
		}
	}
	meta, err := exec.Command("pdfinfo", "-meta", pdf).Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>", "<pdf:Trapped>False</pdf:Trapped>"} {
		if !strings.Contains(string(meta), want) {
			t.Errorf("XMP lacks %s", want)
		}
	}
	raw, err := os.ReadFile(pdf)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"/S /GTS_PDFX", "/OutputConditionIdentifier (FOGRA39)", "/RegistryName (http://www.color.org)", "/DestOutputProfile", "/Trapped /False", "/GTS_PDFXVersion (PDF/X-4)"} {
		if !bytes.Contains(raw, []byte(want)) {
			t.Errorf("the PDF lacks %s", want)
		}
	}
	if n := bytes.Count(raw, []byte("/DeviceRGB")); n > 0 {
		t.Errorf("/DeviceRGB appears %d times in the print PDF", n)
	}
	if !regexp.MustCompile(`trailer\s*<<[^>]*/ID\s*\[`).Match(raw) && !bytes.Contains(raw, []byte("/ID [")) {
		t.Errorf("no trailer /ID")
	}
	list, err := exec.Command("pdfimages", "-list", pdf).Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(list), "\n")[2:] {
		if f := strings.Fields(l); len(f) > 5 && f[2] == "image" && f[5] != "cmyk" && f[5] != "gray" {
			t.Errorf("image not CMYK: %s", l)
		}
	}
	if _, err := exec.LookPath("qpdf"); err == nil || os.Getenv("CI") != "" {
		if out, err := exec.Command("qpdf", "--check", pdf).CombinedOutput(); err != nil {
			t.Errorf("qpdf --check: %v\n%s", err, out)
		}
	}
}

// checkImages reads every embedded image's resolution back from the PDF.
func checkImages(t *testing.T, pdf string) {
	t.Helper()
	out, err := exec.Command("pdfimages", "-list", pdf).Output()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, l := range strings.Split(string(out), "\n")[2:] {
		f := strings.Fields(l)
		if len(f) < 14 || f[2] != "image" {
			continue
		}
		n++
		xppi, _ := strconv.Atoi(f[12])
		yppi, _ := strconv.Atoi(f[13])
		if min(xppi, yppi) < 300 {
			t.Errorf("page %s: image %s×%s at %d×%d ppi, want 300 or more", f[0], f[3], f[4], xppi, yppi)
		}
	}
	if n < 20 {
		t.Errorf("%d images in the PDF, want the cover, a lead photo a page for each article and the figures", n)
	}
}

// checkInk decodes every photo of the print PDF as a reader does and
// checks that no pixel carries more than 300% total ink (print.md row 9),
// JPEG compression included.
func checkInk(t *testing.T, pdf string) {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command("pdfimages", "-j", pdf, filepath.Join(dir, "x")).CombinedOutput(); err != nil {
		t.Fatalf("pdfimages -j: %v\n%s", err, out)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "x-*.jpg"))
	n, worst := 0, 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		img, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		m, ok := img.(*image.CMYK)
		if !ok {
			continue
		}
		n++
		over, most := 0, 0
		for i := 0; i+3 < len(m.Pix); i += 4 {
			// image/jpeg returns 255 − ink for these Adobe-tagged
			// streams (package jpegcmyk).
			ink := 4*255 - int(m.Pix[i]) - int(m.Pix[i+1]) - int(m.Pix[i+2]) - int(m.Pix[i+3])
			most = max(most, ink)
			if ink > 3*255 {
				over++
			}
		}
		worst = max(worst, most)
		if over > 0 {
			t.Errorf("%s: %d pixels above 300%% total ink, up to %.1f%%", filepath.Base(f), over, float64(most)/2.55)
		}
	}
	if n < 20 {
		t.Errorf("%d CMYK photos decoded, want 20 or more", n)
	}
	t.Logf("total ink: at most %.1f%% in %d photos", float64(worst)/2.55, n)
}

// checkBleedArt: nothing but art meant to bleed crosses the trim.
func checkBleedArt(t *testing.T, d *display.Document) {
	t.Helper()
	for i, p := range d.Pages {
		for _, it := range p.Items {
			var x0, y0, x1, y1 float64
			bleed := false
			switch v := it.(type) {
			case *display.Image:
				x0, y0, x1, y1, bleed = v.X, v.Y, v.X+v.W, v.Y+v.H, v.Bleed
			case *display.Rect:
				x0, y0, x1, y1, bleed = v.X, v.Y, v.X+v.W, v.Y+v.H, v.Bleed
			case *display.Line:
				x0, y0, x1, y1 = min(v.X1, v.X2), min(v.Y1, v.Y2), max(v.X1, v.X2), max(v.Y1, v.Y2)
			case *display.Text:
				x0, y0, x1, y1 = v.X, v.Y-v.Size, v.X+v.Size, v.Y
			default:
				continue
			}
			crosses := x0 < 0 || y0 < 0 || x1 > p.Width || y1 > p.Height
			if crosses && !bleed {
				t.Errorf("page %d: %T at (%.1f,%.1f)–(%.1f,%.1f) crosses the trim and is not bleed art", i+1, it, x0, y0, x1, y1)
			}
		}
	}
}

func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// pageLines returns the lines of page i (1-based) as pdftotext -layout
// lays them out.
func pageLines(t *testing.T, pdf string, i int) []string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-f", strconv.Itoa(i), "-l", strconv.Itoa(i), "-layout", pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(out), "\n") {
		if l = strings.TrimSpace(strings.Trim(l, "\f")); l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

var entryLine = regexp.MustCompile(`^(?:\d\s+)?(.*\S)\s+(\d{2})$`)

// checkContents reads, from the PDF alone, every page number printed on
// the contents page and the openers, and checks that it is the folio of
// the page where that article's title starts.
func checkContents(t *testing.T, pdf string, pages int) {
	t.Helper()
	folio := make([]string, pages+1) // the number printed at the foot, "" when none
	text := make([]string, pages+1)
	for i := 1; i <= pages; i++ {
		lines := pageLines(t, pdf, i)
		text[i] = squeeze(strings.Join(lines, ""))
		if n := len(lines); n > 0 {
			if _, err := strconv.Atoi(lines[n-1]); err == nil {
				folio[i] = lines[n-1]
			}
		}
	}
	type entry struct {
		page    int
		title   string
		num     string
		wrapped string // the title with the line before it
	}
	var entries []entry
	for i := 1; i <= pages; i++ {
		if folio[i] != "" {
			continue // contents and openers carry no folio
		}
		// A title too long for one line ends on the line with the number;
		// its start is the last column of the line before.
		prev := ""
		for _, l := range pageLines(t, pdf, i) {
			m := entryLine.FindStringSubmatch(l)
			if m == nil {
				cols := regexp.MustCompile(`\s{2,}`).Split(l, -1)
				prev = squeeze(cols[len(cols)-1])
				continue
			}
			title := squeeze(m[1])
			if k := strings.Index(title, "（"); k > 0 && strings.HasSuffix(title, "）") {
				title = title[:k] // the contents adds the affiliation
			}
			entries = append(entries, entry{i, title, m[2], prev + title})
			prev = ""
		}
	}
	if len(entries) < 20 {
		t.Fatalf("found %d contents and opener entries in the PDF, want 20 (10 articles, twice)", len(entries))
	}
	for _, e := range entries {
		start := 0
		for _, title := range []string{e.title, e.wrapped} {
			for i := 1; i <= pages && start == 0; i++ {
				if folio[i] != "" && strings.Contains(text[i], title) {
					start = i
				}
			}
		}
		if start == 0 {
			t.Errorf("page %d lists %q, which starts on no numbered page", e.page, e.title)
			continue
		}
		want, _ := strconv.Atoi(folio[start])
		if got, _ := strconv.Atoi(e.num); got != want {
			t.Errorf("page %d prints %s for %q, which starts on the page with folio %s", e.page, e.num, e.title, folio[start])
		}
	}
	t.Logf("%d contents and opener entries checked against the folios", len(entries))
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
		// Each build with a cache folder of its own: the first converts
		// every photo, so a cold and a warm cache must give the same bytes.
		cmd.Env = append(os.Environ(), append(env, "TMPDIR="+tmp, "XDG_CACHE_HOME="+filepath.Join(tmp, "cache"))...)
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

// TestSourceDateEpoch: an issue without a date takes the PDF's dates from
// SOURCE_DATE_EPOCH.
func TestSourceDateEpoch(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile("../layout/testdata/golden/issue.toml")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "issue.toml"), bytes.Replace(src, []byte("date = 2024-01-02\n"), nil, 1), 0o644)
	for _, sub := range []string{"articles", "images"} {
		entries, _ := os.ReadDir(filepath.Join("../layout/testdata/golden", sub))
		os.MkdirAll(filepath.Join(dir, sub), 0o755)
		for _, e := range entries {
			b, _ := os.ReadFile(filepath.Join("../layout/testdata/golden", sub, e.Name()))
			os.WriteFile(filepath.Join(dir, sub, e.Name()), b, 0o644)
		}
	}
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	res, _, err := Layout(filepath.Join(dir, "issue.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Doc.Date.Unix(); got != 1700000000 {
		t.Errorf("document date %v, want SOURCE_DATE_EPOCH 1700000000", res.Doc.Date)
	}
	t.Setenv("SOURCE_DATE_EPOCH", "yesterday")
	if _, _, err := Layout(filepath.Join(dir, "issue.toml")); err == nil || !strings.Contains(err.Error(), "SOURCE_DATE_EPOCH") {
		t.Errorf("a bad SOURCE_DATE_EPOCH gave %v", err)
	}
}
