// Package page pours rows of typeset material into the columns of pages.
//
// A page's type area (版心) is divided into columns whose lines sit on one
// baseline grid (R8): a text line takes one grid line, a heading, quote
// break or figure takes a whole number of them, so the baselines of
// neighbouring columns always line up. The package knows nothing about
// paragraphs or articles: it moves rows and keeps the rules that concern
// columns — keep-with-next, no paragraph's last line alone at the top of a
// column (孤行, R9), figures that float to the next column rather than leave
// a hole — and balances the columns of the last page.
package page

import (
	"math"

	"paiban/display"
)

// Grid is the geometry of a type area: columns on a baseline grid.
// Coordinates are relative to the top-left corner of the type area.
type Grid struct {
	Columns     int
	ColumnWidth float64
	Gutter      float64
	Lead        float64 // baseline to baseline
	Lines       int     // grid lines in a full column
	// Ascent is the distance from a grid line's top to its baseline.
	Ascent float64
}

// Width is the width of the whole type area.
func (g Grid) Width() float64 {
	return float64(g.Columns)*g.ColumnWidth + float64(g.Columns-1)*g.Gutter
}

// Height is the height of a full column.
func (g Grid) Height() float64 { return float64(g.Lines) * g.Lead }

// ColumnX is the left edge of column c.
func (g Grid) ColumnX(c int) float64 { return float64(c) * (g.ColumnWidth + g.Gutter) }

// Baseline is the y of the baseline of grid line n.
func (g Grid) Baseline(n int) float64 { return float64(n)*g.Lead + g.Ascent }

// LinesFor returns how many grid lines a block of height h takes.
func (g Grid) LinesFor(h float64) int {
	return int(math.Ceil(h/g.Lead - 1e-6))
}

// Row is an unbreakable piece of a column: a text line, a heading, a figure.
type Row struct {
	Lines int // grid lines it takes (≥ 1)
	// KeepWithNext is how many following rows must stand in the same
	// column as this one (a heading keeps with the first lines after it).
	KeepWithNext int
	// LastOfParagraph marks a paragraph's last line; with PartOfParagraph
	// set on the line before it, the two are never split across columns.
	LastOfParagraph bool
	// ParagraphLines is the number of lines of the paragraph the row ends
	// (meaningful on a LastOfParagraph row).
	ParagraphLines int
	// Float lets the row move to the top of the next column when it does
	// not fit, while the rows after it fill the rest of this one (figures).
	Float bool
	// SkipAtTop drops the row when it would open a column (the blank line
	// before a heading).
	SkipAtTop bool
	// Draw returns the row's items for a row whose first grid line's top
	// is at (x, y), in a column of the grid's width.
	Draw func(x, y float64) []display.Item
}

// Placed is a row set in a column.
type Placed struct {
	Row    int // index into the rows
	Column int
	Line   int // first grid line
}

// Page is one page's worth of placed rows.
type Page struct {
	Rows []Placed
}

// Pour sets rows into as many pages as it takes. start[i] is the first
// free grid line on page i (a title block above the columns); pages past
// the end of start begin at line 0. The last page's columns are balanced.
func Pour(rows []Row, g Grid, start []int) []Page {
	pages, _ := pour(rows, g, start, g.Lines)
	if len(pages) == 0 {
		return pages
	}
	// Balance the last page: the shortest column height that still holds
	// its rows on one page.
	last := len(pages) - 1
	first := pages[last].Rows[0].Row
	s := 0
	if last < len(start) {
		s = start[last]
	}
	sub := rows[first:]
	// Balancing must not push a figure out of its place in the text.
	_, floated := pour(sub, g, []int{s}, g.Lines)
	for h := s + 1; h < g.Lines; h++ {
		if p, f := pour(sub, g, []int{s}, h); len(p) == 1 && f <= floated {
			for i := range p[0].Rows {
				p[0].Rows[i].Row += first
			}
			pages[last] = p[0]
			break
		}
	}
	return pages
}

// pour fills columns of at most height grid lines. It also returns how
// many floats had to wait for a later column.
func pour(rows []Row, g Grid, start []int, height int) ([]Page, int) {
	floated := 0
	var pages []Page
	var cur Page
	col, line, pageNo := 0, 0, 0
	if len(start) > 0 {
		line = start[0]
	}
	top := func() int {
		if pageNo < len(start) {
			return start[pageNo]
		}
		return 0
	}
	next := func() {
		col++
		if col == g.Columns {
			pages = append(pages, cur)
			cur = Page{}
			col = 0
			pageNo++
		}
		line = top()
	}
	var pending []int // floats waiting for a fresh column
	placePending := func() {
		for len(pending) > 0 {
			r := rows[pending[0]]
			if line+r.Lines > height && line > top() {
				return
			}
			cur.Rows = append(cur.Rows, Placed{Row: pending[0], Column: col, Line: line})
			line += r.Lines
			pending = pending[1:]
		}
	}
	for i := 0; i < len(rows); i++ {
		r := rows[i]
		if line == top() {
			placePending()
			if r.SkipAtTop {
				continue
			}
		}
		need := r.Lines
		// Keep-with-next: the rows this one holds on to come too.
		for k := 1; k <= r.KeepWithNext && i+k < len(rows); k++ {
			need += rows[i+k].Lines
		}
		// 孤行: a paragraph's second-last line does not end a column
		// without the last one.
		if i+1 < len(rows) && rows[i+1].LastOfParagraph && rows[i+1].ParagraphLines >= 2 && !r.LastOfParagraph {
			need += rows[i+1].Lines
		}
		fits := line+need <= height
		if !fits && r.Float && line+r.Lines <= height {
			fits = true // a float alone may still fit
		}
		if !fits && line > top() {
			if r.Float {
				pending = append(pending, i)
				floated++
				continue
			}
			next()
			i--
			continue
		}
		cur.Rows = append(cur.Rows, Placed{Row: i, Column: col, Line: line})
		line += r.Lines
		if line >= height {
			next()
		}
	}
	for len(pending) > 0 {
		if line > top() {
			next()
		}
		placePending()
		if len(pending) > 0 && line == top() {
			// Taller than a whole column: set it anyway.
			cur.Rows = append(cur.Rows, Placed{Row: pending[0], Column: col, Line: line})
			line += rows[pending[0]].Lines
			pending = pending[1:]
		}
	}
	if len(cur.Rows) > 0 {
		pages = append(pages, cur)
	}
	return pages, floated
}
