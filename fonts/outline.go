package fonts

import (
	"fmt"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// SegmentOp is the kind of one piece of a glyph outline.
type SegmentOp uint8

// Outline segment kinds. TrueType outlines are made of lines and quadratic
// curves, PostScript (CFF) outlines of lines and cubic curves.
const (
	MoveTo SegmentOp = iota // start a contour at P[0]
	LineTo                  // straight to P[0]
	QuadTo                  // quadratic Bézier: control point P[0], end P[1]
	CubeTo                  // cubic Bézier: control points P[0], P[1], end P[2]
)

// Point is a point of an outline in em: X to the right of the glyph
// origin, Y up from the baseline.
type Point struct{ X, Y float64 }

// Segment is one piece of a glyph outline. Every contour starts with a
// MoveTo and is implicitly closed.
type Segment struct {
	Op SegmentOp
	P  [3]Point
}

// Outline returns the outline of r's glyph in em (y up), as the font has it:
// quadratic curves for TrueType faces, cubic ones for CFF faces. A glyph
// without ink (a space) has an empty outline. It is an error when the face
// has no glyph for r. The result is the caller's; the face keeps no copy.
func (f *Face) Outline(r rune) ([]Segment, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	gi, err := f.sf.GlyphIndex(&f.buf, r)
	if err != nil {
		return nil, fmt.Errorf("font %s: U+%04X: %w", f.Name, r, err)
	}
	if gi == 0 {
		return nil, fmt.Errorf("font %s has no glyph for U+%04X", f.Name, r)
	}
	// With ppem equal to the units per em, sfnt's coordinates are font
	// units in 26.6 fixed point, exactly.
	segs, err := f.sf.LoadGlyph(&f.buf, gi, fixed.I(int(f.upem)), nil)
	if err != nil {
		return nil, fmt.Errorf("font %s: U+%04X: %w", f.Name, r, err)
	}
	u := 64 * f.upem
	pt := func(p fixed.Point26_6) Point {
		// sfnt's y axis points down.
		return Point{X: float64(p.X) / u, Y: -float64(p.Y) / u}
	}
	out := make([]Segment, len(segs))
	for i, s := range segs {
		var n int
		switch s.Op {
		case sfnt.SegmentOpMoveTo:
			out[i].Op, n = MoveTo, 1
		case sfnt.SegmentOpLineTo:
			out[i].Op, n = LineTo, 1
		case sfnt.SegmentOpQuadTo:
			out[i].Op, n = QuadTo, 2
		case sfnt.SegmentOpCubeTo:
			out[i].Op, n = CubeTo, 3
		default:
			return nil, fmt.Errorf("font %s: U+%04X: unknown outline segment %d", f.Name, r, s.Op)
		}
		for j := 0; j < n; j++ {
			out[i].P[j] = pt(s.Args[j])
		}
	}
	return out, nil
}
