package text

// breakGreedy fills each line as far as it can, compressing punctuation and
// CJK–Latin spaces before it pushes a character to the next line (R2), then
// keeps a lone character off the last line (R9).
func (par *paragraph) breakGreedy(p Params) []lineRange {
	n := len(par.atoms)
	var out []lineRange
	for start := 0; start < n; {
		first := len(out) == 0
		best := -1
		firstAllowed := -1
		for b := start; b < n; b++ {
			if b < n-1 && !par.gaps[b].allowed {
				continue
			}
			if firstAllowed < 0 {
				firstAllowed = b
			}
			nat, shr := par.lineExtent(start, b, p, first)
			if nat-shr > p.Measure+eps {
				break
			}
			best = b
		}
		r := lineRange{a: start, b: best}
		if best < 0 {
			r.b, r.overfull = firstAllowed, true
		}
		out = append(out, r)
		start = r.b + 1
	}
	par.pullDown(out, p)
	return out
}

// pullDown applies R9 to greedy lines: when the last line would hold a lone
// Han character (with nothing after it but punctuation), the line before it
// breaks at its previous opportunity instead, if there is one and the new
// last line still fits.
func (par *paragraph) pullDown(out []lineRange, p Params) {
	k := len(out)
	if k < 2 || out[k-1].a != par.loneStart() {
		return
	}
	prev := &out[k-2]
	if prev.overfull {
		return
	}
	for b := prev.b - 1; b >= prev.a; b-- {
		if !par.gaps[b].allowed {
			continue
		}
		nat, shr := par.lineExtent(b+1, len(par.atoms)-1, p, false)
		if nat-shr > p.Measure+eps {
			return
		}
		prev.b = b
		out[k-1].a = b + 1
		return
	}
}

// loneStart returns the index of the atom that would stand alone on the
// paragraph's last line (R9, 孤字): the last Han character when nothing but
// punctuation follows it. A last line starting there holds one character
// (its trailing punctuation counts with it). It returns -1 when the
// paragraph does not end that way, and also when that character begins the
// paragraph: a one-character paragraph cannot avoid it.
func (par *paragraph) loneStart() int {
	i := len(par.atoms) - 1
	for i >= 0 && par.atoms[i].cls.isPunct() {
		i--
	}
	if i <= 0 || par.atoms[i].cls != Han {
		return -1
	}
	return i
}
