package render

import (
	"paiban/internal/sampledoc"

	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/image/font/sfnt"

	pcolor "paiban/color"
	"paiban/display"
	"paiban/fonts"
)

func TestBoxes(t *testing.T) {
	path, doc := writeSample(t, DefaultOptions())
	out := tool(t, "pdfinfo", "-box", "-f", "1", "-l", "99", path)
	for i, pg := range doc.Pages {
		w, h := pg.Width+2*pg.Bleed, pg.Height+2*pg.Bleed
		want := map[string][4]float64{
			"MediaBox": {0, 0, w, h},
			"BleedBox": {0, 0, w, h},
			"CropBox":  {0, 0, w, h}, // absent, defaults to the MediaBox
			"TrimBox":  {bleed3mm, bleed3mm, bleed3mm + pg.Width, bleed3mm + pg.Height},
		}
		for box, v := range want {
			re := regexp.MustCompile(fmt.Sprintf(`Page +%d %s: +([-\d.]+) +([-\d.]+) +([-\d.]+) +([-\d.]+)`, i+1, box))
			m := re.FindStringSubmatch(out)
			if m == nil {
				t.Fatalf("page %d: no %s in\n%s", i+1, box, out)
			}
			for k := 0; k < 4; k++ {
				got, _ := strconv.ParseFloat(m[k+1], 64)
				if math.Abs(got-v[k]) > 0.006 { // pdfinfo prints two decimals
					t.Errorf("page %d %s[%d] = %v, want %.3f", i+1, box, k, got, v[k])
				}
			}
		}
	}
	// The exact values, in a fixed order, in the page objects.
	raw := render(t, doc, Options{})
	if !bytes.Contains(raw, []byte("<</Type /Page\n/MediaBox [0 0 612.284 858.898]\n/BleedBox [0 0 612.284 858.898]\n/TrimBox [8.504 8.504 603.78 850.394]\n")) {
		t.Errorf("page 1 boxes not as expected:\n%s", raw[:400])
	}
}

func TestInfo(t *testing.T) {
	path, _ := writeSample(t, DefaultOptions())
	out := tool(t, "pdfinfo", "-isodates", path)
	for _, want := range []string{
		"Title:           臻境 2023年第5期",
		"Subject:         测试 (render)",
		"Keywords:        排版, PDF, 𠀀",
		"Author:          广州分行",
		"CreationDate:    2023-05-01T00:30:00Z",
		"ModDate:         2023-05-01T00:30:00Z",
		"Pages:           2",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("pdfinfo lacks %q:\n%s", want, out)
		}
	}
	tool(t, "qpdf", "--check", path)
}

func TestFonts(t *testing.T) {
	path, _ := writeSample(t, DefaultOptions())
	out := tool(t, "pdffonts", path)
	lines := strings.Split(strings.TrimSpace(out), "\n")[2:]
	if len(lines) != 2 {
		t.Fatalf("want the 2 faces used, got:\n%s", out)
	}
	re := regexp.MustCompile(`^[A-Z]{6}\+(NotoSansSC-Bold|NotoSerifSC-Regular) +CID TrueType +Identity-H +yes +yes +yes `)
	seen := map[string]bool{}
	for _, l := range lines {
		m := re.FindStringSubmatch(l)
		if m == nil {
			t.Errorf("font line not embedded/subset/CID TrueType: %q", l)
			continue
		}
		seen[m[1]] = true
	}
	if len(seen) != 2 || strings.Contains(out, "Type 3") {
		t.Errorf("fonts:\n%s", out)
	}
}

// TestSubsetsCoverText checks, in the PDF itself, that every rune drawn is
// in its font's subset: the CIDToGIDMap sends it to a glyph and the
// embedded font's own cmap agrees.
func TestSubsetsCoverText(t *testing.T) {
	dir := t.TempDir()
	doc := sampleDoc(t, dir)
	raw := render(t, doc, Options{})
	p, err := parsePDF(raw)
	if err != nil {
		t.Fatal(err)
	}
	drawn := map[string]map[rune]bool{}
	for _, pg := range doc.Pages {
		for _, it := range pg.Items {
			if tx, ok := it.(*display.Text); ok {
				if drawn[tx.Font] == nil {
					drawn[tx.Font] = map[rune]bool{}
				}
				for _, g := range tx.Glyphs {
					if g.R <= 0xFFFF { // not outlines
						drawn[tx.Font][g.R] = true
					}
				}
			}
		}
	}
	num := func(o *pdfObj, key string) *pdfObj {
		m := regexp.MustCompile(key + ` (\d+) 0 R`).FindSubmatch(dictPart(o.data))
		if m == nil {
			t.Fatalf("no %s in %s", key, dictPart(o.data))
		}
		n, _ := strconv.Atoi(string(m[1]))
		return p.byNum[n]
	}
	found := 0
	for _, o := range p.objs {
		d := dictPart(o.data)
		if !bytes.Contains(d, []byte("/Subtype /CIDFontType2")) {
			continue
		}
		name := regexp.MustCompile(`/BaseFont /[A-Z]{6}\+(\S+)`).FindSubmatch(d)
		if name == nil {
			t.Fatalf("CID font without a subset name: %s", d)
		}
		runes := drawn[string(name[1])]
		gidmap := streamData(t, num(o, "/CIDToGIDMap"))
		desc := num(o, "/FontDescriptor")
		sf, err := sfnt.Parse(streamData(t, num(desc, "/FontFile2")))
		if err != nil {
			t.Fatalf("%s: embedded subset does not parse: %v", name[1], err)
		}
		var buf sfnt.Buffer
		for r := range runes {
			gid := int(gidmap[2*r])<<8 | int(gidmap[2*r+1])
			own, err := sf.GlyphIndex(&buf, r)
			if gid == 0 || err != nil || int(own) != gid {
				t.Errorf("%s: U+%04X maps to glyph %d, subset cmap says %d (%v)", name[1], r, gid, own, err)
			}
		}
		if sf.NumGlyphs() > len(runes)+60 {
			t.Errorf("%s: subset has %d glyphs for %d runes", name[1], sf.NumGlyphs(), len(runes))
		}
		found++
	}
	if found != len(drawn) {
		t.Errorf("found %d CID fonts, %d faces used", found, len(drawn))
	}
}

// streamData returns an object's stream, inflated.
func streamData(t *testing.T, o *pdfObj) []byte {
	t.Helper()
	d := dictPart(o.data)
	m := regexp.MustCompile(`/Length (\d+)`).FindSubmatch(d)
	if m == nil {
		t.Fatalf("no /Length in %s", d)
	}
	n, _ := strconv.Atoi(string(m[1]))
	s := o.data[len(d)+len("\nstream\n"):]
	s = s[:n]
	if bytes.Contains(d, []byte("/DCTDecode")) && bytes.Contains(d, []byte("/DeviceCMYK")) {
		// A CMYK JPEG of ours holds ink values as they are; Go's decoder
		// follows Adobe's inverted convention, so undo it.
		img, err := jpeg.Decode(bytes.NewReader(s))
		if err != nil {
			t.Fatal(err)
		}
		c, ok := img.(*image.CMYK)
		if !ok {
			t.Fatalf("a CMYK JPEG decodes to %T", img)
		}
		px := make([]byte, 0, len(c.Pix))
		for y := 0; y < c.Rect.Dy(); y++ {
			row := c.Pix[y*c.Stride : y*c.Stride+4*c.Rect.Dx()]
			for _, v := range row {
				px = append(px, 255-v)
			}
		}
		return px
	}
	if !bytes.Contains(d, []byte("/FlateDecode")) {
		return s
	}
	zr, err := zlib.NewReader(bytes.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// textDoc is a page in two columns (left column first in the display
// list, as layout emits it) and lines mixing justified Chinese, Latin words
// at their natural advances, compressed punctuation and wide letter
// spacing.
func textDoc(t testing.TB) *display.Document {
	faces := sampledoc.Faces(t)
	serif, sans := fonts.SerifRegular, fonts.SansBold
	var items []display.Item
	left := []string{"排版测试，中文。", "第一栏第二行", "第一栏第三行文字"}
	right := []string{"第二栏的第一行", "第二栏第二行", "最后一行。"}
	for i, s := range left {
		items = append(items, sampledoc.MustRun(t, faces, serif, 10.5, 56.7, 100+float64(i)*18, 0.35, s))
	}
	for i, s := range right {
		items = append(items, sampledoc.MustRun(t, faces, serif, 10.5, 300, 100+float64(i)*18, 0, s))
	}
	items = append(items, sampledoc.MustRun(t, faces, sans, 16, 56.7, 200, 0, "排版测试，中文。"))
	items = append(items, sampledoc.MustRun(t, faces, sans, 16, 56.7, 230, 9, "疏排标题"))
	// A justified line with a Latin word and a compressed comma: CJK glyphs
	// get 0.8 pt extra, the Latin word none, the comma half its width.
	mixed := sampledoc.MustRun(t, faces, serif, 10.5, 56.7, 260, 0, "中文 Latin 混排，测试")
	face := faces.Face(serif)
	x := 0.0
	for i, g := range mixed.Glyphs {
		mixed.Glyphs[i].X = x
		a, _ := face.Advance(g.R)
		w := a * 10.5
		switch {
		case g.R == '，':
			w /= 2
		case g.R >= 0x4E00:
			w += 0.8
		}
		x += w
	}
	items = append(items, mixed)
	items = append(items, sampledoc.MustRun(t, faces, serif, 9.375, 300, 260, 0.1, "字号九点三七五"))
	return &display.Document{Title: "text", Pages: []*display.Page{{Width: 595.276, Height: 841.89, Bleed: bleed3mm, Items: items}}}
}

func writeDoc(t *testing.T, doc *display.Document) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "out.pdf")
	if err := os.WriteFile(path, render(t, doc, DefaultOptions()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

var space = regexp.MustCompile(`\s+`)

func TestTextRaw(t *testing.T) {
	doc := textDoc(t)
	out := tool(t, "pdftotext", "-raw", "-enc", "UTF-8", writeDoc(t, doc), "-")
	// Runs on one baseline may share a line and a compressed comma may start
	// one; the characters, their order and the columns' order must hold.
	var want strings.Builder
	for _, it := range doc.Pages[0].Items {
		want.WriteString(it.(*display.Text).String())
	}
	if g, w := space.ReplaceAllString(out, ""), space.ReplaceAllString(want.String(), ""); g != w {
		t.Errorf("pdftotext -raw:\n%s\nwant (ignoring spaces):\n%s", g, w)
	}
	if !strings.Contains(out, "排版测试，中文。\n第一栏第二行\n第一栏第三行文字\n第二栏的第一行\n") {
		t.Errorf("columns not one after the other:\n%s", out)
	}
	// The sample's text too, page by page.
	path, sdoc := writeSample(t, DefaultOptions())
	out = tool(t, "pdftotext", "-raw", "-enc", "UTF-8", path, "-")
	pages := strings.Split(out, "\f")
	for i, pg := range sdoc.Pages {
		var w strings.Builder
		for _, it := range pg.Items {
			if tx, ok := it.(*display.Text); ok {
				w.WriteString(tx.String())
			}
		}
		if g := space.ReplaceAllString(pages[i], ""); g != space.ReplaceAllString(w.String(), "") {
			t.Errorf("page %d text %q, want %q", i+1, g, w.String())
		}
	}
}

// TestGlyphPositions compares where poppler finds each word's ends with
// the display list: a word's xMin is its first glyph's X, its xMax the
// last glyph's X plus its advance.
func TestGlyphPositions(t *testing.T) {
	doc := textDoc(t)
	faces := sampledoc.Faces(t)
	// -raw: words in content stream order, which is display-list order.
	out := tool(t, "pdftotext", "-raw", "-bbox", "-enc", "UTF-8", writeDoc(t, doc), "-")
	type glyph struct {
		r          rune
		x0, x1, y0 float64
	}
	var gs []glyph
	pg := doc.Pages[0]
	for _, it := range pg.Items {
		tx := it.(*display.Text)
		face := faces.Face(tx.Font)
		for _, g := range tx.Glyphs {
			if g.R == ' ' {
				continue
			}
			a, _ := face.Advance(g.R)
			x := pg.Bleed + tx.X + g.X
			gs = append(gs, glyph{g.R, x, x + a*tx.Size, pg.Bleed + tx.Y})
		}
	}
	re := regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
	words := re.FindAllStringSubmatch(out, -1)
	if len(words) == 0 {
		t.Fatalf("no words:\n%s", out)
	}
	k, checked := 0, 0
	for _, w := range words {
		xMin, _ := strconv.ParseFloat(w[1], 64)
		xMax, _ := strconv.ParseFloat(w[3], 64)
		rs := []rune(w[5])
		if k+len(rs) > len(gs) {
			t.Fatalf("more text than drawn at %q", w[5])
		}
		for i, r := range rs {
			if gs[k+i].r != r {
				t.Fatalf("word %q: rune %d is %q, display list has %q", w[5], i, r, gs[k+i].r)
			}
		}
		first, last := gs[k], gs[k+len(rs)-1]
		if d := math.Abs(xMin - first.x0); d > 0.05 {
			t.Errorf("word %q starts at x=%.3f, glyph at %.3f (off by %.3f)", w[5], xMin, first.x0, d)
		}
		if d := math.Abs(xMax - last.x1); d > 0.05 {
			t.Errorf("word %q ends at x=%.3f, glyph ends at %.3f (off by %.3f)", w[5], xMax, last.x1, d)
		}
		checked++
		k += len(rs)
	}
	if k != len(gs) {
		t.Errorf("poppler found %d glyphs, %d drawn", k, len(gs))
	}
	// The widely spaced title is one word per glyph: every glyph checked.
	if !strings.Contains(out, `>疏</word>`) || !strings.Contains(out, `>题</word>`) {
		t.Errorf("expected the spaced title glyph by glyph:\n%s", out)
	}
	t.Logf("%d words, %d glyphs checked", checked, k)
}

// TestTextOperators checks the content stream: CMYK colour, one Tj for a
// run at natural advances, Tc for a justified run, and no RGB anywhere.
func TestTextOperators(t *testing.T) {
	doc := textDoc(t)
	raw := string(render(t, doc, Options{}))
	if n := strings.Count(raw, " Tj"); n > 20 {
		t.Errorf("%d Tj for 13 runs", n)
	}
	for _, want := range []string{"0 0 0 1 k\n", "0.35 Tc\n", "9 Tc\n", "0 Tc\n"} {
		if !strings.Contains(raw, want) {
			t.Errorf("content lacks %q", want)
		}
	}
	if regexp.MustCompile(`(?m) (rg|RG)$|q 0 g`).MatchString(raw) {
		t.Errorf("RGB colour or fpdf's text colour wrapper in the content")
	}
	path, _ := writeSample(t, Options{})
	b, _ := os.ReadFile(path)
	s := string(b)
	for _, want := range []string{"0.2 1 0 0 K\n0.5 w\n", "0 0 0.1 0 k\n0 0 0 0.5 K\n0.25 w\n", " re B\n", "1 0.5 0 0 k\n", "/Artifact BMC\n"} {
		if !strings.Contains(s, want) {
			t.Errorf("sample content lacks %q", want)
		}
	}
}

// TestImages checks the pictures of a preview: JPEGs byte for byte, a PNG
// with its alpha as a soft mask. (TestPrintImages checks print.)
func TestImages(t *testing.T) {
	path, _ := writeSample(t, Options{Profile: Preview, Compress: true})
	out := tool(t, "pdfimages", "-list", path)
	re := regexp.MustCompile(`(?m)^ +(\d+) +\d+ (image|smask) +(\d+) +(\d+) +(\w+) +\d +\d +(\w+)`)
	var got []string
	for _, m := range re.FindAllStringSubmatch(out, -1) {
		got = append(got, strings.Join(m[1:], " "))
	}
	want := []string{
		"1 image 64 48 rgb jpeg",
		"2 image 64 40 rgb image",
		"2 smask 64 40 gray image",
		"2 image 64 32 rgb jpeg",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("pdfimages -list:\n%s\nwant\n%s", out, strings.Join(want, "\n"))
	}
	// The JPEGs are embedded byte for byte.
	dir := t.TempDir()
	tool(t, "pdfimages", "-j", "-f", "1", "-l", "1", path, filepath.Join(dir, "img"))
	got1, err := os.ReadFile(filepath.Join(dir, "img-000.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	orig, _ := os.ReadFile(filepath.Join(filepath.Dir(path), "photo.jpg"))
	if !bytes.Equal(got1, orig) {
		t.Errorf("JPEG re-encoded: %d bytes, original %d", len(got1), len(orig))
	}
}

func TestLinksAndOutline(t *testing.T) {
	path, doc := writeSample(t, DefaultOptions())
	out := tool(t, "qpdf", "--json", "--json-key=outlines", "--json-key=pages", path)
	flat := space.ReplaceAllString(out, "")
	h2 := doc.Pages[1].Height + 2*doc.Pages[1].Bleed
	h1 := doc.Pages[0].Height + 2*doc.Pages[0].Bleed
	for _, want := range []string{
		// Bookmarks: page, y from the top of the media box, hierarchy.
		fmt.Sprintf(`"dest":["3 0 R","/XYZ",0,%.2f,null],"destpageposfrom1":1,"kids":[{"dest":["3 0 R","/XYZ",0,%.2f,null],"destpageposfrom1":1,"kids":[]`, h1-bleed3mm-90, h1-bleed3mm-130),
		`"title":"分行建立服务体验官工作制度"`,
		`"title":"服务动态"`,
		fmt.Sprintf(`"dest":["5 0 R","/XYZ",0,%.2f,null],"destpageposfrom1":2,"kids":[{"dest":["5 0 R","/XYZ",0,%.2f,null]`, h2-bleed3mm-200, h2-bleed3mm-300),
		`"title":"第二页"`,
		`"title":"扩展B：𠀀"`,
	} {
		if !strings.Contains(flat, space.ReplaceAllString(want, "")) {
			t.Errorf("qpdf json lacks %s\n%s", want, out)
		}
	}
	// Links are in the preview; a print file carries no annotations.
	raw := string(render(t, doc, Options{Profile: Preview}))
	link := fmt.Sprintf("/Rect [65.20 %.2f 165.20 %.2f] /Border [0 0 0] /Dest [5 0 R /XYZ 0 %.2f null]", h1-bleed3mm-400, h1-bleed3mm-420, h2-bleed3mm-100)
	if !strings.Contains(raw, link) {
		t.Errorf("no link %s", link)
	}
	if print := string(render(t, doc, Options{})); strings.Contains(print, "/Subtype /Link") || strings.Contains(print, "/Annots") {
		t.Errorf("a print file has link annotations")
	}
}

// TestOutlineWithoutText covers bookmarks in a document that selects no
// font (fpdf then takes titles as they are) and an outline starting at
// level 1 (fpdf would make the entry its own parent).
func TestOutlineWithoutText(t *testing.T) {
	doc := &display.Document{
		Pages: []*display.Page{
			{Width: 200, Height: 300, Bleed: 5, Items: []display.Item{&display.Rect{X: 10, Y: 10, W: 50, H: 50, Fill: &display.Black}}},
			{Width: 300, Height: 200},
		},
		Outline: []display.Bookmark{
			{Title: "文章 𠀀 (1)", Level: 1, Page: 1, Y: 50},
			{Title: "Section", Level: 0, Page: 0, Y: 0},
			{Title: "Article", Level: 1, Page: 0, Y: 100},
		},
	}
	path := writeDoc(t, doc)
	out := tool(t, "qpdf", "--json", "--json-key=outlines", path)
	flat := space.ReplaceAllString(out, "")
	for _, want := range []string{
		`{"dest":["5 0 R","/XYZ",0,150.00,null],"destpageposfrom1":2,"kids":[],`,
		`"title":"文章 𠀀 (1)"`,
		`{"dest":["3 0 R","/XYZ",0,305.00,null],"destpageposfrom1":1,"kids":[{"dest":["3 0 R","/XYZ",0,205.00,null]`,
		`"title":"Article"`,
	} {
		if !strings.Contains(flat, space.ReplaceAllString(want, "")) {
			t.Errorf("qpdf json lacks %s\n%s", want, out)
		}
	}
	tool(t, "qpdf", "--check", path)
}

func TestErrors(t *testing.T) {
	faces := sampledoc.Faces(t)
	page := func(items ...display.Item) *display.Document {
		return &display.Document{Pages: []*display.Page{
			{Width: 100, Height: 100},
			{Width: 200, Height: 200, Bleed: 5, Items: items},
		}}
	}
	bad := sampledoc.MustRun(t, faces, fonts.SerifRegular, 10, 10, 10, 0, "正文")
	bad.Glyphs = append(bad.Glyphs, display.Glyph{R: 0x20000, X: 20}) // 𠀀, Extension B, not in Noto Serif SC
	uncovered := sampledoc.MustRun(t, faces, fonts.SerifRegular, 10, 10, 10, 0, "正文")
	uncovered.Glyphs = append(uncovered.Glyphs, display.Glyph{R: 0x0E01, X: 20}) // Thai
	noFace := sampledoc.MustRun(t, faces, fonts.SerifRegular, 10, 10, 10, 0, "正文")
	noFace.Font = "NoSuchFont"
	for _, c := range []struct {
		doc  *display.Document
		want []string
	}{
		{page(bad), []string{"page 2", "U+20000"}},
		{page(uncovered), []string{"page 2", "U+0E01", "NotoSerifSC-Regular"}},
		{page(noFace), []string{"page 2", "NoSuchFont"}},
		{page(&display.Image{X: 0, Y: 0, W: 10, H: 10, Path: filepath.Join(t.TempDir(), "missing.jpg")}), []string{"page 2", "missing.jpg"}},
		{page(&display.Link{Page: 7}), []string{"page 2", "link"}},
		{page(nil), []string{"page 2"}},
		{&display.Document{}, []string{"no pages"}},
	} {
		var b bytes.Buffer
		err := WritePDF(&b, c.doc, faces, DefaultOptions())
		if err == nil {
			t.Errorf("no error, want %q", c.want)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("error %q lacks %q", err, w)
			}
		}
		if b.Len() != 0 {
			t.Errorf("%d bytes written despite the error", b.Len())
		}
	}
	if faces.Face(fonts.SerifRegular).Has(0x0E01) {
		t.Errorf("test assumes Noto Serif SC lacks U+0E01")
	}
}

// TestNoPanicEscapes feeds fpdf a font it panics on: the table directory
// names "namf" instead of "name", which sfnt (lazy) does not mind.
func TestNoPanicEscapes(t *testing.T) {
	orig := sampledoc.Faces(t).Face(fonts.SerifRegular).Data()
	data := append([]byte(nil), orig...)
	renamed := false
	for i := 0; i < int(data[4])<<8|int(data[5]); i++ {
		if rec := 12 + 16*i; string(data[rec:rec+4]) == "name" {
			data[rec+3] = 'f'
			renamed = true
		}
	}
	f, err := fonts.Parse("Broken", data)
	if !renamed || err != nil || !f.Has('中') {
		t.Fatalf("could not make the broken font: %v", err)
	}
	doc := &display.Document{Pages: []*display.Page{{Width: 100, Height: 100, Items: []display.Item{
		&display.Text{X: 10, Y: 10, Font: "Broken", Size: 10, Glyphs: []display.Glyph{{R: '中'}}},
	}}}}
	var b bytes.Buffer
	err = WritePDF(&b, doc, fonts.NewSet(f), DefaultOptions())
	if err == nil || !strings.Contains(err.Error(), "internal error") || b.Len() != 0 {
		t.Errorf("got %v and %d bytes, want a recovered panic", err, b.Len())
	}

	empty := &display.Document{Pages: []*display.Page{{Width: 100, Height: 100}}}
	if err := WritePDF(io.Discard, empty, nil, DefaultOptions()); err != nil {
		t.Fatalf("empty page: %v", err)
	}
	var w failWriter
	if err := WritePDF(&w, empty, nil, DefaultOptions()); !errors.Is(err, errFail) {
		t.Errorf("writer error not returned: %v", err)
	}
}

var errFail = errors.New("disk full")

type failWriter struct{}

func (*failWriter) Write([]byte) (int, error) { return 0, errFail }

// TestConcurrent renders in parallel (faces are shared): run with -race.
func TestConcurrent(t *testing.T) {
	doc := sampleDoc(t, t.TempDir())
	want := render(t, doc, DefaultOptions())
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			var b bytes.Buffer
			err := WritePDF(&b, doc, sampledoc.Faces(t), DefaultOptions())
			if err == nil && !bytes.Equal(b.Bytes(), want) {
				err = errors.New("different bytes")
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// TestPNGAlpha draws a 16-bit PNG with an alpha ramp (fpdf alone garbles
// 16-bit alpha) in a preview and checks the rendered pixels against the
// ramp over white; in print, the ramp is flattened onto white before it
// is converted to CMYK.
func TestPNGAlpha(t *testing.T) {
	dir := t.TempDir()
	src := image.NewNRGBA64(image.Rect(0, 0, 40, 10))
	for y := 0; y < 10; y++ {
		for x := 0; x < 40; x++ {
			src.SetNRGBA64(x, y, color.NRGBA64{R: 0xC8C8, G: 0x3232, B: 0x3232, A: uint16(x * 0xFFFF / 39)})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, src); err != nil {
		t.Fatal(err)
	}
	pngPath := filepath.Join(dir, "ramp.png")
	os.WriteFile(pngPath, b.Bytes(), 0o644)
	// The same JPEG under two paths is embedded once.
	jpg1, jpg2 := filepath.Join(dir, "a.jpg"), filepath.Join(dir, "b.jpg")
	writeJPEG(t, jpg1, 16, 16, 3)
	data, _ := os.ReadFile(jpg1)
	os.WriteFile(jpg2, data, 0o644)
	doc := &display.Document{Pages: []*display.Page{{Width: 400, Height: 200, Items: []display.Item{
		&display.Image{X: 0, Y: 0, W: 400, H: 100, Path: pngPath},
		&display.Image{X: 0, Y: 120, W: 50, H: 50, Path: jpg1},
		&display.Image{X: 100, Y: 120, W: 50, H: 50, Path: jpg2},
	}}}}
	preview := Options{Profile: Preview}
	raw := render(t, doc, preview)
	if n := regexp.MustCompile(`/I[0-9a-f]+ \d+ 0 R`).FindAll(raw, -1); len(n) != 2 {
		t.Errorf("XObject entries %q, want the PNG and one JPEG", n)
	}
	path := filepath.Join(dir, "preview.pdf")
	os.WriteFile(path, raw, 0o644)
	tool(t, "pdftoppm", "-r", "72", "-png", "-singlefile", path, filepath.Join(dir, "page"))
	f, err := os.Open(filepath.Join(dir, "page.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []int{5, 100, 200, 300, 395} {
		a := (float64(x) / 400 * 40) / 39
		a = math.Min(a, 1)
		want := []float64{a*200 + (1-a)*255, a*50 + (1-a)*255, a*50 + (1-a)*255}
		c := color.NRGBAModel.Convert(img.At(x, 50)).(color.NRGBA)
		got := []float64{float64(c.R), float64(c.G), float64(c.B)}
		for k := range got {
			if math.Abs(got[k]-want[k]) > 8 {
				t.Errorf("x=%d: pixel %v, want about %.0f", x, got, want)
				break
			}
		}
	}

	// Print: one CMYK image without a soft mask, each column the
	// profile's conversion of the ramp over white.
	p := parse(t, render(t, doc, Options{}))
	prof, _ := pcolor.FOGRA39()
	prof = prof.WithInkLimit(3)
	found := 0
	for _, o := range p.objs {
		d := dictPart(o.data)
		if bytes.Contains(d, []byte("/SMask")) {
			t.Errorf("soft mask in print: %s", d)
		}
		if !bytes.Contains(d, []byte("/Width 40\n/Height 10\n/ColorSpace /DeviceCMYK\n")) {
			continue
		}
		found++
		px := streamData(t, o)
		for _, x := range []int{0, 13, 26, 39} {
			a := float64(x) / 39
			over := func(v float64) uint8 { return uint8(math.Round(a*v + (1-a)*255)) }
			c, m, y, k := prof.RGBToCMYK(over(200), over(50), over(50), pcolor.Perceptual)
			got := px[4*x : 4*x+4]
			for i, w := range []float64{c, m, y, k} {
				if math.Abs(float64(got[i])-w*255) > 6 { // JPEG at quality 92
					t.Errorf("x=%d: CMYK %v, want %.0f %.0f %.0f %.0f", x, got, c*255, m*255, y*255, k*255)
					break
				}
			}
		}
	}
	if found != 1 {
		t.Errorf("%d CMYK images for the ramp", found)
	}
}
