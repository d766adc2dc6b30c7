package layout

import (
	"math/bits"

	"strings"

	"errors"
	"fmt"

	"paiban/display"
	"paiban/layout/text"
	"paiban/manifest"
)

// source says where a span's text came from, for messages.
type source struct {
	file      string
	line, col int // 0 when unknown (manifest values)
	what      string
}

// setter sets text and turns problems into messages that name the file.
type setter struct {
	warnings *[]Warning
	opt      Options
	style    text.Style // punctuation style: GB, or CNS for zh-Hant articles
}

// body fills in the settings of justified body text.
func (s setter) body(p text.Params) text.Params {
	p.Breaker = s.opt.Breaker
	p.Hanging = s.opt.Hanging
	p.Style = s.style
	return p
}

// set sets spans; src[i] describes the span with Tag i.
func (s setter) set(spans []text.Span, src []source, p text.Params) ([]text.Line, error) {
	p.Style = s.style
	lines, err := text.Set(spans, p)
	var mg *text.MissingGlyphError
	if errors.As(err, &mg) {
		at := src[0]
		if mg.Tag >= 0 && mg.Tag < len(src) {
			at = src[mg.Tag]
		}
		where := at.file
		if at.line > 0 {
			where = fmt.Sprintf("%s:%d:%d", at.file, at.line, at.col+mg.Offset)
		}
		if at.what != "" {
			where += ": " + at.what
		}
		if mg.R == 0xFFFD {
			return nil, fmt.Errorf("%s: invalid character U+FFFD — fix the text encoding", where)
		}
		return nil, fmt.Errorf("%s: no font has %q (U+%04X) — add a font that covers it to [fonts] fallback in the manifest, or replace the character", where, mg.R, mg.R)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", src[0].file, err)
	}
	for i, l := range lines {
		if l.Overfull && s.warnings != nil {
			at := src[0]
			if len(l.Glyphs) > 0 && l.Glyphs[0].Tag >= 0 && l.Glyphs[0].Tag < len(src) {
				at = src[l.Glyphs[0].Tag]
			}
			*s.warnings = append(*s.warnings, Warning{File: at.file, Line: at.line, Msg: fmt.Sprintf("line %d of a paragraph is wider than the measure (%.1f pt > %.1f pt): a word too long to break", i+1, l.Width, p.Measure)})
		}
	}
	return lines, nil
}

// plain sets a one-style string.
func (s setter) plain(str string, el Elem, src source, p text.Params) ([]text.Line, error) {
	if p.Measure == 0 {
		p.Measure = 1e6
	}
	return s.set([]text.Span{{Text: str, Faces: el.Faces, Size: el.Size}}, []source{src}, p)
}

// balanced sets a ragged display string (a title) so that, when it takes
// several lines, they are of even length instead of a full line and a
// stub: the narrowest measure, in whole characters, that needs no more
// lines than the full one.
func (s setter) balanced(str string, el Elem, src source, width float64) ([]text.Line, error) {
	lines, err := s.plain(str, el, src, text.Params{Measure: width, Ragged: true})
	if err != nil || len(lines) < 2 {
		return lines, err
	}
	spans := []text.Span{{Text: str, Faces: el.Faces, Size: el.Size}}
	best := lines
	for m := width - el.Size; m > width/2; m -= el.Size {
		l, err := text.Set(spans, text.Params{Measure: m, Ragged: true, Style: s.style})
		if err != nil || len(l) > len(lines) || anyOverfull(l) {
			break
		}
		best = l
	}
	return best, nil
}

// phrased sets a display string (a pull quote) breaking its lines only
// where a clause ends — after ，。、；：！？ and the closing marks that
// follow them, or at a space — in as few lines as that allows, at most
// one more than the plain ragged setting takes, the longest line as short
// as such breaks allow. ok is false when no such breaking fits (a clause
// longer than the measure) or the string has too many clauses to try
// them all; then balanced is the way.
func (s setter) phrased(str string, el Elem, src source, width float64) (lines []text.Line, ok bool, err error) {
	plain, err := s.plain(str, el, src, text.Params{Measure: width, Ragged: true})
	if err != nil || len(plain) < 2 {
		return plain, err == nil, err
	}
	rs := []rune(str)
	var cuts []int // rune offsets where a line may start
	for i := 0; i < len(rs)-1; i++ {
		switch {
		case rs[i] == ' ' || rs[i] == '\u3000':
			cuts = append(cuts, i+1)
		case strings.ContainsRune("，。、；：！？", rs[i]):
			j := i + 1
			for j < len(rs) && strings.ContainsRune("”’）》」』】〉", rs[j]) {
				j++
			}
			if j < len(rs) {
				cuts = append(cuts, j)
			}
			i = j - 1
		}
	}
	if len(cuts) == 0 || len(cuts) > 12 {
		return nil, false, nil
	}
	// one sets rs[a:b] on a line of its own; nil when it does not fit.
	memo := map[[2]int]*text.Line{}
	one := func(a, b int) *text.Line {
		k := [2]int{a, b}
		if l, seen := memo[k]; seen {
			return l
		}
		seg := strings.TrimRight(string(rs[a:b]), " \u3000")
		l, err := text.Set([]text.Span{{Text: seg, Faces: el.Faces, Size: el.Size}}, text.Params{Measure: width, Ragged: true, Style: s.style})
		var got *text.Line
		if err == nil && len(l) == 1 && !l[0].Overfull {
			got = &l[0]
		}
		memo[k] = got
		return got
	}
	// The fewest lines the clauses allow, at most one more than plain.
	for n := len(plain); n <= len(plain)+1; n++ {
		var best []text.Line
		bestW := 0.0
		for mask := 1; mask < 1<<len(cuts); mask++ {
			if bits.OnesCount(uint(mask))+1 != n {
				continue
			}
			var ls []text.Line
			w, a := 0.0, 0
			for i := 0; i <= len(cuts); i++ {
				b := len(rs)
				if i < len(cuts) {
					if mask&(1<<i) == 0 {
						continue
					}
					b = cuts[i]
				}
				l := one(a, b)
				if l == nil {
					ls = nil
					break
				}
				ls = append(ls, *l)
				w = max(w, l.Width)
				a = b
			}
			if ls != nil && (best == nil || w < bestW) {
				best, bestW = ls, w
			}
		}
		if best != nil {
			return best, true, nil
		}
	}
	return nil, false, nil
}

func anyOverfull(lines []text.Line) bool {
	for _, l := range lines {
		if l.Overfull {
			return true
		}
	}
	return false
}

// inlineSpans makes spans for a block's inlines; strong text takes bold.
func inlineSpans(file string, b *manifest.Block, regular, bold Elem) ([]text.Span, []source) {
	spans := make([]text.Span, 0, len(b.Inlines))
	src := make([]source, 0, len(b.Inlines))
	for _, in := range b.Inlines {
		f := regular.Faces
		if in.Strong {
			f = bold.Faces
		}
		spans = append(spans, text.Span{Text: in.Text, Faces: f, Size: regular.Size, Tag: len(src)})
		src = append(src, source{file: file, line: in.Line, col: in.Col})
	}
	return spans, src
}

// runs turns a set line into text runs, one per face and size, with the
// line's left end at x and its baseline at y. align places a ragged line
// in the measure: 0 left, 0.5 centred, 1 right.
func runs(l text.Line, x, y float64, c display.Color, measure, align float64, role display.Role) []display.Item {
	if align > 0 {
		x += (measure - l.Width) * align
	}
	var items []display.Item
	var cur *display.Text
	for _, g := range l.Glyphs {
		if cur == nil || cur.Font != g.Face.Name || cur.Size != g.Size {
			cur = &display.Text{X: x, Y: y, Font: g.Face.Name, Size: g.Size, Color: c, Role: role}
			items = append(items, cur)
		}
		cur.Glyphs = append(cur.Glyphs, display.Glyph{R: g.R, X: g.X, Y: g.Y})
	}
	return items
}

// block is a stack of set lines with their own leading.
type block struct {
	lines   []text.Line
	el      Elem
	measure float64
	align   float64
	role    display.Role
}

// ascent is the first baseline's distance below the block's top.
func (b block) ascent() float64 { return 0.88 * b.el.Size }

// height is from the top of the first line's em box to the bottom of the last.
func (b block) height() float64 {
	if len(b.lines) == 0 {
		return 0
	}
	return float64(len(b.lines)-1)*b.el.Lead + b.el.Size
}

func (b block) draw(x, y float64) []display.Item {
	var items []display.Item
	for i, l := range b.lines {
		items = append(items, runs(l, x, y+b.ascent()+float64(i)*b.el.Lead, b.el.Color, b.measure, b.align, b.role)...)
	}
	return items
}

// width is the widest line.
func (b block) width() float64 {
	w := 0.0
	for _, l := range b.lines {
		w = max(w, l.Width)
	}
	return w
}

// textWidth is the natural width of s in el, on one line.
func textWidth(s string, el Elem) float64 {
	w := 0.0
	for _, r := range s {
		for _, f := range el.Faces {
			if a, ok := f.Advance(r); ok {
				w += a * el.Size
				break
			}
		}
	}
	return w
}

// glyphs lays s out at natural advances (for short labels: folios, numbers).
func glyphs(s string, el Elem, tracking float64) ([]display.Glyph, string) {
	var gs []display.Glyph
	x := 0.0
	font := el.Faces[0].Name
	for _, r := range s {
		gs = append(gs, display.Glyph{R: r, X: x})
		a, _ := el.Faces[0].Advance(r)
		x += a*el.Size + tracking
	}
	return gs, font
}

// label is a one-line string at natural advances: x is its left end, or
// its right end when right is set.
func label(s string, el Elem, x, y float64, right bool, tracking float64, role display.Role) *display.Text {
	gs, font := glyphs(s, el, tracking)
	if right {
		x -= textWidth(s, el) + tracking*float64(len(gs)-1)
	}
	return &display.Text{X: x, Y: y, Font: font, Size: el.Size, Color: el.Color, Glyphs: gs, Role: role}
}

// coverage checks that the first face of el has every rune of s, since
// labels are not set through the line breaker.
func coverage(s string, el Elem, src source) error {
	for _, r := range s {
		if !el.Faces[0].Has(r) && r != ' ' {
			return fmt.Errorf("%s: %s: no font has %q (U+%04X) — replace the character", src.file, src.what, r, r)
		}
	}
	return nil
}
