package text

import "math"

// Summary sums up how evenly a run of set lines is spaced and whether any
// of them breaks a composition rule, for reports and preflight.
type Summary struct {
	Lines int // all lines
	// Inner counts the lines that end before their paragraph does: the
	// justified ones, over which the figures below are taken.
	Inner int
	// MeanRatio is the mean adjustment ratio (Line.Ratio) of the inner
	// lines; WorstRatio the one farthest from 0.
	MeanRatio, WorstRatio float64
	// MeanExtra and MaxExtra are the mean and largest equal stretch per
	// inter-character gap of the inner lines, in em (Line.ExtraPerGap).
	MeanExtra, MaxExtra float64
	// Loose counts inner lines whose gaps opened by more than a quarter em
	// (Ratio > 1).
	Loose int
	// PushedIn counts lines that shrank (Ratio < 0).
	PushedIn int
	// Lone counts last lines of paragraphs of two or more lines that hold
	// one Han character and nothing after it but punctuation (孤字, R9).
	Lone int
	// Prohibited counts breaks against R1 (a line starting with a mark
	// that may not start one, or ending with one that may not end one) or
	// R6 (—— or …… split).
	Prohibited int
	// Overfull counts lines wider than the measure.
	Overfull int
	// Hung counts lines that hang their last mark past the measure (R3).
	Hung int
}

// Stats sums up lines as Set returns them, one paragraph or many in a row
// (a line with Last set ends a paragraph).
func Stats(lines []Line) Summary {
	var s Summary
	s.Lines = len(lines)
	var sumR, sumX float64
	for i, l := range lines {
		if l.Overfull {
			s.Overfull++
		}
		if l.Hung {
			s.Hung++
		}
		if l.Ratio < -eps {
			s.PushedIn++
		}
		cont := i > 0 && !lines[i-1].Last // the paragraph goes on from the line before
		if cont && l.Last && isLone(l) {
			s.Lone++
		}
		if cont && badBreak(lines[i-1], l) {
			s.Prohibited++
		}
		if l.Last {
			continue
		}
		s.Inner++
		sumR += l.Ratio
		sumX += l.ExtraPerGap
		if math.Abs(l.Ratio) > math.Abs(s.WorstRatio) {
			s.WorstRatio = l.Ratio
		}
		s.MaxExtra = max(s.MaxExtra, l.ExtraPerGap)
		if l.Ratio > 1+eps {
			s.Loose++
		}
	}
	if s.Inner > 0 {
		s.MeanRatio = sumR / float64(s.Inner)
		s.MeanExtra = sumX / float64(s.Inner)
	}
	return s
}

// isLone reports whether a line holds one Han character followed only by
// punctuation.
func isLone(l Line) bool {
	if len(l.Glyphs) == 0 || classOf(l.Glyphs[0].R) != Han {
		return false
	}
	for _, g := range l.Glyphs[1:] {
		if !classOf(g.R).isPunct() {
			return false
		}
	}
	return true
}

// badBreak reports whether the break between two lines of a paragraph is
// against R1 or R6.
func badBreak(prev, next Line) bool {
	if len(prev.Glyphs) == 0 || len(next.Glyphs) == 0 {
		return false
	}
	return prohibitedBreak(prev.Glyphs[len(prev.Glyphs)-1].R, next.Glyphs[0].R)
}

// prohibitedBreak reports whether a line ending with a and the next
// starting with b break against R1 or R6.
func prohibitedBreak(a, b rune) bool {
	ca, cb := classOf(a), classOf(b)
	switch {
	case noLineStart[b], noLineEnd[a]:
		return true
	case noLineStartAfterCJK[b] && ca.isCJK():
		return true
	case ca == Dash && cb == Dash, ca == Ellipsis && cb == Ellipsis:
		return true
	}
	return false
}
