package render

import (
	"fmt"
	"math"

	"paiban/display"
)

// drawText draws a run as few text-showing operations as exact placement
// allows: consecutive glyphs whose distance is the glyph's advance plus one
// constant c share one Tj, with c as character spacing (Tc). A Latin word
// set at its natural advances is therefore one operation with Tc 0, a
// justified line of Chinese one operation with the justification as Tc;
// wherever spacing changes (punctuation compressed, a Latin word inside a
// Chinese line) a new operation starts at the glyph's exact X. Characters
// above U+FFFF split the run: each is drawn as an outline (drawOutline).
// H is the height of the page in pt.
func (r *renderer) drawText(pn int, b, H float64, t *display.Text) error {
	if len(t.Glyphs) == 0 {
		return nil
	}
	u := r.family[t.Font] // registered by check
	if len(u.runes) > 0 {
		if err := r.setFont(u, t.Size); err != nil {
			return fmt.Errorf("render: page %d: %w", pn, err)
		}
	}
	r.setFill(t.Color)
	if t.Artifact {
		r.pdf.RawWriteStr("/Artifact BMC")
	}
	x0, y := b+t.X, b+t.Y
	gs := t.Glyphs
	for i := 0; i < len(gs); {
		if gs[i].R > 0xFFFF {
			if err := r.drawOutline(u, t.Size, x0+gs[i].X, y+gs[i].Y, H, gs[i].R); err != nil {
				return fmt.Errorf("render: page %d: %w", pn, err)
			}
			i++
			continue
		}
		k := i + 1
		for k < len(gs) && gs[k].R <= 0xFFFF && gs[k].Y == gs[i].Y {
			k++
		}
		if err := r.setFont(u, t.Size); err != nil {
			return fmt.Errorf("render: page %d: %w", pn, err)
		}
		r.drawGlyphs(u, t.Size, x0, y+gs[i].Y, gs[i:k])
		i = k
	}
	r.setTc(0)
	if t.Artifact {
		r.pdf.RawWriteStr("EMC")
	}
	return r.pdf.Error()
}

// drawGlyphs draws glyphs of the BMP in u's face, already selected, with
// the run's origin at (x0, y) (fpdf's coordinates, y down).
func (r *renderer) drawGlyphs(u *faceUse, size, x0, y float64, gs []display.Glyph) {
	// fpdf writes the size in Tf with two decimals; advances follow it.
	fs := math.Round(size*100) / 100
	// Advances as the PDF viewer computes them: fpdf's /W widths are the
	// font's advances rounded to 1/1000 em. fpdf omits zero widths from /W
	// (the viewer then uses /DW), so a zero-advance glyph ends a group.
	r.adv = r.adv[:0]
	for _, g := range gs {
		a, _ := u.face.Advance(g.R)
		r.adv = append(r.adv, math.Round(a*1000)/1000*fs)
	}
	for i := 0; i < len(gs); {
		j := i + 1
		c := 0.0
		if j < len(gs) && r.adv[i] > 0 {
			c = math.Round((gs[j].X-gs[i].X-r.adv[i])*1e4) / 1e4
			next := gs[i].X + r.adv[i] + c
			for j < len(gs) && r.adv[j-1] > 0 && math.Abs(next-gs[j].X) <= textTolerance {
				next += r.adv[j] + c
				j++
			}
		}
		if j-i > 1 {
			r.setTc(c)
		}
		r.runes = r.runes[:0]
		for _, g := range gs[i:j] {
			r.runes = append(r.runes, g.R)
		}
		r.pdf.Text(x0+gs[i].X, y, string(r.runes))
		i = j
	}
}

// setFont selects u's face at size (pt) unless it is the current font.
func (r *renderer) setFont(u *faceUse, size float64) error {
	if r.fontFamily == u.family && r.fontSize == size {
		return nil
	}
	r.pdf.SetFont(u.family, "", size)
	if err := r.pdf.Error(); err != nil {
		return fmt.Errorf("font %s: %w", u.face.Name, err)
	}
	r.fontFamily, r.fontSize, r.utf8Font = u.family, size, true
	return nil
}

func (r *renderer) setTc(c float64) {
	s := fmtNum(c, 4)
	if s != r.tc {
		r.tc = s
		r.pdf.RawWriteStr(s + " Tc")
	}
}
