package gopdf

import (
	"paiban/internal/sampledoc"

	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"paiban/display"
	"paiban/fonts"
)

// onePage is a document of one A5 page with items.
func onePage(items ...display.Item) *display.Document {
	return &display.Document{Pages: []*display.Page{{Width: 420, Height: 595, Bleed: 8.5, Items: items}}}
}

func TestWriteErrors(t *testing.T) {
	faces := sampledoc.Faces(t)
	dir := t.TempDir()
	notPicture := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notPicture, []byte("not a picture"), 0o644); err != nil {
		t.Fatal(err)
	}
	text := func() *display.Text { return sampledoc.MustRun(t, faces, fonts.SerifRegular, 10, 20, 20, 0, "字") }
	withRune := func(r rune) *display.Text {
		x := text()
		x.Glyphs = append(x.Glyphs, display.Glyph{R: r, X: 10})
		return x
	}
	twoPages := func(second ...display.Item) *display.Document {
		d := onePage(text())
		d.Pages = append(d.Pages, &display.Page{Width: 420, Height: 595, Items: second})
		return d
	}
	nan := math.NaN()
	for _, c := range []struct {
		name string
		doc  *display.Document
		want []string
	}{
		{"no document", nil, []string{"no document"}},
		{"no pages", &display.Document{}, []string{"no pages"}},
		{"nil page", &display.Document{Pages: []*display.Page{nil}}, []string{"page 1 is missing"}},
		{"bad size", &display.Document{Pages: []*display.Page{{Width: 0, Height: 10}}}, []string{"page 1", "bad size"}},
		{"above U+FFFF", twoPages(withRune(0x20000)), []string{"page 2", "U+20000", "above U+FFFF"}},
		{"emoji", twoPages(withRune(0x1F600)), []string{"page 2", "U+1F600"}},
		{"missing glyph", onePage(withRune(0x0E01)), []string{"page 1", "U+0E01", fonts.SerifRegular}},
		{"control character", onePage(withRune(0x07)), []string{"page 1", "U+0007"}},
		{"surrogate", onePage(withRune(0xD800)), []string{"page 1", "U+D800"}},
		{"unknown font", onePage(&display.Text{Font: "Nope", Size: 10, Glyphs: []display.Glyph{{R: '字'}}}), []string{"page 1", `"Nope"`}},
		{"bad text size", onePage(&display.Text{Font: fonts.SerifRegular, Size: 0, Glyphs: []display.Glyph{{R: '字'}}}), []string{"page 1", "size"}},
		{"NaN glyph", onePage(&display.Text{Font: fonts.SerifRegular, Size: 10, Glyphs: []display.Glyph{{R: '字', X: nan}}}), []string{"page 1", "U+5B57", "non-finite"}},
		{"NaN rect", onePage(&display.Rect{X: nan, W: 1, H: 1, Fill: &display.Black}), []string{"page 1", "rectangle"}},
		{"NaN line", onePage(&display.Line{X1: math.Inf(1)}), []string{"page 1", "rule"}},
		{"empty frame", onePage(&display.Image{W: 0, H: 10, Path: notPicture}), []string{"page 1", "bad frame"}},
		{"missing picture", twoPages(&display.Image{W: 10, H: 10, Path: filepath.Join(dir, "gone.jpg")}), []string{"page 2", "gone.jpg"}},
		{"not a picture", onePage(&display.Image{W: 10, H: 10, Path: notPicture}), []string{"page 1", "notes.txt"}},
		{"link to nowhere", onePage(&display.Link{W: 10, H: 10, Page: 3}), []string{"page 1", "page index 3"}},
		{"nil item", onePage(nil), []string{"page 1", "nil item"}},
		{"bookmark to nowhere", func() *display.Document {
			d := onePage(text())
			d.Outline = []display.Bookmark{{Title: "x", Page: 2}}
			return d
		}(), []string{"bookmark", "page index 2"}},
		{"bookmark above U+FFFF", func() *display.Document {
			d := onePage(text())
			d.Outline = []display.Bookmark{{Title: "𠀀", Page: 0}}
			return d
		}(), []string{"bookmark", "U+20000"}},
		{"title above U+FFFF", func() *display.Document {
			d := onePage(text())
			d.Title = "刊𠀀"
			return d
		}(), []string{"title", "U+20000"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			err := WritePDF(&b, c.doc, faces)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if b.Len() != 0 {
				t.Errorf("%d bytes written despite the error", b.Len())
			}
		})
	}
}

// TestOddInputs draws things that are unusual but valid: nothing panics
// and a PDF comes out.
func TestOddInputs(t *testing.T) {
	faces := sampledoc.Faces(t)
	doc := onePage(
		&display.Text{Font: "not even looked up", Size: 10}, // no glyphs
		&display.Rect{X: 100, Y: 100, W: -50, H: -20, Fill: &display.Black},
		&display.Rect{X: 10, Y: 10, W: 5, H: 5}, // neither filled nor stroked
		&display.Line{X1: 0, Y1: 0, X2: 0, Y2: 0, Width: -1, Color: display.Color{C: 2, M: -1}},
		&display.Link{X: 10, Y: 10, W: -5, H: 5, Page: 0, DestY: -100},
	)
	doc.Outline = []display.Bookmark{{Title: "deep first", Level: 3, Page: 0}, {Title: "", Level: -1, Page: 0}}
	var b bytes.Buffer
	if err := WritePDF(&b, doc, faces); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b.Bytes(), []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
	if err := WritePDF(&b, onePage(sampledoc.MustRun(t, faces, fonts.SansBold, 10, 0, 0, 0, "x")), nil); err == nil {
		t.Error("no error for a face missing from a nil font set")
	}
}

func TestDeterministic(t *testing.T) {
	faces := sampledoc.Faces(t)
	dir := t.TempDir()
	write := func(loc *time.Location) []byte {
		doc := handMade(t, faces, dir)
		doc.Date = time.Date(2023, 5, 1, 8, 0, 0, 0, time.FixedZone("CST", 8*3600)).In(loc)
		var b bytes.Buffer
		if err := WritePDF(&b, doc, faces); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	a, b := write(time.UTC), write(time.FixedZone("X", -5*3600))
	if !bytes.Equal(a, b) {
		t.Fatal("two writes of the same document differ")
	}
	if !bytes.Contains(a, []byte("/CreationDate(D:20230501000000+00'00')")) {
		t.Error("the creation date is not the document's date in UTC")
	}
	// A zero date is the epoch, never the clock.
	doc := onePage(sampledoc.MustRun(t, faces, fonts.SerifRegular, 10, 20, 20, 0, "字"))
	var c bytes.Buffer
	if err := WritePDF(&c, doc, faces); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(c.Bytes(), []byte("(D:19700101000000+00'00')")) {
		t.Error("a zero date is not written as the epoch")
	}
}

// TestPDFStructure checks with poppler what the writer promises besides
// the drawing: page and trim boxes, metadata, embedded subset fonts, the
// outline with its levels and the links.
func TestPDFStructure(t *testing.T) {
	needTool(t, "pdfinfo")
	needTool(t, "pdftohtml")
	needTool(t, "pdffonts")
	faces := sampledoc.Faces(t)
	doc := handMade(t, faces, t.TempDir())
	var b bytes.Buffer
	if err := WritePDF(&b, doc, faces); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "out.pdf")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out := func(name string, args ...string) string {
		t.Helper()
		o, err := exec.Command(name, append(args, path)...).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, o)
		}
		return string(o)
	}

	info := out("pdfinfo", "-box", "-f", "1", "-l", "2")
	bl := 3 / 25.4 * 72
	for _, c := range []struct {
		page           int
		box            string
		x0, y0, x1, y1 float64
	}{
		{1, "MediaBox", 0, 0, 595.276 + 2*bl, 841.89 + 2*bl},
		{1, "TrimBox", bl, bl, 595.276 + bl, 841.89 + bl},
		// Not written: it defaults to the MediaBox, which is trim + bleed.
		{1, "BleedBox", 0, 0, 595.276 + 2*bl, 841.89 + 2*bl},
		{2, "MediaBox", 0, 0, 420, 595},
		{2, "TrimBox", 0, 0, 420, 595},
	} {
		re := regexp.MustCompile(`Page +` + strconv.Itoa(c.page) + ` ` + c.box + `: +([-\d.]+) +([-\d.]+) +([-\d.]+) +([-\d.]+)`)
		m := re.FindStringSubmatch(info)
		if m == nil {
			t.Errorf("page %d: no %s in\n%s", c.page, c.box, info)
			continue
		}
		for i, want := range []float64{c.x0, c.y0, c.x1, c.y1} {
			got, _ := strconv.ParseFloat(m[i+1], 64)
			if math.Abs(got-want) > 0.006 { // gopdf writes two decimals
				t.Errorf("page %d %s: %v, want [%.3f %.3f %.3f %.3f]", c.page, c.box, m[1:], c.x0, c.y0, c.x1, c.y1)
				break
			}
		}
	}
	for _, want := range []string{"Title:           手工样张", "Author:          paiban", "CreationDate:    Mon May  1 00:00:00 2023 UTC", "Pages:           2"} {
		if !strings.Contains(info, want) {
			t.Errorf("pdfinfo lacks %q:\n%s", want, info)
		}
	}

	fl := out("pdffonts")
	for _, f := range []string{fonts.SerifRegular, fonts.SansBold, fonts.SansRegular, fonts.SerifBold} {
		if !regexp.MustCompile(`(?m)^[A-Z]{6}\+` + f + ` +CID TrueType +Identity-H +yes +yes +yes`).MatchString(fl) {
			t.Errorf("%s is not an embedded, tagged subset with a ToUnicode map:\n%s", f, fl)
		}
	}

	x := out("pdftohtml", "-xml", "-stdout", "-i", "-q")
	outline := `<outline>
<item page="1">第一页</item>
<outline>
<item page="1">图片</item>
</outline>
<item page="2">第二页</item>
</outline>`
	if !strings.Contains(x, outline) {
		t.Errorf("outline is not\n%s\nin\n%s", outline, x)
	}
	for _, want := range []string{`<a href="out.html#2">Typeset with paiban`, `<a href="out.html#1"><b>第二页 A5</b>`} {
		if !strings.Contains(x, want) {
			t.Errorf("no link %q in\n%s", want, x)
		}
	}
}

// TestPictureFormats draws pictures gopdf cannot take as they are (16-bit
// PNG, grey, palette, alpha) and checks their colour on the page.
func TestPictureFormats(t *testing.T) {
	needTool(t, "pdftoppm")
	dir := t.TempDir()
	save := func(name string, img image.Image) string {
		p := filepath.Join(dir, name)
		var b bytes.Buffer
		if err := png.Encode(&b, img); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	r := image.Rect(0, 0, 20, 20)
	rgb16 := image.NewNRGBA64(r)
	gray16 := image.NewGray16(r)
	gray := image.NewGray(r)
	pal := image.NewPaletted(r, color.Palette{color.RGBA{0, 0, 0, 255}, color.RGBA{60, 60, 60, 255}})
	alpha := image.NewNRGBA(r)
	for y := 0; y < 20; y++ {
		for x := 0; x < 20; x++ {
			rgb16.Set(x, y, color.NRGBA64{0x3000, 0x3000, 0x3000, 0xFFFF})
			gray16.Set(x, y, color.Gray16{0x3000})
			gray.Set(x, y, color.Gray{0x30})
			pal.SetColorIndex(x, y, 1)
			alpha.Set(x, y, color.NRGBA{0, 0, 0, 0x80})
		}
	}
	var items []display.Item
	names := []string{"rgb16.png", "gray16.png", "gray.png", "pal.png", "alpha.png"}
	for i, img := range []image.Image{rgb16, gray16, gray, pal, alpha} {
		items = append(items, &display.Image{X: float64(10 + 40*i), Y: 10, W: 30, H: 30, Path: save(names[i], img)})
	}
	var b bytes.Buffer
	doc := &display.Document{Pages: []*display.Page{{Width: 220, Height: 50, Items: items}}}
	if err := WritePDF(&b, doc, nil); err != nil {
		t.Fatal(err)
	}
	pg := rasterise(t, b.Bytes(), 72)[0]
	for i, n := range names {
		v := int(pg.pix[25*pg.w+10+40*i+15])
		want := 0x30
		if n == "pal.png" {
			want = 60
		}
		if n == "alpha.png" {
			want = 127 // black at half opacity over white
		}
		if v < want-12 || v > want+12 {
			t.Errorf("%s: grey %d, want about %d", n, v, want)
		}
	}
}
