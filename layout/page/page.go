// Package page pours rows of typeset material into the columns of pages.
//
// A page's type area (版心) is divided into columns whose lines sit on one
// baseline grid (R8): a text line takes one grid line, a heading, quote
// break or figure takes a whole number of them, so the baselines of
// neighbouring columns always line up. The package knows nothing about
// paragraphs or articles: it moves rows and keeps the rules that concern
// columns and pages — keep-with-next, no paragraph's last line alone at
// the top of a column (孤行, R9), figures that float to the next column or
// page rather than leave a hole, figures across all columns at the top or
// foot of a page, pictures on a page of their own — and it balances the
// columns of the last page.
package page

import (
	"math"
	"slices"

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

// Kind is how a row sits on the page.
type Kind uint8

// Row kinds.
const (
	InColumn Kind = iota // in one column, in the flow
	Wide                 // across all columns, at the top or foot of a page
	FullPage             // a page of its own
)

// Row is an unbreakable piece of a column: a text line, a heading, a figure.
type Row struct {
	Lines int // grid lines it takes (≥ 1); ignored for a FullPage row
	Kind  Kind
	// Bottom puts a Wide row at the foot of its page instead of the top,
	// and a Float row at the foot of its column.
	Bottom bool
	// Top puts a Float row at the top of a column: of this one if nothing
	// is in it yet, else of the next.
	Top bool
	// KeepWithNext is how many following rows must stand in the same
	// column as this one (a heading keeps with the first lines after it).
	KeepWithNext int
	// LastOfParagraph marks a paragraph's last line; it is never split
	// from the line before it across columns (ParagraphLines ≥ 2).
	LastOfParagraph bool
	// ParagraphLines is the number of lines of the paragraph the row ends
	// (meaningful on a LastOfParagraph row).
	ParagraphLines int
	// Float lets an InColumn row move to the top of the next column when
	// it does not fit, while the rows after it fill the rest of this one.
	Float bool
	// SkipAtTop drops the row when it would open a column (the blank line
	// before a heading).
	SkipAtTop bool
	// Draw returns the row's items for a row whose first grid line's top
	// is at (x, y) of the type area. A Wide row is drawn at x = 0 across
	// the type area, a FullPage row at (0, 0).
	Draw func(x, y float64) []display.Item
	// MinLines lets a Wide row shrink to as few grid lines, to stay on the
	// page its text is on; Fit then draws it in the lines it was given.
	MinLines int
	Fit      func(lines int) func(x, y float64) []display.Item
}

// Placed is a row set on a page.
type Placed struct {
	Row    int // index into the rows
	Column int // -1 for Wide and FullPage rows
	Line   int // first grid line
	// Lines is the grid lines a Wide row was given when it had to shrink
	// (0: its own Lines); the row's Fit draws it at that height.
	Lines int
}

// Page is one page's worth of placed rows.
type Page struct {
	Rows []Placed
	// Full reports a page given to one FullPage row.
	Full bool
}

// Pour sets rows into as many pages as it takes. start[i] is the first
// free grid line on page i (a title block above the columns); pages past
// the end of start begin at line 0. The last page's columns are balanced.
func Pour(rows []Row, g Grid, start []int) []Page {
	pages, _ := pour(rows, g, start, g.Lines, nil)
	if len(pages) == 0 {
		return pages
	}
	// A wide figure belongs on the page where the text before it is: try
	// reserving it there from the start, and keep that when it holds.
	// Reserving may push the anchor on to the next page; then try there.
	try := pages
	var used map[int][]int // the reservations pages was poured with
	for pass := 0; pass < 3; pass++ {
		pre := anchorPages(try, rows)
		if len(pre) == 0 {
			break
		}
		try, _ = pour(rows, g, start, g.Lines, pre)
		if len(try) <= len(pages) && anchored(try, rows) {
			pages, used = try, pre
			break
		}
	}
	pages = takeAlong(pages, rows, g, start, used)
	// The last page with text in its columns; only pictures' own pages
	// may follow it.
	last := len(pages) - 1
	for last > 0 && pages[last].Full {
		last--
	}
	lp := pages[last]
	if lp.Full || len(lp.Rows) == 0 {
		return pages
	}
	for _, pl := range lp.Rows {
		if r := rows[pl.Row]; r.Bottom {
			return pages // a figure at the foot keeps the columns full height
		}
	}
	// Balance the last page: the shortest column height that still holds
	// its rows on one page, without pushing a figure out of its place. Only
	// when the page's column rows are the tail of the rows; wide figures at
	// its top stay there and the columns under them are balanced.
	first := len(rows)
	var wide []int
	for _, pl := range lp.Rows {
		if rows[pl.Row].Kind == Wide {
			wide = append(wide, pl.Row)
		} else {
			first = min(first, pl.Row)
		}
	}
	if first == len(rows) {
		return pages
	}
	for pn, pg := range pages {
		for _, pl := range pg.Rows {
			if pn != last && pl.Row >= first && rows[pl.Row].Kind != FullPage {
				return pages
			}
		}
	}
	s := 0
	if last < len(start) {
		s = start[last]
	}
	// The page's own rows: its wide figures, then the tail.
	index := append([]int(nil), wide...)
	var pre map[int][]int
	sub := make([]Row, 0, len(wide)+len(rows)-first)
	for i, w := range wide {
		sub = append(sub, rows[w])
		if pre == nil {
			pre = map[int][]int{}
		}
		pre[0] = append(pre[0], i)
	}
	for i := first; i < len(rows); i++ {
		if rows[i].Kind == Wide && slices.Contains(wide, i) || rows[i].Kind == FullPage {
			continue
		}
		sub = append(sub, rows[i])
		index = append(index, i)
	}
	_, floated := pour(sub, g, []int{s}, g.Lines, pre)
	for h := s + 1; h < g.Lines; h++ {
		if p, f := pour(sub, g, []int{s}, h, pre); len(p) == 1 && f <= floated {
			for i := range p[0].Rows {
				p[0].Rows[i].Row = index[p[0].Rows[i].Row]
			}
			pages[last] = p[0]
			break
		}
	}
	return pages
}

// takeAlong keeps a wide figure that found no room on its text's page from
// standing alone on the next one, with nothing but blank columns under
// it: the page before ends early, as few lines as it takes for the
// figure's page to get text of its own (alongText lines a column, or all
// the room there is), and the last page's balancing does the rest.
func takeAlong(pages []Page, rows []Row, g Grid, start []int, pre map[int][]int) []Page {
	const alongText = 4
	last := len(pages) - 1
	for last > 0 && pages[last].Full {
		last--
	}
	if last < 1 || pages[last].Full || pages[last-1].Full {
		return pages
	}
	wideOnly, lines := true, 0
	for _, pl := range pages[last].Rows {
		if rows[pl.Row].Kind != Wide {
			wideOnly = false
		} else {
			lines += rows[pl.Row].Lines
			if pl.Lines > 0 {
				lines += pl.Lines - rows[pl.Row].Lines
			}
		}
	}
	room := g.Lines - lines - startOf(start, last) // per column under the figures
	if !wideOnly || len(pages[last].Rows) == 0 || room < 2 {
		return pages
	}
	want := min(alongText, room)
	top := startOf(start, last-1)
	for h := g.Lines - 1; h-top >= alongText; h-- {
		try, _ := pourShort(rows, g, start, g.Lines, pre, map[int]int{last - 1: h})
		if len(try) != len(pages) {
			break
		}
		text := 0 // lines in the figure page's first column
		for _, pl := range try[last].Rows {
			if pl.Column == 0 {
				text += rows[pl.Row].Lines
			}
		}
		if text >= want {
			return try
		}
	}
	return pages
}

func startOf(start []int, page int) int {
	if page < len(start) {
		return start[page]
	}
	return 0
}

// pourer is the state of one pour.
type pourer struct {
	rows   []Row
	g      Grid
	start  []int
	height int // the most grid lines a column may take

	pages   []Page
	cur     Page
	pageNo  int
	col     int
	line    int
	top     int // first free line of every column on this page
	bottom  int // columns end before this line on this page
	colEnd  int // this column ends before this line (≤ bottom)
	started bool

	pendingCol  []int // column floats waiting for a fresh column
	pendingFoot []int // column floats waiting for the foot of a fresh column
	pendingPage []int // wide and full-page rows waiting for a fresh page
	floated     int

	pre    map[int][]int // wide rows reserved on a page (by page number) ahead
	preset map[int]bool  // the rows in pre
	short  map[int]int   // pages (by number) whose columns end early: their height
}

// pour fills columns of at most height grid lines. It also returns how
// many floats had to wait for a later column or page.
func pour(rows []Row, g Grid, start []int, height int, pre map[int][]int) ([]Page, int) {
	return pourShort(rows, g, start, height, pre, nil)
}

// pourShort is pour with some pages' columns ending early: short[n] is
// the height of page n's columns.
func pourShort(rows []Row, g Grid, start []int, height int, pre map[int][]int, short map[int]int) ([]Page, int) {
	p := &pourer{rows: rows, g: g, start: start, height: height, pre: pre, preset: map[int]bool{}, short: short}
	for _, rs := range pre {
		for _, i := range rs {
			p.preset[i] = true
		}
	}
	p.openPage()
	for i := 0; i < len(rows); i++ {
		p.place(i)
	}
	p.finish()
	return p.pages, p.floated
}

func (p *pourer) startLine() int {
	if p.pageNo < len(p.start) {
		return p.start[p.pageNo]
	}
	return 0
}

// openPage begins a page: full-page figures waiting get pages of their
// own first, then waiting wide figures take the top or foot.
func (p *pourer) openPage() {
	for len(p.pendingPage) > 0 && p.rows[p.pendingPage[0]].Kind == FullPage {
		p.cur.Rows = append(p.cur.Rows, Placed{Row: p.pendingPage[0], Column: -1})
		p.cur.Full = true
		p.pendingPage = p.pendingPage[1:]
		p.pages = append(p.pages, p.cur)
		p.cur = Page{}
		p.pageNo++
	}
	p.col, p.top, p.bottom, p.started = 0, p.startLine(), p.height, false
	if h, ok := p.short[p.pageNo]; ok {
		p.bottom = min(p.bottom, h)
	}
	var rest []int
	for _, i := range p.pre[p.pageNo] {
		if !p.reserve(i) {
			rest = append(rest, i)
		}
	}
	for _, i := range p.pendingPage {
		if !p.reserve(i) {
			rest = append(rest, i)
		}
	}
	p.pendingPage = rest
	p.line = p.top
	p.colEnd = p.bottom
	p.placeFootFloats()
}

// reserve sets a wide row at the top or foot of the open page, if it fits.
func (p *pourer) reserve(i int) bool {
	r := p.rows[i]
	if r.Kind != Wide {
		return false
	}
	// Leave at least minText lines for the columns; a figure that may
	// shrink takes what is left, down to its MinLines.
	const minText = 3
	n, given := r.Lines, 0
	if room := p.bottom - p.top - minText; n > room && r.MinLines > 0 && r.Fit != nil && room >= r.MinLines {
		n, given = room, room
	}
	if p.bottom-p.top-n < minText {
		return false
	}
	if r.Bottom {
		p.bottom -= n
		p.cur.Rows = append(p.cur.Rows, Placed{Row: i, Column: -1, Line: p.bottom, Lines: given})
	} else {
		p.cur.Rows = append(p.cur.Rows, Placed{Row: i, Column: -1, Line: p.top, Lines: given})
		p.top += n
		p.line = p.top
	}
	return true
}

// nextColumn moves on to the next column, or the next page.
func (p *pourer) nextColumn() {
	p.col++
	if p.col == p.g.Columns {
		p.pages = append(p.pages, p.cur)
		p.cur = Page{}
		p.pageNo++
		p.openPage()
		return
	}
	p.line = p.top
	p.colEnd = p.bottom
	p.placeFootFloats()
}

// placeFootFloats sets column floats waiting for a column's foot at the
// foot of the fresh one.
func (p *pourer) placeFootFloats() {
	for len(p.pendingFoot) > 0 {
		r := p.rows[p.pendingFoot[0]]
		if p.colEnd-r.Lines < p.line+2 {
			return
		}
		p.colEnd -= r.Lines
		p.cur.Rows = append(p.cur.Rows, Placed{Row: p.pendingFoot[0], Column: p.col, Line: p.colEnd})
		p.pendingFoot = p.pendingFoot[1:]
	}
}

func (p *pourer) put(i int) {
	p.cur.Rows = append(p.cur.Rows, Placed{Row: i, Column: p.col, Line: p.line})
	p.line += p.rows[i].Lines
	p.started = true
}

// placeColumnFloats sets waiting column floats at the top of a fresh column.
func (p *pourer) placeColumnFloats() {
	for len(p.pendingCol) > 0 {
		r := p.rows[p.pendingCol[0]]
		if p.line+r.Lines > p.colEnd && p.line > p.top {
			return
		}
		p.put(p.pendingCol[0])
		p.pendingCol = p.pendingCol[1:]
	}
}

func (p *pourer) place(i int) {
	r := p.rows[i]
	if p.preset[i] {
		return // reserved when its page was opened
	}
	switch r.Kind {
	case FullPage:
		if !p.started && p.col == 0 && len(p.cur.Rows) == 0 {
			// Nothing on this page yet: it becomes the picture's page.
			p.pendingPage = append([]int{i}, p.pendingPage...)
			p.openPage()
			return
		}
		p.pendingPage = append(p.pendingPage, i)
		p.floated++
		return
	case Wide:
		if r.Bottom && p.col == 0 && p.line <= p.bottom-r.Lines && p.bottom-r.Lines-p.top >= 3 {
			p.bottom -= r.Lines
			p.colEnd = min(p.colEnd, p.bottom)
			p.cur.Rows = append(p.cur.Rows, Placed{Row: i, Column: -1, Line: p.bottom})
			return
		}
		if !r.Bottom && !p.started && p.col == 0 && p.reserve(i) {
			return
		}
		p.pendingPage = append(p.pendingPage, i)
		p.floated++
		return
	}
	if r.Float && r.Bottom {
		// At the foot of this column, or of the next one.
		if p.line+r.Lines <= p.colEnd && p.colEnd-r.Lines >= p.top+2 {
			p.colEnd -= r.Lines
			p.cur.Rows = append(p.cur.Rows, Placed{Row: i, Column: p.col, Line: p.colEnd})
			p.started = true
		} else {
			p.pendingFoot = append(p.pendingFoot, i)
			p.floated++
		}
		return
	}
	if r.Float && r.Top && p.line > p.top {
		// At the top of the next column; the text fills this one.
		p.pendingCol = append(p.pendingCol, i)
		p.floated++
		return
	}
	for {
		if p.line == p.top {
			p.placeColumnFloats()
			if r.SkipAtTop {
				return
			}
		}
		need := r.Lines
		// Keep-with-next: the rows this one holds on to come too.
		for k := 1; k <= r.KeepWithNext && i+k < len(p.rows); k++ {
			need += p.rows[i+k].Lines
		}
		// 孤行: a paragraph's second-last line does not end a column
		// without the last one.
		if i+1 < len(p.rows) && p.rows[i+1].LastOfParagraph && p.rows[i+1].ParagraphLines >= 2 && !r.LastOfParagraph {
			need += p.rows[i+1].Lines
		}
		fits := p.line+need <= p.colEnd
		if !fits && r.Float && p.line+r.Lines <= p.colEnd {
			fits = true // a float alone may still fit
		}
		if fits || p.line == p.top {
			// A row taller than a whole column is set anyway.
			break
		}
		if r.Float {
			p.pendingCol = append(p.pendingCol, i)
			p.floated++
			return
		}
		p.nextColumn()
	}
	p.put(i)
	if p.line >= p.colEnd {
		p.nextColumn()
	}
}

// finish sets what still waits and closes the last page.
func (p *pourer) finish() {
	for guard := 0; len(p.pendingFoot) > 0 && guard < 1000; guard++ {
		p.nextColumn()
		if len(p.pendingFoot) > 0 && p.line == p.top {
			// Taller than a column with room for text: set it at the top.
			p.put(p.pendingFoot[0])
			p.pendingFoot = p.pendingFoot[1:]
		}
	}
	// Rows reserved ahead for a page the text never reached wait too.
	for pn := p.pageNo + 1; pn <= p.pageNo+len(p.pre); pn++ {
		p.pendingPage = append(p.pendingPage, p.pre[pn]...)
	}
	for guard := 0; len(p.pendingCol) > 0 && guard < 1000; guard++ {
		if p.line > p.top {
			p.nextColumn()
		}
		p.placeColumnFloats()
		if len(p.pendingCol) > 0 && p.line == p.top {
			p.put(p.pendingCol[0])
			p.pendingCol = p.pendingCol[1:]
		}
	}
	// Wide figures still waiting go to the foot of this page when every
	// column has room under its text, else to a page of their own.
	for _, i := range p.pendingPage {
		r := p.rows[i]
		if r.Kind == Wide && p.used()+r.Lines <= p.bottom {
			p.bottom -= r.Lines
			p.cur.Rows = append(p.cur.Rows, Placed{Row: i, Column: -1, Line: p.bottom})
			continue
		}
		if len(p.cur.Rows) > 0 {
			p.pages = append(p.pages, p.cur)
			p.cur = Page{}
			p.pageNo++
		}
		p.cur.Rows = append(p.cur.Rows, Placed{Row: i, Column: -1, Line: p.startLine()})
		p.cur.Full = r.Kind == FullPage
		if p.cur.Full {
			p.cur.Rows[len(p.cur.Rows)-1].Line = 0
			p.pages = append(p.pages, p.cur)
			p.cur = Page{}
			p.pageNo++
		}
	}
	p.pendingPage = nil
	if len(p.cur.Rows) > 0 {
		p.pages = append(p.pages, p.cur)
	}
}

// anchorPages maps each wide row to the page its anchor — the nearest
// column row before it — was poured on.
func anchorPages(pages []Page, rows []Row) map[int][]int {
	pageOf := map[int]int{}
	for pn, pg := range pages {
		for _, pl := range pg.Rows {
			pageOf[pl.Row] = pn
		}
	}
	pre := map[int][]int{}
	for i, r := range rows {
		if r.Kind != Wide {
			continue
		}
		a := 0
		for k := i - 1; k >= 0; k-- {
			if rows[k].Kind == InColumn {
				a = pageOf[k]
				break
			}
		}
		pre[a] = append(pre[a], i)
	}
	return pre
}

// anchored reports whether every wide row stands on its anchor's page.
func anchored(pages []Page, rows []Row) bool {
	pageOf := map[int]int{}
	for pn, pg := range pages {
		for _, pl := range pg.Rows {
			pageOf[pl.Row] = pn
		}
	}
	for i, r := range rows {
		if r.Kind != Wide {
			continue
		}
		if _, ok := pageOf[i]; !ok {
			return false
		}
		for k := i - 1; k >= 0; k-- {
			if rows[k].Kind == InColumn {
				if pageOf[k] != pageOf[i] {
					return false
				}
				break
			}
		}
	}
	return true
}

// used is the lowest line any column of the open page has text on.
func (p *pourer) used() int {
	u := p.top
	for _, pl := range p.cur.Rows {
		if pl.Column >= 0 {
			u = max(u, pl.Line+p.rows[pl.Row].Lines)
		}
	}
	return u
}
