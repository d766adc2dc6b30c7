package fonts

import (
	"os"
	"testing"
)

// TestOutline reads a TrueType outline (lines and quadratic curves) and
// checks it against the glyph's bounds; a missing glyph is an error.
func TestOutline(t *testing.T) {
	set, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	f := set.Face(SerifRegular)
	segs, err := f.Outline(0x2CB5A) // 𬭚, CJK Extension E
	if err != nil || len(segs) == 0 || segs[0].Op != MoveTo {
		t.Fatalf("outline of U+2CB5A: %d segments, %v", len(segs), err)
	}
	ops := map[SegmentOp]int{}
	x0, y0, x1, y1 := 1.0, 1.0, 0.0, 0.0
	for _, s := range segs {
		ops[s.Op]++
		n := map[SegmentOp]int{MoveTo: 1, LineTo: 1, QuadTo: 2, CubeTo: 3}[s.Op]
		for _, p := range s.P[:n] {
			x0, y0, x1, y1 = min(x0, p.X), min(y0, p.Y), max(x1, p.X), max(y1, p.Y)
		}
	}
	if ops[QuadTo] == 0 || ops[CubeTo] != 0 {
		t.Errorf("TrueType outline with segment kinds %v", ops)
	}
	// An ideograph sits on the em box: inside 0..1 across, about -0.12..0.88 up.
	if x0 < 0 || x1 > 1 || y0 < -0.2 || y1 > 0.95 || x1-x0 < 0.5 || y1-y0 < 0.5 {
		t.Errorf("outline spans (%.3f, %.3f)–(%.3f, %.3f) em", x0, y0, x1, y1)
	}
	if s, err := f.Outline(0x3000); err != nil || len(s) != 0 {
		t.Errorf("ideographic space: %d segments, %v", len(s), err)
	}
	if _, err := f.Outline(0x20BB7); err == nil {
		t.Errorf("no error for U+20BB7, which the face lacks")
	}
}

// TestOutlineCFF reads a PostScript (CFF) outline, made of cubic curves,
// from a system font when there is one.
func TestOutlineCFF(t *testing.T) {
	const path = "/usr/share/fonts/opentype/urw-base35/NimbusRoman-Regular.otf"
	if _, err := os.Stat(path); err != nil {
		t.Skipf("no CFF font at %s", path)
	}
	f, err := Load("NimbusRoman", path)
	if err != nil {
		t.Fatal(err)
	}
	segs, err := f.Outline('O')
	if err != nil {
		t.Fatal(err)
	}
	ops := map[SegmentOp]int{}
	for _, s := range segs {
		ops[s.Op]++
	}
	if ops[MoveTo] != 2 || ops[CubeTo] == 0 || ops[QuadTo] != 0 {
		t.Errorf("CFF outline of O with segment kinds %v", ops)
	}
}
