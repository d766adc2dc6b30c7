package manifest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// checkErr checks what every error must be: non-empty lines, each
// naming one of the files.
func checkErr(t *testing.T, err error, files ...string) {
	t.Helper()
	msg := err.Error()
	if msg == "" {
		t.Fatalf("empty error (%T)", err)
	}
	for _, line := range strings.Split(msg, "\n") {
		ok := false
		for _, f := range files {
			if strings.HasPrefix(line, f+":") {
				ok = true
			}
		}
		if !ok {
			t.Fatalf("error line names no file of %q: %q", files, line)
		}
		if strings.TrimSpace(line[strings.Index(line, ": ")+1:]) == "" {
			t.Fatalf("error line has no message: %q", line)
		}
	}
}

// checkFocus checks a focus point: offsets from the centre, −0.5 … 0.5.
func checkFocus(t *testing.T, what string, x, y float64) {
	t.Helper()
	if !(x >= -0.5 && x <= 0.5 && y >= -0.5 && y <= 0.5) {
		t.Fatalf("%s focus %v, %v out of range", what, x, y)
	}
}

// checkArticle checks what every parsed article must be.
func checkArticle(t *testing.T, a *Article) {
	t.Helper()
	if a == nil || strings.TrimSpace(a.Title) == "" || len(a.Blocks) == 0 {
		t.Fatalf("article without title or blocks: %+v", a)
	}
	checkFocus(t, "lead image", a.ImageFocusX, a.ImageFocusY)
	if a.ImageSrc == "" && (a.Image != "" || a.ImageFocusX != 0 || a.ImageFocusY != 0) {
		t.Fatalf("lead image without ImageSrc: %+v", a)
	}
	for _, b := range a.Blocks {
		if b.Line < 1 {
			t.Fatalf("block without a line: %+v", b)
		}
		if b.Kind != Figure && b.Place != (Placement{}) {
			t.Fatalf("%s with a placement on line %d", b.Kind, b.Line)
		}
		pl := b.Place
		checkFocus(t, "figure", pl.FocusX, pl.FocusY)
		if pl.Span < SpanColumn || pl.Span > SpanBleed || pl.Where < Here || pl.Where > Bottom ||
			(pl.Span >= SpanPage && pl.Where != Here) {
			t.Fatalf("bad placement %+v on line %d", pl, b.Line)
		}
		if b.Kind != Figure && len(b.Inlines) == 0 {
			t.Fatalf("%s without text on line %d", b.Kind, b.Line)
		}
		for _, in := range b.Inlines {
			if in.Text == "" || !utf8.ValidString(in.Text) || in.Line < 1 || in.Col < 1 {
				t.Fatalf("bad inline %+v in block on line %d", in, b.Line)
			}
		}
	}
}

func FuzzParseArticle(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/good/articles/*.md")
	for _, p := range seeds {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"", "+++", "+++\n+++", fm, fm + "\n他读了**《三体》**三遍\n",
		fm + "\n第一行\n第二行  \nhello\\\nworld\n",
		fm + "\n> 引语\n>\n> - 列表\n>   1. 嵌套\n",
		fm + "\n![说明 *强调*](a.png)\n![二](<b c.png> \"t\")\n",
		"+++\ntitle = \"t\"\nimage = \"images/lead.jpg\"\nimage_focus = \"50%,30%\"\n+++\n\n正文\n\n" +
			"![说明](images/a.jpg \"wide top fit focus=30%,40%\")\n![二](b.png 'page focus = 0%, 100%')\n",
		fm + "\n![图](a.png \"bleed bottom fill fit wdie focus=1%\")\n",
		fm + "\n<div>\n\n<!-- c -->\n\n| a |\n|---|\n",
		fm + "\n**a*b**c*\n__中文__\n***三***\n",
		"\xEF\xBB\xBF+++\r\ntitle = \"t\"\r\n+++\r\n\r\n正文\r\n",
		"+++\ntitle = \"\"\"\n多行\n\"\"\"\nx = [1, {a = 2}]\n+++\n正文\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		a, err := ParseArticle("fuzz.md", src)
		if err != nil {
			if a != nil {
				t.Fatal("an article and an error")
			}
			checkErr(t, err, "fuzz.md")
			return
		}
		checkArticle(t, a)
	})
}

func FuzzParseManifest(f *testing.F) {
	good, err := os.ReadFile("testdata/good/issue.toml")
	if err != nil {
		f.Fatal(err)
	}
	const minimal = "[issue]\ntitle = \"t\"\n[page]\nsize = \"A4\"\n[[section]]\ntitle = \"s\"\narticles = [\"articles/a.md\"]\n"
	f.Add(good)
	f.Add([]byte(minimal))
	f.Add([]byte(baseIssue))
	for _, s := range []string{
		"", "[issue]", "a = 1", "[[section]]\n[[section]]\narticles = []",
		"section = [{title = \"s\", articles = [\"articles/a.md\", \"../x\"]}]\n[issue]\ntitle=\"t\"\n[page]\nsize=\"210 x 285mm\"",
		"[page]\nsize = \"16K\"\nbleed = \"0\"\ncolumns = 3\nmargin.top = 1\n'quoted key' = \"x\"\n\"a.b\" = 2",
		"[issue]\ndate = 1979-05-27T07:32:00Z\ntitle = '''\nx'''\n[cover]\nimage = \"images/cover.png\"\nlines = [\n  \"a\", # c\n  \"b\",\n]",
		"[fonts]\nfallback = [\"/etc/passwd\", \"fonts/../../x.ttf\", \"images/cover.png\"]",
		minimal + "[style]\naccent = \"0/100/85/15\"\ntitle.font = \"sans-bold\"\n[style.body]\nsize = \"10pt\"\nleading = \"5mm\"\ncolor = \"0/0/0/100\"\n" +
			"[style.caption]\nfont = \"fonts/x.otf\"\n[cover]\nimage = \"images/cover.png\"\nfocus = \"50%,30%\"",
		minimal + "[page]\nbody_size = \"9pt\"\n[style.titel]\n[style]\naccent = \"#c8102e\"\nbody = {size = \"0\", font = \"hei\"}\n[cover]\nfocus = \"120%\"",
	} {
		f.Add([]byte(s))
	}
	// One folder for all inputs (of this worker): making a folder per
	// input costs more than parsing it.
	dir := f.TempDir()
	for name, s := range map[string]string{
		"articles/a.md":    fm + "\n正文\n\n![图](images/cover.png)\n",
		"images/cover.png": "not really a png",
		"fonts/x.otf":      "not really a font",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			f.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			f.Fatal(err)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, "issue.toml"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		manifest := filepath.Join(dir, "issue.toml")
		iss, err := Parse(manifest)
		if err != nil {
			if iss != nil {
				t.Fatal("an issue and an error")
			}
			checkErr(t, err, manifest, filepath.Join(dir, "articles", "a.md"))
			return
		}
		if iss.Title == "" || iss.Page.Width <= 0 || iss.Page.Height <= 0 || iss.Page.Columns < 1 || iss.Page.Columns > 3 {
			t.Fatalf("bad issue: %+v", iss)
		}
		for _, s := range iss.Sections {
			for _, a := range s.Articles {
				checkArticle(t, a)
			}
		}
		checkFocus(t, "cover", iss.Cover.FocusX, iss.Cover.FocusY)
		colors := []*Color{iss.Style.Accent}
		for name, e := range iss.Style.Elements {
			if !contains(StyleElements, name) || e.Size < 0 || e.Size > maxStyleSize || e.Leading < 0 || e.Leading > maxStyleSize {
				t.Fatalf("bad [style.%s]: %+v", name, e)
			}
			if e.Font != "" && !contains(StyleFonts, e.Font) && !strings.HasPrefix(e.Font, iss.Dir) {
				t.Fatalf("[style.%s] font %q is neither bundled nor in the issue folder", name, e.Font)
			}
			colors = append(colors, e.Color)
		}
		for _, c := range colors {
			if c != nil && !(c.C >= 0 && c.C <= 1 && c.M >= 0 && c.M <= 1 && c.Y >= 0 && c.Y <= 1 && c.K >= 0 && c.K <= 1) {
				t.Fatalf("bad colour %+v", *c)
			}
		}
	})
}
