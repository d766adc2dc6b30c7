// Package text sets a paragraph of Chinese (and mixed Latin) text into lines
// of a given measure, to the rules of the W3C Requirements for Chinese Text
// Layout (clreq) as collected in shared/design/typography.md (R1–R9):
// line-start and line-end prohibitions, push-in before push-out, GB
// punctuation widths and compression, quarter-em CJK–Latin spacing,
// unbreakable Latin words and two-em marks, justification by
// inter-character spacing, an unstretched last line, a first-line indent
// and no lone character (孤字) on a paragraph's last line. Hanging
// punctuation (R3) is an option, and Params.Style picks the punctuation
// convention: GB (mainland, the default) or CNS (Taiwan, Hong Kong).
//
// Lines are chosen for the whole paragraph at once (Knuth–Plass total fit,
// totalfit.go) unless Params.Breaker asks for greedy filling (greedy.go).
//
// The entry point is Set. It knows nothing about pages or PDF: it returns
// lines of glyphs with x positions relative to the line's left edge; Stats
// sums up how evenly they are spaced.
package text

import (
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/go-text/typesetting/segmenter"

	"paiban/fonts"
)

// Span is a stretch of a paragraph's text in one style.
type Span struct {
	Text  string
	Faces []*fonts.Face // tried in order for every rune: the first that has it sets it
	Size  float64       // type size in pt; one em
	Tag   int           // the caller's mark, handed back in glyphs and errors
}

// Params are the settings of a paragraph.
type Params struct {
	Measure float64 // line length in pt
	Indent  float64 // first-line indent in pt (R8: 2 em)
	// Ragged turns justification off (lines are set at natural width).
	Ragged bool
	// TrimOpeningAtLineStart lets an opening bracket at the start of a line
	// lose its blank half em (R4, a style option; off by default).
	TrimOpeningAtLineStart bool
	// Breaker picks the line-breaking algorithm; the zero value is TotalFit.
	Breaker Breaker
	// Hanging lets one of 、，。 hang past the end of a line (R3, clreq
	// §3.1.8; off by default). A line hangs its last mark only when it
	// does not fit with the mark inside the measure even pushed in (push
	// in first, then hang, then push out); never a mark that follows
	// another (a run of marks), never a bracket, quote, ——, …… or any
	// other mark. The hung mark takes no room: the line is justified
	// without it and its glyph is set just past the line's end, its ink in
	// the half em after it. A style may rule it out: CNS never hangs.
	Hanging bool
	// Style is the punctuation convention; the zero value is GB.
	Style Style
}

// Breaker is a line-breaking algorithm.
type Breaker uint8

// Line-breaking algorithms.
const (
	// TotalFit chooses the breaks of the whole paragraph together so that
	// the sum of the lines' demerits is least (Knuth and Plass 1981), as
	// TeX, Typst and InDesign's paragraph composer do. It falls back to
	// Greedy when no set of breaks fits the measure.
	TotalFit Breaker = iota
	// Greedy fills each line as far as it goes (push in before push out),
	// as a first-fit composer does.
	Greedy
)

func (b Breaker) String() string {
	switch b {
	case TotalFit:
		return "total-fit"
	case Greedy:
		return "greedy"
	}
	return fmt.Sprintf("Breaker(%d)", uint8(b))
}

// Glyph is one character placed on a line.
type Glyph struct {
	R    rune
	X    float64 // glyph origin from the line's left edge, in pt
	Y    float64 // off the baseline, down positive, in pt (CNS ，。、)
	Face *fonts.Face
	Size float64
	Tag  int
}

// Line is one set line.
type Line struct {
	Glyphs []Glyph
	// Natural is the line's width before justification; Width after it.
	Natural, Width float64
	// Last reports whether the line ends its paragraph.
	Last bool
	// Hung reports that the line's last glyph hangs past its end (R3):
	// Natural, Width and Ratio are those of the line without it.
	Hung bool
	// Overfull reports that no allowed break made the line fit the measure.
	Overfull bool
	// Ratio is the adjustment ratio: the space added to the line over what
	// it can take (first-priority stretch plus a quarter em per
	// inter-character gap), or the push-in over its shrink (negative,
	// down to −1). It is 0 for a line at its natural width and is clamped
	// to ±10; Ratio > 1 means gaps opened by more than a quarter em.
	Ratio float64
	// ExtraPerGap is the space, in em, added to every gap between
	// characters by the equal stretch of R7 (after the CJK–Latin gaps and
	// word spaces have taken theirs).
	ExtraPerGap float64
}

// MissingGlyphError reports a rune that no face of its span covers.
type MissingGlyphError struct {
	R      rune
	Tag    int // the span's Tag
	Offset int // byte offset of the rune in the span's Text
}

func (e *MissingGlyphError) Error() string {
	return fmt.Sprintf("no font has %q (U+%04X)", e.R, e.R)
}

// atom is one visible character with its em box.
type atom struct {
	r    rune
	cls  Class
	hang bool // may hang at a line end (R3), in the paragraph's style
	face *fonts.Face
	size float64
	tag  int
	w    float64 // width after adjacent punctuation compression (pt)
	off  float64 // glyph origin relative to the box's left edge
	dy   float64 // glyph origin below the baseline (CNS centring)
	bl   float64 // compressible blank left in the box (pt)
	lost float64 // blank left given up to the mark before (R4); back at a line start
	br   float64 // compressible blank right (pt)
}

type gapKind uint8

const (
	gapTight    gapKind = iota // inside a Latin word or a two-em mark: fixed
	gapCJK                     // between Chinese characters: stretches last
	gapCJKLatin                // ¼ em between Han and Latin (R5)
	gapSpace                   // a word space
)

// gap is the glue between atom i and atom i+1.
type gap struct {
	kind    gapKind
	w       float64 // natural width
	shrink  float64
	stretch float64 // first-priority stretch (R7): CJK–Latin and word spaces
	canFlex bool    // takes part in the second-priority, equal stretch
	allowed bool    // a line may break here
}

// paragraph is a paragraph prepared for breaking.
type paragraph struct {
	atoms []atom
	gaps  []gap // len(atoms)-1
}

// Set breaks a paragraph into lines and positions every glyph.
func Set(spans []Span, p Params) ([]Line, error) {
	par, err := prepare(spans, p.Style)
	if err != nil {
		return nil, err
	}
	if len(par.atoms) == 0 {
		return nil, nil
	}
	var ranges []lineRange
	if p.Breaker == Greedy {
		ranges = par.breakGreedy(p)
	} else {
		ranges = par.breakTotalFit(p)
	}
	lines := make([]Line, len(ranges))
	for i, r := range ranges {
		lines[i] = par.setLine(r.a, r.b, p, i == 0, i == len(ranges)-1)
		lines[i].Overfull = r.overfull
	}
	return lines, nil
}

// prepare resolves fonts and widths and computes break opportunities; st
// is the punctuation style.
func prepare(spans []Span, st Style) (*paragraph, error) {
	size := 0
	for _, s := range spans {
		size += utf8.RuneCountInString(s.Text)
	}
	rs := make([]rune, 0, size)
	ratoms := make([]atom, 0, size) // one per rune, spaces included
	for _, s := range spans {
		for off, r := range s.Text {
			if r == utf8.RuneError {
				return nil, &MissingGlyphError{R: r, Tag: s.Tag, Offset: off}
			}
			c := classOf(r)
			a := atom{r: r, cls: c, size: s.Size, tag: s.Tag}
			if c != Space {
				adv, face := 0.0, (*fonts.Face)(nil)
				for _, f := range s.Faces {
					if x, ok := f.Advance(r); ok {
						adv, face = x, f
						break
					}
				}
				if face == nil {
					return nil, &MissingGlyphError{R: r, Tag: s.Tag, Offset: off}
				}
				a.face = face
				a.w = adv * s.Size
			} else if len(s.Faces) > 0 {
				if x, ok := s.Faces[0].Advance(' '); ok {
					a.w = x * s.Size
				} else {
					a.w = s.Size / 4
				}
			}
			rs = append(rs, r)
			ratoms = append(ratoms, a)
		}
	}
	cls := make([]Class, len(rs))
	for i := range ratoms {
		cls[i] = ratoms[i].cls
	}
	var seg segmenter.Segmenter
	allowed := breakOpportunities(&seg, rs, cls)

	// Fold spaces into gaps; leading and trailing spaces go. A gap may
	// break when any rune boundary inside it may.
	par := &paragraph{atoms: make([]atom, 0, size), gaps: make([]gap, 0, size)}
	last := -1 // rune index of the previous atom
	for i, a := range ratoms {
		if a.cls == Space {
			continue
		}
		if last >= 0 {
			space, spaceW, brk := false, 0.0, false
			for k := last + 1; k <= i; k++ {
				brk = brk || allowed[k]
				if k < i {
					space, spaceW = true, ratoms[k].w
				}
			}
			prev := par.atoms[len(par.atoms)-1]
			if space && prohibitedBreak(prev.r, a.r) {
				// R1 and R6 hold across spaces, which a break drops: 「
				// stays with what follows it, — with —.
				brk = false
			}
			g := makeGap(prev, a, space, spaceW)
			g.allowed = brk
			par.gaps = append(par.gaps, g)
		}
		par.atoms = append(par.atoms, a)
		last = i
	}
	par.setBoxes(st)
	return par, nil
}

// isWordChar reports whether a Latin character takes CJK–Latin spacing: letters,
// digits and the signs that belong to numbers.
func isWordChar(r rune) bool {
	if unicode.IsLetter(r) || unicode.IsDigit(r) {
		return true
	}
	switch r {
	case '%', '‰', '℃', '°', '$', '¥', '€', '£':
		return true
	}
	return false
}

// makeGap decides the glue between two neighbouring atoms (R5, R7).
func makeGap(a, b atom, space bool, spaceW float64) gap {
	em := max(a.size, b.size)
	switch {
	case a.cls == Dash && b.cls == Dash, a.cls == Ellipsis && b.cls == Ellipsis:
		return gap{kind: gapTight}
	case a.cls == Latin && b.cls == Latin:
		if space {
			return gap{kind: gapSpace, w: spaceW, shrink: spaceW / 3, stretch: spaceW / 2, canFlex: true}
		}
		return gap{kind: gapTight}
	case a.cls == Han && b.cls == Latin && isWordChar(b.r),
		a.cls == Latin && isWordChar(a.r) && b.cls == Han:
		// R5: a quarter em between Han and Latin, shrinking to ⅛, stretching to ½.
		return gap{kind: gapCJKLatin, w: em / 4, shrink: em / 8, stretch: em / 4, canFlex: true}
	case space && a.cls.isCJK() && b.cls.isCJK() && !a.cls.isPunct() && !b.cls.isPunct():
		// A space the author typed between Chinese words (a title's halves).
		return gap{kind: gapSpace, w: em / 2, shrink: 0, stretch: em / 4, canFlex: true}
	}
	return gap{kind: gapCJK, canFlex: true}
}

// setBoxes gives every full-width character its em box, places the glyph in
// it as style st has it, and applies the compression of adjacent
// punctuation (R4): of two neighbouring marks' facing blanks only one half
// em stays.
func (par *paragraph) setBoxes(st Style) {
	at := par.atoms
	for i := range at {
		a := &at[i]
		if a.cls == Latin {
			continue
		}
		em := a.size
		adv := a.w
		a.w = em
		set := settingOf(st, a.cls)
		a.bl, a.br, a.hang = set.left*em, set.right*em, set.hang
		switch set.place {
		case left:
			a.off = 0
		case right:
			a.off = em - adv
		case inkCentred:
			// The ink's middle on the box's middle. Without an outline
			// to measure, assume a GB-shaped glyph: ink about the middle
			// of the left half.
			a.off = em / 4
			ink, ok := a.face.Ink(a.r)
			if ok {
				a.off = em/2 - (ink.X0+ink.X1)/2*a.size
			}
			if a.cls == PauseStop {
				// ，。、 sit in the middle of the em box both ways (CNS):
				// the box's middle is 0.38 em above the baseline (it runs
				// from 0.88 em above to 0.12 em below).
				mid := 0.05 // a GB comma's ink, about on the baseline
				if ok {
					mid = (ink.Y0 + ink.Y1) / 2
				}
				a.dy = -(0.38 - mid) * a.size
			}
		case dashPair:
			// The two halves of —— make one unbroken line, centred in
			// their two em: the inks meet (a dash's side bearings would
			// leave a gap between advances that touch).
			ink0, ink1 := 0.0, adv/em
			if ink, ok := a.face.Ink(a.r); ok && ink.X1 > ink.X0 {
				ink0, ink1 = ink.X0, ink.X1
			}
			half := (ink1 - ink0) * em // one dash's ink
			switch {
			case i+1 < len(at) && at[i+1].cls == Dash:
				a.off = em - half - ink0*em
			case i > 0 && at[i-1].cls == Dash:
				a.off = -ink0 * em
			default:
				a.off = (em - adv) / 2
			}
		default:
			a.off = (em - adv) / 2
		}
	}
	for i := 0; i+1 < len(at); i++ {
		a, b := &at[i], &at[i+1]
		if !a.cls.isPunct() || !b.cls.isPunct() || a.cls == Dash || b.cls == Dash || a.cls == Ellipsis || b.cls == Ellipsis {
			continue
		}
		switch {
		case a.br > 0:
			// 。” 》！ ：“ 〉》: the first mark loses its right blank.
			a.w -= a.br
			a.br = 0
		case b.bl > 0:
			// （《 ！“: the second mark loses its left blank.
			b.w -= b.bl
			b.off -= b.bl
			b.lost, b.bl = b.bl, 0
		}
	}
}

type lineRange struct {
	a, b     int
	overfull bool
}

// lineExtent returns the natural width and the total shrink of the line
// holding atoms a..b (inclusive), without its last mark when that hangs
// (R3).
func (par *paragraph) lineExtent(a, b int, p Params, first bool) (natural, shrink float64) {
	natural, shrink = par.extent(a, b, p, first)
	if par.canHang(a, b, p) && natural-shrink > p.Measure+eps {
		return par.extent(a, b-1, p, first)
	}
	return natural, shrink
}

// hangs reports whether the line holding atoms a..b hangs its last mark
// (R3): it may, and the line does not fit the measure with the mark in it.
func (par *paragraph) hangs(a, b int, p Params, first bool) bool {
	if !par.canHang(a, b, p) {
		return false
	}
	natural, shrink := par.extent(a, b, p, first)
	return natural-shrink > p.Measure+eps
}

// canHang reports whether the line holding atoms a..b may hang its last
// mark (R3): hanging is on, the style lets the mark hang, and it is not
// the line's only atom nor part of a run of marks.
func (par *paragraph) canHang(a, b int, p Params) bool {
	return p.Hanging && b > a && par.atoms[b].hang && !par.atoms[b-1].cls.isPunct()
}

// extent returns the natural width and the total shrink of the line
// holding atoms a..b (inclusive), all of them in the measure, with the
// line-edge adjustments of R4: a closing mark's blank at the line end
// goes; an opening mark's at the start goes as an option, and is not
// pushed in otherwise (the line start stays on the em grid): when it was
// given up to a mark now on the line before (！|“), it comes back.
func (par *paragraph) extent(a, b int, p Params, first bool) (natural, shrink float64) {
	if first {
		natural = p.Indent
	}
	for i := a; i <= b; i++ {
		at := &par.atoms[i]
		natural += at.w
		shrink += at.bl + at.br
		if i < b {
			natural += par.gaps[i].w
			shrink += par.gaps[i].shrink
		}
	}
	end := par.atoms[b].br
	natural -= end
	shrink -= end
	if at := &par.atoms[a]; at.cls == Opening {
		shrink -= at.bl
		if p.TrimOpeningAtLineStart {
			natural -= at.bl
		} else {
			natural += at.lost // the mark it closed up to is on the line before
		}
	}
	return natural, shrink
}

const eps = 1e-6
