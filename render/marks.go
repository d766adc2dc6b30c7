package render

import (
	"errors"
	"fmt"
	"math"
	"unicode"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"paiban/display"
	"paiban/fonts"
)

// mm is a millimetre in pt.
const mm = 72 / 25.4

// Crop and bleed marks (print.md row 14).
const (
	// markOffset is the least distance between the trim and a mark: marks
	// start at the bleed edge, and never closer to the trim than 3 mm.
	markOffset = 3 * mm
	markLength = 6 * mm
	// markSlug is the room left beyond the marks' outer ends.
	markSlug  = 1 * mm
	markWidth = 0.25
	// registration is the registration colour's name: /Separation /All
	// prints on every plate. fpdf gives the only spot colour of a document
	// the resource name /CS1.
	registration   = "All"
	registrationCS = "/CS1"
)

// marks reports whether the pages get crop and bleed marks.
func (r *renderer) marks() bool { return r.opt.Marks && r.opt.Profile == Print }

// margin is the distance from the edge of pg's MediaBox to its trim box:
// the bleed, or with marks enough beyond it to hold them.
func (r *renderer) margin(pg *display.Page) float64 {
	if !r.marks() {
		return pg.Bleed
	}
	return max(pg.Bleed, markOffset) + markLength + markSlug
}

// drawMarks draws crop marks (the trim lines extended) and bleed marks
// (the bleed box's lines extended) at the four corners of a page whose
// trim box starts at b from the MediaBox's edges: 0.25 pt lines in the
// registration colour, markLength long, starting at the bleed edge (at
// least markOffset outside the trim).
func (r *renderer) drawMarks(pg *display.Page, b float64) {
	start := max(pg.Bleed, markOffset)
	end := start + markLength
	// The trim box in PDF coordinates (y up).
	x0, y0, x1, y1 := b, b, b+pg.Width, b+pg.Height
	buf := append(r.buf[:0], "/Artifact BMC\nq\n"+registrationCS+" CS 1 SCN\n"...)
	buf = appendNum(buf, markWidth, 3)
	buf = append(buf, " w 0 J [] 0 d\n"...)
	line := func(xa, ya, xb, yb float64) {
		buf = appendNums(buf, xa, ya)
		buf = append(buf, " m "...)
		buf = appendNums(buf, xb, yb)
		buf = append(buf, " l S\n"...)
	}
	insets := []float64{0} // crop marks on the trim lines
	if pg.Bleed > 0 {
		insets = append(insets, pg.Bleed) // bleed marks on the bleed lines
	}
	for _, c := range [4]struct{ x, y, dx, dy float64 }{
		{x0, y1, -1, 1}, {x1, y1, 1, 1}, {x0, y0, -1, -1}, {x1, y0, 1, -1},
	} {
		for _, in := range insets {
			// Horizontal: along the line y = c.y (+ bleed), outwards in x.
			y := c.y + c.dy*in
			line(c.x+c.dx*start, y, c.x+c.dx*end, y)
			// Vertical: along x = c.x (+ bleed), outwards in y.
			x := c.x + c.dx*in
			line(x, c.y+c.dy*start, x, c.y+c.dy*end)
		}
	}
	buf = append(buf, "Q\nEMC"...)
	r.buf = buf
	r.pdf.RawWriteStr(string(buf))
}

// watermark is a preview's diagonal text, as glyph outlines: a path in
// font units (y down, as sfnt gives them) drawn on every page, so that
// text extraction never sees it.
type watermark struct {
	path                   []byte // m, l, c operators, closed, ending in "f"
	upem                   float64
	minX, minY, maxX, maxY float64 // bounding box of the outlines
}

// Watermark appearance: light grey, multiplied over the page at half
// strength, so text under it stays black and pictures darken a little.
const (
	watermarkGrey  = 0.75
	watermarkAlpha = 0.5
	// watermarkSpan is the share of the trim's diagonal the text spans.
	watermarkSpan = 0.6
	// watermarkMaxSize caps the size (pt) for short words.
	watermarkMaxSize = 160.0
)

// newWatermark lays text out in the bundled sans face (bold if the set has
// it) and keeps its outlines.
func newWatermark(text string, faces *fonts.Set) (*watermark, error) {
	face := faces.Face(fonts.SansBold)
	if face == nil {
		def, err := fonts.Default()
		if err != nil {
			return nil, err
		}
		face = def.Face(fonts.SansBold)
	}
	sf, err := sfnt.Parse(face.Data())
	if err != nil {
		return nil, fmt.Errorf("font %s: %w", face.Name, err)
	}
	upem := int(sf.UnitsPerEm())
	ppem := fixed.I(upem) // outlines in font units (×64)
	w := &watermark{upem: float64(upem), minX: math.Inf(1), minY: math.Inf(1), maxX: math.Inf(-1), maxY: math.Inf(-1)}
	var buf sfnt.Buffer
	pen := 0.0
	pt := func(p fixed.Point26_6) (float64, float64) {
		x, y := pen+float64(p.X)/64, float64(p.Y)/64
		w.minX, w.maxX = min(w.minX, x), max(w.maxX, x)
		w.minY, w.maxY = min(w.minY, y), max(w.maxY, y)
		return x, y
	}
	for _, c := range text {
		if unicode.IsControl(c) {
			continue
		}
		gi, err := sf.GlyphIndex(&buf, c)
		if err != nil || gi == 0 {
			return nil, fmt.Errorf("font %s has no glyph for U+%04X %q", face.Name, c, c)
		}
		segs, err := sf.LoadGlyph(&buf, gi, ppem, nil)
		if err != nil {
			return nil, fmt.Errorf("font %s: U+%04X: %w", face.Name, c, err)
		}
		var cx, cy float64 // the current point
		open := false
		for _, s := range segs {
			switch s.Op {
			case sfnt.SegmentOpMoveTo:
				if open {
					w.path = append(w.path, "h\n"...)
				}
				cx, cy = pt(s.Args[0])
				w.path = append(appendNums2(w.path, cx, cy), " m\n"...)
				open = true
			case sfnt.SegmentOpLineTo:
				cx, cy = pt(s.Args[0])
				w.path = append(appendNums2(w.path, cx, cy), " l\n"...)
			case sfnt.SegmentOpQuadTo:
				qx, qy := pt(s.Args[0])
				x, y := pt(s.Args[1])
				// The cubic with the same curve.
				w.path = appendNums2(w.path, cx+2*(qx-cx)/3, cy+2*(qy-cy)/3, x+2*(qx-x)/3, y+2*(qy-y)/3, x, y)
				w.path = append(w.path, " c\n"...)
				cx, cy = x, y
			case sfnt.SegmentOpCubeTo:
				ax, ay := pt(s.Args[0])
				bx, by := pt(s.Args[1])
				x, y := pt(s.Args[2])
				w.path = append(appendNums2(w.path, ax, ay, bx, by, x, y), " c\n"...)
				cx, cy = x, y
			}
		}
		if open {
			w.path = append(w.path, "h\n"...)
		}
		adv, err := sf.GlyphAdvance(&buf, gi, ppem, 0)
		if err != nil {
			return nil, fmt.Errorf("font %s: U+%04X: %w", face.Name, c, err)
		}
		pen += float64(adv) / 64
	}
	if len(w.path) == 0 {
		return nil, errors.New("nothing to draw (only spaces?)")
	}
	w.path = append(w.path, 'f')
	return w, nil
}

// appendNums2 appends numbers with two decimals (font units) separated by
// spaces.
func appendNums2(buf []byte, vs ...float64) []byte {
	for i, v := range vs {
		if i > 0 {
			buf = append(buf, ' ')
		}
		buf = appendNum(buf, v, 2)
	}
	return buf
}

// draw puts the watermark across pg, whose trim box starts at b, centred
// on the trim and along its rising diagonal, last on the page, inside an
// /Artifact marked-content sequence.
func (w *watermark) draw(r *renderer, pg *display.Page, b float64) {
	diag := math.Hypot(pg.Width, pg.Height)
	size := min(watermarkSpan*diag/((w.maxX-w.minX)/w.upem), watermarkMaxSize)
	s := size / w.upem
	th := math.Atan2(pg.Height, pg.Width)
	cos, sin := math.Cos(th), math.Sin(th)
	// Font units (y down) → page: move the box's centre to the origin, flip
	// y, scale, rotate, move to the trim's centre.
	mx, my := (w.minX+w.maxX)/2, (w.minY+w.maxY)/2
	a, bb, c, d := s*cos, s*sin, s*sin, -s*cos
	e := b + pg.Width/2 - (a*mx + c*my)
	f := b + pg.Height/2 - (bb*mx + d*my)
	pdf := r.pdf
	pdf.RawWriteStr("/Artifact BMC\nq")
	pdf.SetAlpha(watermarkAlpha, "Multiply") // writes /GSn gs
	buf := appendNums(r.buf[:0], watermarkGrey, watermarkGrey, watermarkGrey)
	buf = append(buf, " rg\n"...)
	buf = append(buf, fmtNum(a, 5)+" "+fmtNum(bb, 5)+" "+fmtNum(c, 5)+" "+fmtNum(d, 5)+" "...)
	buf = appendNums(buf, e, f)
	buf = append(buf, " cm\n"...)
	buf = append(buf, w.path...)
	buf = append(buf, "\nQ\nEMC"...)
	r.buf = buf
	pdf.RawWriteStr(string(buf))
}
