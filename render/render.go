// Package render writes a display list as a PDF with github.com/go-pdf/fpdf,
// in one of two profiles.
//
// Print (the default) is PDF/X-4: PDF 1.6; text, rules and fills in
// DeviceCMYK; photos converted from RGB to CMYK through the FOGRA39 output
// profile (package color) and embedded as /DeviceCMYK /FlateDecode images
// (greyscale pictures stay DeviceGray, CMYK JPEGs pass through, PNG alpha
// is flattened onto white); an OutputIntent with the profile embedded, XMP
// metadata and the PDF/X keys of the Info dictionary; optional crop and
// bleed marks in the registration colour.
//
// Preview is a small RGB file for screens: the display list's CMYK colours
// converted to sRGB through the same profile, pictures at 120 ppi, no
// marks, no PDF/X identification, and an optional diagonal watermark.
//
// Every page gets a TrimBox and a BleedBox (trim + bleed on each side);
// the MediaBox is the BleedBox, or larger to hold crop marks. Display
// coordinates (pt, origin at the top-left corner of the trim box, y down)
// are shifted accordingly. Fonts are embedded as TrueType subsets (only
// the faces the document uses). Characters above U+FFFF, which fpdf cannot
// encode, are drawn as glyph outlines with their text as ActualText (see
// outline.go); a face used only for those is not embedded.
//
// The output is byte-for-byte reproducible: fpdf's own output is
// post-processed (see finish.go) to pin everything it leaves to the clock,
// to Go's map order or to chance — page boxes, the Info dictionary, font
// subset tags, the order of image objects — and to add a content-derived
// trailer /ID; images converted to CMYK are the same bytes whether they
// come from the conversion or from the disk cache.
package render

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"
	"unicode"

	"github.com/go-pdf/fpdf"

	"paiban/color"
	"paiban/display"
	"paiban/fonts"
	"paiban/images"
)

// Profile is what the PDF is for.
type Profile uint8

// Output profiles.
const (
	// Print is PDF/X-4 in CMYK for the printer (the zero value).
	Print Profile = iota
	// Preview is a small RGB PDF for screens.
	Preview
)

func (p Profile) String() string {
	switch p {
	case Print:
		return "print"
	case Preview:
		return "preview"
	}
	return fmt.Sprintf("Profile(%d)", int(p))
}

// Options tune the writer. Use DefaultOptions for print; the zero value is
// valid too and differs only in writing page content streams uncompressed,
// which is handy for reading them while debugging.
type Options struct {
	// Profile: Print (PDF/X-4, CMYK) or Preview (RGB, small).
	Profile Profile
	// Compress deflates the page content streams. Embedded fonts and
	// converted images are always compressed and JPEGs are embedded as
	// they are.
	Compress bool
	// Images sets the resolution of pictures; the zero value means
	// images.Print (300 ppi) for Print and images.Preview (120 ppi, JPEG
	// quality 80) for Preview.
	Images images.Options
	// Marks adds crop and bleed marks (print only): the MediaBox grows to
	// hold them, TrimBox and BleedBox stay where they are on the page.
	Marks bool
	// Watermark is drawn diagonally across every page of a preview (for
	// example "校样 PREVIEW"), in outlines of the bundled sans face, as an
	// artifact: text extraction does not see it. Ignored for print.
	Watermark string
	// Cache keeps photos converted to CMYK on disk between builds (print
	// only); nil converts every time.
	Cache *color.Cache
}

func (o Options) imagesOrDefault() images.Options {
	switch {
	case o.Images.TargetPPI != 0:
		return o.Images
	case o.Profile == Preview:
		io := images.Preview
		if p, err := color.FOGRA39(); err == nil {
			io.Proof = p.Proof
		}
		return io
	}
	return images.Print
}

// DefaultOptions returns the options for production output: print,
// compressed, pictures at 300 ppi, no marks, no disk cache.
func DefaultOptions() Options { return Options{Profile: Print, Compress: true} }

// textTolerance is how far (pt) a glyph may be from where the PDF would
// place it when it is drawn in the same text-showing operation as the glyph
// before it; beyond that a new operation starts at the glyph's own X.
const textTolerance = 0.001

// WritePDF draws every page of doc with the faces in faces and writes the
// PDF to w. Nothing is written when an error is returned. Errors name the
// page (1-based) and, for text, the character as U+XXXX.
func WritePDF(w io.Writer, doc *display.Document, faces *fonts.Set, opt Options) error {
	f, err := Render(doc, faces, opt)
	if err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// PDF is WritePDF returning the file's bytes.
func PDF(doc *display.Document, faces *fonts.Set, opt Options) ([]byte, error) {
	f, err := Render(doc, faces, opt)
	if err != nil {
		return nil, err
	}
	return f.Bytes(), nil
}

// Render is WritePDF returning the file, for a caller that looks at it
// before writing it out.
func Render(doc *display.Document, faces *fonts.Set, opt Options) (out *File, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("render: internal error in the PDF writer: %v", r)
		}
	}()
	if doc == nil {
		return nil, errors.New("render: no document")
	}
	if len(doc.Pages) == 0 {
		return nil, errors.New("render: the document has no pages")
	}
	if opt.Profile != Print && opt.Profile != Preview {
		return nil, fmt.Errorf("render: unknown profile %d", opt.Profile)
	}
	if faces == nil {
		faces = fonts.NewSet()
	}
	r := &renderer{doc: doc, faces: faces, opt: opt, family: make(map[string]*faceUse)}
	if err := r.check(); err != nil {
		return nil, err
	}
	if opt.Profile == Preview {
		if r.prof, err = color.FOGRA39(); err != nil {
			return nil, fmt.Errorf("render: the output profile: %w", err)
		}
		if opt.Watermark != "" {
			if r.wm, err = newWatermark(opt.Watermark, faces); err != nil {
				return nil, fmt.Errorf("render: watermark: %w", err)
			}
		}
	}
	if opt.Profile == Print {
		// Compressing the output profile (once a process) takes 5–10 ms:
		// done by the time finish needs it.
		go iccStream()
	}
	pics, wait, err := preparePictures(doc, opt)
	if err != nil {
		return nil, err
	}
	r.pictures = pics
	raw, err := r.draw()
	if werr := wait(); werr != nil {
		return nil, werr
	}
	if err != nil {
		return nil, err
	}
	out, err = finish(raw, r.finishInfo())
	if err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	return out, nil
}

// faceUse is a face the document uses, under the family name fpdf knows it
// by ("f0", "f1", … in order of first use), with the runes drawn in it.
//
// Characters above U+FFFF, which fpdf cannot encode, are drawn as outlines
// (see outline.go) and kept in outlines, not in runes: a face is embedded
// only when runes is not empty.
type faceUse struct {
	face   *fonts.Face
	family string
	runes  map[rune]bool // drawn as text: the subset

	outlines map[rune][]fonts.Segment // drawn as paths
	// inv carries the ActualText of this face's outline glyphs: a face
	// with text of its own (this one when it has some), and invRune the
	// character of its invisible glyph.
	inv     *faceUse
	invRune rune
	format  error // why the face cannot be embedded, once checked
	checked bool
}

type renderer struct {
	doc   *display.Document
	faces *fonts.Set
	opt   Options

	pdf    *fpdf.Fpdf
	family map[string]*faceUse // by face name
	used   []*faceUse          // in order of first use

	// Graphics state of the current page, as written so far.
	fontFamily string
	fontSize   float64
	fill       string
	stroke     string
	lineWidth  string
	tc         string
	utf8Font   bool // fpdf has had a UTF-8 font selected (see bookmarkText)

	// Scratch.
	buf      []byte
	runes    []rune
	adv      []float64
	images   map[string]string // fpdf image name → a path it came from
	pictures map[pictureKey]*picture

	xobjs map[string]*xobject // images render embeds itself, by name
	prof  *color.Profile      // preview: for CMYK → sRGB
	rgb   map[display.Color][3]uint8
	wm    *watermark // preview watermark, nil for none
	spot  bool       // the registration colour is registered with fpdf
}

// check validates the display list before fpdf sees any of it: fpdf fails
// obscurely on missing faces and glyphs and writes nonsense for non-finite
// numbers. It also sorts each face's characters into those fpdf draws as
// text and those above U+FFFF (fpdf panics on them) drawn as outlines.
func (r *renderer) check() error {
	for i, pg := range r.doc.Pages {
		pn := i + 1
		if pg == nil {
			return fmt.Errorf("render: page %d is missing", pn)
		}
		if !finite(pg.Width, pg.Height, pg.Bleed) || pg.Width <= 0 || pg.Height <= 0 || pg.Bleed < 0 {
			return fmt.Errorf("render: page %d: bad size %g×%g pt with bleed %g pt", pn, pg.Width, pg.Height, pg.Bleed)
		}
		for _, it := range pg.Items {
			switch it := it.(type) {
			case *display.Text:
				if err := r.checkText(pn, it); err != nil {
					return err
				}
			case *display.Rect:
				if !finite(it.X, it.Y, it.W, it.H, it.StrokeWidth) {
					return fmt.Errorf("render: page %d: rectangle with a non-finite coordinate", pn)
				}
			case *display.Line:
				if !finite(it.X1, it.Y1, it.X2, it.Y2, it.Width) {
					return fmt.Errorf("render: page %d: rule with a non-finite coordinate", pn)
				}
			case *display.Image:
				if !finite(it.X, it.Y, it.W, it.H) || it.W <= 0 || it.H <= 0 {
					return fmt.Errorf("render: page %d: image %s has a bad frame %g×%g pt", pn, it.Path, it.W, it.H)
				}
			case *display.Link:
				if !finite(it.X, it.Y, it.W, it.H, it.DestY) {
					return fmt.Errorf("render: page %d: link with a non-finite coordinate", pn)
				}
				if it.Page < 0 || it.Page >= len(r.doc.Pages) {
					return fmt.Errorf("render: page %d: link to page index %d, the document has %d pages", pn, it.Page, len(r.doc.Pages))
				}
			case nil:
				return fmt.Errorf("render: page %d: nil item", pn)
			default:
				return fmt.Errorf("render: page %d: unknown item type %T", pn, it)
			}
		}
	}
	if err := r.resolveInvisible(); err != nil {
		return err
	}
	for _, b := range r.doc.Outline {
		if b.Page < 0 || b.Page >= len(r.doc.Pages) {
			return fmt.Errorf("render: bookmark %q points at page index %d, the document has %d pages", b.Title, b.Page, len(r.doc.Pages))
		}
		if !finite(b.Y) {
			return fmt.Errorf("render: bookmark %q has a non-finite position", b.Title)
		}
	}
	return nil
}

func (r *renderer) checkText(pn int, t *display.Text) error {
	if !finite(t.X, t.Y, t.Size) || t.Size <= 0 {
		return fmt.Errorf("render: page %d: text run %q at (%g, %g) has a bad position or size %g", pn, t.String(), t.X, t.Y, t.Size)
	}
	if len(t.Glyphs) == 0 {
		return nil
	}
	u, err := r.use(t.Font)
	if err != nil {
		return fmt.Errorf("render: page %d: text run %q: %w", pn, t.String(), err)
	}
	for _, g := range t.Glyphs {
		if !finite(g.X) {
			return fmt.Errorf("render: page %d: text run %q: U+%04X has a non-finite position", pn, t.String(), g.R)
		}
		switch {
		case g.R < 0x20 || (g.R >= 0xD800 && g.R <= 0xDFFF) || g.R == 0xFFFE || g.R == 0xFFFF || g.R > unicode.MaxRune:
			return fmt.Errorf("render: page %d: U+%04X in run %q is not a drawable character", pn, g.R, t.String())
		case !u.face.Has(g.R):
			return fmt.Errorf("render: page %d: font %s has no glyph for U+%04X %q (in run %q)", pn, u.face.Name, g.R, g.R, t.String())
		case g.R > 0xFFFF:
			// fpdf cannot encode it: drawn as an outline.
			if _, ok := u.outlines[g.R]; ok {
				continue
			}
			segs, err := u.face.Outline(g.R)
			if err != nil {
				return fmt.Errorf("render: page %d: text run %q: %w", pn, t.String(), err)
			}
			if u.outlines == nil {
				u.outlines = make(map[rune][]fonts.Segment)
			}
			u.outlines[g.R] = segs
			continue
		}
		if err := u.embeddable(); err != nil {
			return fmt.Errorf("render: page %d: text run %q: %w", pn, t.String(), err)
		}
		u.runes[g.R] = true
	}
	return nil
}

// use returns the faceUse of the face named name, registering it on first
// use.
func (r *renderer) use(name string) (*faceUse, error) {
	if u := r.family[name]; u != nil {
		return u, nil
	}
	face := r.faces.Face(name)
	if face == nil {
		return nil, fmt.Errorf("font %q is not in the font set", name)
	}
	return r.register(face), nil
}

// register adds face to the faces used, under the next family name.
func (r *renderer) register(face *fonts.Face) *faceUse {
	u := &faceUse{face: face, family: "f" + strconv.Itoa(len(r.used)), runes: make(map[rune]bool)}
	r.family[face.Name] = u
	r.used = append(r.used, u)
	return u
}

// embeddable reports why fpdf cannot embed the face, if it cannot. Only
// faces that draw text are embedded: one used only for outlines may be of
// any kind sfnt reads.
func (u *faceUse) embeddable() error {
	if u.checked {
		return u.format
	}
	u.checked = true
	name := u.face.Name
	data := u.face.Data()
	switch {
	case len(data) < 4:
		u.format = fmt.Errorf("font %s: empty font file", name)
	case string(data[:4]) == "\x00\x01\x00\x00" || string(data[:4]) == "true":
	case string(data[:4]) == "OTTO":
		u.format = fmt.Errorf("font %s has PostScript (CFF) outlines; the PDF writer embeds TrueType outlines only", name)
	default:
		u.format = fmt.Errorf("font %s is not a single TrueType font (collections are not supported)", name)
	}
	return u.format
}

// draw runs fpdf over the whole document and returns its output.
func (r *renderer) draw() ([]byte, error) {
	first := r.doc.Pages[0]
	m := r.margin(first)
	pdf := fpdf.NewCustom(&fpdf.InitType{
		OrientationStr: "P",
		UnitStr:        "pt",
		Size:           fpdf.SizeType{Wd: first.Width + 2*m, Ht: first.Height + 2*m},
	})
	r.pdf = pdf
	pdf.SetCompression(r.opt.Compress)
	pdf.SetCatalogSort(true)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(0, 0, 0)
	// The Info dictionary is rewritten in finish; these only keep fpdf away
	// from the clock.
	date := docDate(r.doc)
	pdf.SetCreationDate(date)
	pdf.SetModificationDate(date)
	for _, u := range r.used {
		if len(u.runes) == 0 {
			continue // used for outlines only: not a font of the PDF
		}
		// Only the glyphs the document draws: fpdf parses and maps the
		// whole font it is given, 10–15 MB for a CJK face, before it
		// subsets it itself (fonts.Face.Subset).
		data, err := u.face.Subset(u.runes)
		if err != nil {
			data = u.face.Data() // a font the subsetter cannot take: whole
		}
		pdf.AddUTF8FontFromBytes(u.family, "", data)
		if err := pdf.Error(); err != nil {
			return nil, fmt.Errorf("render: adding font %s: %w", u.face.Name, err)
		}
	}
	if r.marks() {
		// The registration colour: /Separation /All with the tint
		// transform t → (t, t, t, t), resource name /CS1.
		pdf.AddSpotColor(registration, 100, 100, 100, 100)
		r.spot = true
	}

	for i, pg := range r.doc.Pages {
		if err := r.drawPage(i, pg); err != nil {
			return nil, err
		}
	}

	// Bookmarks go on after the pages so that each can be attached to its
	// own page whatever the outline's order. fpdf computes a bookmark's
	// destination from the height of the page open when the document is
	// closed (the last one), not of the bookmark's page: compensate.
	last := r.doc.Pages[len(r.doc.Pages)-1]
	lastH := last.Height + 2*r.margin(last)
	prev := -1
	for _, b := range r.doc.Outline {
		level := b.Level
		if level < 0 {
			level = 0
		}
		if level > prev+1 { // fpdf loops on a level with no parent
			level = prev + 1
		}
		prev = level
		pg := r.doc.Pages[b.Page]
		m := r.margin(pg)
		h := pg.Height + 2*m
		pdf.SetPage(b.Page + 1)
		pdf.Bookmark(r.bookmarkText(b.Title), level, lastH-h+m+b.Y)
	}
	pdf.SetPage(len(r.doc.Pages))

	var out bytes.Buffer
	if err := pdf.Output(&out); err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	return out.Bytes(), nil
}

func (r *renderer) drawPage(i int, pg *display.Page) error {
	pn := i + 1
	pdf := r.pdf
	// b is where the trim box starts on the page: the bleed, or more
	// when there are crop marks.
	b := r.margin(pg)
	H := pg.Height + 2*b
	pdf.AddPageFormat("P", fpdf.SizeType{Wd: pg.Width + 2*b, Ht: H})
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("render: page %d: %w", pn, err)
	}
	// Each content stream starts from the default graphics state (DeviceGray
	// black, Tc 0), so the first font, colour and width used on a page are
	// always written.
	r.fontFamily, r.fontSize = "", 0
	r.fill, r.stroke, r.lineWidth, r.tc = "", "", "", "0"

	for _, it := range pg.Items {
		switch it := it.(type) {
		case *display.Text:
			if err := r.drawText(pn, b, H, it); err != nil {
				return err
			}
		case *display.Rect:
			op := ""
			switch {
			case it.Fill != nil && it.Stroke != nil:
				op = "B"
			case it.Fill != nil:
				op = "f"
			case it.Stroke != nil:
				op = "S"
			default:
				continue
			}
			if it.Fill != nil {
				r.setFill(*it.Fill)
			}
			if it.Stroke != nil {
				r.setStroke(*it.Stroke)
				r.setLineWidth(it.StrokeWidth)
			}
			r.raw(func(buf []byte) []byte {
				buf = appendNums(buf, b+it.X, H-(b+it.Y+it.H), it.W, it.H)
				return append(append(buf, " re "...), op...)
			})
		case *display.Line:
			r.setStroke(it.Color)
			r.setLineWidth(it.Width)
			r.raw(func(buf []byte) []byte {
				buf = appendNums(buf, b+it.X1, H-(b+it.Y1))
				buf = append(buf, " m "...)
				buf = appendNums(buf, b+it.X2, H-(b+it.Y2))
				return append(buf, " l S"...)
			})
		case *display.Image:
			if err := r.drawImage(pn, b, it); err != nil {
				return err
			}
		case *display.Link:
			if r.opt.Profile == Print {
				// Print files carry no link annotations (as InDesign's
				// PDF/X export): a printer's preflight flags annotations on
				// the page. Bookmarks stay; the preview keeps the links.
				continue
			}
			dest := r.doc.Pages[it.Page]
			id := pdf.AddLink()
			pdf.SetLink(id, r.margin(dest)+it.DestY, it.Page+1)
			pdf.Link(b+it.X, b+it.Y, it.W, it.H, id)
		}
		if err := pdf.Error(); err != nil {
			return fmt.Errorf("render: page %d: %w", pn, err)
		}
	}
	if r.marks() {
		r.drawMarks(pg, b)
	}
	if r.wm != nil {
		r.wm.draw(r, pg, b)
	}
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("render: page %d: %w", pn, err)
	}
	return nil
}

// raw appends one line built by fill to the page's content stream.
func (r *renderer) raw(fill func([]byte) []byte) {
	r.buf = fill(r.buf[:0])
	r.pdf.RawWriteStr(string(r.buf))
}

// setFill sets the nonstroking colour: DeviceCMYK for print, DeviceRGB
// for a preview. fpdf's own text and fill colours are never touched, so
// they stay equal and Text() does not wrap its output in q … Q with its
// own colour.
func (r *renderer) setFill(c display.Color) {
	r.buf = r.appendColor(r.buf[:0], c, false)
	if string(r.buf) != r.fill {
		r.fill = string(r.buf)
		r.pdf.RawWriteStr(r.fill)
	}
}

func (r *renderer) setStroke(c display.Color) {
	r.buf = r.appendColor(r.buf[:0], c, true)
	if string(r.buf) != r.stroke {
		r.stroke = string(r.buf)
		r.pdf.RawWriteStr(r.stroke)
	}
}

// appendColor appends the operator setting c: "c m y k k" (K to stroke),
// or for a preview "r g b rg" (RG) with c as the output profile shows it
// on screen (color.Profile.CMYKToRGB, once per distinct colour).
func (r *renderer) appendColor(buf []byte, c display.Color, stroke bool) []byte {
	if r.opt.Profile != Preview {
		buf = appendNums(buf, unit(c.C), unit(c.M), unit(c.Y), unit(c.K))
		if stroke {
			return append(buf, " K"...)
		}
		return append(buf, " k"...)
	}
	v, ok := r.rgb[c]
	if !ok {
		if r.rgb == nil {
			r.rgb = make(map[display.Color][3]uint8)
		}
		v[0], v[1], v[2] = r.prof.CMYKToRGB(unit(c.C), unit(c.M), unit(c.Y), unit(c.K))
		r.rgb[c] = v
	}
	buf = appendNums(buf, float64(v[0])/255, float64(v[1])/255, float64(v[2])/255)
	if stroke {
		return append(buf, " RG"...)
	}
	return append(buf, " rg"...)
}

func (r *renderer) setLineWidth(w float64) {
	r.buf = appendNums(r.buf[:0], math.Max(w, 0))
	r.buf = append(r.buf, " w"...)
	if string(r.buf) != r.lineWidth {
		r.lineWidth = string(r.buf)
		r.pdf.RawWriteStr(r.lineWidth)
	}
}

// bookmarkText returns title in the form fpdf's Bookmark expects: it runs
// its own UTF-8 to UTF-16 conversion over the title when (and only when) a
// UTF-8 font has been selected, and that conversion mangles characters
// above U+FFFF. Encoding each UTF-16 code unit as a three-byte sequence
// makes its conversion produce exactly the UTF-16 of title, surrogate pairs
// included.
func (r *renderer) bookmarkText(title string) string {
	u := utf16BE(title)
	if !r.utf8Font {
		return "\xFE\xFF" + string(u)
	}
	out := make([]byte, 0, len(u)/2*3)
	for i := 0; i+1 < len(u); i += 2 {
		c := uint16(u[i])<<8 | uint16(u[i+1])
		out = append(out, 0xE0|byte(c>>12), 0x80|byte(c>>6&0x3F), 0x80|byte(c&0x3F))
	}
	return string(out)
}

// docDate is the document's creation and modification date in UTC; a zero
// Date gives the Unix epoch, so that output never depends on the clock.
func docDate(doc *display.Document) time.Time {
	if doc.Date.IsZero() {
		return time.Unix(0, 0).UTC()
	}
	return doc.Date.UTC()
}

func finite(vs ...float64) bool {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// unit clamps a colour component to 0..1.
func unit(v float64) float64 {
	if !(v > 0) {
		return 0
	}
	if v > 1 {
		return 1
	}
	return v
}

// fmtNum formats v with at most prec decimals, without trailing zeros and
// never as "-0".
func fmtNum(v float64, prec int) string {
	return string(appendNum(nil, v, prec))
}

func appendNum(buf []byte, v float64, prec int) []byte {
	start := len(buf)
	buf = strconv.AppendFloat(buf, v, 'f', prec, 64)
	if bytes.IndexByte(buf[start:], '.') >= 0 {
		for buf[len(buf)-1] == '0' {
			buf = buf[:len(buf)-1]
		}
		if buf[len(buf)-1] == '.' {
			buf = buf[:len(buf)-1]
		}
	}
	if string(buf[start:]) == "-0" {
		buf = append(buf[:start], '0')
	}
	return buf
}

// appendNums appends coordinates (3 decimals: 1/1000 pt) separated by
// spaces.
func appendNums(buf []byte, vs ...float64) []byte {
	for i, v := range vs {
		if i > 0 {
			buf = append(buf, ' ')
		}
		buf = appendNum(buf, v, 3)
	}
	return buf
}
