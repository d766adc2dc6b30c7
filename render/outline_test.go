package render

import (
	"paiban/internal/sampledoc"

	"bytes"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"paiban/display"
	"paiban/fonts"
)

// hanaMinB is Debian's fonts-hanazono face for CJK Extension B.
const hanaMinB = "/usr/share/fonts/truetype/hanazono/HanaMinB.ttf"

// extPage is a page of 300 × 150 pt, no bleed, with the runs given.
func extPage(items ...display.Item) *display.Document {
	return &display.Document{Title: "ext", Pages: []*display.Page{{Width: 300, Height: 150, Items: items}}}
}

// TestOutlineGlyph draws "一𬭚二": 𬭚 (U+2CB5A, CJK Extension E, in the
// 通用规范汉字表) is in Noto Serif SC but above U+FFFF, so it is drawn as an
// outline. The page shows it where the display list puts it, pdftotext
// reads the three characters in order, and the only font is embedded.
func TestOutlineGlyph(t *testing.T) {
	faces := sampledoc.Faces(t)
	const c = 0x2CB5A
	serif := faces.Face(fonts.SerifRegular)
	if !serif.Has(c) || serif.Has(0x20BB7) {
		t.Fatalf("test assumes Noto Serif SC has U+2CB5A and lacks U+20BB7")
	}
	tx := sampledoc.MustRun(t, faces, fonts.SerifRegular, 48, 40, 100, 2, "一𬭚二")
	tx.Color = display.Color{C: 0.2, K: 0.9}
	doc := extPage(tx)

	// The content stream: the outline in the run's CMYK colour, filled,
	// inside a span with the ActualText, and an invisible ideographic space
	// (U+3000: "0\x00" in Identity-H).
	raw := render(t, doc, Options{})
	cs := contents(t, parse(t, raw))[0]
	span := regexp.MustCompile(`(?s)0\.2 0 0 0\.9 k\n.*/Span <</ActualText <FEFFD872DF5A>>> BDC\n[-\d. ]+ m\n(?:[-\d. ]+ [lcm]\n|h\n)+f\n3 Tr\nBT [-\d. ]+ Td \(0\x00\) Tj ET\n0 Tr\nEMC\n`)
	if !span.MatchString(cs) {
		t.Errorf("no outline span in:\n%q", cs)
	}
	if strings.Count(cs, "BDC") != 1 || strings.Contains(cs, "Tz") {
		t.Errorf("one span, no scaling expected:\n%q", cs)
	}
	if !bytes.Equal(raw, render(t, doc, Options{})) {
		t.Errorf("not deterministic")
	}

	path := writeDoc(t, doc)
	for _, args := range [][]string{{"-raw"}, {}, {"-layout"}} {
		args = append(args, "-enc", "UTF-8", path, "-")
		if got := space.ReplaceAllString(tool(t, "pdftotext", args...), ""); got != "一𬭚二" {
			t.Errorf("pdftotext %v: %q, want 一𬭚二", args[:len(args)-4], got)
		}
	}
	checkFonts(t, path, "NotoSerifSC-Regular")
	checkInk(t, path, doc, tx, 1, serif, c)
}

// TestOutlineFallback draws 𠮷 (U+20BB7, Extension B) from a fallback face
// that has nothing else to draw: the face is not embedded (its glyph is a
// path), the invisible glyph comes from the serif.
func TestOutlineFallback(t *testing.T) {
	if _, err := os.Stat(hanaMinB); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s missing (Debian package fonts-hanazono)", hanaMinB)
		}
		t.Skipf("%s missing (apt-get install fonts-hanazono)", hanaMinB)
	}
	hana, err := fonts.Load("HanaMinB", hanaMinB)
	if err != nil {
		t.Fatal(err)
	}
	const c = 0x20BB7
	if !hana.Has(c) {
		t.Fatalf("HanaMinB lacks U+20BB7")
	}
	def := sampledoc.Faces(t)
	faces := fonts.NewSet(def.Face(fonts.SerifRegular), hana)
	size := 30.0
	a, _ := def.Face(fonts.SerifRegular).Advance('一')
	b, _ := hana.Advance(c)
	one := sampledoc.MustRun(t, faces, fonts.SerifRegular, size, 40, 100, 0, "一")
	ext := sampledoc.MustRun(t, faces, "HanaMinB", size, 40+a*size, 100, 0, "𠮷")
	two := sampledoc.MustRun(t, faces, fonts.SerifRegular, size, 40+(a+b)*size, 100, 0, "二")
	doc := extPage(one, ext, two)

	var buf bytes.Buffer
	if err := WritePDF(&buf, doc, faces, DefaultOptions()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "fallback.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := space.ReplaceAllString(tool(t, "pdftotext", "-enc", "UTF-8", path, "-"), ""); got != "一𠮷二" {
		t.Errorf("pdftotext: %q, want 一𠮷二", got)
	}
	checkFonts(t, path, "NotoSerifSC-Regular")
	checkInk(t, path, doc, ext, 0, hana, c)

	// The same character alone: the fallback face carries its own
	// invisible glyph, so it is embedded (a subset of two glyphs).
	buf.Reset()
	if err := WritePDF(&buf, extPage(ext), faces, DefaultOptions()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := space.ReplaceAllString(tool(t, "pdftotext", "-enc", "UTF-8", path, "-"), ""); got != "𠮷" {
		t.Errorf("pdftotext alone: %q, want 𠮷", got)
	}
	checkFonts(t, path, "HanaMinB")

	// A face without the character is still an error naming it.
	doc = extPage(sampledoc.MustRun(t, faces, fonts.SerifRegular, size, 40, 100, 0, "一"))
	doc.Pages[0].Items[0].(*display.Text).Glyphs[0].R = c
	err = WritePDF(&buf, doc, faces, DefaultOptions())
	if err == nil || !strings.Contains(err.Error(), "U+20BB7") || !strings.Contains(err.Error(), "page 1") {
		t.Errorf("missing glyph: %v", err)
	}
}

// checkFonts checks that pdffonts lists exactly the faces named, each
// embedded and subset.
func checkFonts(t *testing.T, path string, names ...string) {
	t.Helper()
	out := tool(t, "pdffonts", path)
	lines := strings.Split(strings.TrimSpace(out), "\n")[2:]
	if len(lines) != len(names) {
		t.Fatalf("want fonts %v, got:\n%s", names, out)
	}
	for i, l := range lines {
		if !regexp.MustCompile(`^[A-Z]{6}\+` + names[i] + ` +CID TrueType +Identity-H +yes +yes +yes `).MatchString(l) {
			t.Errorf("font line not %s embedded and subset: %q", names[i], l)
		}
	}
}

// checkInk rasterises the page with pdftoppm and compares the ink in the
// box of glyph i of run tx (character c of face) with the outline drawn
// by the test itself at the place the display list gives: they must
// nearly coincide.
func checkInk(t *testing.T, path string, doc *display.Document, tx *display.Text, i int, face *fonts.Face, c rune) {
	t.Helper()
	const scale = 4.0 // pixels per pt (288 dpi)
	dir := t.TempDir()
	tool(t, "pdftoppm", "-r", "288", "-gray", "-png", "-singlefile", path, filepath.Join(dir, "page"))
	f, err := os.Open(filepath.Join(dir, "page.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	pg := doc.Pages[0]
	w, h := int(math.Round(pg.Width*scale)), int(math.Round(pg.Height*scale))
	if img.Bounds().Dx() != w || img.Bounds().Dy() != h {
		t.Fatalf("page raster %v, want %d×%d", img.Bounds(), w, h)
	}
	segs, err := face.Outline(c)
	if err != nil || len(segs) == 0 {
		t.Fatalf("outline of U+%04X: %v", c, err)
	}
	ox, oy := tx.X+tx.Glyphs[i].X, tx.Y
	// Flatten the outline into closed polygons in pixels (y down).
	pt := func(p fonts.Point) [2]float64 {
		return [2]float64{(ox + p.X*tx.Size) * scale, (oy - p.Y*tx.Size) * scale}
	}
	var polys [][][2]float64
	var cur [2]float64
	add := func(q [2]float64) {
		polys[len(polys)-1] = append(polys[len(polys)-1], q)
		cur = q
	}
	bez := func(ps ...[2]float64) { // Bézier from cur through control points ps
		ctl := append([][2]float64{cur}, ps...)
		for k := 1; k <= 16; k++ {
			u := float64(k) / 16
			b := append([][2]float64(nil), ctl...)
			for n := len(b) - 1; n > 0; n-- { // de Casteljau
				for j := 0; j < n; j++ {
					b[j] = [2]float64{b[j][0] + u*(b[j+1][0]-b[j][0]), b[j][1] + u*(b[j+1][1]-b[j][1])}
				}
			}
			add(b[0])
		}
	}
	for _, s := range segs {
		switch s.Op {
		case fonts.MoveTo:
			polys = append(polys, nil)
			add(pt(s.P[0]))
		case fonts.LineTo:
			add(pt(s.P[0]))
		case fonts.QuadTo:
			bez(pt(s.P[0]), pt(s.P[1]))
		case fonts.CubeTo:
			bez(pt(s.P[0]), pt(s.P[1]), pt(s.P[2]))
		}
	}
	box := image.Rectangle{Min: image.Pt(w, h)}
	for _, pl := range polys {
		for _, q := range pl {
			box = box.Union(image.Rect(int(q[0])-2, int(q[1])-2, int(q[0])+3, int(q[1])+3))
		}
	}
	// inside: the nonzero winding rule at a pixel's centre.
	inside := func(x, y float64) bool {
		wind := 0
		for _, pl := range polys {
			for k := range pl {
				a, b := pl[k], pl[(k+1)%len(pl)]
				if (a[1] <= y) != (b[1] <= y) {
					if xc := a[0] + (y-a[1])/(b[1]-a[1])*(b[0]-a[0]); xc > x {
						if b[1] > a[1] {
							wind++
						} else {
							wind--
						}
					}
				}
			}
		}
		return wind != 0
	}
	box = box.Intersect(img.Bounds())
	var both, either, ink int
	for y := box.Min.Y; y < box.Max.Y; y++ {
		for x := box.Min.X; x < box.Max.X; x++ {
			g, _, _, _ := img.At(x, y).RGBA()
			got := g < 0x8000
			exp := inside(float64(x)+0.5, float64(y)+0.5)
			if got {
				ink++
			}
			if got && exp {
				both++
			}
			if got || exp {
				either++
			}
		}
	}
	area := box.Dx() * box.Dy()
	t.Logf("U+%04X: box %v, %d of %d pixels inked, overlap %d of %d", c, box, ink, area, both, either)
	if ink < area/20 {
		t.Errorf("U+%04X: almost no ink in its box %v: %d of %d pixels", c, box, ink, area)
	}
	if either == 0 || float64(both)/float64(either) < 0.9 {
		t.Errorf("U+%04X: the page's ink and the outline overlap in %d of %d pixels", c, both, either)
	}
}

// TestAppendOutline checks the path operators: quadratic curves become
// the equal cubic ones, cubic ones pass as they are, every contour is
// closed, the glyph scaled, y up.
func TestAppendOutline(t *testing.T) {
	p := func(x, y float64) fonts.Point { return fonts.Point{X: x, Y: y} }
	segs := []fonts.Segment{
		{Op: fonts.MoveTo, P: [3]fonts.Point{p(0, 0)}},
		{Op: fonts.QuadTo, P: [3]fonts.Point{p(0.3, 0.6), p(0.6, 0)}},
		{Op: fonts.LineTo, P: [3]fonts.Point{p(0.6, -0.1)}},
		{Op: fonts.MoveTo, P: [3]fonts.Point{p(0.1, 0.1)}},
		{Op: fonts.CubeTo, P: [3]fonts.Point{p(0.1, 0.2), p(0.2, 0.3), p(0.3, 0.1)}},
	}
	got := string(appendOutline(nil, segs, 10, 100, 200))
	want := "100 200 m\n102 204 104 204 106 200 c\n106 199 l\nh\n101 201 m\n101 202 102 203 103 201 c\nh\nf\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if appendOutline(nil, nil, 10, 0, 0) != nil {
		t.Errorf("an empty outline draws something")
	}
}

// TestOutlineCarrierScaled draws 🄯 (U+1F12F, 0.821 em wide in Noto Serif
// SC): the invisible ideographic space (1 em) that carries its text is
// scaled to its advance.
func TestOutlineCarrierScaled(t *testing.T) {
	faces := sampledoc.Faces(t)
	tx := sampledoc.MustRun(t, faces, fonts.SerifRegular, 20, 40, 100, 0, "版🄯权")
	doc := extPage(tx)
	cs := contents(t, parse(t, render(t, doc, Options{})))[0]
	if !strings.Contains(cs, "/Span <</ActualText <FEFFD83CDD2F>>> BDC\n") || !strings.Contains(cs, "\n3 Tr\n82.1 Tz\nBT ") || !strings.Contains(cs, " Tj ET\n100 Tz\n0 Tr\nEMC\n") {
		t.Errorf("no scaled carrier in:\n%q", cs)
	}
	path := writeDoc(t, doc)
	if got := space.ReplaceAllString(tool(t, "pdftotext", "-enc", "UTF-8", path, "-"), ""); got != "版🄯权" {
		t.Errorf("pdftotext: %q, want 版🄯权", got)
	}
}
