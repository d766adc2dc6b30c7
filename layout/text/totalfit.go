package text

import "math"

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
	// before pushing out). Compressing every blank of a line costs
	// 0.1·100 = 10, a little less than opening its gaps by ⅛ em (9
	// characters spread over 10: badness 12.5), so a line pushes in rather
	// than send a character down, but an exact fit beats both.
	pushInCost = 0.1
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

// cum holds the sums over atoms 0..i-1 and gaps 0..i-1 of a paragraph, so
// that the metrics of any line a..b cost O(1) (Knuth and Plass: "the sums
// of widths, stretch and shrink since the start of the paragraph").
type cum struct {
	w       float64 // natural widths of atoms and gaps
	blank   float64 // compressible punctuation blanks (bl + br)
	shrink  float64 // gap shrink (CJK–Latin and word spaces)
	stretch float64 // first-priority gap stretch
	flex    float64 // flexStretch em per canFlex gap
}

// lineMetrics is what a candidate line can do.
type lineMetrics struct {
	natural float64 // width with the line-edge blanks dropped (R4)
	blank   float64 // punctuation blanks it can push in (R2, R4)
	shrink  float64 // then the CJK–Latin and word spaces (R5)
	stretch float64 // first-priority stretch plus flexStretch per gap (R7)
}

// sums returns the prefix sums of par.
func (par *paragraph) sums() []cum {
	n := len(par.atoms)
	c := make([]cum, n+1)
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
				s.flex += flexStretch * max(at.size, par.atoms[i+1].size)
			}
		}
		c[i+1] = s
	}
	return c
}

// metrics returns the metrics of the line holding atoms a..b; the sums
// agree with lineExtent and setLine.
func (par *paragraph) metrics(c []cum, a, b int, p Params) lineMetrics {
	end := par.atoms[b].br
	m := lineMetrics{
		natural: c[b+1].w - c[a].w - end,
		blank:   c[b+1].blank - c[a].blank - end,
		shrink:  c[b].shrink - c[a].shrink,
		stretch: c[b].stretch - c[a].stretch + c[b].flex - c[a].flex,
	}
	if b < len(par.gaps) {
		m.natural -= par.gaps[b].w // the gap at the break is not in the line
	}
	if a == 0 {
		m.natural += p.Indent
	}
	if p.TrimOpeningAtLineStart && par.atoms[a].cls == Opening {
		m.natural -= par.atoms[a].bl
		m.blank -= par.atoms[a].bl
	}
	return m
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

// badness returns the badness of a line and its fitness class. Stretch
// costs 100·r³ (Knuth and Plass eq. 5). Shrink goes in two stages, as
// setLine applies it: first the punctuation blanks, at pushInCost, then
// the CJK–Latin and word spaces at the full 100·r³ of their own ratio.
// The last line has infinite stretch (it is not justified): badness 0.
func badness(m lineMetrics, measure float64, last bool) (bad float64, fit int) {
	need := m.natural - measure
	switch {
	case need <= eps && last:
		return 0, decent
	case need <= eps:
		r := ratio(measure, m.natural, 0, m.stretch)
		bad = 100 * r * r * r
		switch {
		case bad > 99:
			return bad, veryLoose
		case bad > 12:
			return bad, loose
		}
		return bad, decent
	case need <= m.blank+eps:
		rb := need / m.blank
		return pushInCost * 100 * rb * rb * rb, decent
	}
	rg := min(1, (need-m.blank)/max(m.shrink, eps))
	bad = 100 * rg * rg * rg
	if bad > 12 {
		fit = tight
	} else {
		fit = decent
	}
	return pushInCost*100 + bad, fit
}

// demerits returns the demerits of a line of the given badness ending at
// a break of penalty pen (Knuth and Plass eq. 8, TeX §859), and of its
// fitness next to the previous line's.
func demerits(bad, pen float64, fit, prevFit int) float64 {
	d := (linePenalty + bad) * (linePenalty + bad)
	d += pen * pen
	if fit-prevFit > 1 || prevFit-fit > 1 {
		d += adjDemerits
	}
	return d
}

// breakNode is a feasible break: the best way found to end a line after
// atom pos, for each fitness class of that line.
type breakNode struct {
	pos   int32 // the line's last atom; -1 for the paragraph start
	total [fitnesses]float64
	prev  [fitnesses]int32 // the predecessor's index in the node list
	pfit  [fitnesses]uint8 // and its fitness class
}

// breakTotalFit chooses the breaks of the paragraph that minimise the sum
// of the lines' demerits. A pass accepts lines up to tolerance; when none
// gets through, a second accepts any line that fits; when no set of breaks
// fits (a word longer than the measure), greedy breaking sets the
// paragraph and marks the overfull lines.
func (par *paragraph) breakTotalFit(p Params) []lineRange {
	c := par.sums()
	if out := par.totalFit(c, p, tolerance); out != nil {
		return out
	}
	if out := par.totalFit(c, p, math.Inf(1)); out != nil {
		return out
	}
	return par.breakGreedy(p)
}

// totalFit runs one pass of the Knuth–Plass algorithm; nil if no breaks
// fit. The active breaks are a window [lo, len(nodes)) of the nodes in
// text order: a line from an older break is wider, so once a line from a
// break is overfull the break is done with, and once a line is looser than
// tol, lines from newer breaks are looser still.
func (par *paragraph) totalFit(c []cum, p Params, tol float64) []lineRange {
	n := len(par.atoms)
	lone := par.loneStart()
	inf := math.Inf(1)
	nodes := make([]breakNode, 1, n+1)
	nodes[0] = breakNode{pos: -1, total: [fitnesses]float64{inf, inf, 0, inf}}
	lo := 0
	for b := range n {
		if b < n-1 && !par.gaps[b].allowed {
			continue
		}
		last := b == n-1
		cand := breakNode{pos: int32(b), total: [fitnesses]float64{inf, inf, inf, inf}}
		found := false
		for i := lo; i < len(nodes); i++ {
			nd := &nodes[i]
			a := int(nd.pos) + 1
			m := par.metrics(c, a, b, p)
			if m.natural-m.blank-m.shrink > p.Measure+eps {
				lo = i + 1 // overfull, and so are lines from older breaks
				continue
			}
			if last && a == lone {
				continue // R9: no lone character on the last line
			}
			bad, fit := badness(m, p.Measure, last)
			if bad > tol {
				if m.natural < p.Measure {
					break // too loose, and newer breaks are looser
				}
				continue
			}
			for g, t := range nd.total {
				if t == inf {
					continue
				}
				t += demerits(bad, 0, fit, g)
				// On a tie the newer break wins: earlier lines full.
				if t <= cand.total[fit] {
					cand.total[fit] = t
					cand.prev[fit] = int32(i)
					cand.pfit[fit] = uint8(g)
					found = true
				}
			}
		}
		if found {
			nodes = append(nodes, cand)
		}
		if lo >= len(nodes) {
			return nil // every line from every break is overfull
		}
	}
	end := &nodes[len(nodes)-1]
	if int(end.pos) != n-1 {
		return nil
	}
	fit := 0
	for f := range end.total {
		if end.total[f] < end.total[fit] {
			fit = f
		}
	}
	var out []lineRange
	for k := len(nodes) - 1; nodes[k].pos >= 0; {
		nd := &nodes[k]
		prev, pfit := int(nd.prev[fit]), int(nd.pfit[fit])
		out = append(out, lineRange{a: int(nodes[prev].pos) + 1, b: int(nd.pos)})
		k, fit = prev, pfit
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}
