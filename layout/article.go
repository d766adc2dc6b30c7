package layout

import (
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // figure sizes
	_ "image/png"
	"os"

	"paiban/display"
	"paiban/fonts"
	"paiban/layout/page"
	"paiban/layout/text"
	"paiban/manifest"
)

// articleSetter lays out one article on pages of its own.
type articleSetter struct {
	file string // the article's path as the user named it, for messages
	st   *Style
	geo  geometry
	art  *manifest.Article
	res  *Result
}

// spanSource maps a span's Tag back to where its text came from.
type spanSource struct {
	line, col int
}

// setText sets spans and turns a missing glyph into an error naming the
// article file, line and column.
func (a *articleSetter) setText(spans []text.Span, src []spanSource, p text.Params) ([]text.Line, error) {
	lines, err := text.Set(spans, p)
	var mg *text.MissingGlyphError
	if errors.As(err, &mg) {
		line, col := a.art.TitleLine, 1
		if mg.Tag >= 0 && mg.Tag < len(src) {
			line, col = src[mg.Tag].line, src[mg.Tag].col+mg.Offset
		}
		if mg.R == 0xFFFD {
			return nil, fmt.Errorf("%s:%d:%d: invalid character U+FFFD — fix the text encoding", a.file, line, col)
		}
		return nil, fmt.Errorf("%s:%d:%d: no font has %q (U+%04X) — add a font that covers it to [fonts] fallback in the manifest, or replace the character", a.file, line, col, mg.R, mg.R)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", a.file, err)
	}
	for i, l := range lines {
		if l.Overfull {
			ln := a.art.TitleLine
			if len(l.Glyphs) > 0 && l.Glyphs[0].Tag < len(src) && l.Glyphs[0].Tag >= 0 {
				ln = src[l.Glyphs[0].Tag].line
			}
			a.res.Warnings = append(a.res.Warnings, Warning{File: a.file, Line: ln, Msg: fmt.Sprintf("line %d of a paragraph is wider than the measure (%.1f pt > %.1f pt): a word too long to break", i+1, l.Width, p.Measure)})
		}
	}
	return lines, nil
}

// plain makes spans for a one-style string from the front matter.
func plain(s string, faces []*fonts.Face, size float64, line int) ([]text.Span, []spanSource) {
	return []text.Span{{Text: s, Faces: faces, Size: size}}, []spanSource{{line: line, col: 1}}
}

// inlineSpans makes spans for a block's inlines; bold picks the bold faces.
func inlineSpans(b *manifest.Block, regular, bold []*fonts.Face, size float64) ([]text.Span, []spanSource) {
	spans := make([]text.Span, 0, len(b.Inlines))
	src := make([]spanSource, 0, len(b.Inlines))
	for _, in := range b.Inlines {
		f := regular
		if in.Strong {
			f = bold
		}
		spans = append(spans, text.Span{Text: in.Text, Faces: f, Size: size, Tag: len(src)})
		src = append(src, spanSource{line: in.Line, col: in.Col})
	}
	return spans, src
}

// runs turns a set line into text runs, one per face and size, with the
// line's left end at x and its baseline at y. align shifts a ragged line:
// 0 left, 0.5 centred.
func runs(l text.Line, x, y float64, c display.Color, measure, align float64) []display.Item {
	if align > 0 {
		x += (measure - l.Width) * align
	}
	var items []display.Item
	var cur *display.Text
	for _, g := range l.Glyphs {
		if cur == nil || cur.Font != g.Face.Name || cur.Size != g.Size {
			cur = &display.Text{X: x, Y: y, Font: g.Face.Name, Size: g.Size, Color: c}
			items = append(items, cur)
		}
		cur.Glyphs = append(cur.Glyphs, display.Glyph{R: g.R, X: g.X})
	}
	return items
}

// block is a stack of set lines with their own leading, drawn at a top edge.
type block struct {
	lines   []text.Line
	lead    float64
	ascent  float64 // first baseline below the top
	color   display.Color
	measure float64
	align   float64
}

func (b block) height() float64 {
	if len(b.lines) == 0 {
		return 0
	}
	return b.ascent + float64(len(b.lines)-1)*b.lead + b.lead*0.3
}

func (b block) draw(x, y float64) []display.Item {
	var items []display.Item
	for i, l := range b.lines {
		items = append(items, runs(l, x, y+b.ascent+float64(i)*b.lead, b.color, b.measure, b.align)...)
	}
	return items
}

// setBalanced sets a ragged display line (a title) so that, when it takes
// several lines, they are of even length instead of a full line and a
// stub: the narrowest measure, in whole characters, that needs no more
// lines than the full one.
func (a *articleSetter) setBalanced(spans []text.Span, src []spanSource, width float64) ([]text.Line, error) {
	lines, err := a.setText(spans, src, text.Params{Measure: width, Ragged: true})
	if err != nil || len(lines) < 2 {
		return lines, err
	}
	em := spans[0].Size
	best := lines
	for m := width - em; m > width/2; m -= em {
		l, err := text.Set(spans, text.Params{Measure: m, Ragged: true})
		if err != nil || len(l) > len(lines) || anyOverfull(l) {
			break
		}
		best = l
	}
	return best, nil
}

func anyOverfull(lines []text.Line) bool {
	for _, l := range lines {
		if l.Overfull {
			return true
		}
	}
	return false
}

// titleBlock sets kicker, title, source, credit and byline across the type
// area and returns their items and the grid lines they take.
func (a *articleSetter) titleBlock() ([]display.Item, int, error) {
	st, art, grid := a.st, a.art, a.geo.Grid
	width := grid.Width()
	var items []display.Item
	y := 0.0
	add := func(s string, faces []*fonts.Face, size, lead float64, c display.Color, gapBefore float64) error {
		if s == "" {
			return nil
		}
		spans, src := plain(s, faces, size, art.TitleLine)
		lines, err := a.setBalanced(spans, src, width)
		if err != nil {
			return err
		}
		y += gapBefore
		b := block{lines: lines, lead: lead, ascent: 0.88 * size, color: c, measure: width}
		items = append(items, b.draw(0, y)...)
		y += b.ascent + float64(len(lines)-1)*lead + 0.12*size
		return nil
	}
	if err := add(art.Kicker, st.Sans, st.KickerSize, st.KickerSize*1.4, st.Accent, 0); err != nil {
		return nil, 0, err
	}
	gap := 0.0
	if art.Kicker != "" {
		gap = st.KickerSize * 0.6
	}
	if err := add(art.Title, st.Heading, st.TitleSize, st.TitleLead, st.Text, gap); err != nil {
		return nil, 0, err
	}
	meta := art.Source
	if art.Credit != "" {
		if meta != "" {
			meta += "　"
		}
		meta += art.Credit
	}
	if err := add(meta, st.Sans, st.MetaSize, st.MetaSize*1.5, st.Quiet, st.MetaSize*1.2); err != nil {
		return nil, 0, err
	}
	by := art.Author
	if art.Affiliation != "" {
		if by != "" {
			by += "　"
		}
		by += art.Affiliation
	}
	if err := add(by, st.Sans, st.MetaSize+0.5, st.MetaSize*1.5, st.Text, st.MetaSize*1.2); err != nil {
		return nil, 0, err
	}
	y += st.BodySize * 0.8
	items = append(items, &display.Line{X1: 0, Y1: y, X2: width, Y2: y, Width: st.RuleW, Color: st.Accent})
	// The body starts one grid line below the rule.
	n := grid.LinesFor(y) + 1
	return items, n, nil
}

// rows turns the article body into rows for the columns.
func (a *articleSetter) rows() ([]page.Row, error) {
	st, grid := a.st, a.geo.Grid
	colW := grid.ColumnWidth
	var rows []page.Row
	lineRows := func(lines []text.Line, x, measure float64, c display.Color, align float64) {
		for i, l := range lines {
			l := l
			r := page.Row{Lines: 1, Draw: func(cx, cy float64) []display.Item {
				return runs(l, cx+x, cy+grid.Ascent, c, measure, align)
			}}
			if i == len(lines)-1 {
				r.LastOfParagraph = true
				r.ParagraphLines = len(lines)
			}
			rows = append(rows, r)
		}
	}
	blank := func() {
		rows = append(rows, page.Row{Lines: 1, SkipAtTop: true, Draw: func(float64, float64) []display.Item { return nil }})
	}
	for bi := range a.art.Blocks {
		b := &a.art.Blocks[bi]
		switch b.Kind {
		case manifest.Paragraph:
			spans, src := inlineSpans(b, st.Body, st.BodyBold, st.BodySize)
			lines, err := a.setText(spans, src, text.Params{Measure: colW, Indent: 2 * st.BodySize})
			if err != nil {
				return nil, err
			}
			lineRows(lines, 0, colW, st.Text, 0)
		case manifest.Heading:
			spans, src := inlineSpans(b, st.Heading, st.Heading, st.SubheadSize)
			lines, err := a.setText(spans, src, text.Params{Measure: colW, Ragged: true})
			if err != nil {
				return nil, err
			}
			if bi > 0 {
				blank()
			}
			for i, l := range lines {
				l := l
				rows = append(rows, page.Row{Lines: 1, KeepWithNext: len(lines) - i + 1, Draw: func(cx, cy float64) []display.Item {
					return runs(l, cx, cy+grid.Ascent, st.Accent, colW, 0.5)
				}})
			}
		case manifest.Quote:
			in := 2 * st.BodySize
			spans, src := inlineSpans(b, st.Body, st.BodyBold, st.QuoteSize)
			lines, err := a.setText(spans, src, text.Params{Measure: colW - 2*in})
			if err != nil {
				return nil, err
			}
			start := len(rows)
			lineRows(lines, in, colW-2*in, st.Accent, 0)
			// A rule beside the quote, drawn with its first line.
			first := rows[start].Draw
			n := len(lines)
			rows[start].Draw = func(cx, cy float64) []display.Item {
				items := first(cx, cy)
				x := cx + in/2
				return append(items, &display.Line{X1: x, Y1: cy + grid.Ascent - 0.85*st.QuoteSize, X2: x, Y2: cy + grid.Ascent + float64(n-1)*grid.Lead + 0.15*st.QuoteSize, Width: 1, Color: st.Accent})
			}
			blank()
		case manifest.Figure:
			r, err := a.figure(b)
			if err != nil {
				return nil, err
			}
			rows = append(rows, r)
		}
	}
	return rows, nil
}

// figure makes a floating row for a photo at column width with its caption.
func (a *articleSetter) figure(b *manifest.Block) (page.Row, error) {
	st, grid := a.st, a.geo.Grid
	f, err := os.Open(b.Image)
	if err != nil {
		return page.Row{}, fmt.Errorf("%s:%d: image %s: %w", a.file, b.Line, b.Src, err)
	}
	cfg, _, err := image.DecodeConfig(f)
	f.Close()
	if err != nil || cfg.Width == 0 || cfg.Height == 0 {
		return page.Row{}, fmt.Errorf("%s:%d: image %s cannot be read (%v) — use a JPEG or PNG file", a.file, b.Line, b.Src, err)
	}
	w := grid.ColumnWidth
	h := w * float64(cfg.Height) / float64(cfg.Width)
	if maxH := grid.Height() * 0.6; h > maxH {
		h = maxH
		w = h * float64(cfg.Width) / float64(cfg.Height)
	}
	spans, src := inlineSpans(b, st.Sans, st.Sans, st.CaptionSize)
	lines, err := a.setText(spans, src, text.Params{Measure: grid.ColumnWidth, Ragged: true})
	if err != nil {
		return page.Row{}, err
	}
	capLead := st.CaptionSize * 1.5
	cap := block{lines: lines, lead: capLead, ascent: 0.88 * st.CaptionSize, color: st.Quiet, measure: grid.ColumnWidth, align: 0.5}
	gap := st.CaptionSize * 0.6
	total := h + gap + cap.height()
	n := grid.LinesFor(total + grid.Lead*0.5)
	path := b.Image
	return page.Row{Lines: n, Float: true, Draw: func(cx, cy float64) []display.Item {
		x := cx + (grid.ColumnWidth-w)/2
		items := []display.Item{&display.Image{X: x, Y: cy, W: w, H: h, Path: path}}
		return append(items, cap.draw(cx, cy+h+gap)...)
	}}, nil
}

// set lays the article out on new pages; firstFolio is the page number of
// its first page.
func (a *articleSetter) set(firstFolio int) ([]*display.Page, error) {
	head, start, err := a.titleBlock()
	if err != nil {
		return nil, err
	}
	rows, err := a.rows()
	if err != nil {
		return nil, err
	}
	grid := a.geo.Grid
	if start >= grid.Lines {
		return nil, fmt.Errorf("%s: the title block takes the whole page — shorten the title", a.file)
	}
	poured := page.Pour(rows, grid, []int{start})
	if len(poured) == 0 {
		poured = []page.Page{{}}
	}
	var pages []*display.Page
	for i, pp := range poured {
		folio := firstFolio + i
		dx, dy := a.geo.left(folio), a.geo.Top
		p := &display.Page{Width: a.geo.W, Height: a.geo.H, Bleed: a.geo.Bleed}
		var items []display.Item
		if i == 0 {
			items = append(items, head...)
		}
		for _, pl := range pp.Rows {
			items = append(items, rows[pl.Row].Draw(grid.ColumnX(pl.Column), float64(pl.Line)*grid.Lead)...)
		}
		p.Items = display.Translate(items, dx, dy)
		pages = append(pages, p)
	}
	return pages, nil
}
