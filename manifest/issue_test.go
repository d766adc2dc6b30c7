package manifest

import (
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// copyDir copies the folder src into dst.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		out := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(out, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(out, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// issueDir makes a copy of testdata/good with files replaced (a nil
// value deletes the file) and makes it the working directory, so that
// messages name "issue.toml" and "articles/…". It returns the folder.
func issueDir(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	dir := filepath.Join(root, "issue")
	copyDir(t, "testdata/good", dir)
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	return dir
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

func TestParseGood(t *testing.T) {
	iss, err := Parse("testdata/good/issue.toml")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	abs, _ := filepath.Abs("testdata/good")
	if iss.Dir != abs || iss.File != "testdata/good/issue.toml" {
		t.Errorf("Dir, File = %q, %q", iss.Dir, iss.File)
	}
	if iss.Title != "臻境" || iss.Number != "2023年第5期" || iss.Subtitle != "工行广州分行服务管理专刊" ||
		iss.Publisher != "广州分行网络金融科技与网点规划部" {
		t.Errorf("issue strings: %q %q %q %q", iss.Title, iss.Number, iss.Subtitle, iss.Publisher)
	}
	if want := time.Date(2023, 5, 1, 0, 0, 0, 0, time.UTC); !iss.Date.Equal(want) || iss.Date.Location() != time.UTC {
		t.Errorf("Date = %v, want %v", iss.Date, want)
	}
	pg := iss.Page
	mm := PointsPerMM
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"Width", pg.Width, 210 * mm}, {"Height", pg.Height, 285 * mm}, {"Bleed", pg.Bleed, 3 * mm},
		{"Gutter", pg.Gutter, 6 * mm}, {"Top", pg.Top, 20 * mm}, {"Bottom", pg.Bottom, 20 * mm},
		{"Inside", pg.Inside, 22 * mm}, {"Outside", pg.Outside, 54}, {"BodySize", pg.BodySize, 10},
		{"Leading", pg.Leading, 17},
	} {
		if !near(c.got, c.want) {
			t.Errorf("Page.%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if pg.Columns != 2 {
		t.Errorf("Columns = %d", pg.Columns)
	}
	if len(iss.Fonts.Fallback) != 1 || iss.Fonts.Fallback[0] != filepath.Join(abs, "fonts", "fallback.ttf") {
		t.Errorf("Fonts = %q", iss.Fonts.Fallback)
	}
	if iss.Cover.Image != filepath.Join(abs, "images", "cover.png") || len(iss.Cover.Lines) != 2 {
		t.Errorf("Cover = %+v", iss.Cover)
	}
	if len(iss.Back.Lines) != 2 || iss.Back.Lines[1] != "感谢观看！" {
		t.Errorf("Back = %+v", iss.Back)
	}
	if len(iss.Sections) != 2 {
		t.Fatalf("%d sections", len(iss.Sections))
	}
	s := iss.Sections[0]
	if s.Number != "01" || s.Title != "服务动态" || len(s.Articles) != 2 {
		t.Fatalf("section 1 = %+v", s)
	}
	a := s.Articles[0]
	if a.File != "articles/tiyanguan.md" || a.Path != filepath.Join(abs, "articles", "tiyanguan.md") {
		t.Errorf("article File, Path = %q, %q", a.File, a.Path)
	}
	if a.Title != "分行建立服务体验官工作制度" || a.Kicker != "【服务宣传分享】" || a.Author != "李楷" ||
		a.Affiliation != "工业支行" || a.Source != "转《信息时报》" || a.Lang != "zh-Hans" || a.TitleLine != 2 {
		t.Errorf("front matter = %+v", a)
	}
	var fig *Block
	for i := range a.Blocks {
		if a.Blocks[i].Kind == Figure {
			fig = &a.Blocks[i]
		}
	}
	if fig == nil || fig.Src != "images/photo.png" || fig.Image != filepath.Join(abs, "images", "photo.png") ||
		fig.Text() != "体验官在网点现场" || fig.Line != 18 {
		t.Fatalf("figure = %+v", fig)
	}
	if pl := fig.Place; pl.Span != SpanWide || pl.Where != Top || !pl.Fit || !near(pl.FocusX, -0.2) || !near(pl.FocusY, -0.1) {
		t.Errorf("figure placement = %+v", pl)
	}
	if a.ImageSrc != "images/photo.png" || a.Image != filepath.Join(abs, "images", "photo.png") ||
		!near(a.ImageFocusX, -0.1) || !near(a.ImageFocusY, 0.1) {
		t.Errorf("lead image = %q %q %v %v", a.ImageSrc, a.Image, a.ImageFocusX, a.ImageFocusY)
	}
	if !near(iss.Cover.FocusX, 0) || !near(iss.Cover.FocusY, -0.2) {
		t.Errorf("cover focus = %v, %v", iss.Cover.FocusX, iss.Cover.FocusY)
	}
	red := Color{C: 0, M: 1, Y: 0.85, K: 0.15}
	if iss.Style.Accent == nil || *iss.Style.Accent != red {
		t.Errorf("accent = %+v", iss.Style.Accent)
	}
	wantStyle := map[string]ElementStyle{
		"title":   {Font: filepath.Join(abs, "fonts", "fallback.ttf"), Size: 24, Leading: 30, Color: &red},
		"caption": {Font: "sans", Size: 8},
	}
	if len(iss.Style.Elements) != len(wantStyle) {
		t.Errorf("style elements = %+v", iss.Style.Elements)
	}
	for name, w := range wantStyle {
		g, ok := iss.Style.Elements[name]
		if !ok || g.Font != w.Font || !near(g.Size, w.Size) || !near(g.Leading, w.Leading) ||
			(g.Color == nil) != (w.Color == nil) || (g.Color != nil && *g.Color != *w.Color) {
			t.Errorf("[style.%s] = %+v, want %+v", name, g, w)
		}
	}
	if got := s.Articles[1].Credit; got != "（感谢第二支行、新塘支行的支持）" {
		t.Errorf("Credit = %q", got)
	}
	g := iss.Sections[1].Articles[0]
	if g.Lang != "zh-Hant" || len(g.Blocks) != 3 || g.Blocks[1].Text() != "1. 主動迎候" {
		t.Errorf("gushi = %+v", g)
	}
}

// The folder can be given instead of issue.toml.
func TestParseFolder(t *testing.T) {
	iss, err := Parse("testdata/good")
	if err != nil {
		t.Fatal(err)
	}
	if iss.File != filepath.Join("testdata", "good", "issue.toml") {
		t.Errorf("File = %q", iss.File)
	}
}

func TestParseDates(t *testing.T) {
	for _, c := range []struct{ toml, want string }{
		{"2023-05-01", "2023-05-01T00:00:00Z"},
		{"2023-05-01T09:30:00", "2023-05-01T09:30:00Z"},
		{"2023-05-01 09:30:00", "2023-05-01T09:30:00Z"},
		{"2023-05-01T09:30:00+08:00", "2023-05-01T01:30:00Z"},
	} {
		t.Run(c.toml, func(t *testing.T) {
			issueDir(t, map[string]string{"issue.toml": strings.Replace(baseIssue, "2023-05-01", c.toml, 1)})
			iss, err := Parse("issue.toml")
			if err != nil {
				t.Fatal(err)
			}
			if got := iss.Date.Format(time.RFC3339); got != c.want || iss.Date.Location() != time.UTC {
				t.Errorf("Date = %s (%v), want %s", got, iss.Date.Location(), c.want)
			}
		})
	}
}

func TestPageSizes(t *testing.T) {
	mm := PointsPerMM
	for _, c := range []struct {
		in   string
		w, h float64
	}{
		{"A4", 210 * mm, 297 * mm},
		{"a5", 148 * mm, 210 * mm},
		{"B5", 176 * mm, 250 * mm},
		{"16K", 185 * mm, 260 * mm},
		{"Letter", 612, 792},
		{"210mm x 285mm", 210 * mm, 285 * mm},
		{"210mm×285mm", 210 * mm, 285 * mm},
		{"210 x 285mm", 210 * mm, 285 * mm},
		{"21cm X 28.5cm", 210 * mm, 285 * mm},
		{"8.5in x 11in", 612, 792},
		{"595pt x 842pt", 595, 842},
	} {
		w, h, err := ParsePageSize(c.in)
		if err != nil || !near(w, c.w) || !near(h, c.h) {
			t.Errorf("ParsePageSize(%q) = %v, %v, %v; want %v, %v", c.in, w, h, err, c.w, c.h)
		}
	}
	for _, in := range []string{"A3", "", "210 x 285", "210mm x", "x 285mm", "0mm x 10mm", "-5mm x 10mm", "9999in x 10in", "210mm x 285furlong"} {
		if _, _, err := ParsePageSize(in); err == nil {
			t.Errorf("ParsePageSize(%q) succeeded", in)
		}
	}
}

func TestParseLength(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64
	}{
		{"3mm", 3 * PointsPerMM}, {"0.5in", 36}, {"10pt", 10}, {"1 cm", 10 * PointsPerMM}, {"0", 0}, {" 2MM ", 2 * PointsPerMM},
	} {
		if got, err := ParseLength(c.in); err != nil || !near(got, c.want) {
			t.Errorf("ParseLength(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	for _, in := range []string{"", "3", "mm", "-3mm", "3px", "1e3mm", "NaNmm", "3..1mm"} {
		if _, err := ParseLength(in); err == nil {
			t.Errorf("ParseLength(%q) succeeded", in)
		}
	}
}

// baseIssue is the manifest the error cases change; the line numbers in
// the cases refer to it.
const baseIssue = `[issue]
title = "臻境"
date = 2023-05-01

[page]
size = "A4"
columns = 2

[cover]
image = "images/cover.png"

[[section]]
title = "服务动态"
articles = ["articles/tiyanguan.md", "articles/huanjing.md"]
`

// edit returns baseIssue with old replaced by new.
func edit(old, new string) string {
	if !strings.Contains(baseIssue, old) {
		panic("edit: " + old)
	}
	return strings.Replace(baseIssue, old, new, 1)
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct {
		name  string
		files map[string]string
		setup func(t *testing.T, dir string)
		want  []string // prefixes of the error lines, in order
	}{
		{
			name:  "malformed toml",
			files: map[string]string{"issue.toml": edit(`title = "臻境"`, `title = "臻境`)},
			want:  []string{`issue.toml:2:16: strings cannot contain newlines — fix the TOML syntax`},
		},
		{
			name:  "malformed toml value",
			files: map[string]string{"issue.toml": edit(`columns = 2`, `columns = 2x`)},
			want:  []string{`issue.toml:7:12: expected a top-level item to end with a newline, comment, or EOF, but got 'x' instead — fix the TOML syntax`},
		},
		{
			name:  "unknown key",
			files: map[string]string{"issue.toml": edit(`columns = 2`, `colums = 2`)},
			want:  []string{`issue.toml:7:1: unknown key "colums" in [page] (known: size, bleed, columns, gutter, margin_top, margin_bottom, margin_inside, margin_outside, body_size, leading) — did you mean "columns"?`},
		},
		{
			name:  "unknown key in a section",
			files: map[string]string{"issue.toml": edit(`title = "服务动态"`, `title = "服务动态"`+"\n  subtitle = \"x\"")},
			want:  []string{`issue.toml:14:3: unknown key "subtitle" in [[section]] 1 (known: number, title, articles) — check the spelling`},
		},
		{
			name:  "unknown table",
			files: map[string]string{"issue.toml": baseIssue + "\n[pages]\nsize = \"A4\"\n"},
			want:  []string{`issue.toml:16:1: unknown table [pages] (known: [issue], [page], [fonts], [style], [cover], [contents], [[section]], [back]) — did you mean [page]?`},
		},
		{
			name:  "unknown top-level key",
			files: map[string]string{"issue.toml": "titel = \"x\"\n" + baseIssue},
			want:  []string{`issue.toml:1:1: unknown key "titel" outside any table (known tables: [issue], [page], [fonts], [style], [cover], [contents], [[section]], [back]) — put it under its table, or check the spelling`},
		},
		{
			name:  "unknown dotted key",
			files: map[string]string{"issue.toml": edit(`columns = 2`, `columns = 2`+"\nmargin.top = \"1mm\"")},
			want:  []string{`issue.toml:8:1: unknown key "margin"`},
		},
		{
			name:  "unknown key in inline table",
			files: map[string]string{"issue.toml": "cover = { image = \"images/cover.png\", line = [\"a\"] }\n" + strings.Replace(baseIssue, "[cover]\nimage = \"images/cover.png\"\n", "", 1)},
			want:  []string{`issue.toml:1:39: unknown key "line" in [cover] (known: image, lines, focus) — did you mean "lines"?`},
		},
		{
			name:  "wrong type string",
			files: map[string]string{"issue.toml": edit(`title = "臻境"`, `title = 5`)},
			want:  []string{`issue.toml:2:9: title in [issue] must be a string, not an integer — quote it: title = "5"`},
		},
		{
			name:  "wrong type columns",
			files: map[string]string{"issue.toml": edit(`columns = 2`, `columns = "2"`)},
			want:  []string{`issue.toml:7:11: columns in [page] must be an integer, not a string — write columns = 2`},
		},
		{
			name:  "wrong type date",
			files: map[string]string{"issue.toml": edit(`date = 2023-05-01`, `date = "2023-05-01"`)},
			want:  []string{`issue.toml:3:8: date in [issue] must be a date, not a string — write it without quotes, like date = 2023-05-01`},
		},
		{
			name:  "date without a day",
			files: map[string]string{"issue.toml": edit(`date = 2023-05-01`, `date = 09:30:00`)},
			want:  []string{`issue.toml:3:8: date in [issue] is a time of day without a date`},
		},
		{
			name:  "wrong type table",
			files: map[string]string{"issue.toml": "issue = \"臻境\"\n" + baseIssue[len("[issue]\ntitle = \"臻境\"\ndate = 2023-05-01\n"):]},
			want:  []string{`issue.toml:1:1: issue must be a table, not a string`},
		},
		{
			name:  "section not an array",
			files: map[string]string{"issue.toml": edit(`[[section]]`, `[section]`)},
			want:  []string{`issue.toml:12:1: section must be an array of tables, not a table — write [[section]] (two brackets)`},
		},
		{
			name:  "wrong type in array",
			files: map[string]string{"issue.toml": edit(`"articles/huanjing.md"]`, `3]`)},
			want:  []string{`issue.toml:14:38: articles in [[section]] 1 must hold only strings, but item 2 is an integer — quote it`},
		},
		{
			name:  "missing title",
			files: map[string]string{"issue.toml": edit("title = \"臻境\"\n", "")},
			want:  []string{`issue.toml:1:1: [issue] has no title — add title = "刊名"`},
		},
		{
			name:  "empty title",
			files: map[string]string{"issue.toml": edit(`title = "臻境"`, `title = " "`)},
			want:  []string{`issue.toml:2:9: title in [issue] is empty`},
		},
		{
			name:  "missing size",
			files: map[string]string{"issue.toml": edit("size = \"A4\"\n", "")},
			want:  []string{`issue.toml:5:1: [page] has no size — add size = "A4"`},
		},
		{
			name:  "missing issue table",
			files: map[string]string{"issue.toml": baseIssue[len("[issue]\ntitle = \"臻境\"\ndate = 2023-05-01\n"):]},
			want:  []string{`issue.toml:1:1: missing [issue] table`},
		},
		{
			name:  "missing section title and articles",
			files: map[string]string{"issue.toml": edit("title = \"服务动态\"\narticles = [\"articles/tiyanguan.md\", \"articles/huanjing.md\"]\n", "number = \"01\"\n")},
			want: []string{
				`issue.toml:12:1: [[section]] 1 has no title — add title = "栏目名"`,
				`issue.toml:12:1: [[section]] 1 has no articles — add articles = ["articles/name.md"]`,
			},
		},
		{
			name:  "section number not a string",
			files: map[string]string{"issue.toml": edit(`[[section]]`, "[[section]]\nnumber = 1")},
			want:  []string{`issue.toml:13:10: number in [[section]] 1 must be a string, not an integer — quote it: number = "01"`},
		},
		{
			name:  "length without unit",
			files: map[string]string{"issue.toml": edit(`columns = 2`, `bleed = "3"`)},
			want:  []string{`issue.toml:7:9: bad bleed in [page]: length "3" has no unit — write it like "3mm" (units: mm, cm, in, pt)`},
		},
		{
			name:  "length with unknown unit",
			files: map[string]string{"issue.toml": edit(`columns = 2`, `gutter = "5px"`)},
			want:  []string{`issue.toml:7:10: bad gutter in [page]: unknown unit "px" in "5px"`},
		},
		{
			name:  "length not a string",
			files: map[string]string{"issue.toml": edit(`columns = 2`, `margin_top = 20`)},
			want:  []string{`issue.toml:7:14: margin_top in [page] must be a length with a unit, not an integer — write margin_top = "20mm"`},
		},
		{
			name:  "body size out of range",
			files: map[string]string{"issue.toml": edit(`columns = 2`, `body_size = "100pt"`)},
			want:  []string{`issue.toml:7:13: body_size in [page] is 100pt — use a size from 4pt to 72pt`},
		},
		{
			name:  "bleed too large",
			files: map[string]string{"issue.toml": edit(`columns = 2`, `bleed = "3cm"`)},
			want:  []string{`issue.toml:7:9: bleed in [page] is more than 25.4mm`},
		},
		{
			name:  "margins too large",
			files: map[string]string{"issue.toml": edit(`columns = 2`, "margin_inside = \"110mm\"\nmargin_outside = \"110mm\"")},
			want:  []string{`issue.toml:7:1: margin_inside and margin_outside in [page] leave no room on a 210mm wide page`},
		},
		{
			name:  "bad size",
			files: map[string]string{"issue.toml": edit(`size = "A4"`, `size = "A3"`)},
			want:  []string{`issue.toml:6:8: bad size in [page]: unknown page size "A3" — use A4, A5, B5, 16K, Letter, or "W x H" like "210mm x 285mm"`},
		},
		{
			name:  "bad custom size",
			files: map[string]string{"issue.toml": edit(`size = "A4"`, `size = "210mm x 28.5.5mm"`)},
			want:  []string{`issue.toml:6:8: bad size in [page]: page height: "28.5.5mm" is not a length`},
		},
		{
			name:  "columns out of range",
			files: map[string]string{"issue.toml": edit(`columns = 2`, `columns = 4`)},
			want:  []string{`issue.toml:7:11: columns = 4 in [page] is out of range — use 1, 2 or 3`},
		},
		{
			name:  "columns zero",
			files: map[string]string{"issue.toml": edit(`columns = 2`, `columns = 0`)},
			want:  []string{`issue.toml:7:11: columns = 0 in [page] is out of range`},
		},
		{
			name:  "missing article",
			files: map[string]string{"issue.toml": edit(`"articles/huanjing.md"`, `"articles/nope.md"`)},
			want:  []string{`issue.toml:14:38: article "articles/nope.md" not found — paths are relative to the issue folder `},
		},
		{
			name:  "missing cover image",
			files: map[string]string{"issue.toml": edit(`images/cover.png`, `images/cover.jpg`)},
			want:  []string{`issue.toml:10:9: cover image "images/cover.jpg" not found`},
		},
		{
			name:  "missing fallback font",
			files: map[string]string{"issue.toml": baseIssue + "\n[fonts]\nfallback = [\"fonts/fallback.ttf\", \"fonts/HanaMinB.ttf\"]\n"},
			want:  []string{`issue.toml:17:35: fallback font "fonts/HanaMinB.ttf" not found`},
		},
		{
			name:  "fallback font not a font",
			files: map[string]string{"issue.toml": baseIssue + "\n[fonts]\nfallback = [\"images/cover.png\"]\n"},
			want:  []string{`issue.toml:17:13: fallback font "images/cover.png" has an unexpected extension — use a ttf, otf, ttc file`},
		},
		{
			name:  "missing figure image",
			files: map[string]string{"articles/huanjing.md": "+++\ntitle = \"t\"\n+++\n\n文字。\n\n![说明](images/nope.jpg)\n"},
			want:  []string{`articles/huanjing.md:7:1: image "images/nope.jpg" not found`},
		},
		{
			name: "figure image relative to the article",
			files: map[string]string{
				"articles/huanjing.md":    "+++\ntitle = \"t\"\n+++\n\n![说明](pics/a.png)\n![说明](../images/photo.png)\n\n![说明](../images/nope.png)\n",
				"articles/pics/a.png":     "x",
				"articles/pics/notes.txt": "x",
			},
			want: []string{`articles/huanjing.md:8:1: image "../images/nope.png" leaves the issue folder`},
		},
		{
			name:  "figure not an image",
			files: map[string]string{"articles/huanjing.md": "+++\ntitle = \"t\"\n+++\n\n![说明](../issue.toml)\n"},
			want:  []string{`articles/huanjing.md:5:1: image "../issue.toml" is not a supported image file — use jpg, png, gif, tiff, bmp`},
		},
		{
			name:  "absolute path",
			files: map[string]string{"issue.toml": edit(`images/cover.png`, `/etc/passwd`)},
			want:  []string{`issue.toml:10:9: cover image "/etc/passwd" is an absolute path — give a path relative to the issue folder`},
		},
		{
			name:  "dot dot",
			files: map[string]string{"issue.toml": edit(`"articles/huanjing.md"`, `"articles/../../x.md"`)},
			want:  []string{`issue.toml:14:38: article "articles/../../x.md" leaves the issue folder — move the file into the issue folder and give its path from there`},
		},
		{
			name:  "dot dot that stays inside",
			files: map[string]string{"issue.toml": edit(`"articles/huanjing.md"`, `"images/../articles/huanjing.md"`)},
		},
		{
			name:  "url",
			files: map[string]string{"issue.toml": edit(`images/cover.png`, `https://example.com/c.png`)},
			want:  []string{`issue.toml:10:9: cover image "https://example.com/c.png" is a URL`},
		},
		{
			name: "symlink out of the folder",
			setup: func(t *testing.T, dir string) {
				outside := filepath.Join(filepath.Dir(dir), "outside.md")
				if err := os.WriteFile(outside, []byte("+++\ntitle = \"x\"\n+++\n\ntext\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.Symlink(outside, filepath.Join(dir, "articles", "link.md")); err != nil {
					t.Skip("no symlinks:", err)
				}
			},
			files: map[string]string{"issue.toml": edit(`"articles/huanjing.md"`, `"articles/link.md"`)},
			want:  []string{`issue.toml:14:38: article "articles/link.md" is a symlink to `},
		},
		{
			name: "symlinked folder out of the issue",
			setup: func(t *testing.T, dir string) {
				if err := os.WriteFile(filepath.Join(filepath.Dir(dir), "outside.png"), []byte("x"), 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.Symlink(filepath.Dir(dir), filepath.Join(dir, "up")); err != nil {
					t.Skip("no symlinks:", err)
				}
			},
			files: map[string]string{"issue.toml": edit(`images/cover.png`, `up/outside.png`)},
			want:  []string{`issue.toml:10:9: cover image "up/outside.png" is a symlink to `},
		},
		{
			name:  "article is a folder",
			files: map[string]string{"issue.toml": edit(`"articles/huanjing.md"`, `"articles"`)},
			want:  []string{`issue.toml:14:38: article "articles" is not a file`},
		},
		{
			name:  "article listed twice",
			files: map[string]string{"issue.toml": edit(`"articles/huanjing.md"`, `"articles/tiyanguan.md"`)},
			want:  []string{`issue.toml:14:38: article "articles/tiyanguan.md" is listed twice (first on line 14)`},
		},
		{
			name:  "invalid utf-8 in issue.toml",
			files: map[string]string{"issue.toml": edit(`title = "臻境"`, "title = \"臻\xff境\"")},
			want:  []string{`issue.toml:2:13: invalid UTF-8 (byte 0xff) — save the file as UTF-8`},
		},
		{
			name:  "invalid utf-8 in an article",
			files: map[string]string{"articles/huanjing.md": "+++\ntitle = \"t\"\n+++\n\nab\xc3(\n"},
			want:  []string{`articles/huanjing.md:5:3: invalid UTF-8 (byte 0xc3) — save the file as UTF-8`},
		},
		{
			name:  "article without front matter",
			files: map[string]string{"articles/huanjing.md": "各支行对照标准。\n"},
			want:  []string{`articles/huanjing.md:1:1: missing front matter — start the file with a line +++`},
		},
		{
			name:  "article with yaml front matter",
			files: map[string]string{"articles/huanjing.md": "---\ntitle: t\n---\n\n文字\n"},
			want:  []string{`articles/huanjing.md:1:1: front matter must be TOML between +++ lines, not YAML`},
		},
		{
			name:  "unterminated front matter",
			files: map[string]string{"articles/huanjing.md": "+++\ntitle = \"t\"\n\n文字\n"},
			want:  []string{`articles/huanjing.md:1:1: the front matter is not closed — add a line +++ after its last key`},
		},
		{
			name:  "empty article",
			files: map[string]string{"articles/huanjing.md": ""},
			want:  []string{`articles/huanjing.md:1:1: the article is empty`},
		},
		{
			name:  "article without text",
			files: map[string]string{"articles/huanjing.md": "+++\ntitle = \"t\"\n+++\n\n"},
			want:  []string{`articles/huanjing.md:4:1: the article has no text — add paragraphs after the front matter`},
		},
		{
			name:  "front matter syntax",
			files: map[string]string{"articles/huanjing.md": "+++\ntitle = \"t\"\nauthor = 李楷\n+++\n\n文字\n"},
			want:  []string{`articles/huanjing.md:3:10: front matter: `},
		},
		{
			name:  "front matter unknown key",
			files: map[string]string{"articles/huanjing.md": "+++\ntitle = \"t\"\nauthr = \"李楷\"\n+++\n\n文字\n"},
			want:  []string{`articles/huanjing.md:3:1: unknown key "authr" in the front matter (known: title, kicker, author, affiliation, source, credit, lang, image, image_focus) — did you mean "author"?`},
		},
		{
			name:  "front matter without title",
			files: map[string]string{"articles/huanjing.md": "+++\nauthor = \"李楷\"\n+++\n\n文字\n"},
			want:  []string{`articles/huanjing.md:1:1: the front matter has no title — add title = "文章标题"`},
		},
		{
			name:  "front matter bad lang",
			files: map[string]string{"articles/huanjing.md": "+++\ntitle = \"t\"\nlang = \"zh-CN\"\n+++\n\n文字\n"},
			want:  []string{`articles/huanjing.md:3:8: unknown lang "zh-CN" (known: zh-Hans, zh-Hant)`},
		},
		{
			name:  "raw html",
			files: map[string]string{"articles/huanjing.md": "+++\ntitle = \"t\"\n+++\n\n文字<br>文字\n"},
			want:  []string{`articles/huanjing.md:5:7: raw HTML is not supported`},
		},
		// [style]: baseIssue ends on line 14, so after "\n[style]" keys start on line 17.
		{
			name:  "accent in rgb",
			files: map[string]string{"issue.toml": baseIssue + "\n[style]\naccent = \"#c8102e\"\n"},
			want:  []string{`issue.toml:17:10: bad accent in [style]: "#c8102e" is an RGB colour, and print needs CMYK — give CMYK percentages C/M/Y/K (cyan, magenta, yellow, black, each 0 to 100), like accent = "0/100/85/15"`},
		},
		{
			name:  "accent of three numbers",
			files: map[string]string{"issue.toml": baseIssue + "\n[style]\naccent = \"0/100/85\"\n"},
			want:  []string{`issue.toml:17:10: bad accent in [style]: "0/100/85" is not four numbers separated by / — give CMYK percentages`},
		},
		{
			name:  "accent out of range",
			files: map[string]string{"issue.toml": baseIssue + "\n[style]\naccent = \"0/120/85/15\"\n"},
			want:  []string{`issue.toml:17:10: bad accent in [style]: 120 in "0/120/85/15" is not from 0 to 100 — give CMYK percentages`},
		},
		{
			name:  "accent not a string",
			files: map[string]string{"issue.toml": baseIssue + "\n[style]\naccent = 0\n"},
			want:  []string{`issue.toml:17:10: accent in [style] must be a string, not an integer`},
		},
		{
			name:  "unknown style element",
			files: map[string]string{"issue.toml": baseIssue + "\n[style.titel]\nsize = \"20pt\"\n"},
			want:  []string{`issue.toml:16:1: unknown table [style.titel] (known: body, title, kicker, meta, byline, subhead, quote, pull, caption, folio, running_head, masthead, issue_number, cover_lines, contents_title, contents_section, contents_entry, opener_number, opener_title, opener_entry, back) — did you mean [style.title]?`},
		},
		{
			name:  "unknown key in [style]",
			files: map[string]string{"issue.toml": baseIssue + "\n[style]\naccnet = \"0/100/85/15\"\n"},
			want:  []string{`issue.toml:17:1: unknown key "accnet" in [style] (known: accent, and the tables [style.NAME] for NAME in body, title, `},
		},
		{
			name:  "style element not a table",
			files: map[string]string{"issue.toml": baseIssue + "\n[style]\ntitle = \"sans\"\n"},
			want:  []string{`issue.toml:17:1: title in [style] must be a table, not a string — write [style.title] on a line of its own and its keys (font, size, leading, color) below it`},
		},
		{
			name:  "unknown key in [style.NAME]",
			files: map[string]string{"issue.toml": baseIssue + "\n[style.title]\ncolour = \"0/0/0/100\"\n"},
			want:  []string{`issue.toml:17:1: unknown key "colour" in [style.title] (known: font, size, leading, color) — did you mean "color"?`},
		},
		{
			name:  "unknown font",
			files: map[string]string{"issue.toml": baseIssue + "\n[style.title]\nfont = \"san-bold\"\n"},
			want:  []string{`issue.toml:17:8: unknown font "san-bold" in [style.title] (known: serif, serif-bold, sans, sans-bold, or the path of a .ttf or .otf file) — did you mean "sans-bold"?`},
		},
		{
			name:  "unknown font in a list",
			files: map[string]string{"issue.toml": baseIssue + "\n[style.quote]\nfont = [\"serif\", \"kai\"]\n"},
			want:  []string{`issue.toml:17:18: unknown font "kai" in [style.quote]`},
		},
		{
			name:  "missing font file",
			files: map[string]string{"issue.toml": baseIssue + "\n[style.title]\nfont = \"fonts/HanaMinB.ttf\"\n"},
			want:  []string{`issue.toml:17:8: font "fonts/HanaMinB.ttf" not found — paths are relative to the issue folder`},
		},
		{
			name:  "font file not a font",
			files: map[string]string{"issue.toml": baseIssue + "\n[style.title]\nfont = \"images/cover.png\"\n"},
			want:  []string{`issue.toml:17:8: font "images/cover.png" has an unexpected extension — use a ttf or otf file`},
		},
		{
			name:  "font outside the folder",
			files: map[string]string{"issue.toml": baseIssue + "\n[style.title]\nfont = \"/usr/share/fonts/x.ttf\"\n"},
			want:  []string{`issue.toml:17:8: font "/usr/share/fonts/x.ttf" is an absolute path`},
		},
		{
			name:  "style size zero",
			files: map[string]string{"issue.toml": baseIssue + "\n[style.title]\nsize = \"0\"\n"},
			want:  []string{`issue.toml:17:8: size in [style.title] is 0 — give a length above 0, like size = "10pt"`},
		},
		{
			name:  "style leading too large",
			files: map[string]string{"issue.toml": baseIssue + "\n[style.title]\nleading = \"3in\"\n"},
			want:  []string{`issue.toml:17:11: leading in [style.title] is 216pt, more than 200pt — use a smaller length, like leading = "17pt"`},
		},
		{
			name:  "style size without unit",
			files: map[string]string{"issue.toml": baseIssue + "\n[style.title]\nsize = \"24\"\n"},
			want:  []string{`issue.toml:17:8: bad size in [style.title]: length "24" has no unit — write it like "10pt"`},
		},
		{
			name:  "style color in rgb",
			files: map[string]string{"issue.toml": baseIssue + "\n[style.caption]\ncolor = \"rgb(200, 16, 46)\"\n"},
			want:  []string{`issue.toml:17:9: bad color in [style.caption]: "rgb(200, 16, 46)" is an RGB colour, and print needs CMYK — give CMYK percentages C/M/Y/K (cyan, magenta, yellow, black, each 0 to 100), like color = "0/100/85/15"`},
		},
		{
			name: "body size in two places",
			files: map[string]string{"issue.toml": edit(`columns = 2`, "columns = 2\nbody_size = \"10pt\"\nleading = \"17pt\"") +
				"\n[style.body]\nsize = \"10.5pt\"\nleading = \"18pt\"\n"},
			want: []string{
				`issue.toml:19:1: size in [style.body] and body_size in [page] (line 8) both set the body size — set the body size in one place: delete one of the two`,
				`issue.toml:20:1: leading in [style.body] and leading in [page] (line 9) both set the body leading — set the body leading in one place`,
			},
		},
		{
			name:  "bad cover focus",
			files: map[string]string{"issue.toml": edit(`image = "images/cover.png"`, "image = \"images/cover.png\"\nfocus = \"50% 30%\"")},
			want:  []string{`issue.toml:11:9: bad focus in [cover]: "50% 30%" is not two percentages separated by a comma — write focus = "50%,30%": the point to keep in view, as percentages from the left and from the top`},
		},
		{
			name:  "cover focus out of range",
			files: map[string]string{"issue.toml": edit(`image = "images/cover.png"`, "image = \"images/cover.png\"\nfocus = \"50%,-10%\"")},
			want:  []string{`issue.toml:11:9: bad focus in [cover]: -10% is not from 0% to 100%`},
		},
		{
			name:  "cover focus without image",
			files: map[string]string{"issue.toml": edit(`image = "images/cover.png"`, `focus = "50%,30%"`)},
			want:  []string{`issue.toml:10:9: focus in [cover] without an image — add image = "images/cover.jpg", or delete focus`},
		},
		{
			name:  "missing lead image",
			files: map[string]string{"articles/huanjing.md": "+++\ntitle = \"t\"\nimage = \"images/lead.jpg\"\n+++\n\n文字。\n"},
			want:  []string{`articles/huanjing.md:3:9: image "images/lead.jpg" not found — paths are relative to the issue folder`},
		},
		{
			name:  "lead image not an image",
			files: map[string]string{"articles/huanjing.md": "+++\ntitle = \"t\"\nimage = \"issue.toml\"\n+++\n\n文字。\n"},
			want:  []string{`articles/huanjing.md:3:9: image "issue.toml" is not a supported image file — use jpg, png, gif, tiff, bmp`},
		},
		{
			name:  "lead image out of the folder",
			files: map[string]string{"articles/huanjing.md": "+++\ntitle = \"t\"\nimage = \"../../x.jpg\"\n+++\n\n文字。\n"},
			want:  []string{`articles/huanjing.md:3:9: image "../../x.jpg" leaves the issue folder`},
		},
		{
			name:  "figure placement",
			files: map[string]string{"articles/huanjing.md": "+++\ntitle = \"t\"\n+++\n\n文字。\n\n![说明](images/photo.png \"bleed top\")\n"},
			want:  []string{`articles/huanjing.md:7:1: "bleed" with "top" in the image's title: a figure on a page of its own has no position on it`},
		},
		{
			name: "every problem, sorted",
			files: map[string]string{
				"issue.toml":           edit(`columns = 2`, `columns = 5`+"\nbleed = \"x\""),
				"articles/huanjing.md": "+++\ntitle = \"t\"\nauthr = \"x\"\n+++\n\n<div>\n\n文字\n",
			},
			want: []string{
				`issue.toml:7:11: columns = 5 in [page] is out of range`,
				`issue.toml:8:9: bad bleed in [page]: "x" is not a length`,
				`articles/huanjing.md:3:1: unknown key "authr"`,
				`articles/huanjing.md:6:1: raw HTML is not supported`,
			},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := issueDir(t, c.files)
			if c.setup != nil {
				c.setup(t, dir)
			}
			iss, err := Parse("issue.toml")
			if len(c.want) == 0 {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Parse succeeded: %+v", iss)
			}
			if iss != nil {
				t.Errorf("Parse returned an issue and an error")
			}
			checkErrors(t, err, c.want)
		})
	}
}

// checkStyle checks the house style of a message: file:line:col: what —
// what to do, lowercase, no final period.
func checkStyle(t *testing.T, msg string) {
	t.Helper()
	parts := strings.SplitN(msg, ": ", 2)
	if len(parts) != 2 || parts[1] == "" {
		t.Errorf("no message after the position: %s", msg)
		return
	}
	text := parts[1]
	if c := text[0]; c >= 'A' && c <= 'Z' && !(len(text) > 1 && text[1] >= 'A' && text[1] <= 'Z') {
		t.Errorf("message starts with a capital: %s", msg)
	}
	if strings.HasSuffix(text, ".") {
		t.Errorf("message ends with a period: %s", msg)
	}
	if !strings.Contains(text, " — ") {
		t.Errorf("message gives no hint (want \"what — what to do\"): %s", msg)
	}
}

// An unreadable manifest is one error naming the file.
func TestParseMissingManifest(t *testing.T) {
	_, err := Parse(filepath.Join(t.TempDir(), "nope", "issue.toml"))
	if err == nil || !strings.Contains(err.Error(), "issue.toml: cannot read the manifest") {
		t.Fatalf("err = %v", err)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("error does not wrap fs.ErrNotExist: %v", err)
	}
}

// Errors wrap what caused them.
func TestErrorsWrap(t *testing.T) {
	issueDir(t, map[string]string{"issue.toml": edit(`"articles/huanjing.md"`, `"articles/nope.md"`)})
	_, err := Parse("issue.toml")
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing article error does not wrap fs.ErrNotExist: %v", err)
	}
}

// The sample issue, when another engineer has written it, parses.
func TestSample(t *testing.T) {
	p := filepath.Join("..", "samples", "zhenjing-2023-05", "issue.toml")
	if _, err := os.Stat(p); err != nil {
		t.Skip("no sample issue yet")
	}
	iss, err := Parse(p)
	if err != nil {
		t.Fatalf("Parse(%s):\n%v", p, err)
	}
	if len(iss.Sections) == 0 {
		t.Errorf("sample has no sections")
	}
}

func TestParseStyle(t *testing.T) {
	red := Color{C: 0, M: 1, Y: 0.85, K: 0.15}
	for _, c := range []struct {
		name  string
		style string // appended to baseIssue
		check func(t *testing.T, iss *Issue)
	}{
		{"none", "", func(t *testing.T, iss *Issue) {
			if iss.Style.Accent != nil || iss.Style.Elements != nil {
				t.Errorf("Style = %+v", iss.Style)
			}
		}},
		{"accent", "[style]\naccent = \"0/100/85/15\"", func(t *testing.T, iss *Issue) {
			if iss.Style.Accent == nil || *iss.Style.Accent != red {
				t.Errorf("Accent = %+v", iss.Style.Accent)
			}
		}},
		{"accent with blanks, % and decimals", "[style]\naccent = \" 0% / 100% / 85 / 12.5 \"", func(t *testing.T, iss *Issue) {
			if a := iss.Style.Accent; a == nil || !near(a.M, 1) || !near(a.Y, 0.85) || !near(a.K, 0.125) {
				t.Errorf("Accent = %+v", a)
			}
		}},
		{"bundled fonts, any case", "[style.title]\nfont = \"Serif-Bold\"\n[style.caption]\nfont = \"sans\"", func(t *testing.T, iss *Issue) {
			if iss.Style.Elements["title"].Font != "serif-bold" || iss.Style.Elements["caption"].Font != "sans" {
				t.Errorf("Elements = %+v", iss.Style.Elements)
			}
		}},
		{"font files", "[style.title]\nfont = \"fonts/fallback.ttf\"\n[style.kicker]\nfont = \"fonts/x.otf\"", func(t *testing.T, iss *Issue) {
			if got := iss.Style.Elements["title"].Font; got != filepath.Join(iss.Dir, "fonts", "fallback.ttf") {
				t.Errorf("title font = %q", got)
			}
			if got := iss.Style.Elements["kicker"].Font; got != filepath.Join(iss.Dir, "fonts", "x.otf") {
				t.Errorf("kicker font = %q", got)
			}
		}},
		{"font list", "[style.quote]\nfont = [\"serif\", \"fonts/x.otf\", \"sans\"]", func(t *testing.T, iss *Issue) {
			q := iss.Style.Elements["quote"]
			want := []string{"serif", filepath.Join(iss.Dir, "fonts", "x.otf"), "sans"}
			if strings.Join(q.Fonts, "|") != strings.Join(want, "|") || q.Font != "serif" {
				t.Errorf("quote fonts = %q (font %q), want %q", q.Fonts, q.Font, want)
			}
		}},
		{"sizes and colour", "[style.body]\nsize = \"3.5mm\"\nleading = \"200pt\"\ncolor = \"0/0/0/100\"", func(t *testing.T, iss *Issue) {
			b := iss.Style.Elements["body"]
			if !near(b.Size, 3.5*PointsPerMM) || !near(b.Leading, 200) || b.Color == nil || *b.Color != (Color{K: 1}) {
				t.Errorf("body = %+v", b)
			}
		}},
		{"inline and dotted tables, empty table", "[style]\nbody = {size = \"10pt\"}\nfolio.color = \"0/0/0/50\"\n[style.meta]", func(t *testing.T, iss *Issue) {
			e := iss.Style.Elements
			if len(e) != 3 || !near(e["body"].Size, 10) || e["folio"].Color == nil || !near(e["folio"].Color.K, 0.5) {
				t.Errorf("Elements = %+v", e)
			}
			if m, ok := e["meta"]; !ok || m.Font != "" || m.Fonts != nil || m.Size != 0 || m.Leading != 0 || m.Color != nil {
				t.Errorf("meta = %+v, %v", m, ok)
			}
		}},
		{"every element", func() string {
			var b strings.Builder
			for _, n := range StyleElements {
				b.WriteString("[style." + n + "]\nsize = \"9pt\"\n")
			}
			return b.String()
		}(), func(t *testing.T, iss *Issue) {
			if len(iss.Style.Elements) != len(StyleElements) {
				t.Errorf("%d elements", len(iss.Style.Elements))
			}
		}},
		{"cover focus", "", func(t *testing.T, iss *Issue) {
			if iss.Cover.FocusX != 0 || iss.Cover.FocusY != 0 {
				t.Errorf("default cover focus = %v, %v", iss.Cover.FocusX, iss.Cover.FocusY)
			}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			issueDir(t, map[string]string{"issue.toml": baseIssue + "\n" + c.style + "\n", "fonts/x.otf": "x"})
			iss, err := Parse("issue.toml")
			if err != nil {
				t.Fatal(err)
			}
			c.check(t, iss)
		})
	}
}

func TestCoverFocus(t *testing.T) {
	for _, c := range []struct {
		in   string
		x, y float64
	}{
		{"50%,50%", 0, 0}, {"50%,30%", 0, -0.2}, {"0%,100%", -0.5, 0.5}, {" 25 % , 75.5% ", -0.25, 0.255},
	} {
		t.Run(c.in, func(t *testing.T) {
			issueDir(t, map[string]string{"issue.toml": edit(`image = "images/cover.png"`, "image = \"images/cover.png\"\nfocus = \""+c.in+"\"")})
			iss, err := Parse("issue.toml")
			if err != nil {
				t.Fatal(err)
			}
			if !near(iss.Cover.FocusX, c.x) || !near(iss.Cover.FocusY, c.y) {
				t.Errorf("focus = %v, %v; want %v, %v", iss.Cover.FocusX, iss.Cover.FocusY, c.x, c.y)
			}
		})
	}
}

// The lead image is checked like a figure's: relative to the issue
// folder, or else to the article's folder.
func TestLeadImage(t *testing.T) {
	dir := issueDir(t, map[string]string{
		"articles/huanjing.md": "+++\ntitle = \"t\"\nimage = \"../images/photo.png\"\nimage_focus = \"0%,0%\"\n+++\n\n文字。\n",
	})
	iss, err := Parse("issue.toml")
	if err != nil {
		t.Fatal(err)
	}
	a := iss.Sections[0].Articles[1]
	if a.ImageSrc != "../images/photo.png" || a.Image != filepath.Join(dir, "images", "photo.png") ||
		a.ImageFocusX != -0.5 || a.ImageFocusY != -0.5 {
		t.Errorf("lead image %q %q %v %v", a.ImageSrc, a.Image, a.ImageFocusX, a.ImageFocusY)
	}
	if a := iss.Sections[0].Articles[0]; a.Image != filepath.Join(dir, "images", "photo.png") {
		t.Errorf("tiyanguan lead image %q", a.Image)
	}
}

func TestContentsPhoto(t *testing.T) {
	t.Run("good", func(t *testing.T) {
		issueDir(t, map[string]string{"issue.toml": edit("[[section]]", "[contents]\nimage = \"images/cover.png\"\nfocus = \"50%,20%\"\n\n[[section]]")})
		iss, err := Parse("issue.toml")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(iss.Contents.Image, filepath.Join("images", "cover.png")) || !near(iss.Contents.FocusY, -0.3) {
			t.Errorf("contents = %+v", iss.Contents)
		}
	})
	t.Run("bad", func(t *testing.T) {
		issueDir(t, map[string]string{"issue.toml": edit("[[section]]", "[contents]\nimage = \"images/none.png\"\nfocus = \"50%\"\n\n[[section]]")})
		_, err := Parse("issue.toml")
		if err == nil || !strings.Contains(err.Error(), "contents image") || !strings.Contains(err.Error(), "bad focus in [contents]") {
			t.Errorf("errors: %v", err)
		}
	})
}

// checkErrors asserts that err is an Errors whose lines start, in order,
// with want, each in the house style.
func checkErrors(t *testing.T, err error, want []string) {
	t.Helper()
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("error is %T, not Errors", err)
	}
	t.Log(err)
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != len(want) {
		t.Fatalf("got %d errors, want %d:\n%v", len(lines), len(want), err)
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("error %d:\n got  %s\n want %s…", i+1, lines[i], w)
		}
		checkStyle(t, lines[i])
	}
}
