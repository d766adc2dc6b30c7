package render

import (
	"fmt"
	"math"
	"slices"

	"paiban/fonts"
)

// Characters above U+FFFF (CJK Extensions B–F and beyond) cannot go
// through fpdf, which panics on them. Each is drawn instead as its glyph's
// outline, a filled path in the run's colour, inside a marked-content
// sequence whose ActualText is the character:
//
//	/Span <</ActualText <FEFFD872DF5A>>> BDC
//	x y m … c … h f
//	3 Tr
//	BT x y Td (<U+3000>) Tj ET
//	0 Tr
//	EMC
//
// Text extraction needs the invisible glyph: poppler (22.12) reports a
// span's ActualText only when the span shows some text, and puts it where
// that text is. The invisible glyph stands at the character's position
// and, scaled horizontally (Tz) when need be, has its advance, so the
// character comes out in reading order. It is a BMP character (the
// ideographic space when the face has one) of a face that is embedded
// anyway: the run's own face when it draws text elsewhere in the
// document, otherwise the first face that does. A face used only for
// outlines is not a font of the PDF at all.

// resolveInvisible chooses, for every face with outline glyphs, the face
// and character of the invisible glyphs, and adds that character to the
// face's subset. It runs after check has seen the whole document.
func (r *renderer) resolveInvisible() error {
	var host *faceUse // the first face that draws text
	for _, u := range r.used {
		if len(u.runes) > 0 {
			host = u
			break
		}
	}
	for _, u := range r.used { // a face registered on the way is not visited
		if len(u.outlines) == 0 {
			continue
		}
		switch {
		case len(u.runes) > 0:
			u.inv = u
		case host != nil:
			u.inv = host
		default:
			h, err := r.invisibleHost()
			if err != nil {
				return err
			}
			host, u.inv = h, h
		}
		h := u.inv
		if h.invRune == 0 {
			c, ok := invisibleRune(h)
			if !ok {
				return fmt.Errorf("render: font %s has no character to carry the text of %s's characters above U+FFFF", h.face.Name, u.face.Name)
			}
			h.invRune = c
			h.runes[c] = true
		}
	}
	return nil
}

// invisibleHost picks the face for invisible glyphs in a document with no
// text but characters above U+FFFF: the first face used that fpdf can
// embed and that has a space, otherwise the bundled serif.
func (r *renderer) invisibleHost() (*faceUse, error) {
	for _, u := range r.used {
		if u.embeddable() == nil && (u.face.Has(0x3000) || u.face.Has(' ')) {
			return u, nil
		}
	}
	def, err := fonts.Default()
	if err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	f := def.Face(fonts.SerifRegular)
	if u := r.family[f.Name]; u != nil {
		return nil, fmt.Errorf("render: font %s cannot carry the text of characters above U+FFFF", f.Name)
	}
	return r.register(f), nil
}

// invisibleRune picks the character of u's invisible glyphs: the
// ideographic space, else the space, else the first character of its
// subset with an advance.
func invisibleRune(u *faceUse) (rune, bool) {
	for _, c := range []rune{0x3000, ' '} {
		if a, ok := u.face.Advance(c); ok && a > 0 {
			return c, true
		}
	}
	rs := make([]rune, 0, len(u.runes))
	for c := range u.runes {
		rs = append(rs, c)
	}
	slices.Sort(rs)
	for _, c := range rs {
		if a, _ := u.face.Advance(c); a > 0 {
			return c, true
		}
	}
	return 0, false
}

// drawOutline draws character c of u's face at size (pt) with its origin
// at (x, y) (fpdf's coordinates, y down, on a page H pt high) as an
// outline with an invisible glyph carrying its text. The fill colour is
// the run's, already set.
func (r *renderer) drawOutline(u *faceUse, size, x, y, H float64, c rune) error {
	buf := append(r.buf[:0], "/Span <</ActualText <FEFF"...)
	buf = fmt.Appendf(buf, "%X", utf16BE(string(c)))
	buf = append(buf, ">>> BDC\n"...)
	buf = appendOutline(buf, u.outlines[c], size, x, H-y)
	buf = append(buf, "3 Tr"...)
	r.buf = buf
	r.pdf.RawWriteStr(string(buf))

	h := u.inv
	if err := r.setFont(h, size); err != nil {
		return err
	}
	r.setTc(0)
	// Scale the invisible glyph to the character's advance (as the viewer
	// computes it: fpdf's widths are rounded to 1/1000 em).
	tz := ""
	if want, ok := u.face.Advance(c); ok && want > 0 {
		a, _ := h.face.Advance(h.invRune)
		if a = math.Round(a*1000) / 1000; a > 0 {
			if s := fmtNum(100*want/a, 3); s != "100" {
				tz = s
			}
		}
	}
	if tz != "" {
		r.pdf.RawWriteStr(tz + " Tz")
	}
	r.pdf.Text(x, y, string(h.invRune))
	if tz != "" {
		r.pdf.RawWriteStr("100 Tz")
	}
	r.pdf.RawWriteStr("0 Tr\nEMC")
	return r.pdf.Error()
}

// appendOutline appends a glyph outline (em, y up) scaled to size pt with
// its origin at (ox, oy) in PDF coordinates, as a path filled with the
// nonzero winding rule: one operator a line, each contour closed, ending
// "f\n"; nothing for an empty outline. Quadratic curves (TrueType) become
// the cubic curves with the same shape.
func appendOutline(buf []byte, segs []fonts.Segment, size, ox, oy float64) []byte {
	if len(segs) == 0 {
		return buf
	}
	pt := func(p fonts.Point) (float64, float64) { return ox + p.X*size, oy + p.Y*size }
	var cx, cy float64 // the current point
	open := false
	for _, s := range segs {
		switch s.Op {
		case fonts.MoveTo:
			if open {
				buf = append(buf, "h\n"...)
			}
			cx, cy = pt(s.P[0])
			buf = append(appendNums(buf, cx, cy), " m\n"...)
			open = true
		case fonts.LineTo:
			cx, cy = pt(s.P[0])
			buf = append(appendNums(buf, cx, cy), " l\n"...)
		case fonts.QuadTo:
			qx, qy := pt(s.P[0])
			x, y := pt(s.P[1])
			buf = appendNums(buf, cx+2*(qx-cx)/3, cy+2*(qy-cy)/3, x+2*(qx-x)/3, y+2*(qy-y)/3, x, y)
			buf = append(buf, " c\n"...)
			cx, cy = x, y
		case fonts.CubeTo:
			ax, ay := pt(s.P[0])
			bx, by := pt(s.P[1])
			x, y := pt(s.P[2])
			buf = append(appendNums(buf, ax, ay, bx, by, x, y), " c\n"...)
			cx, cy = x, y
		}
	}
	if open {
		buf = append(buf, "h\n"...)
	}
	return append(buf, "f\n"...)
}
