package layout

import (
	"fmt"

	"paiban/display"
	"paiban/layout/text"
	"paiban/manifest"
)

// fullBleed is a rectangle over the whole page and its bleed.
func (g geometry) fullBleed(c display.Color) *display.Rect {
	return &display.Rect{X: -g.Bleed, Y: -g.Bleed, W: g.W + 2*g.Bleed, H: g.H + 2*g.Bleed, Fill: &c, Bleed: true}
}

// manifestSource names a manifest value in messages.
func (l *issueLayout) manifestSource(what string) source {
	return source{file: l.iss.File, what: what}
}

// line sets one manifest string as a single unjustified line.
func (l *issueLayout) line(s string, el Elem, what string) (text.Line, error) {
	lines, err := l.set.plain(s, el, l.manifestSource(what), text.Params{Ragged: true})
	if err != nil || len(lines) == 0 {
		return text.Line{}, err
	}
	return lines[0], nil
}

// cover is the cover: the masthead on an accent band at the head, the
// issue number and the subtitle, the motto on a dark band at the foot, and
// the photo between them, to the trimmed edge.
func (l *issueLayout) cover() (*display.Page, error) {
	st, geo, iss := l.st, l.geo, l.iss
	p := geo.newPage()
	left := mm(16)
	band := geo.H * 0.31
	// The dark band of the motto at the foot, when there is a motto.
	foot := 0.0
	if n := len(iss.Cover.Lines); n > 0 {
		foot = float64(n)*st.CoverLines.Lead + mm(24)
	}
	if iss.Cover.Image != "" {
		// The photo shows between the bands and runs 1 mm under each (to
		// the trimmed edge and into the bleed where there is no band):
		// no pixels are spent on what the bands hide.
		const under = 1.0 // mm
		y0, y1 := band-mm(under), geo.H+geo.Bleed
		if foot > 0 {
			y1 = geo.H - foot + mm(under)
		}
		p.Items = append(p.Items, &display.Image{X: -geo.Bleed, Y: y0, W: geo.W + 2*geo.Bleed, H: y1 - y0,
			Path: iss.Cover.Image, FocusX: iss.Cover.FocusX, FocusY: iss.Cover.FocusY, Bleed: true, Src: "[cover] image"})
	} else {
		p.Items = append(p.Items, geo.fullBleed(st.Tint))
	}
	p.Items = append(p.Items, &display.Rect{X: -geo.Bleed, Y: -geo.Bleed, W: geo.W + 2*geo.Bleed, H: band + geo.Bleed, Fill: &st.Accent, Bleed: true})
	y := mm(18)
	if iss.Subtitle != "" {
		el := st.RunningHead
		el.Size, el.Color = 11, st.White
		ln, err := l.line(iss.Subtitle, el, "[issue] subtitle")
		if err != nil {
			return nil, err
		}
		p.Items = append(p.Items, runs(ln, left, y+0.88*el.Size, el.Color, 0, 0, display.Generated)...)
		y += el.Size + mm(6)
	}
	m := st.Masthead
	ln, err := l.line("《"+iss.Title+"》", m, "[issue] title")
	if err != nil {
		return nil, err
	}
	p.Items = append(p.Items, runs(ln, left-m.Size*0.45, y+0.88*m.Size, m.Color, 0, 0, display.Generated)...)
	y += m.Size + mm(6)
	if iss.Number != "" {
		el := st.IssueNumber
		ln, err := l.line(iss.Number, el, "[issue] number")
		if err != nil {
			return nil, err
		}
		pad := mm(2.2)
		p.Items = append(p.Items, &display.Rect{X: left, Y: y, W: ln.Width + 2*pad, H: el.Size + 2*pad, Fill: &st.White})
		p.Items = append(p.Items, runs(ln, left+pad, y+pad+0.88*el.Size, el.Color, 0, 0, display.Generated)...)
	}
	if foot > 0 {
		el := st.CoverLines
		h := foot
		dark := display.Color{C: 0.3, M: 0.9, Y: 0.8, K: 0.75}
		p.Items = append(p.Items, &display.Rect{X: -geo.Bleed, Y: geo.H - h, W: geo.W + 2*geo.Bleed, H: h + geo.Bleed, Fill: &dark, Bleed: true})
		y := geo.H - h + mm(12)
		for i, s := range iss.Cover.Lines {
			ln, err := l.line(s, el, fmt.Sprintf("[cover] lines[%d]", i))
			if err != nil {
				return nil, err
			}
			p.Items = append(p.Items, runs(ln, left, y+float64(i)*el.Lead+0.88*el.Size, el.Color, 0, 0, display.Generated)...)
		}
	}
	return p, nil
}

// back is the last page: the masthead small, then the manifest's lines.
func (l *issueLayout) back() (*display.Page, error) {
	st, geo, iss := l.st, l.geo, l.iss
	p := geo.newPage()
	cx := geo.W / 2
	el := st.Back
	n := len(iss.Back.Lines)
	y := geo.H*0.5 - float64(n)*el.Lead/2
	m := st.Masthead
	m.Size, m.Color = 30, st.Accent
	ln, err := l.line("《"+iss.Title+"》", m, "[issue] title")
	if err != nil {
		return nil, err
	}
	my := y - mm(30)
	p.Items = append(p.Items, runs(ln, cx-ln.Width/2, my, m.Color, 0, 0, display.Generated)...)
	p.Items = append(p.Items, &display.Line{X1: cx - mm(12), Y1: my + mm(7), X2: cx + mm(12), Y2: my + mm(7), Width: 1, Color: st.Accent})
	for i, s := range iss.Back.Lines {
		ln, err := l.line(s, el, fmt.Sprintf("[back] lines[%d]", i))
		if err != nil {
			return nil, err
		}
		p.Items = append(p.Items, runs(ln, cx-ln.Width/2, y+float64(i)*el.Lead+0.88*el.Size, el.Color, 0, 0, display.Generated)...)
	}
	band := mm(10)
	p.Items = append(p.Items, &display.Rect{X: -geo.Bleed, Y: geo.H - band, W: geo.W + 2*geo.Bleed, H: band + geo.Bleed, Fill: &st.Accent, Bleed: true})
	return p, nil
}

// notes is a page added to make the page count a multiple of 4: faint
// rules on the baseline grid, for notes.
func (l *issueLayout) notes() *display.Page {
	geo := l.geo
	p := geo.newPage()
	faint := display.Color{K: 0.15}
	x0 := geo.Outside
	for i := 1; i < geo.Grid.Lines; i += 2 {
		y := geo.Top + float64(i)*geo.Grid.Lead
		p.Items = append(p.Items, &display.Line{X1: x0, Y1: y, X2: x0 + geo.Grid.Width(), Y2: y, Width: 0.3, Color: faint})
	}
	return p
}

// twoDigits prints a page number as the reference issue does: 02, 10.
func twoDigits(n int) string { return fmt.Sprintf("%02d", n) }

// entryTitle is how the contents names an article.
func entryTitle(a *manifest.Article) string {
	if a.Affiliation != "" {
		return a.Title + "（" + a.Affiliation + "）"
	}
	return a.Title
}

// contents lays out the contents pages; first is the index of its first
// page. An entry's link points at -(article+1) until the articles are
// placed.
func (l *issueLayout) contents(numbers []int, first int) ([]*display.Page, error) {
	st, geo, iss := l.st, l.geo, l.iss
	panel := mm(64)
	x0 := panel + mm(10)
	x1 := geo.W - mm(18)
	top, bottom := mm(30), geo.H-mm(22)
	var pages []*display.Page
	var p *display.Page
	y := top
	newPage := func() {
		p = geo.newPage()
		p.Items = append(p.Items, &display.Rect{X: -geo.Bleed, Y: -geo.Bleed, W: panel + geo.Bleed, H: geo.H + 2*geo.Bleed, Fill: &st.Tint, Bleed: true})
		if len(pages) == 0 {
			t := st.ContentsTitle
			p.Items = append(p.Items, label("目录", t, mm(14), top+0.88*t.Size, false, 2, display.Generated))
			sub := st.RunningHead
			sub.Size, sub.Color = 10, st.Accent
			p.Items = append(p.Items, label("CONTENTS", sub, mm(15), top+t.Size+mm(6), false, 2.5, display.Generated))
			info := st.RunningHead
			if ln, err := l.line("《"+iss.Title+"》　"+iss.Number, info, "[issue] number"); err == nil {
				p.Items = append(p.Items, runs(ln, mm(15), top+t.Size+mm(16), info.Color, 0, 0, display.Generated)...)
			}
		}
		pages = append(pages, p)
		y = top
	}
	newPage()
	ai := 0
	numEl := st.ContentsEntry
	numEl.Faces, numEl.Color = st.Folio.Faces, st.Accent
	numW := textWidth("00", numEl) + mm(6)
	for si, sec := range iss.Sections {
		head := st.ContentsSection
		secH := head.Size*1.8 + mm(4)
		if y+secH+st.ContentsEntry.Lead > bottom {
			newPage()
		}
		if si > 0 {
			y += mm(9)
		}
		big := head
		big.Size, big.Color = head.Size*1.7, st.Accent
		if err := coverage(sec.Number, big, l.manifestSource("[[section]] number")); err != nil {
			return nil, err
		}
		p.Items = append(p.Items, label(sec.Number, big, x0, y+0.88*big.Size, false, 0, display.Generated))
		ln, err := l.line(sec.Title, head, "[[section]] title")
		if err != nil {
			return nil, err
		}
		p.Items = append(p.Items, runs(ln, x0+textWidth(sec.Number, big)+mm(3), y+0.88*big.Size, head.Color, 0, 0, display.Generated)...)
		y += big.Size + mm(4)
		for _, a := range sec.Articles {
			el := st.ContentsEntry
			lines, err := l.set.plain(entryTitle(a), el, source{file: l.iss.File, what: "contents entry for " + a.File}, text.Params{Measure: x1 - x0 - numW, Ragged: true})
			if err != nil {
				return nil, err
			}
			h := float64(len(lines)-1)*el.Size*1.5 + el.Lead
			if y+h > bottom {
				newPage()
			}
			for i, ln := range lines {
				p.Items = append(p.Items, runs(ln, x0, y+el.Lead*0.62+float64(i)*el.Size*1.5, el.Color, 0, 0, display.Generated)...)
			}
			num := twoDigits(numbers[ai])
			p.Items = append(p.Items, label(num, numEl, x1, y+el.Lead*0.62+float64(len(lines)-1)*el.Size*1.5, true, 0, display.Generated))
			l.res.Entries = append(l.res.Entries, Entry{Page: first + len(pages) - 1, Article: ai, Title: a.Title, Number: num})
			y += h
			rule := display.Color{K: 0.2}
			p.Items = append(p.Items, &display.Line{X1: x0, Y1: y - el.Lead*0.12, X2: x1, Y2: y - el.Lead*0.12, Width: 0.3, Color: rule})
			p.Items = append(p.Items, &display.Link{X: x0, Y: y - h, W: x1 - x0, H: h, Page: -(ai + 1)})
			ai++
		}
	}
	// A photo under the entries, to the trimmed edge at the right and foot,
	// when the last page has room for it.
	if c := iss.Contents; c.Image != "" && bottom-y > mm(60) {
		top := y + mm(14)
		p.Items = append(p.Items, &display.Image{X: x0, Y: top, W: geo.W + geo.Bleed - x0, H: geo.H + geo.Bleed - top,
			Path: c.Image, FocusX: c.FocusX, FocusY: c.FocusY, Bleed: true, Src: "[contents] image"})
	}
	return pages, nil
}

// opener is a section's opening page: the accent colour to the trimmed
// edge, the section number large, its title, and its articles numbered
// with their page numbers. first is the index of its first article.
func (l *issueLayout) opener(si int, sec *manifest.Section, numbers []int, firstArticle, index int) (*display.Page, error) {
	st, geo := l.st, l.geo
	p := geo.newPage()
	p.Items = append(p.Items, geo.fullBleed(st.Accent))
	x0, x1 := mm(22), geo.W-mm(22)
	// The number again, huge and faint, as a texture in the top corner.
	ghost := st.OpenerNumber
	ghost.Size = 230
	ghost.Color = display.Color{M: 0.82, Y: 0.72, K: 0.02}
	if err := coverage(sec.Number, ghost, l.manifestSource("[[section]] number")); err != nil {
		return nil, err
	}
	p.Items = append(p.Items, label(sec.Number, ghost, x1, mm(8)+ghost.Faces[0].Ascent*ghost.Size, true, -8, display.Generated))
	y := geo.H * 0.30
	num := st.OpenerNumber
	p.Items = append(p.Items, label(sec.Number, num, x0, y, false, 0, display.Generated))
	y += mm(7)
	p.Items = append(p.Items, &display.Line{X1: x0, Y1: y, X2: x0 + mm(38), Y2: y, Width: 1.2, Color: st.White})
	t := st.OpenerTitle
	lines, err := l.set.plain(sec.Title, t, l.manifestSource("[[section]] title"), text.Params{Measure: x1 - x0, Ragged: true})
	if err != nil {
		return nil, err
	}
	y += mm(6)
	b := block{lines: lines, el: t, measure: x1 - x0, role: display.Generated}
	p.Items = append(p.Items, b.draw(x0, y)...)

	el := st.OpenerEntry
	n := len(sec.Articles)
	y = geo.H - mm(40) - float64(n)*el.Lead
	idx := el
	idx.Faces = st.OpenerNumber.Faces
	p.Items = append(p.Items, &display.Line{X1: x0, Y1: y, X2: x1, Y2: y, Width: 0.6, Color: st.White})
	for i, a := range sec.Articles {
		base := y + el.Lead*0.62
		p.Items = append(p.Items, label(fmt.Sprint(i+1), idx, x0, base, false, 0, display.Generated))
		number := twoDigits(numbers[i])
		nw := textWidth("00", idx) + mm(6)
		lines, err := l.set.plain(entryTitle(a), el, source{file: l.iss.File, what: "opener entry for " + a.File}, text.Params{Measure: x1 - x0 - mm(10) - nw, Ragged: true})
		if err != nil {
			return nil, err
		}
		p.Items = append(p.Items, runs(lines[0], x0+mm(10), base, el.Color, 0, 0, display.Generated)...)
		for k, ln := range lines[1:] {
			p.Items = append(p.Items, runs(ln, x0+mm(10), base+float64(k+1)*el.Size*1.4, el.Color, 0, 0, display.Generated)...)
		}
		p.Items = append(p.Items, label(number, idx, x1, base, true, 0, display.Generated))
		l.res.Entries = append(l.res.Entries, Entry{Page: index, Article: firstArticle + i, Title: a.Title, Number: number})
		h := el.Lead + float64(len(lines)-1)*el.Size*1.4
		p.Items = append(p.Items, &display.Link{X: x0, Y: y, W: x1 - x0, H: h, Page: -(firstArticle + i + 1)})
		y += h
		p.Items = append(p.Items, &display.Line{X1: x0, Y1: y, X2: x1, Y2: y, Width: 0.4, Color: st.White})
	}
	_ = si
	return p, nil
}
