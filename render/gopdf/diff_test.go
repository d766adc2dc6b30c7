package gopdf

// The differential test: the same display list written by package render
// (fpdf, CMYK) and by this package (gopdf, RGB), both rasterised with
// pdftoppm at 50 dpi in grey and compared pixel by pixel. The two writers
// share no drawing code, so a coordinate error in either shows as pixels
// that differ.
//
// Calibration (reference sample, 20–24 pages at 50 dpi, 426×597 px a page;
// the test logs the figures):
//
//   - What legitimately differs: CMYK against RGB grey (pdftoppm greys
//     DeviceCMYK as 1−k−0.3c−0.59m−0.11y, the preview's RGB as
//     0.299r+0.587g+0.114b of r=(1−c)(1−k)…: up to 19 levels for the
//     sample's colours, 27 for its accent red), and gopdf's two-decimal
//     coordinates, which now and then move a hairline or a picture's edge
//     one pixel row (at worst 0.18% of a page, 9.7% of a tile).
//     pixelThreshold is above the first, the tolerances well above the
//     second. Pictures are made grey for both writers (greyPictures):
//     the print profile converts photos through an ICC profile, which this
//     test does not check.
//   - What must fail: all text 1 pt off (0.69 px at 50 dpi) changes 2–9%
//     of a text page's pixels and a third of a tile of text (about 3 pages
//     in 4 fail, depending on the direction; pages with only a folio and a
//     running head pass); a unit error (mm taken for pt) fails every page.

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"paiban/display"
	"paiban/fonts"
	"paiban/internal/sampledoc"
	"paiban/render"
)

const (
	samplePath = "../../samples/zhenjing-2023-05/issue.toml"
	diffDPI    = 50

	// pixelThreshold is the grey-level difference (of 255) above which a
	// pixel counts as different.
	pixelThreshold = 32
	// pageTolerance is the share of a page's pixels that may differ.
	pageTolerance = 0.005
	// tileTolerance is the share of one tileSize×tileSize square that may
	// differ: it catches a local error on a nearly empty page.
	tileTolerance = 0.20
)

// judge returns the pages whose difference is beyond the tolerances.
func judge(ds []pageDiff) []pageDiff {
	var bad []pageDiff
	for _, d := range ds {
		if d.sizeErr != "" || d.share > pageTolerance || d.tile > tileTolerance {
			bad = append(bad, d)
		}
	}
	return bad
}

// sampleRef is the reference sample laid out once, with its pictures made
// fit for both writers, and the fpdf writer's rendering of it.
var sampleRef struct {
	once  sync.Once
	doc   *display.Document // pictures made grey (see greyPictures)
	faces *fonts.Set
	ref   []*grayPage // the fpdf writer's rendering
	dir   string      // the grey pictures
	err   error
}

func loadSample(t *testing.T) (*display.Document, *fonts.Set, []*grayPage) {
	t.Helper()
	needTool(t, "pdftoppm")
	s := &sampleRef
	s.once.Do(func() {
		res, faces, err := sampledoc.Layout(samplePath)
		if err != nil {
			s.err = err
			return
		}
		s.doc, s.faces = res.Doc, faces
		if s.dir, s.err = os.MkdirTemp("", "paiban-gopdf-diff"); s.err != nil {
			return
		}
		if s.err = greyPictures(s.doc, s.dir); s.err != nil {
			return
		}
		var a bytes.Buffer
		if err := render.WritePDF(&a, s.doc, s.faces, previewOptions); err != nil {
			s.err = err
			return
		}
		s.ref, s.err = rasteriseErr(a.Bytes(), diffDPI)
	})
	if s.err != nil {
		t.Fatal(s.err)
	}
	return s.doc, s.faces, s.ref
}

// diffAgainstSample writes doc with this package and compares it with the
// fpdf rendering of the sample.
func diffAgainstSample(t *testing.T, doc *display.Document, faces *fonts.Set, ref []*grayPage) []pageDiff {
	t.Helper()
	var b bytes.Buffer
	if err := WritePDF(&b, doc, faces); err != nil {
		t.Fatal(err)
	}
	ds, err := compare(ref, rasterise(t, b.Bytes(), diffDPI), pixelThreshold)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func TestDiffSample(t *testing.T) {
	doc, faces, ref := loadSample(t)
	ds := diffAgainstSample(t, doc, faces, ref)
	t.Logf("%d pages, pixel threshold %d levels, tolerance %.2f%% of a page, %.0f%% of a %d px tile:\n%s",
		len(ds), pixelThreshold, 100*pageTolerance, 100*tileTolerance, tileSize, summary(ds))
	if bad := judge(ds); len(bad) > 0 {
		t.Errorf("the two writers draw %d pages differently:\n%s", len(bad), summary(bad))
	}
}

// TestDiffCatchesErrors proves the comparison can fail: deliberate errors
// in the display list drawn by this writer must be told from the fpdf
// rendering of the correct list.
func TestDiffCatchesErrors(t *testing.T) {
	doc, faces, ref := loadSample(t)
	for _, c := range []struct {
		name   string
		change func(*display.Document)
		// minBad is how many pages at least must fail.
		minBad int
	}{
		{"all text 1 pt right", func(d *display.Document) { moveText(d, 1, 0) }, len(doc.Pages) / 2},
		{"all text 1 pt down", func(d *display.Document) { moveText(d, 0, 1) }, len(doc.Pages) / 2},
		{"all text 1 pt up", func(d *display.Document) { moveText(d, 0, -1) }, len(doc.Pages) / 2},
		{"mm taken for pt", func(d *display.Document) { scaleItems(d, 25.4/72) }, len(doc.Pages) * 9 / 10},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := cloneDoc(doc)
			c.change(d)
			ds := diffAgainstSample(t, d, faces, ref)
			bad := judge(ds)
			t.Logf("%d of %d pages fail:\n%s", len(bad), len(ds), summary(ds))
			if len(bad) < c.minBad {
				t.Errorf("only %d pages fail, want at least %d: the comparison does not see the error", len(bad), c.minBad)
			}
		})
	}
}

// TestDiffHandMade compares the writers on a small hand-made list that
// uses every kind of item: Latin and Chinese text with changing spacing,
// filled and stroked rectangles, rules, pictures covering and contained in
// their frames with a focus point, a link and bookmarks, on pages of two
// sizes.
func TestDiffHandMade(t *testing.T) {
	needTool(t, "pdftoppm")
	faces := sampledoc.Faces(t)
	dir := t.TempDir()
	doc := handMade(t, faces, dir)
	if err := greyPictures(doc, dir); err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	if err := WritePDF(&b, doc, faces); err != nil {
		t.Fatal(err)
	}
	if err := render.WritePDF(&a, doc, faces, previewOptions); err != nil {
		t.Fatal(err)
	}
	ds, err := compare(rasterise(t, a.Bytes(), diffDPI), rasterise(t, b.Bytes(), diffDPI), pixelThreshold)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", summary(ds))
	if bad := judge(ds); len(bad) > 0 {
		t.Errorf("the two writers draw %d pages differently:\n%s", len(bad), summary(bad))
	}
	// And the shifted list must not pass.
	moveText(doc, 0, 1)
	var c bytes.Buffer
	if err := WritePDF(&c, doc, faces); err != nil {
		t.Fatal(err)
	}
	ds, err = compare(rasterise(t, a.Bytes(), diffDPI), rasterise(t, c.Bytes(), diffDPI), pixelThreshold)
	if err != nil {
		t.Fatal(err)
	}
	if len(judge(ds)) == 0 {
		t.Errorf("text 1 pt down passes the comparison:\n%s", summary(ds))
	}
}

// handMade builds the hand-made display list; pictures go into dir.
func handMade(t *testing.T, faces *fonts.Set, dir string) *display.Document {
	t.Helper()
	const bleed = 3 / 25.4 * 72
	wide := filepath.Join(dir, "wide.png") // 3:1, halves of different grey
	writeHalves(t, wide, 600, 200)
	tall := filepath.Join(dir, "tall.jpg")
	writeGradient(t, tall, 200, 400)
	red, tint := display.Color{M: 1, Y: 0.9, K: 0.1}, display.Color{C: 0.2, K: 0.1}

	latin := sampledoc.MustRun(t, faces, fonts.SerifRegular, 12, 40, 60, 0, "Typeset with paiban: 1 pt = 1/72 in.")
	cjk := sampledoc.MustRun(t, faces, fonts.SerifRegular, 10.5, 40, 90, 0.731, "臻境，工行广州分行服务管理专刊。")
	// Spacing that changes inside the run: compressed punctuation.
	mixed := sampledoc.MustRun(t, faces, fonts.SansBold, 14, 40, 120, 0, "“服务”与「体验」——2023年")
	for i := range mixed.Glyphs {
		if i > 3 {
			mixed.Glyphs[i].X -= 3.5
		}
		if i > 9 {
			mixed.Glyphs[i].X += 1.25
		}
	}
	mixed.Color = red
	big := sampledoc.MustRun(t, faces, fonts.SansRegular, 33.333, 40, 180, -1.5, "目录 CONTENTS")
	folio := sampledoc.MustRun(t, faces, fonts.SansRegular, 9, 290, 800, 0, "1")
	folio.Artifact = true

	p1 := &display.Page{Width: 595.276, Height: 841.89, Bleed: bleed, Folio: "1", Items: []display.Item{
		&display.Rect{X: -bleed, Y: -bleed, W: 595.276 + 2*bleed, H: 30 + bleed, Fill: &red},
		latin, cjk, mixed, big,
		&display.Rect{X: 40, Y: 200, W: 200, H: 60, Fill: &tint, Stroke: &display.Black, StrokeWidth: 2},
		&display.Rect{X: 300, Y: 200, W: 200, H: 60, Stroke: &red, StrokeWidth: 0.75},
		&display.Line{X1: 40, Y1: 280, X2: 555, Y2: 280, Width: 0.5, Color: display.Black},
		&display.Line{X1: 40, Y1: 290, X2: 300, Y2: 400, Width: 3, Color: red},
		// Cover: the 3:1 picture in a 1:1 frame, focus on the left edge
		// (only the dark half shows) and on the centre.
		&display.Image{X: 40, Y: 420, W: 150, H: 150, Path: wide, Fit: display.Cover, FocusX: -0.5},
		&display.Image{X: 220, Y: 420, W: 150, H: 150, Path: wide, Fit: display.Cover},
		// Contain: the 1:2 picture in a 2:1 frame, centred.
		&display.Image{X: 40, Y: 600, W: 300, H: 150, Path: tall, Fit: display.Contain},
		// Cover into a wide frame, focus low.
		&display.Image{X: 360, Y: 600, W: 200, H: 100, Path: tall, Fit: display.Cover, FocusY: 0.4},
		&display.Link{X: 40, Y: 45, W: 200, H: 20, Page: 1, DestY: 100},
		folio,
	}}
	p2 := &display.Page{Width: 420, Height: 595, Bleed: 0, Items: []display.Item{
		sampledoc.MustRun(t, faces, fonts.SerifBold, 20, 30, 50, 0, "第二页 A5"),
		&display.Rect{X: 30, Y: 70, W: 360, H: 1, Fill: &display.Black},
		&display.Link{X: 30, Y: 30, W: 100, H: 25, Page: 0, DestY: 0},
	}}
	return &display.Document{
		Title: "手工样张", Author: "paiban", Date: time.Date(2023, 5, 1, 0, 0, 0, 0, time.UTC),
		Pages: []*display.Page{p1, p2},
		Outline: []display.Bookmark{
			{Title: "第一页", Level: 0, Page: 0, Y: 40},
			{Title: "图片", Level: 1, Page: 0, Y: 420},
			{Title: "第二页", Level: 0, Page: 1, Y: 0},
		},
	}
}

// TestCoverFocus checks the crop geometry directly: a 3:1 picture, left
// half dark and right half light, covering a square frame with the focus
// on its left edge shows only dark, on its right edge only light, and
// centred half of each.
func TestCoverFocus(t *testing.T) {
	needTool(t, "pdftoppm")
	dir := t.TempDir()
	wide := filepath.Join(dir, "wide.png")
	writeHalves(t, wide, 600, 200)
	pg := &display.Page{Width: 360, Height: 144, Items: []display.Item{
		&display.Image{X: 0, Y: 0, W: 144, H: 144, Path: wide, FocusX: -0.5},
		&display.Image{X: 216, Y: 0, W: 144, H: 144, Path: wide, FocusX: 0.5},
	}}
	mid := &display.Page{Width: 144, Height: 144, Items: []display.Item{
		&display.Image{X: 0, Y: 0, W: 144, H: 144, Path: wide},
	}}
	contain := &display.Page{Width: 144, Height: 144, Items: []display.Item{
		&display.Image{X: 0, Y: 0, W: 144, H: 144, Path: wide, Fit: display.Contain},
	}}
	var b bytes.Buffer
	if err := WritePDF(&b, &display.Document{Pages: []*display.Page{pg, mid, contain}}, nil); err != nil {
		t.Fatal(err)
	}
	pages := rasterise(t, b.Bytes(), 72) // 1 px = 1 pt
	at := func(p, x, y int) int { return int(pages[p].pix[y*pages[p].w+x]) }
	for _, c := range []struct {
		name       string
		page, x, y int
		dark       bool
	}{
		{"focus left, left edge", 0, 3, 72, true},
		{"focus left, right edge", 0, 140, 72, true},
		{"focus right, left edge", 0, 219, 72, false},
		{"focus right, right edge", 0, 356, 72, false},
		{"centred, left of centre", 1, 68, 72, true},
		{"centred, right of centre", 1, 76, 72, false},
		{"contain, band above", 2, 72, 10, false},
		{"contain, left half", 2, 30, 72, true},
		{"contain, right half", 2, 110, 72, false},
	} {
		v := at(c.page, c.x, c.y)
		if (v < 128) != c.dark {
			t.Errorf("%s: grey %d at (%d, %d), want %s", c.name, v, c.x, c.y, map[bool]string{true: "dark", false: "light"}[c.dark])
		}
	}
	// Contain: the picture is 48 pt high, centred: white above and below.
	if v := at(2, 30, 45); v < 200 {
		t.Errorf("contain: grey %d above the picture, want white", v)
	}
	if v := at(2, 30, 50); v > 128 {
		t.Errorf("contain: grey %d inside the picture's top, want dark", v)
	}
}

// greyPictures points every picture of doc at a greyscale copy in dir
// (same pixels, same size). The print profile of package render converts
// RGB photos to CMYK through the FOGRA39 profile, and pdftoppm greys CMYK
// by a formula of its own, so an RGB photo comes out in different greys
// from the two writers; a grey one is DeviceGray in both. Colour
// management is not what this test checks; where the pictures go is.
func greyPictures(doc *display.Document, dir string) error {
	done := make(map[string]string)
	for _, pg := range doc.Pages {
		for _, it := range pg.Items {
			im, ok := it.(*display.Image)
			if !ok {
				continue
			}
			if g, ok := done[im.Path]; ok {
				im.Path = g
				continue
			}
			f, err := os.Open(im.Path)
			if err != nil {
				return err
			}
			img, _, err := image.Decode(f)
			f.Close()
			if err != nil {
				return fmt.Errorf("%s: %w", im.Path, err)
			}
			// A stand-in of the same size: smooth, so that both writers'
			// resampling agree, with large blocks, so that a picture
			// drawn in the wrong place or cropped wrongly still shows.
			b0 := img.Bounds()
			g := image.NewGray(image.Rect(0, 0, b0.Dx(), b0.Dy()))
			for y := 0; y < b0.Dy(); y++ {
				for x := 0; x < b0.Dx(); x++ {
					v := 40 + 150*x/max(1, b0.Dx()-1)
					if (x*6/b0.Dx()+y*4/b0.Dy())%2 == 1 {
						v += 60
					}
					g.Pix[y*g.Stride+x] = uint8(v)
				}
			}
			var b bytes.Buffer
			if err := jpeg.Encode(&b, g, &jpeg.Options{Quality: 90}); err != nil {
				return err
			}
			out := filepath.Join(dir, fmt.Sprintf("grey-%d.jpg", len(done)))
			if err := os.WriteFile(out, b.Bytes(), 0o644); err != nil {
				return err
			}
			done[im.Path] = out
			im.Path = out
		}
	}
	return nil
}

// moveText moves every text run by (dx, dy).
func moveText(doc *display.Document, dx, dy float64) {
	for _, pg := range doc.Pages {
		for _, it := range pg.Items {
			if t, ok := it.(*display.Text); ok {
				t.X += dx
				t.Y += dy
			}
		}
	}
}

// scaleItems multiplies every coordinate and size on the pages (not the
// pages' own size) by k: what a writer does that takes millimetres for
// points, or the other way round.
func scaleItems(doc *display.Document, k float64) {
	for _, pg := range doc.Pages {
		for _, it := range pg.Items {
			switch v := it.(type) {
			case *display.Text:
				v.X, v.Y, v.Size = v.X*k, v.Y*k, v.Size*k
				for i := range v.Glyphs {
					v.Glyphs[i].X *= k
				}
			case *display.Rect:
				v.X, v.Y, v.W, v.H, v.StrokeWidth = v.X*k, v.Y*k, v.W*k, v.H*k, v.StrokeWidth*k
			case *display.Line:
				v.X1, v.Y1, v.X2, v.Y2, v.Width = v.X1*k, v.Y1*k, v.X2*k, v.Y2*k, v.Width*k
			case *display.Image:
				v.X, v.Y, v.W, v.H = v.X*k, v.Y*k, v.W*k, v.H*k
			case *display.Link:
				v.X, v.Y, v.W, v.H, v.DestY = v.X*k, v.Y*k, v.W*k, v.H*k, v.DestY*k
			}
		}
	}
}

// cloneDoc deep-copies a document's pages and items.
func cloneDoc(d *display.Document) *display.Document {
	c := *d
	c.Pages = make([]*display.Page, len(d.Pages))
	for i, pg := range d.Pages {
		p := *pg
		p.Items = make([]display.Item, len(pg.Items))
		for k, it := range pg.Items {
			switch v := it.(type) {
			case *display.Text:
				x := *v
				x.Glyphs = append([]display.Glyph(nil), v.Glyphs...)
				p.Items[k] = &x
			case *display.Rect:
				x := *v
				p.Items[k] = &x
			case *display.Line:
				x := *v
				p.Items[k] = &x
			case *display.Image:
				x := *v
				p.Items[k] = &x
			case *display.Link:
				x := *v
				p.Items[k] = &x
			default:
				p.Items[k] = it
			}
		}
		c.Pages[i] = &p
	}
	c.Outline = append([]display.Bookmark(nil), d.Outline...)
	return &c
}

// writeHalves writes a w×h PNG made by halves.
func writeHalves(t testing.TB, path string, w, h int) {
	t.Helper()
	if err := savePNG(path, halves(w, h)); err != nil {
		t.Fatal(err)
	}
}

// halves is a w×h picture whose left half is dark and right half light,
// each a checkerboard of two tones in 50 px squares, so that a picture
// moved or cropped wrongly shows (and edges are few enough that resampling
// the picture at another phase does not).
func halves(w, h int) image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := 40
			if x >= w/2 {
				v = 215
			}
			if (x/50+y/50)%2 == 1 {
				v = 255 - (255-v)*3/4 // 40 → 94, 215 → 225
			}
			img.Set(x, y, color.NRGBA{uint8(v), uint8(v), uint8(v), 255})
		}
	}
	return img
}

func savePNG(path string, img image.Image) error {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// writeGradient writes a w×h JPEG: a gradient with a dark bar near the
// top and a dark disc in the lower half.
func writeGradient(t testing.TB, path string, w, h int) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 160, 255}
			if y > h/10 && y < h/10+12 {
				c = color.RGBA{20, 20, 20, 255}
			}
			if dx, dy := x-w/2, y-3*h/4; dx*dx+dy*dy < (w/5)*(w/5) {
				c = color.RGBA{30, 10, 60, 255}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// previewOptions is the other writer's preview profile: both writers then
// embed the same pictures (package images at preview resolution), so what
// is compared is where things are drawn.
var previewOptions = render.Options{Profile: render.Preview, Compress: true}
