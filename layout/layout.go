// Package layout typesets a parsed issue into a display list: it sets each
// article's paragraphs into lines (package layout/text), pours the lines
// into the columns of pages (package layout/page) and adds titles and
// folios. It reads the manifest's document model and writes display items;
// it knows nothing about PDF.
package layout

import (
	"fmt"
	"math"
	"path/filepath"
	"strconv"

	"paiban/display"
	"paiban/fonts"
	"paiban/layout/page"
	"paiban/manifest"
)

// Warning is something a designer should look at; the build goes on.
type Warning struct {
	File string
	Line int
	Msg  string
}

func (w Warning) String() string {
	if w.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", w.File, w.Line, w.Msg)
	}
	return fmt.Sprintf("%s: %s", w.File, w.Msg)
}

// Result is a laid-out issue.
type Result struct {
	Doc      *display.Document
	Warnings []Warning
	// Starts gives, for every article in manifest order, the index of the
	// page it starts on.
	Starts []int
}

// geometry is the page and type area of the issue.
type geometry struct {
	W, H, Bleed float64
	Top         float64 // y of the type area
	Inside      float64 // margin on the spine side
	Outside     float64
	Grid        page.Grid
}

// left is the x of the type area on page number folio (odd pages are
// rectos, whose spine is on the left).
func (g geometry) left(folio int) float64 {
	if folio%2 == 1 {
		return g.Inside
	}
	return g.Outside
}

func newGeometry(p manifest.Page, st *Style) (geometry, error) {
	g := geometry{W: p.Width, H: p.Height, Bleed: p.Bleed}
	m := st.Margins
	if p.Top > 0 {
		m.Top = p.Top
	}
	if p.Bottom > 0 {
		m.Bottom = p.Bottom
	}
	if p.Inside > 0 {
		m.Inside = p.Inside
	}
	if p.Outside > 0 {
		m.Outside = p.Outside
	}
	cols := p.Columns
	if cols < 1 {
		cols = 1
	}
	size := st.BodySize
	gutter := st.Gutter * size
	if p.Gutter > 0 {
		gutter = p.Gutter
	}
	avail := g.W - m.Inside - m.Outside - gutter*float64(cols-1)
	// R8: the measure is a whole number of characters.
	chars := math.Floor(avail/float64(cols)/size + 1e-9)
	if chars < 6 {
		return g, fmt.Errorf("page %.0f×%.0f pt with %d columns leaves %.0f characters a line — use fewer columns, smaller margins or a smaller body size", g.W, g.H, cols, chars)
	}
	colW := chars * size
	extra := avail - colW*float64(cols)
	g.Inside = m.Inside + extra/2
	g.Outside = m.Outside + extra/2
	lines := int(math.Floor((g.H - m.Top - m.Bottom) / st.Lead))
	if lines < 8 {
		return g, fmt.Errorf("the type area holds only %d lines — use smaller margins or leading", lines)
	}
	g.Top = m.Top
	g.Grid = page.Grid{Columns: cols, ColumnWidth: colW, Gutter: gutter, Lead: st.Lead, Lines: lines, Ascent: 0.88 * size}
	return g, nil
}

// Typeset lays out every article of the issue, each starting on a new page.
func Typeset(iss *manifest.Issue, set *fonts.Set) (*Result, error) {
	var fallback []*fonts.Face
	for _, path := range iss.Fonts.Fallback {
		f, err := fonts.Load(path, path)
		if err != nil {
			return nil, fmt.Errorf("%s: [fonts] fallback: %w", iss.File, err)
		}
		fallback = append(fallback, f)
		set.Add(f)
	}
	st := defaultStyle(set, fallback)
	if iss.Page.BodySize > 0 {
		st.BodySize = iss.Page.BodySize
		st.Lead = 1.7 * st.BodySize
	}
	if iss.Page.Leading > 0 {
		st.Lead = iss.Page.Leading
	}
	geo, err := newGeometry(iss.Page, &st)
	if err != nil {
		return nil, fmt.Errorf("%s: [page]: %w", iss.File, err)
	}
	res := &Result{Doc: &display.Document{
		Title:   iss.Title + " " + iss.Number,
		Author:  iss.Publisher,
		Subject: iss.Subtitle,
		Date:    iss.Date,
	}}
	for _, sec := range iss.Sections {
		for ai, art := range sec.Articles {
			start := len(res.Doc.Pages)
			a := &articleSetter{file: filepath.Join(filepath.Dir(iss.File), art.File), st: &st, geo: geo, art: art, res: res}
			pages, err := a.set(start + 1)
			if err != nil {
				return nil, err
			}
			res.Starts = append(res.Starts, start)
			if ai == 0 {
				res.Doc.Outline = append(res.Doc.Outline, display.Bookmark{Title: sec.Number + " " + sec.Title, Level: 0, Page: start})
			}
			res.Doc.Outline = append(res.Doc.Outline, display.Bookmark{Title: art.Title, Level: 1, Page: start})
			res.Doc.Pages = append(res.Doc.Pages, pages...)
		}
	}
	for i, p := range res.Doc.Pages {
		addFolio(p, i+1, &st, geo)
	}
	return res, nil
}

// addFolio prints the page number in the outer bottom corner.
func addFolio(p *display.Page, folio int, st *Style, geo geometry) {
	s := strconv.Itoa(folio)
	p.Folio = s
	face := st.Sans[0]
	w := 0.0
	var gs []display.Glyph
	for _, r := range s {
		gs = append(gs, display.Glyph{R: r, X: w})
		a, _ := face.Advance(r)
		w += a * st.FolioSize
	}
	y := geo.H - mm(10)
	x := geo.W - geo.Outside - w // recto: outer edge on the right
	if folio%2 == 0 {
		x = geo.Outside
	}
	p.Items = append(p.Items, &display.Text{X: x, Y: y, Font: face.Name, Size: st.FolioSize, Color: st.Quiet, Glyphs: gs, Artifact: true})
}
