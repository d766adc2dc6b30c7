package layout

import (
	"fmt"
	"image"
	_ "image/jpeg" // picture sizes
	_ "image/png"
	"os"
	"path/filepath"

	"paiban/display"
	"paiban/layout/page"
	"paiban/layout/text"
	"paiban/manifest"
)

// article is one article typeset into rows, ready to pour; drawing its
// pages only needs the page numbers.
type article struct {
	art     *manifest.Article
	sec     *manifest.Section
	file    string // the article's path as the user named it
	head    []display.Item
	start   int // the grid line the columns begin at on the first page
	rows    []page.Row
	poured  []page.Page
	figures []string // the pictures it places, for the report
	leadPx  [2]int   // the lead photo's size in pixels
}

// printPPI is the resolution a photo must keep in print (print.md).
const printPPI = 300.0

// articleSetter typesets one article.
type articleSetter struct {
	st  *Style
	geo geometry
	set setter
	a   *article
}

func (s *articleSetter) src(line int, what string) source {
	return source{file: s.a.file, line: line, col: 1, what: what}
}

// imageSize reads a picture's pixel size, for its aspect ratio.
func imageSize(file string, line int, path, shown string) (w, h int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, fmt.Errorf("%s:%d: image %s: %w", file, line, shown, err)
	}
	defer f.Close()
	cfg, _, err := image.DecodeConfig(f)
	if err != nil || cfg.Width == 0 || cfg.Height == 0 {
		return 0, 0, fmt.Errorf("%s:%d: image %s cannot be read (%v) — use a JPEG or PNG file", file, line, shown, err)
	}
	return cfg.Width, cfg.Height, nil
}

// headBlock sets the section label, kicker, title, source and credit,
// byline, the rule under them and the lead photo, across the type area.
func (s *articleSetter) headBlock(leadLines int) error {
	st, art, grid := s.st, s.a.art, s.geo.Grid
	width := grid.Width()
	var items []display.Item
	y := 0.0
	add := func(str string, el Elem, gapBefore float64, balanced bool) error {
		if str == "" {
			return nil
		}
		var lines []text.Line
		var err error
		src := s.src(art.TitleLine, "")
		if balanced {
			lines, err = s.set.balanced(str, el, src, width)
		} else {
			lines, err = s.set.plain(str, el, src, text.Params{Measure: width, Ragged: true})
		}
		if err != nil {
			return err
		}
		y += gapBefore
		b := block{lines: lines, el: el, measure: width}
		items = append(items, b.draw(0, y)...)
		y += b.height()
		return nil
	}
	// The section, as a small label with an accent mark.
	if sec := s.a.sec; sec != nil {
		lab := sec.Number + "  " + sec.Title
		el := st.RunningHead
		el.Color = st.Accent
		el.Size = 9
		if err := coverage(lab, el, source{file: s.a.file, what: "section title"}); err != nil {
			return err
		}
		items = append(items, &display.Rect{X: 0, Y: y + 1, W: mm(4), H: 0.88*el.Size - 2, Fill: &st.Accent})
		items = append(items, label(lab, el, mm(5.5), y+0.88*el.Size, false, 0, display.Generated))
		y += el.Size + mm(4)
	}
	if err := add(art.Kicker, st.Kicker, 0, false); err != nil {
		return err
	}
	gap := 0.0
	if art.Kicker != "" {
		gap = st.Kicker.Size * 0.5
	}
	if err := add(art.Title, st.Title, gap, true); err != nil {
		return err
	}
	meta := art.Source
	if art.Credit != "" {
		if meta != "" {
			meta += "　"
		}
		meta += art.Credit
	}
	if err := add(meta, st.Meta, st.Meta.Size*1.1, false); err != nil {
		return err
	}
	by := art.Author
	if art.Affiliation != "" {
		if by != "" {
			by += "　"
		}
		by += art.Affiliation
	}
	if err := add(by, st.Byline, st.Byline.Size*1.1, false); err != nil {
		return err
	}
	y += st.Body.Size * 0.9
	items = append(items, &display.Line{X1: 0, Y1: y, X2: width, Y2: y, Width: st.RuleW, Color: st.Accent})
	n := grid.LinesFor(y) + 1
	if art.Image != "" && leadLines > 0 {
		top := float64(n) * grid.Lead
		h := float64(leadLines)*grid.Lead - grid.Lead*0.6
		// Never wider than the picture's pixels allow at the print
		// resolution: a narrower frame, centred, rather than a soft photo.
		w := min(width, float64(s.a.leadPx[0])*72/printPPI)
		items = append(items, &display.Image{X: (width - w) / 2, Y: top, W: w, H: h, Path: art.Image, FocusX: art.ImageFocusX, FocusY: art.ImageFocusY,
			Src: art.File + ": the front matter's image"})
		n += leadLines
	}
	s.a.head, s.a.start = items, n
	return nil
}

// rows turns the article body into rows for the columns.
func (s *articleSetter) rows() error {
	st, grid := s.st, s.geo.Grid
	colW := grid.ColumnWidth
	var rows []page.Row
	lineRows := func(lines []text.Line, x, measure float64, c display.Color) {
		for i, l := range lines {
			l := l
			r := page.Row{Lines: 1, Draw: func(cx, cy float64) []display.Item {
				return runs(l, cx+x, cy+grid.Ascent, c, measure, 0, display.Content)
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
	s.a.figures = nil
	for bi := 0; bi < len(s.a.art.Blocks); bi++ {
		b := &s.a.art.Blocks[bi]
		switch b.Kind {
		case manifest.Paragraph:
			spans, src := inlineSpans(s.a.file, b, st.Body, st.BodyBold)
			lines, err := s.set.set(spans, src, s.set.body(text.Params{Measure: colW, Indent: 2 * st.Body.Size}))
			if err != nil {
				return err
			}
			lineRows(lines, 0, colW, st.Body.Color)
		case manifest.Heading:
			spans, src := inlineSpans(s.a.file, b, st.Subhead, st.Subhead)
			lines, err := s.set.set(spans, src, text.Params{Measure: colW, Ragged: true})
			if err != nil {
				return err
			}
			if bi > 0 {
				blank()
			}
			for i, l := range lines {
				l := l
				rows = append(rows, page.Row{Lines: 1, KeepWithNext: len(lines) - i + 1, Draw: func(cx, cy float64) []display.Item {
					return runs(l, cx, cy+grid.Ascent, st.Subhead.Color, colW, 0.5, display.Content)
				}})
			}
		case manifest.Quote:
			in := 2 * st.Body.Size
			spans, src := inlineSpans(s.a.file, b, st.Quote, st.Quote)
			lines, err := s.set.set(spans, src, s.set.body(text.Params{Measure: colW - 2*in}))
			if err != nil {
				return err
			}
			start := len(rows)
			lineRows(lines, in, colW-2*in, st.Quote.Color)
			first := rows[start].Draw
			n := len(lines)
			rows[start].Draw = func(cx, cy float64) []display.Item {
				items := first(cx, cy)
				x := cx + in/2
				return append(items, &display.Line{X1: x, Y1: cy + grid.Ascent - 0.85*st.Quote.Size, X2: x, Y2: cy + grid.Ascent + float64(n-1)*grid.Lead + 0.15*st.Quote.Size, Width: 1.2, Color: st.Accent})
			}
			blank()
		case manifest.Figure:
			if b.Place.Span == manifest.SpanPage {
				// Pictures set one after the other on pages of their own
				// share one page, stacked.
				group := []*manifest.Block{b}
				for bi+1 < len(s.a.art.Blocks) && s.a.art.Blocks[bi+1].Kind == manifest.Figure && s.a.art.Blocks[bi+1].Place.Span == manifest.SpanPage {
					bi++
					group = append(group, &s.a.art.Blocks[bi])
				}
				// A pull quote right after them goes on their page.
				var pull *manifest.Block
				if bi+1 < len(s.a.art.Blocks) && s.a.art.Blocks[bi+1].Kind == manifest.PullQuote {
					bi++
					pull = &s.a.art.Blocks[bi]
				}
				r, err := s.pictureStack(group, pull)
				if err != nil {
					return err
				}
				rows = append(rows, r)
				continue
			}
			r, err := s.figure(b)
			if err != nil {
				return err
			}
			rows = append(rows, r)
			s.a.figures = append(s.a.figures, b.Image)
		case manifest.PullQuote:
			r, err := s.pullRow(b)
			if err != nil {
				return err
			}
			rows = append(rows, r)
		}
	}
	s.a.rows = rows
	return nil
}

// caption sets a figure's caption at width.
func (s *articleSetter) caption(b *manifest.Block, width float64) (block, error) {
	el := s.st.Caption
	spans, src := inlineSpans(s.a.file, b, el, el)
	lines, err := s.set.set(spans, src, text.Params{Measure: width - mm(4), Ragged: true})
	if err != nil {
		return block{}, err
	}
	return block{lines: lines, el: el, measure: width, role: display.Caption}, nil
}

// drawCaption draws a caption with its accent mark at (x, y).
func (s *articleSetter) drawCaption(cap block, x, y float64) []display.Item {
	if len(cap.lines) == 0 {
		return nil
	}
	mark := &display.Rect{X: x, Y: y + cap.ascent() - cap.el.Size*0.38, W: mm(2.5), H: 0.8, Fill: &s.st.Accent}
	return append([]display.Item{mark}, cap.draw(x+mm(4), y)...)
}

// figure makes the row of a picture with its caption, by its placement.
func (s *articleSetter) figure(b *manifest.Block) (page.Row, error) {
	st, grid, geo := s.st, s.geo.Grid, s.geo
	pw, ph, err := imageSize(s.a.file, b.Line, b.Image, b.Src)
	if err != nil {
		return page.Row{}, err
	}
	aspect := float64(ph) / float64(pw)
	fit := display.Cover
	if b.Place.Fit {
		fit = display.Contain
	}
	img := func(x, y, w, h float64) *display.Image {
		return &display.Image{X: x, Y: y, W: w, H: h, Path: b.Image, Fit: fit, FocusX: b.Place.FocusX, FocusY: b.Place.FocusY,
			Src: fmt.Sprintf("%s:%d", s.a.art.File, b.Line)}
	}
	gap := st.Caption.Size * 0.7
	switch b.Place.Span {
	case manifest.SpanBleed:
		cap, err := s.caption(b, grid.Width())
		if err != nil {
			return page.Row{}, err
		}
		bleed := b.Place.Span == manifest.SpanBleed
		// A full page is drawn with (tx, ty) the trim's corner relative to
		// the type area.
		return page.Row{Kind: page.FullPage, Draw: func(tx, ty float64) []display.Item {
			if bleed {
				// The whole trimmed page and its bleed; the caption sits in
				// the foot margin on a white band.
				im := img(tx-geo.Bleed, ty-geo.Bleed, geo.W+2*geo.Bleed, geo.H+2*geo.Bleed)
				im.Bleed = true
				items := []display.Item{im}
				if len(cap.lines) > 0 {
					band := display.Color{}
					y := grid.Height() + mm(4)
					items = append(items, &display.Rect{X: -mm(3), Y: y - mm(2), W: cap.width() + mm(10), H: cap.height() + mm(4), Fill: &band})
					items = append(items, s.drawCaption(cap, 0, y)...)
				}
				return items
			}
			return nil
		}}, nil
	case manifest.SpanWide:
		w := grid.Width()
		cap, err := s.caption(b, w)
		if err != nil {
			return page.Row{}, err
		}
		h := min(w*aspect, grid.Height()*0.45)
		extra := gap + cap.height() + grid.Lead*0.7
		n := grid.LinesFor(h + extra)
		bottom := b.Place.Where == manifest.Bottom
		draw := func(h float64) func(x, y float64) []display.Item {
			return func(x, y float64) []display.Item {
				if bottom {
					y += grid.Lead * 0.7 // the gap goes above a picture at the foot
				}
				return append([]display.Item{img(x, y, w, h)}, s.drawCaption(cap, x, y+h+gap)...)
			}
		}
		// It may lose up to 40% of its height (cropped around its focus)
		// to stay on the page its text is on.
		return page.Row{Lines: n, Kind: page.Wide, Bottom: bottom, Draw: draw(h),
			MinLines: grid.LinesFor(h*0.6 + extra),
			Fit: func(lines int) func(x, y float64) []display.Item {
				return draw(float64(lines)*grid.Lead - extra)
			}}, nil
	}
	w := grid.ColumnWidth
	h := w * aspect
	if maxH := grid.Height() * 0.6; h > maxH {
		h = maxH
		if fit == display.Contain {
			w = h / aspect
		}
	}
	cap, err := s.caption(b, grid.ColumnWidth)
	if err != nil {
		return page.Row{}, err
	}
	n := grid.LinesFor(h + gap + cap.height() + grid.Lead*0.7)
	return page.Row{Lines: n, Float: true, Top: b.Place.Where == manifest.Top, Bottom: b.Place.Where == manifest.Bottom, Draw: func(cx, cy float64) []display.Item {
		if b.Place.Where == manifest.Bottom {
			cy += grid.Lead * 0.7 // the gap goes above a picture at the foot
		}
		x := cx + (grid.ColumnWidth-w)/2
		return append([]display.Item{img(x, cy, w, h)}, s.drawCaption(cap, cx, cy+h+gap)...)
	}}, nil
}

// pullQuote sets a pull quote's words in the pull style, no wider than
// width, in lines that end where its clauses end when they can (else in
// even lines).
func (s *articleSetter) pullQuote(b *manifest.Block, el Elem, width float64, align float64) (block, error) {
	src := source{file: s.a.file, line: b.Line, what: "the pull quote"}
	if len(b.Inlines) > 0 {
		src.line, src.col = b.Inlines[0].Line, b.Inlines[0].Col
	}
	lines, ok, err := s.set.phrased(b.Text(), el, src, width)
	if err == nil && !ok {
		lines, err = s.set.balanced(b.Text(), el, src, width)
	}
	if err != nil {
		return block{}, err
	}
	return block{lines: lines, el: el, measure: width, align: align, role: display.Pull}, nil
}

// pullRow is a pull quote in the column: between two accent rules, a
// grid line clear of the text above and below, moving to the next
// column's top when it does not fit where it stands.
func (s *articleSetter) pullRow(b *manifest.Block) (page.Row, error) {
	st, grid := s.st, s.geo.Grid
	colW := grid.ColumnWidth
	// Ten characters a line at least: in narrow columns the words get
	// smaller, leading in proportion.
	el := st.Pull
	if k := (colW - el.Size) / (10 * el.Size); k < 1 {
		el.Size, el.Lead = el.Size*k, el.Lead*k
	}
	q, err := s.pullQuote(b, el, colW-el.Size, 0)
	if err != nil {
		return page.Row{}, err
	}
	pad := el.Size * 0.6 // between a rule and the words
	h := grid.Lead + pad + q.height() + pad
	n := grid.LinesFor(h) + 1
	return page.Row{Lines: n, Float: true, Draw: func(cx, cy float64) []display.Item {
		// Centred in its lines, below the gap line.
		y := cy + grid.Lead + (float64(n-1)*grid.Lead-h+grid.Lead)/2
		rule := func(y float64) display.Item {
			return &display.Line{X1: cx, Y1: y, X2: cx + colW, Y2: y, Width: 1, Color: st.Accent}
		}
		items := []display.Item{rule(y)}
		items = append(items, q.draw(cx+el.Size/2, y+pad)...)
		return append(items, rule(y+pad+q.height()+pad))
	}}, nil
}

// pictureStack sets one or more pictures on a page of their own, one
// under the other with their captions, as large as the type area allows
// at their own shape; a pull quote, when there is one, under them.
func (s *articleSetter) pictureStack(blocks []*manifest.Block, pull *manifest.Block) (page.Row, error) {
	st, grid := s.st, s.geo.Grid
	W := grid.Width()
	gap := st.Caption.Size * 0.7
	between := grid.Lead * 1.5
	// The pull quote: centred under the pictures, as wide as they are,
	// below a short rule.
	var q block
	qGap := 2 * grid.Lead // from the pictures to the rule, and the rule to the words
	if pull != nil {
		var err error
		if q, err = s.pullQuote(pull, st.Pull, W, 0.5); err != nil {
			return page.Row{}, err
		}
	}
	type pic struct {
		b      *manifest.Block
		aspect float64
		cap    block
	}
	var pics []pic
	fixed, total := 0.0, 0.0
	for i, b := range blocks {
		pw, ph, err := imageSize(s.a.file, b.Line, b.Image, b.Src)
		if err != nil {
			return page.Row{}, err
		}
		cap, err := s.caption(b, W)
		if err != nil {
			return page.Row{}, err
		}
		p := pic{b: b, aspect: float64(ph) / float64(pw), cap: cap}
		pics = append(pics, p)
		fixed += gap + cap.height()
		if i > 0 {
			fixed += between
		}
		total += W * p.aspect
		s.a.figures = append(s.a.figures, b.Image)
	}
	if pull != nil {
		fixed += 2*qGap + q.height()
	}
	f := min(1, (grid.Height()-fixed)/total)
	// What the page does not need goes above and below: a plate, centred.
	top := max(0, (grid.Height()-fixed-total*f)/2)
	return page.Row{Kind: page.FullPage, Draw: func(float64, float64) []display.Item {
		var items []display.Item
		y := top
		for _, p := range pics {
			w := W * f
			h := w * p.aspect
			x := (W - w) / 2
			fit := display.Cover
			if p.b.Place.Fit {
				fit = display.Contain
			}
			items = append(items, &display.Image{X: x, Y: y, W: w, H: h, Path: p.b.Image, Fit: fit, FocusX: p.b.Place.FocusX, FocusY: p.b.Place.FocusY,
				Src: fmt.Sprintf("%s:%d", s.a.art.File, p.b.Line)})
			items = append(items, s.drawCaption(p.cap, x, y+h+gap)...)
			y += h + gap + p.cap.height() + between
		}
		if pull != nil {
			y += qGap - between
			items = append(items, &display.Line{X1: W/2 - mm(6), Y1: y, X2: W/2 + mm(6), Y2: y, Width: 1.5, Color: st.Accent})
			items = append(items, q.draw((W-q.measure)/2, y+qGap)...)
		}
		return items
	}}, nil
}

// typesetArticle sets an article into rows and pours them into pages.
func typesetArticle(st *Style, geo geometry, set setter, iss *manifest.Issue, sec *manifest.Section, art *manifest.Article) (*article, error) {
	a := &article{art: art, sec: sec, file: filepath.Join(filepath.Dir(iss.File), art.File)}
	if art.Lang == "zh-Hant" {
		set.style = text.CNS // Traditional Chinese: centred punctuation
	}
	s := &articleSetter{st: st, geo: geo, set: set, a: a}
	if err := s.rows(); err != nil {
		return nil, err
	}
	grid := geo.Grid
	// The lead photo's natural height across the type area, at most 45%
	// of the page's columns.
	lead := 0
	if art.Image != "" {
		pw, ph, err := imageSize(a.file, art.TitleLine, art.Image, art.ImageSrc)
		if err != nil {
			return nil, err
		}
		// At most 45% of the columns, and no taller than the pixels allow
		// at the print resolution.
		h := min(grid.Width()*float64(ph)/float64(pw), grid.Height()*0.45)
		lead = min(grid.LinesFor(h+grid.Lead*0.6), int((float64(ph)*72/printPPI+grid.Lead*0.6)/grid.Lead))
		a.figures = append(a.figures, art.Image)
		a.leadPx = [2]int{pw, ph}
	}
	pour := func(lead int) error {
		if err := s.headBlock(lead); err != nil {
			return err
		}
		if a.start >= grid.Lines-2 {
			return fmt.Errorf("%s: the title block and lead photo take the whole page — shorten the title or use a smaller photo", a.file)
		}
		a.poured = page.Pour(a.rows, grid, []int{a.start})
		if len(a.poured) == 0 {
			a.poured = []page.Page{{}}
		}
		return nil
	}
	if err := pour(lead); err != nil {
		return nil, err
	}
	// A last page with a few stray lines is the designer's cue to make the
	// lead photo smaller (down to 60% of its height) and save the page.
	if n := len(a.poured); n > 1 && lead > 0 && sparse(lastText(a.poured), a.rows, grid) {
		best := lead
		for l := lead - 1; l >= lead*6/10 && l >= 4; l-- {
			if err := pour(l); err != nil {
				return nil, err
			}
			if len(a.poured) < n {
				best = l
				break
			}
		}
		if err := pour(best); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// lastText is the last page that has text in its columns.
func lastText(pages []page.Page) page.Page {
	for i := len(pages) - 1; i >= 0; i-- {
		for _, pl := range pages[i].Rows {
			if pl.Column >= 0 {
				return pages[i]
			}
		}
	}
	return pages[len(pages)-1]
}

// sparse reports a page whose columns hold less than a quarter of what
// they could.
func sparse(p page.Page, rows []page.Row, g page.Grid) bool {
	used := 0
	for _, pl := range p.Rows {
		if pl.Column >= 0 {
			used += rows[pl.Row].Lines
		}
	}
	return !p.Full && used*4 < g.Lines*g.Columns
}

// draw makes the article's pages; firstFolio is its first page's number.
func (a *article) draw(geo geometry, firstFolio int) []*display.Page {
	grid := geo.Grid
	var pages []*display.Page
	for i, pp := range a.poured {
		folio := firstFolio + i
		dx, dy := geo.left(folio), geo.Top
		p := geo.newPage()
		var items []display.Item
		if i == 0 {
			items = append(items, display.Clone(a.head)...)
		}
		for _, pl := range pp.Rows {
			x, y := 0.0, float64(pl.Line)*grid.Lead
			switch {
			case pp.Full:
				x, y = -dx, -dy
			case pl.Column >= 0:
				x = grid.ColumnX(pl.Column)
			}
			draw := a.rows[pl.Row].Draw
			if pl.Lines > 0 && a.rows[pl.Row].Fit != nil {
				draw = a.rows[pl.Row].Fit(pl.Lines) // shrunk to fit its page
			}
			items = append(items, draw(x, y)...)
		}
		p.Items = display.Translate(items, dx, dy)
		pages = append(pages, p)
	}
	return pages
}
