package text

// setLine positions the glyphs of atoms a..b. Justification follows clreq
// §3.6 and R7: compress before stretching; stretch first at CJK–Latin gaps
// and word spaces (up to ½ em), then every inter-character gap equally;
// never inside a Latin word, —— or ……; the last line of a paragraph keeps
// its natural spacing. A line that hangs its last mark (R3) is set without
// it, and the mark goes just past the line's end.
func (par *paragraph) setLine(a, b int, p Params, first, last bool) Line {
	if par.hangs(a, b, p, first) {
		line := par.setLine(a, b-1, p, first, last)
		at := &par.atoms[b]
		line.Glyphs = append(line.Glyphs, Glyph{R: at.r, X: line.Width + at.off, Y: at.dy, Face: at.face, Size: at.size, Tag: at.tag})
		line.Hung = true
		return line
	}
	n := b - a + 1
	cl := make([]float64, n) // extra compression on the left of each box
	cr := make([]float64, n) // and on the right
	gw := make([]float64, n) // width of the gap after each box (last unused)
	for i := a; i < b; i++ {
		gw[i-a] = par.gaps[i].w
	}
	// Line edges (R4).
	cr[n-1] = par.atoms[b].br
	if at := &par.atoms[a]; at.cls == Opening {
		if p.TrimOpeningAtLineStart {
			cl[0] = at.bl
		} else {
			cl[0] = -at.lost // a blank given up to the line before comes back
		}
	}
	natural, _ := par.extent(a, b, p, first)
	diff := p.Measure - natural
	var ratio, extra float64 // for Line.Ratio and Line.ExtraPerGap

	switch {
	case diff < -eps:
		// Push in: first the punctuation blanks, then the CJK–Latin and
		// word spaces, each in proportion to what it can give.
		// The blank of an opening bracket at the line start is not pushed
		// in: it is trimmed (an option) or kept (R4).
		need := -diff
		bl := func(i int) float64 {
			if i == a && par.atoms[a].cls == Opening {
				return cl[0]
			}
			return par.atoms[i].bl
		}
		var blanks, shr float64
		for i := a; i <= b; i++ {
			blanks += bl(i) - cl[i-a] + par.atoms[i].br - cr[i-a]
		}
		for i := a; i < b; i++ {
			shr += par.gaps[i].shrink
		}
		ratio = diff / max(blanks+shr, eps)
		if blanks > eps {
			f := min(1, need/blanks)
			for i := a; i <= b; i++ {
				cl[i-a] += (bl(i) - cl[i-a]) * f
				cr[i-a] += (par.atoms[i].br - cr[i-a]) * f
			}
			need -= blanks * f
		}
		if need > eps && shr > eps {
			f := min(1, need/shr)
			for i := a; i < b; i++ {
				gw[i-a] -= par.gaps[i].shrink * f
			}
		}
	case diff > eps && !last && !p.Ragged:
		// First the CJK–Latin gaps and word spaces, up to their maximum.
		rest := diff
		var str, flexCap, em float64
		flex := 0
		for i := a; i < b; i++ {
			str += par.gaps[i].stretch
			if par.gaps[i].canFlex {
				flex++
				flexCap += flexStretch * max(par.atoms[i].size, par.atoms[i+1].size)
			}
		}
		for i := a; i <= b; i++ {
			em = max(em, par.atoms[i].size)
		}
		ratio = diff / max(str+flexCap, eps)
		if str > eps {
			f := min(1, rest/str)
			if flex == 0 {
				f = rest / str // nothing else can take it
			}
			for i := a; i < b; i++ {
				gw[i-a] += par.gaps[i].stretch * f
			}
			rest -= str * f
		}
		// Then every gap between characters alike.
		if rest > eps && flex > 0 {
			d := rest / float64(flex)
			extra = d / em
			for i := a; i < b; i++ {
				if par.gaps[i].canFlex {
					gw[i-a] += d
				}
			}
		}
	}

	line := Line{Natural: natural, Last: last, Glyphs: make([]Glyph, 0, n),
		Ratio: max(-maxRatio, min(maxRatio, ratio)), ExtraPerGap: extra}
	x := 0.0
	if first {
		x = p.Indent
	}
	for i := a; i <= b; i++ {
		at := &par.atoms[i]
		k := i - a
		line.Glyphs = append(line.Glyphs, Glyph{R: at.r, X: x + at.off - cl[k], Y: at.dy, Face: at.face, Size: at.size, Tag: at.tag})
		x += at.w - cl[k] - cr[k]
		if i < b {
			x += gw[k]
		}
	}
	line.Width = x
	return line
}
