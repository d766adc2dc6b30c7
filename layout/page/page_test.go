package page

import (
	"testing"

	"paiban/display"
)

var grid = Grid{Columns: 2, ColumnWidth: 100, Gutter: 20, Lead: 10, Lines: 10, Ascent: 8}

func none(float64, float64) []display.Item { return nil }

// paragraph returns n text-line rows of one paragraph.
func paragraph(n int) []Row {
	rows := make([]Row, n)
	for i := range rows {
		rows[i] = Row{Lines: 1, Draw: none}
	}
	rows[n-1].LastOfParagraph = true
	rows[n-1].ParagraphLines = n
	return rows
}

func concat(parts ...[]Row) []Row {
	var out []Row
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// where returns page, column and line of row i.
func where(pages []Page, i int) (int, int, int) {
	for p, pg := range pages {
		for _, pl := range pg.Rows {
			if pl.Row == i {
				return p, pl.Column, pl.Line
			}
		}
	}
	return -1, -1, -1
}

func TestPourFillsColumnsInOrder(t *testing.T) {
	rows := paragraph(45) // two full pages (40 lines) and 5 more
	pages := Pour(rows, grid, nil)
	if len(pages) != 3 {
		t.Fatalf("%d pages, want 3", len(pages))
	}
	if p, c, l := where(pages, 10); p != 0 || c != 1 || l != 0 {
		t.Errorf("row 10 at page %d col %d line %d, want 0/1/0", p, c, l)
	}
	if p, c, l := where(pages, 20); p != 1 || c != 0 || l != 0 {
		t.Errorf("row 20 at page %d col %d line %d, want 1/0/0", p, c, l)
	}
}

func TestPourStartLine(t *testing.T) {
	pages := Pour(paragraph(30), grid, []int{4})
	if p, c, l := where(pages, 0); p != 0 || c != 0 || l != 4 {
		t.Errorf("first row at %d/%d/%d, want below the title block at line 4", p, c, l)
	}
	if p, c, l := where(pages, 6); p != 0 || c != 1 || l != 4 {
		t.Errorf("row 6 at %d/%d/%d, want column 2 line 4", p, c, l)
	}
}

func TestLastLineNeverAloneAtColumnTop(t *testing.T) {
	// cjk-r9-widow: 9 lines fill column 1 but one; a 2-line paragraph
	// whose last line would open column 2 moves whole.
	rows := concat(paragraph(9), paragraph(2), paragraph(12))
	pages := Pour(rows, grid, nil)
	_, c9, _ := where(pages, 9)
	_, c10, l10 := where(pages, 10)
	if c9 != c10 {
		t.Errorf("the paragraph's last two lines are split: columns %d and %d", c9, c10)
	}
	if l10 == 0 {
		t.Errorf("a last line stands alone at the top of a column")
	}
}

func TestHeadingKeepsWithNext(t *testing.T) {
	// A heading on the last line of a column goes to the next column with
	// the lines it keeps.
	heading := []Row{{Lines: 1, KeepWithNext: 2, Draw: none}}
	rows := concat(paragraph(9), heading, paragraph(8))
	pages := Pour(rows, grid, nil)
	_, c, l := where(pages, 9)
	if c != 1 || l != 0 {
		t.Errorf("heading at column %d line %d, want the top of column 2", c, l)
	}
}

func TestBlankSkippedAtColumnTop(t *testing.T) {
	blank := []Row{{Lines: 1, SkipAtTop: true, Draw: none}}
	rows := concat(paragraph(10), blank, paragraph(13))
	pages := Pour(rows, grid, nil)
	if p, _, _ := where(pages, 10); p != -1 {
		t.Errorf("the blank line before a heading was set at a column top")
	}
	if p, c, l := where(pages, 11); p != 0 || c != 1 || l != 0 {
		t.Errorf("text after the skipped blank at column %d line %d", c, l)
	}
}

func TestFloatMovesToNextColumnTextFillsGap(t *testing.T) {
	fig := []Row{{Lines: 4, Float: true, Draw: none}}
	rows := concat(paragraph(8), fig, paragraph(6))
	pages := Pour(rows, grid, nil)
	_, fc, fl := where(pages, 8)
	if fc != 1 || fl != 0 {
		t.Errorf("figure at column %d line %d, want the top of column 2", fc, fl)
	}
	if _, c, l := where(pages, 9); c != 0 || l != 8 {
		t.Errorf("text after the figure at column %d line %d, want it to fill column 1 from line 8", c, l)
	}
}

func TestBalanceLastPage(t *testing.T) {
	pages := Pour(paragraph(12), grid, nil)
	if len(pages) != 1 {
		t.Fatalf("%d pages", len(pages))
	}
	n := [2]int{}
	for _, pl := range pages[0].Rows {
		n[pl.Column]++
	}
	if n[0] != 6 || n[1] != 6 {
		t.Errorf("columns hold %v lines, want 6 and 6", n)
	}
}

func TestBalanceKeepsFloatsInPlace(t *testing.T) {
	// A figure after a short paragraph on the last page stays after it:
	// balancing may not push it to the next column ahead of later text.
	fig := []Row{{Lines: 4, Float: true, Draw: none}}
	rows := concat(paragraph(2), fig, paragraph(6))
	pages := Pour(rows, grid, nil)
	_, c, l := where(pages, 2)
	if c != 0 || l != 2 {
		t.Errorf("figure at column %d line %d, want column 1 line 2, after its paragraph", c, l)
	}
}

func TestWideFigureTakesTopOfItsPage(t *testing.T) {
	// A wide figure met mid-page goes to the top of the page its text is
	// on, and the columns start below it.
	wide := []Row{{Lines: 4, Kind: Wide, Draw: none}}
	rows := concat(paragraph(5), wide, paragraph(30))
	pages := Pour(rows, grid, nil)
	p, c, l := where(pages, 5)
	if p != 0 || c != -1 || l != 0 {
		t.Fatalf("wide figure at page %d col %d line %d, want page 1, across, line 0", p, c, l)
	}
	if _, c, l := where(pages, 0); c != 0 || l != 4 {
		t.Errorf("the text starts at column %d line %d, want under the figure", c, l)
	}
	for _, pl := range pages[0].Rows {
		if pl.Column >= 0 && pl.Line < 4 {
			t.Errorf("row %d at line %d overlaps the figure", pl.Row, pl.Line)
		}
	}
}

func TestWideFigureWaitsWhenItsPageIsFull(t *testing.T) {
	// When the figure's own page has no room (a title block takes most of
	// it), the figure goes to the top of the next page.
	wide := []Row{{Lines: 4, Kind: Wide, Draw: none}}
	rows := concat(paragraph(5), wide, paragraph(30))
	pages := Pour(rows, grid, []int{7})
	if p, c, l := where(pages, 5); p != 1 || c != -1 || l != 0 {
		t.Fatalf("wide figure at page %d col %d line %d, want page 2 top", p, c, l)
	}
}

func TestWideFigureAtFoot(t *testing.T) {
	wide := []Row{{Lines: 4, Kind: Wide, Bottom: true, Draw: none}}
	rows := concat(paragraph(3), wide, paragraph(20))
	pages := Pour(rows, grid, nil)
	if p, c, l := where(pages, 3); p != 0 || c != -1 || l != 6 {
		t.Fatalf("wide figure at page %d col %d line %d, want page 1 foot (line 6)", p, c, l)
	}
	for _, pl := range pages[0].Rows {
		if pl.Column >= 0 && pl.Line+1 > 6 {
			t.Errorf("row %d at line %d runs into the figure at the foot", pl.Row, pl.Line)
		}
	}
}

func TestFullPageFigure(t *testing.T) {
	full := []Row{{Kind: FullPage, Draw: none}}
	rows := concat(paragraph(5), full, paragraph(30))
	pages := Pour(rows, grid, nil)
	if p, _, _ := where(pages, 5); p != 1 || !pages[1].Full || len(pages[1].Rows) != 1 {
		t.Fatalf("full-page figure on page %d (full=%v)", p, p >= 0 && pages[p].Full)
	}
	if p, c, l := where(pages, 6); p != 0 || c != 0 || l != 5 {
		t.Errorf("text after the picture at page %d col %d line %d, want it to finish page 1 first", p, c, l)
	}
}

// TestEveryRowPlacedOnce pours mixes of rows and checks that every row
// (but blanks skipped at a column top) is placed exactly once.
func TestEveryRowPlacedOnce(t *testing.T) {
	wide := func(bottom bool) []Row { return []Row{{Lines: 5, Kind: Wide, Bottom: bottom, Draw: none}} }
	full := []Row{{Kind: FullPage, Draw: none}}
	col := []Row{{Lines: 3, Float: true, Draw: none}}
	heading := []Row{{Lines: 1, KeepWithNext: 2, Draw: none}}
	for n, rows := range [][]Row{
		concat(paragraph(3), wide(false), paragraph(3)),
		concat(paragraph(25), wide(true), paragraph(2), wide(false), paragraph(40)),
		concat(paragraph(7), full, col, paragraph(9), wide(false), heading, paragraph(4), full),
		concat(wide(false), wide(false), wide(true), paragraph(2)),
		concat(paragraph(1), col, col, col, col, col, col, paragraph(1)),
	} {
		for _, start := range [][]int{nil, {6}} {
			pages := Pour(rows, grid, start)
			seen := map[int]int{}
			for _, pg := range pages {
				for _, pl := range pg.Rows {
					seen[pl.Row]++
				}
			}
			for i := range rows {
				if seen[i] != 1 && !rows[i].SkipAtTop {
					t.Errorf("case %d start %v: row %d placed %d times", n, start, i, seen[i])
				}
			}
		}
	}
}

func TestColumnFigureAtFoot(t *testing.T) {
	foot := []Row{{Lines: 3, Float: true, Bottom: true, Draw: none}}
	rows := concat(paragraph(2), foot, paragraph(30))
	pages := Pour(rows, grid, nil)
	if p, c, l := where(pages, 2); p != 0 || c != 0 || l != 7 {
		t.Fatalf("figure at page %d col %d line %d, want the foot of column 1 (line 7)", p, c, l)
	}
	for _, pl := range pages[0].Rows {
		if pl.Column == 0 && pl.Row != 2 && pl.Line >= 7 {
			t.Errorf("text row %d at line %d runs into the figure", pl.Row, pl.Line)
		}
	}
	if _, c, l := where(pages, 3); c != 0 || l != 2 {
		t.Errorf("the text after the figure goes on at column %d line %d, want column 1 line 2", c, l)
	}
}

func TestColumnFigureAtTop(t *testing.T) {
	top := []Row{{Lines: 3, Float: true, Top: true, Draw: none}}
	rows := concat(paragraph(2), top, paragraph(30))
	pages := Pour(rows, grid, nil)
	if p, c, l := where(pages, 2); p != 0 || c != 1 || l != 0 {
		t.Fatalf("figure at page %d col %d line %d, want the top of column 2", p, c, l)
	}
	if _, c, l := where(pages, 3); c != 0 || l != 2 {
		t.Errorf("the text after the figure goes on at column %d line %d, want column 1 line 2", c, l)
	}
}

func TestWideFigureShrinksToStayOnItsPage(t *testing.T) {
	// Six lines of title leave four: an 8-line figure that may shrink to 1
	// takes 1 line and leaves the columns their three; one that may not
	// waits for the next page.
	for _, tc := range []struct {
		min      int
		page     int
		given    int
		describe string
	}{
		{0, 1, 0, "cannot shrink: next page"},
		{1, 0, 1, "shrinks to the room left"},
	} {
		fig := Row{Lines: 8, Kind: Wide, Draw: none, MinLines: tc.min}
		if tc.min > 0 {
			fig.Fit = func(int) func(float64, float64) []display.Item { return none }
		}
		rows := concat(paragraph(2), []Row{fig}, paragraph(2))
		pages := Pour(rows, grid, []int{6})
		p, _, _ := where(pages, 2)
		var pl Placed
		for _, r := range pages[max(p, 0)].Rows {
			if r.Row == 2 {
				pl = r
			}
		}
		if p != tc.page || pl.Lines != tc.given {
			t.Errorf("%s: figure on page %d given %d lines, want page %d given %d", tc.describe, p, pl.Lines, tc.page, tc.given)
		}
	}
}

func TestWideFigureTakesTextAlong(t *testing.T) {
	// The first page's columns (six lines under a four-line title) are
	// full; a wide figure after the text finds no room there and goes to
	// the next page, which would hold nothing else.
	fig := Row{Lines: 4, Kind: Wide, Draw: none}
	rows := concat(paragraph(6), paragraph(6), []Row{fig})
	pages := Pour(rows, grid, []int{4})
	if len(pages) != 2 {
		t.Fatalf("%d pages, want 2", len(pages))
	}
	if p, c, l := where(pages, 12); p != 1 || c != -1 || l != 0 {
		t.Fatalf("figure at page %d column %d line %d, want the top of page 1", p, c, l)
	}
	var cols [2]int
	for _, pl := range pages[1].Rows {
		if pl.Column >= 0 {
			cols[pl.Column]++
		}
	}
	// Text came along: at least four lines, in balanced columns.
	if cols[0] < 2 || cols[0]+cols[1] < 4 || cols[0]-cols[1] > 1 || cols[1] > cols[0] {
		t.Errorf("figure page columns hold %v lines, want ≥ 4 in all, balanced", cols)
	}
	// Taken from the end of the first page, in order.
	if p, _, _ := where(pages, 11); p != 1 {
		t.Errorf("the last line is on page %d, want 1", p)
	}
	if p, _, _ := where(pages, 0); p != 0 {
		t.Errorf("the first line is on page %d, want 0", p)
	}

	// At the foot of its page the same: text above it.
	foot := fig
	foot.Bottom = true
	rows = concat(paragraph(6), paragraph(6), []Row{foot})
	pages = Pour(rows, grid, []int{4})
	if p, _, l := where(pages, 12); p != 1 || l != 6 {
		t.Errorf("foot figure on page %d line %d, want page 1 line 6", p, l)
	}
	if p, c, l := where(pages, 11); p != 1 || c < 0 || l > 5 {
		t.Errorf("with a foot figure the last line is on page %d column %d line %d, want page 1 above the figure", p, c, l)
	}
}
