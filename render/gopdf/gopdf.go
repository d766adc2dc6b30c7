// Package gopdf is a second, independent PDF writer for the display list,
// built on github.com/signintech/gopdf. It writes the preview profile: RGB
// colours (CMYK converted with the plain formula r = (1−c)(1−k), …), the
// same page geometry as package render (page = trim + bleed on every side,
// display coordinates shifted by the bleed), every glyph at its exact
// position, pictures fitted to their frames, internal links and bookmarks.
//
// Its main job is the differential test in diff_test.go: the same display
// list drawn by two writers that share no drawing code must rasterise to
// the same pages, which catches coordinate errors in either writer.
//
// What gopdf v0.37.0 cannot do, and what this writer does instead:
//
//   - Page boxes: gopdf writes MediaBox and TrimBox only. MediaBox is trim +
//     bleed, so the BleedBox, which defaults to the CropBox and that to the
//     MediaBox, is still right; it is simply not written out. Boxes are
//     written with two decimals.
//   - No raw content-stream writes: no DeviceCMYK for text in the preview
//     (not needed), no marked content, so page furniture is not tagged
//     /Artifact and characters above U+FFFF cannot be drawn as outlines with
//     ActualText: they are errors.
//   - Character spacing (Tc) is available (SetCharSpacing) but with three
//     decimals and text positions with two; each group of evenly spaced
//     glyphs is one Text call at its own position with its own Tc, and a
//     group ends where the accumulated rounding would move a glyph more than
//     textTolerance from its place.
//   - Bookmarks: gopdf's outline API only makes a flat list. Top-level
//     entries are made with it (in page order); deeper entries are added as
//     plain objects through ImportObjects and linked in with the exported
//     setters. gopdf writes no /Count on top-level entries (viewers differ
//     in whether they open them) and its destination form (/XYZ 90 y 0);
//     deeper entries are open and jump to /XYZ 0 y.
//   - Coordinates are written with two decimals (1/200 pt): now and then a
//     hairline or a picture's edge lands one pixel row off the fpdf
//     writer's in a low-resolution rendering.
//   - gopdf replaces a glyph its font lacks with a space, silently, and
//     garbles characters above U+FFFF in text strings (bookmark titles,
//     Info): the list is checked first, and those are errors.
//   - Link rectangles, anchors and outline destinations are measured from
//     the first page's height whatever the page; the writer compensates.
//   - Pictures: Cover clips the whole picture to the frame (gopdf's crop
//     option) rather than cutting pixels; Contain centres it. Pictures are
//     embedded at full resolution, never downsampled. gopdf refuses 16-bit
//     and interlaced PNGs and embeds CMYK JPEGs without the Adobe
//     inversion: those are decoded and encoded again.
//   - The Info dictionary has no Keywords and no ModDate, and is written
//     inline in the trailer; CreationDate is the document's date. There is
//     no trailer /ID and no OutputIntent. Font subsets carry a tag derived
//     from their content (gopdf writes none of its own). Every page shares
//     one resource dictionary listing every font and picture. Nothing
//     depends on the clock or on map order: the output is byte-for-byte
//     reproducible.
package gopdf

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	gp "github.com/signintech/gopdf"

	pcolor "paiban/color"
	"paiban/display"
	"paiban/fonts"
	"paiban/images"
)

// textTolerance is how far (pt) a glyph may land from its place when it is
// drawn in the same Text call as the glyph before it: gopdf rounds Tc to
// 1/1000 pt and the run's start to 1/100 pt, so this is about the rounding
// of the start.
const textTolerance = 0.005

// fitSlack is how far (pt) a picture scaled to cover its frame may
// overflow it and still be drawn exactly into the frame, unclipped: frames
// are computed from the picture's proportions and rounded, and clipping a
// sliver of a few thousandths of a point only moves the picture's edges
// off the pixel grid.
const fitSlack = 0.05

// WritePDF draws every page of doc with the faces in faces and writes the
// PDF (preview profile, RGB) to w. Nothing is written when an error is
// returned. Errors name the page (1-based) and, for text, the character as
// U+XXXX.
func WritePDF(w io.Writer, doc *display.Document, faces *fonts.Set) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("render/gopdf: internal error in the PDF writer: %v", r)
		}
	}()
	if doc == nil {
		return errors.New("render/gopdf: no document")
	}
	if len(doc.Pages) == 0 {
		return errors.New("render/gopdf: the document has no pages")
	}
	if faces == nil {
		faces = fonts.NewSet()
	}
	wr := &writer{doc: doc, faces: faces, byName: make(map[string]*faceUse)}
	if err := wr.check(); err != nil {
		return err
	}
	out, err := wr.draw()
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}

// faceUse is a face the document uses, under the family name gopdf knows
// it by (which is also its PDF font name), with the runes drawn in it.
type faceUse struct {
	face   *fonts.Face
	family string
	runes  map[rune]bool
}

// dest is a place links jump to.
type dest struct {
	page int
	y    float64
}

type writer struct {
	doc   *display.Document
	faces *fonts.Set

	pdf    *gp.GoPdf
	byName map[string]*faceUse
	used   []*faceUse // in order of first use

	anchors map[dest]string // link destinations, by place
	byPage  [][]dest        // link destinations on each page

	pageNo  int      // 1-based number of the page being drawn
	pageObj []int    // object number of each page
	missing []string // glyphs gopdf could not find, as errors

	// gopdf's text state (it writes it into every text object).
	family string
	size   float64
	tc     float64

	// The graphics state of the page's content stream, as written so far.
	fill      string // "r g b" of the nonstroking colour
	stroke    string
	lineWidth float64

	images map[string]*picture
	buf    []rune
	adv    []float64
}

// picture is an image file ready for gopdf.
type picture struct {
	w, h int // pixels
	hold gp.ImageHolder
}

// check validates the display list before gopdf sees it: gopdf silently
// replaces glyphs it does not find with a space, mangles characters above
// U+FFFF in text strings and writes nonsense for non-finite numbers.
func (wr *writer) check() error {
	for _, f := range []struct{ key, val string }{
		{"title", wr.doc.Title}, {"author", wr.doc.Author}, {"subject", wr.doc.Subject},
	} {
		if r, ok := aboveBMP(f.val); ok {
			return fmt.Errorf("render/gopdf: the document %s has U+%04X %q, above U+FFFF, which gopdf cannot encode", f.key, r, r)
		}
	}
	wr.anchors = make(map[dest]string)
	wr.byPage = make([][]dest, len(wr.doc.Pages))
	for i, pg := range wr.doc.Pages {
		pn := i + 1
		if pg == nil {
			return fmt.Errorf("render/gopdf: page %d is missing", pn)
		}
		if !finite(pg.Width, pg.Height, pg.Bleed) || pg.Width <= 0 || pg.Height <= 0 || pg.Bleed < 0 {
			return fmt.Errorf("render/gopdf: page %d: bad size %g×%g pt with bleed %g pt", pn, pg.Width, pg.Height, pg.Bleed)
		}
		for _, it := range pg.Items {
			if isNil(it) {
				return fmt.Errorf("render/gopdf: page %d: nil item", pn)
			}
			switch it := it.(type) {
			case *display.Text:
				if err := wr.checkText(pn, it); err != nil {
					return err
				}
			case *display.Rect:
				if !finite(it.X, it.Y, it.W, it.H, it.StrokeWidth) {
					return fmt.Errorf("render/gopdf: page %d: rectangle with a non-finite coordinate", pn)
				}
			case *display.Line:
				if !finite(it.X1, it.Y1, it.X2, it.Y2, it.Width) {
					return fmt.Errorf("render/gopdf: page %d: rule with a non-finite coordinate", pn)
				}
			case *display.Image:
				if !finite(it.X, it.Y, it.W, it.H, it.FocusX, it.FocusY) || it.W <= 0 || it.H <= 0 {
					return fmt.Errorf("render/gopdf: page %d: image %s has a bad frame %g×%g pt", pn, it.Path, it.W, it.H)
				}
			case *display.Link:
				if !finite(it.X, it.Y, it.W, it.H, it.DestY) {
					return fmt.Errorf("render/gopdf: page %d: link with a non-finite coordinate", pn)
				}
				if it.Page < 0 || it.Page >= len(wr.doc.Pages) {
					return fmt.Errorf("render/gopdf: page %d: link to page index %d, the document has %d pages", pn, it.Page, len(wr.doc.Pages))
				}
				d := dest{it.Page, it.DestY}
				if _, ok := wr.anchors[d]; !ok {
					wr.anchors[d] = "p" + strconv.Itoa(it.Page) + "y" + strconv.FormatFloat(it.DestY, 'g', -1, 64)
					wr.byPage[it.Page] = append(wr.byPage[it.Page], d)
				}
			default:
				return fmt.Errorf("render/gopdf: page %d: unknown item type %T", pn, it)
			}
		}
	}
	for _, b := range wr.doc.Outline {
		if b.Page < 0 || b.Page >= len(wr.doc.Pages) {
			return fmt.Errorf("render/gopdf: bookmark %q points at page index %d, the document has %d pages", b.Title, b.Page, len(wr.doc.Pages))
		}
		if !finite(b.Y) {
			return fmt.Errorf("render/gopdf: bookmark %q has a non-finite position", b.Title)
		}
		if r, ok := aboveBMP(b.Title); ok {
			return fmt.Errorf("render/gopdf: bookmark %q (page %d): U+%04X is above U+FFFF, which gopdf cannot encode", b.Title, b.Page+1, r)
		}
	}
	return nil
}

func (wr *writer) checkText(pn int, t *display.Text) error {
	if !finite(t.X, t.Y, t.Size) || t.Size <= 0 {
		return fmt.Errorf("render/gopdf: page %d: text run %q at (%g, %g) has a bad position or size %g", pn, t.String(), t.X, t.Y, t.Size)
	}
	if len(t.Glyphs) == 0 {
		return nil
	}
	u, err := wr.use(t.Font)
	if err != nil {
		return fmt.Errorf("render/gopdf: page %d: text run %q: %w", pn, t.String(), err)
	}
	for _, g := range t.Glyphs {
		if !finite(g.X) {
			return fmt.Errorf("render/gopdf: page %d: text run %q: U+%04X has a non-finite position", pn, t.String(), g.R)
		}
		switch {
		case g.R > 0xFFFF:
			return fmt.Errorf("render/gopdf: page %d: U+%04X %q in run %q is above U+FFFF, which gopdf cannot encode", pn, g.R, g.R, t.String())
		case g.R < 0x20 || (g.R >= 0xD800 && g.R <= 0xDFFF) || g.R == 0xFFFE || g.R == 0xFFFF:
			return fmt.Errorf("render/gopdf: page %d: U+%04X in run %q is not a drawable character", pn, g.R, t.String())
		case !u.face.Has(g.R):
			return fmt.Errorf("render/gopdf: page %d: font %s has no glyph for U+%04X %q (in run %q)", pn, u.face.Name, g.R, g.R, t.String())
		}
		u.runes[g.R] = true
	}
	return nil
}

// use returns the faceUse of the face named name, registering it on first
// use.
func (wr *writer) use(name string) (*faceUse, error) {
	if u := wr.byName[name]; u != nil {
		return u, nil
	}
	face := wr.faces.Face(name)
	if face == nil {
		return nil, fmt.Errorf("font %q is not in the font set", name)
	}
	data := face.Data()
	if len(data) < 4 {
		return nil, fmt.Errorf("font %s: empty font file", name)
	}
	switch string(data[:4]) {
	case "\x00\x01\x00\x00", "true":
	case "OTTO":
		return nil, fmt.Errorf("font %s has PostScript (CFF) outlines; gopdf embeds TrueType outlines only", name)
	default:
		return nil, fmt.Errorf("font %s is not a single TrueType font (collections are not supported)", name)
	}
	u := &faceUse{face: face, runes: make(map[rune]bool)}
	wr.byName[name] = u
	wr.used = append(wr.used, u)
	return u, nil
}

// draw runs gopdf over the whole document and returns its output.
func (wr *writer) draw() ([]byte, error) {
	first := wr.doc.Pages[0]
	pdf := &gp.GoPdf{}
	wr.pdf = pdf
	pdf.Start(gp.Config{Unit: gp.UnitPT, PageSize: gp.Rect{W: first.Width + 2*first.Bleed, H: first.Height + 2*first.Bleed}})
	pdf.SetMargins(0, 0, 0, 0)
	pdf.SetInfo(gp.PdfInfo{
		Title:        wr.doc.Title,
		Author:       wr.doc.Author,
		Subject:      wr.doc.Subject,
		Creator:      "paiban",
		Producer:     "paiban (gopdf preview)",
		CreationDate: docDate(wr.doc),
	})

	names := make(map[string]bool)
	for _, u := range wr.used {
		u.family = subsetTag(u) + "+" + pdfName(u.face.Name)
		for names[u.family] { // two faces whose names sanitise alike
			u.family += "-"
		}
		names[u.family] = true
		name := u.face.Name
		opt := gp.TtfOption{
			OnGlyphNotFound: func(r rune) {
				wr.missing = append(wr.missing, fmt.Sprintf("page %d: gopdf finds no glyph for U+%04X %q in font %s", wr.pageNo, r, r, name))
			},
			OnGlyphNotFoundSubstitute: gp.DefaultOnGlyphNotFoundSubstitute,
		}
		data, err := u.face.Subset(u.runes) // only the glyphs drawn
		if err != nil {
			data = u.face.Data()
		}
		if err := pdf.AddTTFFontDataWithOption(u.family, data, opt); err != nil {
			return nil, fmt.Errorf("render/gopdf: adding font %s: %w", name, err)
		}
	}

	tops := wr.outlineTree()
	for i, pg := range wr.doc.Pages {
		if err := wr.drawPage(i, pg, tops); err != nil {
			return nil, err
		}
		if len(wr.missing) > 0 {
			return nil, fmt.Errorf("render/gopdf: %s", wr.missing[0])
		}
	}
	wr.linkOutline(tops)

	var out bytes.Buffer
	if _, err := pdf.WriteTo(&out); err != nil {
		return nil, fmt.Errorf("render/gopdf: %w", err)
	}
	return out.Bytes(), nil
}

func (wr *writer) drawPage(i int, pg *display.Page, tops []*outlineNode) error {
	pn := i + 1
	wr.pageNo = pn
	pdf := wr.pdf
	b := pg.Bleed
	W, H := pg.Width+2*b, pg.Height+2*b
	// The page object is the first object AddPage adds.
	wr.pageObj = append(wr.pageObj, pdf.GetNextObjectID())
	pdf.AddPageWithOption(gp.PageOption{
		PageSize: &gp.Rect{W: W, H: H},
		// gopdf writes the box as [Left Top Right Bottom].
		TrimBox: &gp.Box{Left: b, Top: b, Right: b + pg.Width, Bottom: b + pg.Height},
	})
	// A content stream starts from the default graphics state. (Font, size
	// and Tc are gopdf's own state, written into every text object, and
	// carry over from page to page.)
	wr.fill, wr.stroke, wr.lineWidth = "0 0 0", "0 0 0", 1

	// gopdf measures link rectangles, anchors and outline positions from
	// the first page's height (its Config), the rest from the current one.
	cfgH := wr.doc.Pages[0].Height + 2*wr.doc.Pages[0].Bleed
	for _, d := range wr.byPage[i] {
		// SetAnchor puts the destination at cfgH − Y + font size.
		if err := pdf.SetFontSize(0); err != nil {
			return fmt.Errorf("render/gopdf: page %d: %w", pn, err)
		}
		wr.size = -1
		pdf.SetY(cfgH - H + b + d.y)
		pdf.SetAnchor(wr.anchors[d])
	}
	for _, n := range tops {
		if n.b.Page != i {
			continue
		}
		// AddOutlineWithPosition puts the destination at cfgH − Y + 20.
		pdf.SetY(cfgH + 20 - (H - b - n.b.Y))
		n.obj = pdf.AddOutlineWithPosition(n.b.Title)
	}

	for _, it := range pg.Items {
		var err error
		switch it := it.(type) {
		case *display.Text:
			err = wr.drawText(pn, b, it)
		case *display.Rect:
			style := ""
			switch {
			case it.Fill != nil && it.Stroke != nil:
				style = "FD"
			case it.Fill != nil:
				style = "F"
			case it.Stroke != nil:
				style = "D"
			default:
				continue
			}
			if it.Fill != nil {
				wr.setFill(*it.Fill)
			}
			if it.Stroke != nil {
				wr.setStroke(*it.Stroke)
				wr.setLineWidth(it.StrokeWidth)
			}
			// gopdf takes the corner nearest the origin, with positive sizes.
			x, y, w, h := it.X, it.Y, it.W, it.H
			if w < 0 {
				x, w = x+w, -w
			}
			if h < 0 {
				y, h = y+h, -h
			}
			pdf.RectFromUpperLeftWithStyle(b+x, b+y, w, h, style)
		case *display.Line:
			wr.setStroke(it.Color)
			wr.setLineWidth(it.Width)
			pdf.Line(b+it.X1, b+it.Y1, b+it.X2, b+it.Y2)
		case *display.Image:
			err = wr.drawImage(pn, b, it)
		case *display.Link:
			d := dest{it.Page, it.DestY}
			x, y, w, h := it.X, it.Y, it.W, it.H
			if w < 0 {
				x, w = x+w, -w
			}
			if h < 0 {
				y, h = y+h, -h
			}
			// The rectangle's top is written as cfgH − y.
			pdf.AddInternalLink(wr.anchors[d], b+x, cfgH-H+b+y, w, h)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// drawText draws a run as few Text calls as exact placement allows:
// consecutive glyphs whose distance is the glyph's advance (as the viewer
// computes it from the font's /W widths) plus one constant c share a call,
// with c as character spacing (Tc). Wherever the spacing changes, a new call
// starts at the glyph's own X.
func (wr *writer) drawText(pn int, b float64, t *display.Text) error {
	if len(t.Glyphs) == 0 {
		return nil
	}
	u := wr.byName[t.Font] // registered by check
	pdf := wr.pdf
	// gopdf writes the size in Tf with three decimals; advances follow it.
	fs := math.Round(t.Size*1000) / 1000
	if wr.family != u.family || wr.size != fs {
		if err := pdf.SetFont(u.family, "", fs); err != nil {
			return fmt.Errorf("render/gopdf: page %d: font %s: %w", pn, u.face.Name, err)
		}
		wr.family, wr.size = u.family, fs
	}
	r, g, bl := rgb(t.Color)
	pdf.SetTextColor(r, g, bl)
	// Every text call writes its colour as the nonstroking colour.
	wr.fill = rgbKey(r, g, bl)

	// gopdf's /W widths are the font's advances truncated to whole
	// thousandths of an em.
	wr.adv = wr.adv[:0]
	for _, gl := range t.Glyphs {
		a, _ := u.face.Advance(gl.R)
		wr.adv = append(wr.adv, math.Floor(a*1000+1e-6)/1000*fs)
	}
	x0, y := b+t.X, b+t.Y
	gs := t.Glyphs
	for i := 0; i < len(gs); {
		j := i + 1
		c := 0.0
		if j < len(gs) {
			c = math.Round((gs[j].X-gs[i].X-wr.adv[i])*1000) / 1000
			next := gs[i].X + wr.adv[i] + c
			for j < len(gs) && gs[j].Y == gs[i].Y && math.Abs(next-gs[j].X) <= textTolerance {
				next += wr.adv[j] + c
				j++
			}
		}
		if j-i == 1 {
			c = wr.tc // a lone glyph: Tc does not matter
		}
		if c != wr.tc {
			if err := pdf.SetCharSpacing(c); err != nil {
				return fmt.Errorf("render/gopdf: page %d: %w", pn, err)
			}
			wr.tc = c
		}
		wr.buf = wr.buf[:0]
		for _, gl := range gs[i:j] {
			wr.buf = append(wr.buf, gl.R)
		}
		pdf.SetXY(x0+gs[i].X, y+gs[i].Y)
		if err := pdf.Text(string(wr.buf)); err != nil {
			return fmt.Errorf("render/gopdf: page %d: text run %q: %w", pn, t.String(), err)
		}
		i = j
	}
	return nil
}

func (wr *writer) drawImage(pn int, b float64, im *display.Image) error {
	// The picture at preview resolution, cropped to the frame's shape when
	// it fills it (package images, as the preview of the other writer).
	opt := images.Preview
	if p, err := pcolor.FOGRA39(); err == nil {
		opt.Proof = p.Proof // CMYK pictures in their printed colours
	}
	prep, err := images.Prepare(im.Path, im.W, im.H, im.Fit, im.FocusX, im.FocusY, opt)
	if err != nil {
		return fmt.Errorf("render/gopdf: page %d: %w", pn, err)
	}
	key := fmt.Sprintf("%s %g %g %d %g %g", im.Path, im.W, im.H, im.Fit, im.FocusX, im.FocusY)
	pic, err := wr.picture(key, prep.Data)
	if err != nil {
		return fmt.Errorf("render/gopdf: page %d: image %s: %w", pn, im.Path, err)
	}
	iopt := gp.ImageOptions{X: b + im.X + prep.DX, Y: b + im.Y + prep.DY, Rect: &gp.Rect{W: prep.DW, H: prep.DH}}
	if err := wr.pdf.ImageByHolderWithOptions(pic.hold, iopt); err != nil {
		return fmt.Errorf("render/gopdf: page %d: image %s: %w", pn, im.Path, err)
	}
	return nil
}

// picture readies a prepared picture's bytes for gopdf, once per key:
// JPEGs in RGB or grey and 8-bit non-interlaced PNGs pass as they are;
// CMYK JPEGs (which gopdf embeds without the Adobe inversion) and PNGs
// gopdf refuses (16-bit, interlaced) are decoded and encoded again.
func (wr *writer) picture(key string, data []byte) (*picture, error) {
	if p := wr.images[key]; p != nil {
		return p, nil
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("cannot be read (%v) — use a JPEG or PNG file", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, errors.New("has no pixels")
	}
	switch format {
	case "jpeg":
		if cfg.ColorModel != color.YCbCrModel && cfg.ColorModel != color.GrayModel {
			img, err := jpeg.Decode(bytes.NewReader(data))
			if err != nil {
				return nil, err
			}
			rgba := image.NewRGBA(img.Bounds())
			draw.Draw(rgba, rgba.Bounds(), img, img.Bounds().Min, draw.Src)
			var buf bytes.Buffer
			if err := jpeg.Encode(&buf, rgba, &jpeg.Options{Quality: 92}); err != nil {
				return nil, err
			}
			data = buf.Bytes()
		}
	case "png":
		if len(data) < 29 || string(data[12:16]) != "IHDR" {
			return nil, errors.New("is not a valid PNG")
		}
		if depth, interlace := data[24], data[28]; depth > 8 || interlace != 0 {
			img, err := png.Decode(bytes.NewReader(data))
			if err != nil {
				return nil, err
			}
			var out draw.Image
			switch img.(type) {
			case *image.Gray, *image.Gray16:
				out = image.NewGray(img.Bounds())
			default:
				out = image.NewNRGBA(img.Bounds())
			}
			draw.Draw(out, out.Bounds(), img, img.Bounds().Min, draw.Src)
			var buf bytes.Buffer
			if err := png.Encode(&buf, out); err != nil {
				return nil, err
			}
			data = buf.Bytes()
		}
	default:
		return nil, fmt.Errorf("is %s, neither JPEG nor PNG", format)
	}
	hold, err := gp.ImageHolderByBytes(data)
	if err != nil {
		return nil, err
	}
	p := &picture{w: cfg.Width, h: cfg.Height, hold: hold}
	if wr.images == nil {
		wr.images = make(map[string]*picture)
	}
	wr.images[key] = p
	return p, nil
}

func (wr *writer) setFill(c display.Color) {
	r, g, b := rgb(c)
	if k := rgbKey(r, g, b); k != wr.fill {
		wr.pdf.SetFillColor(r, g, b)
		wr.fill = k
	}
}

func (wr *writer) setStroke(c display.Color) {
	r, g, b := rgb(c)
	if k := rgbKey(r, g, b); k != wr.stroke {
		wr.pdf.SetStrokeColor(r, g, b)
		wr.stroke = k
	}
}

func (wr *writer) setLineWidth(w float64) {
	w = math.Max(w, 0)
	if w != wr.lineWidth {
		wr.pdf.SetLineWidth(w)
		wr.lineWidth = w
	}
}

// outlineNode is a bookmark with its place in the outline tree.
type outlineNode struct {
	b        display.Bookmark
	obj      *gp.OutlineObj // top level: made by gopdf
	id       int            // object number
	parent   *outlineNode
	children []*outlineNode
}

// descendants counts the entries below n (all open).
func (n *outlineNode) descendants() int {
	c := len(n.children)
	for _, k := range n.children {
		c += k.descendants()
	}
	return c
}

// outlineTree arranges doc.Outline as a tree and returns its top level in
// the order gopdf will make the entries: by page, then outline order
// (gopdf's chain of top-level entries is the order they are made in, and
// an entry can only be made while its page is being drawn). Levels are
// repaired as in package render: a level may be at most one deeper than
// the entry before it.
func (wr *writer) outlineTree() []*outlineNode {
	var tops []*outlineNode
	var stack []*outlineNode
	for _, b := range wr.doc.Outline {
		level := max(b.Level, 0)
		level = min(level, len(stack))
		n := &outlineNode{b: b}
		stack = stack[:level]
		if level == 0 {
			tops = append(tops, n)
		} else {
			n.parent = stack[level-1]
			n.parent.children = append(n.parent.children, n)
		}
		stack = append(stack, n)
	}
	slices.SortStableFunc(tops, func(a, b *outlineNode) int { return a.b.Page - b.b.Page })
	return tops
}

// linkOutline adds the entries below the top level as plain objects and
// links them to their parents and siblings.
func (wr *writer) linkOutline(tops []*outlineNode) {
	next := wr.pdf.GetNextObjectID()
	start := next
	var deep []*outlineNode
	var number func(ns []*outlineNode)
	number = func(ns []*outlineNode) {
		for _, n := range ns {
			n.id = next
			next++
			deep = append(deep, n)
			number(n.children)
		}
	}
	for _, t := range tops {
		t.id = t.obj.GetIndex()
		number(t.children)
	}
	if len(deep) == 0 {
		return
	}
	objs := make(map[int]string, len(deep))
	for _, n := range deep {
		sibs := n.parent.children
		k := slices.Index(sibs, n)
		var s strings.Builder
		s.WriteString("<<\n/Title " + utf16Hex(n.b.Title) + "\n")
		fmt.Fprintf(&s, "/Parent %d 0 R\n", n.parent.id)
		if k > 0 {
			fmt.Fprintf(&s, "/Prev %d 0 R\n", sibs[k-1].id)
		}
		if k < len(sibs)-1 {
			fmt.Fprintf(&s, "/Next %d 0 R\n", sibs[k+1].id)
		}
		if len(n.children) > 0 {
			fmt.Fprintf(&s, "/First %d 0 R\n/Last %d 0 R\n/Count %d\n", n.children[0].id, n.children[len(n.children)-1].id, n.descendants())
		}
		pg := wr.doc.Pages[n.b.Page]
		y := pg.Height + pg.Bleed - n.b.Y
		fmt.Fprintf(&s, "/Dest [%d 0 R /XYZ 0 %s null]\n>>\n", wr.pageObj[n.b.Page], strconv.FormatFloat(math.Round(y*1000)/1000, 'f', -1, 64))
		objs[n.id] = s.String()
	}
	wr.pdf.ImportObjects(objs, start)
	for _, t := range tops {
		if len(t.children) > 0 {
			t.obj.SetFirst(t.children[0].id)
			t.obj.SetLast(t.children[len(t.children)-1].id)
		}
	}
}

// utf16Hex writes s as a PDF text string in UTF-16BE with a byte order
// mark, in hex.
func utf16Hex(s string) string {
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, r := range s {
		fmt.Fprintf(&b, "%04X", r) // check has refused runes above U+FFFF
	}
	b.WriteString(">")
	return b.String()
}

// rgb converts a process colour for the preview: r = (1−c)(1−k), g =
// (1−m)(1−k), b = (1−y)(1−k).
// rgb is how a process colour looks on screen: through the FOGRA39
// output profile, as the other writer's preview shows it (the plain
// formula if the profile cannot be had).
func rgb(c display.Color) (r, g, b uint8) {
	if p, err := pcolor.FOGRA39(); err == nil {
		return p.CMYKToRGB(unit(c.C), unit(c.M), unit(c.Y), unit(c.K))
	}
	k := 1 - unit(c.K)
	ch := func(v float64) uint8 { return uint8(math.Round(255 * (1 - unit(v)) * k)) }
	return ch(c.C), ch(c.M), ch(c.Y)
}

func rgbKey(r, g, b uint8) string {
	return strconv.Itoa(int(r)) + " " + strconv.Itoa(int(g)) + " " + strconv.Itoa(int(b))
}

// subsetTag is the subset name prefix of a face as the document uses it.
func subsetTag(u *faceUse) string { return fonts.SubsetTag(u.face.Name, u.runes) }

// pdfName keeps the characters a PDF name may hold unescaped.
func pdfName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c <= ' ' || c >= 0x7F || strings.IndexByte("()<>[]{}/%#+", c) >= 0 {
			b[i] = '-'
		}
	}
	if len(b) == 0 {
		return "Font"
	}
	return string(b)
}

// docDate is the document's date in UTC; a zero Date gives the Unix epoch,
// so that output never depends on the clock.
func docDate(doc *display.Document) time.Time {
	if doc.Date.IsZero() {
		return time.Unix(0, 0).UTC()
	}
	return doc.Date.UTC()
}

// isNil reports whether an item is nil or a nil pointer.
func isNil(it display.Item) bool {
	switch v := it.(type) {
	case nil:
		return true
	case *display.Text:
		return v == nil
	case *display.Rect:
		return v == nil
	case *display.Line:
		return v == nil
	case *display.Image:
		return v == nil
	case *display.Link:
		return v == nil
	}
	return false
}

func aboveBMP(s string) (rune, bool) {
	for _, r := range s {
		if r > 0xFFFF {
			return r, true
		}
	}
	return 0, false
}

func finite(vs ...float64) bool {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

func clamp(v, lo, hi float64) float64 {
	if hi < lo {
		return lo
	}
	return math.Max(lo, math.Min(hi, v))
}

// unit clamps a colour component to 0..1.
func unit(v float64) float64 {
	if !(v > 0) {
		return 0
	}
	return math.Min(v, 1)
}
