package text

import "github.com/go-text/typesetting/segmenter"

// breakOpportunities returns, for each i in 1..len(rs)-1, whether a line may
// break between rs[i-1] and rs[i]. UAX #14 (go-text's segmenter) gives the
// base opportunities; the clreq tailoring on top of it:
//
//   - curly quotes next to Chinese text are brackets, not UAX #14's
//     ambiguous QU: “ opens and ” closes (clreq §3.1.4);
//   - the line-start and line-end prohibitions of clreq §3.1.4;
//   - two-em marks —— and …… are never split (clreq §3.1.4, R6).
//
// allowed[0] is always false.
func breakOpportunities(seg *segmenter.Segmenter, rs []rune, cls []Class) []bool {
	allowed := make([]bool, len(rs)+1)
	if len(rs) == 0 {
		return allowed
	}
	seg.Init(rs)
	it := seg.LineIterator()
	for it.Next() {
		l := it.Line()
		end := l.Offset + len(l.Text)
		if end < len(rs) {
			allowed[end] = true
		}
	}
	for i := 1; i < len(rs); i++ {
		a, b := rs[i-1], rs[i]
		ca, cb := cls[i-1], cls[i]
		// Quote tailoring: UAX #14 forbids breaks on either side of a
		// quotation mark; between Chinese characters they are ordinary
		// brackets, and the prohibitions below decide.
		if (isQuote(a) || isQuote(b)) && ca.isCJK() && cb.isCJK() {
			allowed[i] = true
		}
		// Between two Chinese characters a break is always possible in
		// principle (clreq §3.1.4: any two characters, less the prohibitions).
		if ca.isCJK() && cb.isCJK() {
			allowed[i] = true
		}
		if cb == Space || ca == Space && cb == Space {
			// A break goes after a space, never before it.
			allowed[i] = false
		}
		switch {
		case noLineStart[b]:
			allowed[i] = false
		case noLineStartAfterCJK[b] && ca.isCJK():
			allowed[i] = false
		case noLineEnd[a]:
			allowed[i] = false
		case ca == Dash && cb == Dash, ca == Ellipsis && cb == Ellipsis:
			allowed[i] = false
		}
	}
	return allowed
}

func isQuote(r rune) bool { return r == '“' || r == '”' || r == '‘' || r == '’' }
