// Package layout typesets a parsed issue into a display list: the cover,
// the contents, a section opener before each section's articles, the
// articles and the back page, with running heads, folios and the contents
// page numbers resolved. It sets paragraphs into lines with package
// layout/text and pours them into columns with package layout/page. It
// reads the manifest's document model and writes display items; it knows
// nothing about PDF.
package layout

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"paiban/display"
	"paiban/fonts"
	"paiban/layout/page"
	"paiban/layout/text"
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
	// page it starts on; Folios the page number printed there.
	Starts []int
	// Entries lists every page number the contents page and the openers
	// print, with the article it names, so a check can compare them.
	Entries []Entry
	// Padding is the number of notes pages added to reach a multiple of 4.
	Padding int
}

// Entry is a page number printed for an article.
type Entry struct {
	Page    int    // index of the page it is printed on
	Article int    // index of the article, in manifest order
	Title   string // the article's title
	Number  string // the number as printed
}

// geometry is the page and type area of the issue.
type geometry struct {
	W, H, Bleed float64
	Top         float64 // y of the type area
	Inside      float64 // margin on the spine side
	Outside     float64
	Grid        page.Grid
}

// left is the x of the type area on the page with number folio: odd pages
// are rectos, whose spine is on the left.
func (g geometry) left(folio int) float64 {
	if folio%2 != 0 {
		return g.Inside
	}
	return g.Outside
}

func (g geometry) newPage() *display.Page {
	return &display.Page{Width: g.W, Height: g.H, Bleed: g.Bleed}
}

func newGeometry(p manifest.Page, st *Style) (geometry, error) {
	g := geometry{W: p.Width, H: p.Height, Bleed: p.Bleed}
	m := st.Margins
	for _, o := range []struct {
		v   float64
		dst *float64
	}{{p.Top, &m.Top}, {p.Bottom, &m.Bottom}, {p.Inside, &m.Inside}, {p.Outside, &m.Outside}} {
		if o.v > 0 {
			*o.dst = o.v
		}
	}
	cols := max(p.Columns, 1)
	size := st.Body.Size
	gutter := st.Gutter * size
	if p.Gutter > 0 {
		gutter = p.Gutter
	}
	avail := g.W - m.Inside - m.Outside - gutter*float64(cols-1)
	// R8: the measure is a whole number of characters.
	chars := math.Floor(avail/float64(cols)/size + 1e-9)
	if chars < 6 {
		return g, fmt.Errorf("a %.0f×%.0f pt page with %d columns leaves %.0f characters a line — use fewer columns, smaller margins or a smaller body size", g.W, g.H, cols, chars)
	}
	colW := chars * size
	extra := avail - colW*float64(cols)
	g.Inside = m.Inside + extra/2
	g.Outside = m.Outside + extra/2
	lines := int(math.Floor((g.H - m.Top - m.Bottom) / st.Body.Lead))
	if lines < 12 {
		return g, fmt.Errorf("the type area holds only %d lines — use smaller margins or leading", lines)
	}
	g.Top = m.Top
	g.Grid = page.Grid{Columns: cols, ColumnWidth: colW, Gutter: gutter, Lead: st.Body.Lead, Lines: lines, Ascent: 0.88 * size}
	return g, nil
}

// kind is what a page is, for its furniture.
type kind uint8

const (
	kCover kind = iota
	kContents
	kOpener
	kArticle
	kNotes
	kBack
)

// folioOf is the number printed on page index i: the pages after the
// cover and the contents are numbered from 1, as in the reference issue.
func folioOf(i, contentsPages int) int { return i - contentsPages }

// Options are the choices of a layout beyond the manifest.
type Options struct {
	// Breaker is the line-breaking algorithm for body text: total fit
	// (the zero value) or greedy.
	Breaker text.Breaker
	// Hanging lets one of 、，。 hang past the measure at a line end.
	Hanging bool
}

// Typeset lays out the whole issue with the default options.
func Typeset(iss *manifest.Issue, set *fonts.Set) (*Result, error) {
	return TypesetWith(iss, set, Options{})
}

// TypesetWith lays out the whole issue.
func TypesetWith(iss *manifest.Issue, set *fonts.Set, opt Options) (*Result, error) {
	fs := &faceSet{set: set}
	for _, path := range iss.Fonts.Fallback {
		f, err := fonts.Load(path, path)
		if err != nil {
			return nil, fmt.Errorf("%s: [fonts] fallback: %w", iss.File, err)
		}
		fs.fallback = append(fs.fallback, f)
		set.Add(f)
	}
	st := defaultStyle(fs)
	if err := applyStyle(&st, fs, iss); err != nil {
		return nil, err
	}
	geo, err := newGeometry(iss.Page, &st)
	if err != nil {
		return nil, fmt.Errorf("%s: [page]: %w", iss.File, err)
	}
	res := &Result{}
	sv := setter{warnings: &res.Warnings, opt: opt}
	l := &issueLayout{iss: iss, st: &st, geo: geo, set: sv, res: res}

	// The articles do not depend on the page numbers: set them once.
	for _, sec := range iss.Sections {
		for _, art := range sec.Articles {
			a, err := typesetArticle(&st, geo, sv, iss, sec, art)
			if err != nil {
				return nil, err
			}
			l.articles = append(l.articles, a)
		}
	}
	// The contents and openers print page numbers that depend on how many
	// pages they take themselves: iterate to a fixed point.
	numbers := make([]int, len(l.articles))
	for pass := 0; ; pass++ {
		if pass == 8 {
			return nil, fmt.Errorf("%s: the contents page numbers did not settle after %d passes — the contents or an opener changes length with its own numbers; shorten the titles", iss.File, pass)
		}
		doc, starts, err := l.assemble(numbers)
		if err != nil {
			return nil, err
		}
		next := make([]int, len(starts))
		for i, s := range starts {
			next[i] = folioOf(s, l.contentsPages)
		}
		if slices.Equal(next, numbers) {
			res.Doc, res.Starts = doc, starts
			break
		}
		numbers = next
		res.Entries = nil
	}
	return res, nil
}

// issueLayout holds what the masters share.
type issueLayout struct {
	iss           *manifest.Issue
	st            *Style
	geo           geometry
	set           setter
	res           *Result
	articles      []*article
	contentsPages int
}

// assemble builds every page with the given article page numbers and
// returns the document and where each article really starts.
func (l *issueLayout) assemble(numbers []int) (*display.Document, []int, error) {
	iss := l.iss
	doc := &display.Document{
		Title:   iss.Title + " " + iss.Number,
		Author:  iss.Publisher,
		Subject: iss.Subtitle,
		Date:    iss.Date,
	}
	l.res.Entries = nil
	var kinds []kind
	var sections []string // running-head label of each page
	add := func(k kind, sec string, ps ...*display.Page) {
		for _, p := range ps {
			doc.Pages = append(doc.Pages, p)
			kinds = append(kinds, k)
			sections = append(sections, sec)
		}
	}
	cover, err := l.cover()
	if err != nil {
		return nil, nil, err
	}
	add(kCover, "", cover)
	contents, err := l.contents(numbers, len(doc.Pages))
	if err != nil {
		return nil, nil, err
	}
	l.contentsPages = len(contents)
	add(kContents, "", contents...)

	var starts []int
	ai := 0
	for si, sec := range iss.Sections {
		opener, err := l.opener(si, sec, numbers[ai:ai+len(sec.Articles)], ai, len(doc.Pages))
		if err != nil {
			return nil, nil, err
		}
		doc.Outline = append(doc.Outline, display.Bookmark{Title: sec.Number + " " + sec.Title, Level: 0, Page: len(doc.Pages)})
		add(kOpener, "", opener)
		for range sec.Articles {
			a := l.articles[ai]
			start := len(doc.Pages)
			starts = append(starts, start)
			doc.Outline = append(doc.Outline, display.Bookmark{Title: a.art.Title, Level: 1, Page: start})
			add(kArticle, sec.Number+"  "+sec.Title, a.draw(l.geo, folioOf(start, l.contentsPages))...)
			ai++
		}
	}
	// Saddle stitching wants a multiple of 4 pages: notes pages go before
	// the back page.
	total := len(doc.Pages) + 1
	l.res.Padding = (4 - total%4) % 4
	for i := 0; i < l.res.Padding; i++ {
		add(kNotes, "", l.notes())
	}
	back, err := l.back()
	if err != nil {
		return nil, nil, err
	}
	add(kBack, "", back)
	for i, p := range doc.Pages {
		l.furniture(p, kinds[i], folioOf(i, l.contentsPages), sections[i])
	}
	// Links from the contents and openers go to the article pages.
	for _, p := range doc.Pages {
		for _, it := range p.Items {
			if lk, ok := it.(*display.Link); ok && lk.Page < 0 {
				lk.Page = starts[-lk.Page-1]
			}
		}
	}
	return doc, starts, nil
}

// furniture adds running heads and folios: on article and notes pages,
// none on the cover, the contents, the openers and the back.
func (l *issueLayout) furniture(p *display.Page, k kind, folio int, section string) {
	if k != kArticle && k != kNotes {
		return
	}
	// A photo to the trimmed edge takes the whole page: no furniture on it.
	for _, it := range p.Items {
		if im, ok := it.(*display.Image); ok && im.Bleed && im.W >= p.Width && im.H >= p.Height {
			p.Folio = strconv.Itoa(folio)
			return
		}
	}
	st, geo := l.st, l.geo
	num := strconv.Itoa(folio)
	p.Folio = num
	width := geo.Grid.Width()
	left := geo.left(folio)
	right := left + width
	verso := folio%2 == 0
	// Folio in the outer corner of the foot.
	fy := geo.H - mm(11)
	f := label(num, st.Folio, right, fy, true, 0, display.Content)
	if verso {
		f = label(num, st.Folio, left, fy, false, 0, display.Content)
	}
	f.Artifact = true
	p.Items = append(p.Items, f)
	// Running head: the magazine on versos, the section on rectos, on a
	// thin rule above the type area.
	head := "《" + l.iss.Title + "》　" + l.iss.Number
	if !verso && section != "" {
		head = section
	}
	ry := geo.Top - mm(7)
	ly := geo.Top - mm(5)
	rh := st.RunningHead
	var t *display.Text
	mark := &display.Rect{Y: ry - rh.Size*0.62, W: mm(3.5), H: rh.Size * 0.55, Fill: &st.Accent}
	if verso {
		mark.X = left
		t = label(head, rh, left+mm(5), ry, false, 0.4, display.Generated)
	} else {
		mark.X = right - mark.W
		t = label(head, rh, right-mm(5), ry, true, 0.4, display.Generated)
	}
	t.Artifact = true
	rule := display.Color{K: 0.3}
	p.Items = append(p.Items, mark, t, &display.Line{X1: left, Y1: ly, X2: right, Y2: ly, Width: 0.4, Color: rule})
}
