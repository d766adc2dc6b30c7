package text

import (
	"math"
	"slices"
	"sync"
)

// Total-fit line breaking after D. E. Knuth and M. F. Plass, "Breaking
// Paragraphs into Lines", Software—Practice and Experience 11 (1981), as
// TeX (tex.web §813–890) and Typst (typst-layout inline/linebreak.rs) do
// it, over the paragraph model of paragraph.go: every allowed gap is a
// feasible break (R1 and R6 prohibitions are simply not breaks), a line's
// glue is its punctuation blanks and CJK–Latin/word spaces (shrink, R2/R4/
// R5) and its first-priority and equal inter-character stretch (R7).

// Cost parameters. TeX's defaults unless said otherwise.
const (
	// linePenalty is added to every line's badness before squaring, so
	// that fewer lines win when all else is equal (TeX \linepenalty).
	linePenalty = 10
	// adjDemerits is charged when a line's fitness class is more than one
	// away from the previous line's (TeX \adjdemerits): a loose line next
	// to a tight one.
	adjDemerits = 10000
	// tolerance is the worst badness of a line in the first pass (TeX
	// \tolerance 200: gaps opened by about 0.31 em). When no breaks pass,
	// a second pass accepts any line that is not overfull.
	tolerance = 200
	// pushInCost weighs the badness of pushing punctuation in (R2: push in
	// before pushing out). Compressing every blank of a line to nothing
	// costs 0.01·100 = 1, as much as opening its gaps by 0.054 em (r =
	// 0.215), so a paragraph pushes in rather than send characters down
	// and run to more lines, yet an exact fit still wins. (On the
	// reference issue, 0.1 costs 5 more lines in 260 and 0.001 pushes in
	// a quarter of the lines for no fewer.)
	pushInCost = 0.01
	// flexStretch is the stretch, in em, that each inter-character gap
	// counts for in the adjustment ratio. The equal stretch of R7 has no
	// limit; a quarter em per gap makes r = 1 the point where gaps open by
	// a quarter em.
	flexStretch = 0.25
	// maxRatio clamps ratios: a line that cannot stretch at all is as bad
	// as one stretched tenfold.
	maxRatio = 10
)

// Fitness classes (tex.web §817), from the loosest.
const (
	veryLoose = iota // badness > 99 when stretching: gaps beyond a quarter em
	loose            // badness > 12 when stretching
	decent           // badness ≤ 12
	tight            // badness > 12 when shrinking (word and CJK–Latin spaces)
	fitnesses
)

// cum holds sums over a paragraph from its start, so that the metrics of
// any line a..b cost O(1) (Knuth and Plass: "the sums of widths, stretch
// and shrink since the start of the paragraph"): sums[i] covers atoms and
// gaps 0..i-1. A line's metrics are the sums at its end less those at its
// start, each adjusted for what the line's edges drop or add.
type cum struct {
	w       float64 // natural widths of atoms and gaps
	blank   float64 // compressible punctuation blanks (bl + br)
	shrink  float64 // gap shrink (CJK–Latin and word spaces)
	stretch float64 // first-priority gap stretch plus flexStretch per canFlex gap
}

// lineMetrics is what a candidate line can do.
type lineMetrics struct {
	natural float64 // width with the line-edge blanks dropped (R4)
	blank   float64 // punctuation blanks it can push in (R2, R4)
	shrink  float64 // then the CJK–Latin and word spaces (R5)
	stretch float64 // first-priority stretch plus flexStretch per gap (R7)
}

// sums fills c (grown as needed) with the prefix sums of par.
func (par *paragraph) sums(c []cum) []cum {
	n := len(par.atoms)
	c = slices.Grow(c[:0], n+1)[:n+1]
	c[0] = cum{}
	for i := range n {
		at := &par.atoms[i]
		s := c[i]
		s.w += at.w
		s.blank += at.bl + at.br
		if i < n-1 {
			g := &par.gaps[i]
			s.w += g.w
			s.shrink += g.shrink
			s.stretch += g.stretch
			if g.canFlex {
				s.stretch += flexStretch * max(at.size, par.atoms[i+1].size)
			}
		}
		c[i+1] = s
	}
	return c
}

// lineStart returns the sums a line starting at atom a subtracts: the
// first line adds the indent (R8); an opening bracket's blank at the line
// start is trimmed as an option and never pushed in (R4).
func (par *paragraph) lineStart(c []cum, a int, p Params) cum {
	s := c[a]
	if a == 0 {
		s.w -= p.Indent
	}
	if at := &par.atoms[a]; at.cls == Opening {
		s.blank += at.bl
		if p.TrimOpeningAtLineStart {
			s.w += at.bl
		} else {
			s.w -= at.lost
		}
	}
	return s
}

// lineEnd returns the sums at a line ending with atom b: without the gap
// at the break and without the blank of a closing mark at the line end
// (R4).
func (par *paragraph) lineEnd(c []cum, b int) cum {
	e := c[b+1]
	br := par.atoms[b].br
	e.w -= br
	e.blank -= br
	if b < len(par.gaps) {
		e.w -= par.gaps[b].w
	}
	e.shrink = c[b].shrink
	e.stretch = c[b].stretch
	return e
}

// lineEnds are the sums at the end of a line ending with atom b: end, with
// every atom in the measure, and, when the last mark may hang (R3), hung,
// those of the line without it.
type lineEnds struct {
	b       int
	end     cum
	hung    cum
	canHang bool
}

// ends returns the sums at the end of a line ending with atom b.
func (par *paragraph) ends(c []cum, b int, p Params) lineEnds {
	e := lineEnds{b: b, end: par.lineEnd(c, b), canHang: par.canHang(0, b, p)}
	if e.canHang {
		e.hung = par.lineEnd(c, b-1)
	}
	return e
}

// line returns the metrics of the line from atom a, whose start sums are
// start, to these ends, and whether it hangs its last mark: it does when
// it may and does not fit with the mark in the measure. They agree with
// lineExtent and setLine.
func (e *lineEnds) line(start cum, a int, measure float64) (lineMetrics, bool) {
	m := metrics(start, e.end)
	if e.canHang && a < e.b && m.natural-m.blank-m.shrink > measure+eps {
		return metrics(start, e.hung), true
	}
	return m, false
}

// metrics returns the metrics of the line from start to end.
func metrics(start, end cum) lineMetrics {
	return lineMetrics{
		natural: end.w - start.w,
		blank:   end.blank - start.blank,
		shrink:  end.shrink - start.shrink,
		stretch: end.stretch - start.stretch,
	}
}

// ratio returns the adjustment ratio of a line of the given natural width
// (Knuth and Plass eq. 4, TeX's glue set ratio): positive when it
// stretches, negative, down to -1, when it shrinks; below -1 it is
// overfull. It is clamped to ±maxRatio.
func ratio(measure, natural, shrink, stretch float64) float64 {
	d := measure - natural
	var r float64
	switch {
	case d > eps && stretch > eps:
		r = d / stretch
	case d > eps:
		r = maxRatio
	case d < -eps && shrink > eps:
		r = d / shrink
	case d < -eps:
		r = -maxRatio
	}
	return max(-maxRatio, min(maxRatio, r))
}

// badness returns the badness of a line and its fitness class (Knuth and
// Plass eq. 5; fitness classes after tex.web §817). The last line has
// infinite stretch (it is not justified): badness 0.
func badness(m lineMetrics, measure float64, last bool) (bad float64, fit int) {
	need := m.natural - measure
	switch {
	case need > eps:
		return shrinkBadness(need, m.blank, m.shrink)
	case last:
		return 0, decent
	}
	return stretchBadness(-need, m.stretch)
}

// stretchBadness returns the badness, 100·r³, of a line that stretches by
// d out of stretch, and its fitness class.
func stretchBadness(d, stretch float64) (bad float64, fit int) {
	r := 0.0
	switch {
	case d <= eps:
	case stretch > eps && d < maxRatio*stretch:
		r = d / stretch
	default:
		r = maxRatio
	}
	bad = 100 * r * r * r
	switch {
	case bad > 99:
		return bad, veryLoose
	case bad > 12:
		return bad, loose
	}
	return bad, decent
}

// shrinkBadness returns the badness of a line that must shrink by need,
// and its fitness class. Shrink goes in two stages, as setLine applies it:
// first the punctuation blanks, at pushInCost, then the CJK–Latin and word
// spaces at the full 100·r³ of their own ratio.
func shrinkBadness(need, blank, shrink float64) (bad float64, fit int) {
	if need <= blank+eps {
		rb := 1.0
		if need < blank {
			rb = need / blank
		}
		return pushInCost * 100 * rb * rb * rb, decent
	}
	rg := 1.0
	if need-blank < shrink {
		rg = (need - blank) / shrink
	}
	bad = 100 * rg * rg * rg
	fit = decent
	if bad > 12 {
		fit = tight
	}
	return pushInCost*100 + bad, fit
}

// demerits returns the demerits of a line of the given badness ending at
// a break of penalty pen (Knuth and Plass eq. 8, TeX §859); adjDemerits
// come on top when its fitness class is far from the previous line's.
func demerits(bad, pen float64) float64 {
	return (linePenalty+bad)*(linePenalty+bad) + pen*pen
}

// breakNode is a feasible break: the best way found to end a line after
// atom pos, for each fitness class of that line.
type breakNode struct {
	start cum   // lineStart of the line after this break
	pos   int32 // the line's last atom; -1 for the paragraph start
	// total[f] is the least sum of demerits of the lines up to here, the
	// last of fitness f, and prev[f] and pfit[f] the break and class it
	// comes from. Once the node is sealed, total[f] is instead what a line
	// of fitness f after this break starts from, adjDemerits included, and
	// next[f] the class at this break that gives it.
	total [fitnesses]float64
	prev  [fitnesses]int32
	pfit  [fitnesses]uint8
	next  [fitnesses]uint8
}

// seal turns nd.total into what the next line starts from (tex.web §859:
// adjDemerits when fitness classes are more than one apart).
func (nd *breakNode) seal() {
	t0, t1, t2, t3 := nd.total[0], nd.total[1], nd.total[2], nd.total[3]
	// The least total of all, for a next line far from its class. Ties go
	// to the looser class: the path whose earlier lines are fuller.
	far, ff := pick(t2, 2, t3, 3)
	far, ff = pick(far, ff, t1, 1)
	far, ff = pick(far, ff, t0, 0)
	far += adjDemerits
	// Unrolled: a class next to one takes it without adjDemerits.
	b, f := pick(far, ff, t1, 1)
	nd.total[0], nd.next[0] = pick(b, f, t0, 0)
	b, f = pick(far, ff, t2, 2)
	b, f = pick(b, f, t1, 1)
	nd.total[1], nd.next[1] = pick(b, f, t0, 0)
	b, f = pick(far, ff, t3, 3)
	b, f = pick(b, f, t2, 2)
	nd.total[2], nd.next[2] = pick(b, f, t1, 1)
	b, f = pick(far, ff, t3, 3)
	nd.total[3], nd.next[3] = pick(b, f, t2, 2)
}

// pick returns the lesser of two totals with its class, the second on a tie.
func pick(a float64, fa uint8, b float64, fb uint8) (float64, uint8) {
	if b <= a {
		return b, fb
	}
	return a, fa
}

// scratch is the working memory of breakTotalFit, kept between calls.
type scratch struct {
	c     []cum
	nodes []breakNode
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// breakTotalFit chooses the breaks of the paragraph that minimise the sum
// of the lines' demerits. A pass accepts lines up to tolerance; when none
// gets through, a second accepts any line that fits; when no set of breaks
// fits (a word longer than the measure), greedy breaking sets the
// paragraph and marks the overfull lines. A line may hang its last mark
// (R3, Params.Hanging), and so be that mark longer.
func (par *paragraph) breakTotalFit(p Params) []lineRange {
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	sc.c = par.sums(sc.c)
	if out := par.totalFit(sc, p, tolerance); out != nil {
		return out
	}
	if out := par.totalFit(sc, p, math.Inf(1)); out != nil {
		return out
	}
	return par.breakGreedy(p)
}

// totalFit runs one pass of the Knuth–Plass algorithm; nil if no breaks
// fit. The active breaks are a window [lo, len(nodes)) of the nodes in
// text order: a line from an older break is wider, so once a line from a
// break is overfull the break is done with, and once a line is looser than
// tol, lines from newer breaks are looser still.
func (par *paragraph) totalFit(sc *scratch, p Params, tol float64) []lineRange {
	n, c := len(par.atoms), sc.c
	lone := par.loneStart()
	inf := math.Inf(1)
	nodes := append(sc.nodes[:0], breakNode{
		start: par.lineStart(c, 0, p),
		pos:   -1,
		total: [fitnesses]float64{inf, inf, 0, inf},
	})
	nodes[0].seal()
	defer func() { sc.nodes = nodes }()
	lo := 0
	for b := range n {
		if b < n-1 && !par.gaps[b].allowed {
			continue
		}
		last := b == n-1
		ends := par.ends(c, b, p)
		k := len(nodes)
		if k < cap(nodes) {
			nodes = nodes[:k+1] // prev, pfit and next are set before they are read
		} else {
			nodes = append(nodes, breakNode{})
		}
		cand := &nodes[k]
		cand.pos, cand.total = int32(b), [fitnesses]float64{inf, inf, inf, inf}
		found := false
		for i := lo; i < k; i++ {
			nd := &nodes[i]
			m, hung := ends.line(nd.start, int(nd.pos)+1, p.Measure)
			if m.natural-m.blank-m.shrink > p.Measure+eps {
				lo = i + 1 // overfull, and so are lines from older breaks
				continue
			}
			if last && int(nd.pos)+1 == lone {
				continue // R9: no lone character on the last line
			}
			bad, fit := badness(m, p.Measure, last)
			if bad > tol {
				if m.natural < p.Measure && !hung {
					// Too loose, and lines from newer breaks are looser
					// still. Not so after a hung line: it lost its
					// mark, and a line from a newer break that keeps
					// its mark in may be wider.
					break
				}
				continue
			}
			// On a tie the newer break wins: earlier lines full.
			if t := nd.total[fit] + demerits(bad, 0); t <= cand.total[fit] {
				cand.total[fit] = t
				cand.prev[fit] = int32(i)
				cand.pfit[fit] = nd.next[fit]
				found = true
			}
		}
		if found {
			if !last {
				cand.start = par.lineStart(c, b+1, p)
			}
			cand.seal()
		} else {
			nodes = nodes[:k]
		}
		if lo >= len(nodes) {
			return nil // every line from every break is overfull
		}
	}
	last := &nodes[len(nodes)-1]
	if int(last.pos) != n-1 {
		return nil
	}
	fit := 0 // the last line's class: the least total (sealed, it is in next)
	for f := range last.total {
		if last.total[f] < last.total[fit] {
			fit = f
		}
	}
	fit = int(last.next[fit])
	var out []lineRange
	for i := len(nodes) - 1; i > 0; {
		nd := &nodes[i]
		prev, pfit := int(nd.prev[fit]), int(nd.pfit[fit])
		out = append(out, lineRange{a: int(nodes[prev].pos) + 1, b: int(nd.pos)})
		i, fit = prev, pfit
	}
	slices.Reverse(out)
	return out
}
