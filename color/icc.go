// Package color converts colours for print by evaluating the output ICC
// profile's own tables: sRGB (8-bit) → linear light → XYZ D65 → XYZ D50
// (Bradford) → the profile connection space (PCS) → the profile's B2A lut
// (input curves, CLUT, output curves) → CMYK; and CMYK → Lab through the
// A2B lut for round trips and screen previews.
//
// The parser reads what a CMYK output ('prtr') profile needs: the header,
// the tag table, wtpt, A2B0/A2B1 and B2A0/B2A1 in lut16Type ('mft2'),
// lut8Type ('mft1'), lutAtoBType ('mAB ') and lutBtoAType ('mBA ') forms,
// with curveType and parametricCurveType curves. Malformed or unsupported
// input gives an error, never a panic.
//
// Interpolation follows LittleCMS, and the results match it (LittleCMS
// 2.14, testdata/lcms_golden.txt) to 0.05/255: trilinear in CLUTs indexed
// by Lab (B2A tables of a Lab PCS profile), tetrahedral in the others, the
// 4-input A2B tables split along their first input. Perceptual adds black
// point compensation when the profile's perceptual table is its
// colorimetric one, as FOGRA39L_coated.icc's is (see setupBPC).
package color

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// Intent is the ICC rendering intent used for RGB → CMYK.
type Intent int

// Rendering intents.
const (
	// Perceptual (B2A0) is the default for photos. With a profile whose
	// B2A0 is its colorimetric table, like FOGRA39L_coated.icc, it is
	// relative colorimetric with black point compensation.
	Perceptual Intent = iota
	// RelativeColorimetric (B2A1) maps the source white to the paper
	// white and keeps every in-gamut colour; out-of-gamut colours clip.
	RelativeColorimetric
)

func (i Intent) String() string {
	switch i {
	case Perceptual:
		return "perceptual"
	case RelativeColorimetric:
		return "relative-colorimetric"
	}
	return fmt.Sprintf("Intent(%d)", int(i))
}

func (i Intent) valid() bool { return i == Perceptual || i == RelativeColorimetric }

// Profile is a parsed CMYK output profile. Its methods are safe for
// concurrent use.
type Profile struct {
	Version    string     // header version, "2.2.0"
	Class      string     // device class, "prtr"
	ColorSpace string     // data colour space, "CMYK"
	PCS        string     // profile connection space, "Lab " or "XYZ "
	MediaWhite [3]float64 // wtpt, CIE XYZ (D50 when the tag is absent)
	Tags       []string   // tag signatures in the order of the tag table

	b2a [2]*lut // per Intent, after falling back to the other intent
	a2b [2]*lut
	// bpc[i]: apply black point compensation for intent i (see setupBPC
	// in convert.go).
	bpc      [2]bool
	blackXYZ [3]float64 // the destination black point, D50 relative XYZ
	sum      [sha256.Size]byte
	inkLimit float64 // total ink cap, 0 for none (WithInkLimit)
	fronts   *[2]frontOnce
}

// Sizes of the fixed parts of a profile.
const (
	headerSize = 128
	maxChans   = 15 // the most channels an ICC lut can have
)

// Parse parses an ICC profile. It accepts v2 and v4 CMYK output profiles
// ('prtr', 'CMYK') with a Lab or XYZ PCS that carry at least one B2A table
// (B2A0 or B2A1) and one A2B table (A2B0 or A2B1); a missing intent falls
// back to the other one.
func Parse(data []byte) (*Profile, error) {
	if len(data) < headerSize+4 {
		return nil, fmt.Errorf("icc: profile truncated: %d bytes, the header alone is %d", len(data), headerSize+4)
	}
	size := binary.BigEndian.Uint32(data[0:])
	if uint64(size) > uint64(len(data)) {
		return nil, fmt.Errorf("icc: profile truncated: header says %d bytes, have %d", size, len(data))
	}
	if size < headerSize+4 {
		return nil, fmt.Errorf("icc: header size field %d is too small", size)
	}
	data = data[:size]
	if string(data[36:40]) != "acsp" {
		return nil, errors.New("icc: not an ICC profile (no 'acsp' signature)")
	}
	p := &Profile{
		Class:      string(data[12:16]),
		ColorSpace: string(data[16:20]),
		PCS:        string(data[20:24]),
		MediaWhite: d50,
		sum:        sha256.Sum256(data),
		fronts:     new([2]frontOnce),
	}
	major, minor := data[8], data[9]
	p.Version = fmt.Sprintf("%d.%d.%d", major, minor>>4, minor&0xf)
	if major != 2 && major != 4 {
		return nil, fmt.Errorf("icc: unsupported profile version %s (want 2.x or 4.x)", p.Version)
	}
	if p.Class != "prtr" {
		return nil, fmt.Errorf("icc: device class %q is not an output profile ('prtr')", p.Class)
	}
	if p.ColorSpace != "CMYK" {
		return nil, fmt.Errorf("icc: colour space %q, want 'CMYK'", p.ColorSpace)
	}
	if p.PCS != "Lab " && p.PCS != "XYZ " {
		return nil, fmt.Errorf("icc: PCS %q, want 'Lab ' or 'XYZ '", p.PCS)
	}

	n := binary.BigEndian.Uint32(data[headerSize:])
	if uint64(n)*12 > uint64(len(data)-headerSize-4) {
		return nil, fmt.Errorf("icc: tag table of %d entries runs past the end of the profile", n)
	}
	type entry struct{ off, size uint32 }
	tags := make(map[string]entry, n)
	for i := range int(n) {
		e := data[headerSize+4+12*i:]
		sig := string(e[0:4])
		off, sz := binary.BigEndian.Uint32(e[4:]), binary.BigEndian.Uint32(e[8:])
		if uint64(off)+uint64(sz) > uint64(len(data)) {
			return nil, fmt.Errorf("icc: tag %q (offset %d, size %d) runs past the end of the profile (%d bytes)", sig, off, sz, len(data))
		}
		if _, dup := tags[sig]; !dup {
			p.Tags = append(p.Tags, sig)
			tags[sig] = entry{off, sz}
		}
	}
	tag := func(sig string) ([]byte, bool) {
		e, ok := tags[sig]
		if !ok {
			return nil, false
		}
		return data[e.off : e.off+e.size], true
	}

	if t, ok := tag("wtpt"); ok {
		w, err := parseXYZ(t)
		if err != nil {
			return nil, fmt.Errorf("icc: wtpt: %w", err)
		}
		p.MediaWhite = w
	}

	// Intents sharing one tag body (FOGRA39L_coated.icc points B2A0, B2A1
	// and B2A2 at the same bytes) share one parsed lut.
	type use struct {
		entry
		toPCS bool
	}
	parsed := map[use]*lut{}
	load := func(sig string, toPCS bool) (*lut, error) {
		e, ok := tags[sig]
		if !ok {
			return nil, nil
		}
		if l, ok := parsed[use{e, toPCS}]; ok {
			return l, nil
		}
		t, _ := tag(sig)
		l, err := parseLut(t, toPCS, p.PCS == "XYZ ")
		if err != nil {
			return nil, fmt.Errorf("icc: %s: %w", sig, err)
		}
		if !toPCS && p.PCS == "Lab " {
			for _, s := range l.stages {
				if s.clut != nil {
					s.clut.trilinear = true
				}
			}
		}
		parsed[use{e, toPCS}] = l
		return l, nil
	}
	for i, sig := range [2]string{"B2A0", "B2A1"} {
		l, err := load(sig, false)
		if err != nil {
			return nil, err
		}
		p.b2a[i] = l
	}
	for i, sig := range [2]string{"A2B0", "A2B1"} {
		l, err := load(sig, true)
		if err != nil {
			return nil, err
		}
		p.a2b[i] = l
	}
	for _, ls := range []*[2]*lut{&p.b2a, &p.a2b} {
		switch {
		case ls[0] == nil && ls[1] == nil:
			dir := "B2A0/B2A1"
			if ls == &p.a2b {
				dir = "A2B0/A2B1"
			}
			return nil, fmt.Errorf("icc: profile has no %s table", dir)
		case ls[0] == nil:
			ls[0] = ls[1]
		case ls[1] == nil:
			ls[1] = ls[0]
		}
	}
	p.setupBPC()
	return p, nil
}

// parseXYZ reads an XYZType with one value.
func parseXYZ(t []byte) ([3]float64, error) {
	if len(t) < 20 {
		return [3]float64{}, fmt.Errorf("XYZ tag truncated (%d bytes)", len(t))
	}
	if string(t[:4]) != "XYZ " {
		return [3]float64{}, fmt.Errorf("type %q, want 'XYZ '", t[:4])
	}
	var v [3]float64
	for i := range v {
		v[i] = s15f16(t[8+4*i:])
	}
	return v, nil
}

func s15f16(b []byte) float64 { return float64(int32(binary.BigEndian.Uint32(b))) / 65536 }

// lut is one A2B or B2A table as a sequence of stages on values normalised
// to 0..1.
type lut struct {
	kind        string // tag type: "mft2", "mft1", "mAB ", "mBA "
	nIn, nOut   int
	grid        []int // CLUT grid points per input (nil if no CLUT)
	legacyLab16 bool  // PCS Lab uses the v2 16-bit encoding (L* 100 = 0xFF00)
	stages      []stage
}

// stage is one step of a lut: exactly one field is set.
type stage struct {
	curves curves
	matrix *matrixStage
	clut   *clut
}

func (s stage) channels() (in, out int) {
	switch {
	case s.matrix != nil:
		return 3, 3
	case s.clut != nil:
		return len(s.clut.grid), s.clut.nOut
	}
	return len(s.curves), len(s.curves)
}

// apply maps in (the stage's input channels) to out.
func (s stage) apply(in, out []float64) {
	switch {
	case s.matrix != nil:
		s.matrix.apply(in, out)
	case s.clut != nil:
		s.clut.apply(in, out)
	default:
		s.curves.apply(in, out)
	}
}

// parseLut parses a lut tag of nIn → nOut channels. toPCS: an A2B table
// (CMYK → PCS), else B2A (PCS → CMYK). xyz: the PCS is XYZ.
func parseLut(t []byte, toPCS, xyz bool) (*lut, error) {
	if len(t) < 12 {
		return nil, fmt.Errorf("tag truncated (%d bytes)", len(t))
	}
	wantIn, wantOut := 3, 4
	if toPCS {
		wantIn, wantOut = 4, 3
	}
	l := &lut{kind: string(t[:4])}
	var err error
	switch l.kind {
	case "mft2", "mft1":
		err = l.parseLutN(t, !toPCS && xyz)
		l.legacyLab16 = l.kind == "mft2" && !xyz
	case "mAB ", "mBA ":
		err = l.parseLutAB(t)
	default:
		return nil, fmt.Errorf("unsupported tag type %q (want mft2, mft1, mAB or mBA)", l.kind)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", l.kind, err)
	}
	if l.nIn != wantIn || l.nOut != wantOut {
		return nil, fmt.Errorf("%s has %d inputs and %d outputs, want %d and %d", l.kind, l.nIn, l.nOut, wantIn, wantOut)
	}
	// The stages must chain: each takes as many channels as the last gave.
	ch := l.nIn
	for _, s := range l.stages {
		in, out := s.channels()
		if in != ch {
			return nil, fmt.Errorf("%s: a %d-channel stage follows %d channels", l.kind, in, ch)
		}
		ch = out
	}
	if ch != l.nOut {
		return nil, fmt.Errorf("%s: stages end with %d channels, want %d", l.kind, ch, l.nOut)
	}
	return l, nil
}

// parseLutN parses lut16Type ('mft2') and lut8Type ('mft1'). matrix: apply
// the 3×3 matrix (only meaningful when the input is the XYZ PCS).
func (l *lut) parseLutN(t []byte, matrix bool) error {
	if len(t) < 48 {
		return fmt.Errorf("header truncated (%d bytes)", len(t))
	}
	in, out, g := int(t[8]), int(t[9]), int(t[10])
	if in < 1 || in > maxChans || out < 1 || out > maxChans {
		return fmt.Errorf("%d inputs, %d outputs: want 1..%d", in, out, maxChans)
	}
	if g < 2 {
		return fmt.Errorf("CLUT of %d grid points, want at least 2", g)
	}
	l.nIn, l.nOut = in, out
	var m [9]float64
	for i := range m {
		m[i] = s15f16(t[12+4*i:])
	}
	wide := l.kind == "mft2"
	inEnt, outEnt, pos, width := 256, 256, 48, 1
	if wide {
		if len(t) < 52 {
			return fmt.Errorf("header truncated (%d bytes)", len(t))
		}
		inEnt, outEnt = int(binary.BigEndian.Uint16(t[48:])), int(binary.BigEndian.Uint16(t[50:]))
		if inEnt < 2 || inEnt > 4096 || outEnt < 2 || outEnt > 4096 {
			return fmt.Errorf("curve tables of %d and %d entries, want 2..4096", inEnt, outEnt)
		}
		pos, width = 52, 2
	}
	grid := make([]int, in)
	for i := range grid {
		grid[i] = g
	}
	cells, ok := gridCells(grid, out)
	if !ok {
		return fmt.Errorf("CLUT of %d^%d×%d entries is too large", g, in, out)
	}
	need := uint64(width) * (uint64(in*inEnt) + cells + uint64(out*outEnt))
	if uint64(len(t)-pos) < need {
		return fmt.Errorf("truncated: tables need %d bytes after the header, have %d", need, len(t)-pos)
	}
	read := func(n int) []float32 {
		v := make([]float32, n)
		if wide {
			for i := range v {
				v[i] = float32(binary.BigEndian.Uint16(t[pos+2*i:])) / 65535
			}
		} else {
			for i := range v {
				v[i] = float32(t[pos+i]) / 255
			}
		}
		pos += n * width
		return v
	}
	if matrix && m != [9]float64{1, 0, 0, 0, 1, 0, 0, 0, 1} {
		l.stages = append(l.stages, stage{matrix: &matrixStage{m: m}})
	}
	inCurves := make(curves, in)
	for i := range inCurves {
		inCurves[i] = curve{table: read(inEnt)}
	}
	l.stages = append(l.stages, stage{curves: inCurves})
	c := newCLUT(grid, out)
	c.data = read(int(cells))
	l.grid = grid
	l.stages = append(l.stages, stage{clut: c})
	outCurves := make(curves, out)
	for i := range outCurves {
		outCurves[i] = curve{table: read(outEnt)}
	}
	l.stages = append(l.stages, stage{curves: outCurves})
	return nil
}

// gridCells returns the number of CLUT values, prod(grid)×out, and false
// when it exceeds what any profile could hold.
func gridCells(grid []int, out int) (uint64, bool) {
	n := uint64(out)
	for _, g := range grid {
		n *= uint64(g)
		if n > 1<<32 {
			return 0, false
		}
	}
	return n, true
}

// parseLutAB parses lutAtoBType ('mAB ', A → CLUT → M → matrix → B) and
// lutBtoAType ('mBA ', B → matrix → M → CLUT → A).
func (l *lut) parseLutAB(t []byte) error {
	if len(t) < 32 {
		return fmt.Errorf("header truncated (%d bytes)", len(t))
	}
	in, out := int(t[8]), int(t[9])
	if in < 1 || in > maxChans || out < 1 || out > maxChans {
		return fmt.Errorf("%d inputs, %d outputs: want 1..%d", in, out, maxChans)
	}
	l.nIn, l.nOut = in, out
	off := func(i int) int { return int(binary.BigEndian.Uint32(t[12+4*i:])) }
	offB, offMat, offM, offCLUT, offA := off(0), off(1), off(2), off(3), off(4)
	if offB == 0 {
		return errors.New("no B curves")
	}
	atob := l.kind == "mAB "
	// Channel counts: mAB: A and CLUT input are `in`, CLUT output, M, matrix
	// and B are `out`; mBA: B, matrix, M and CLUT input are `in`, CLUT
	// output and A are `out`.
	aN, bN := in, out
	if !atob {
		aN, bN = out, in
	}
	mN := bN
	var sA, sCLUT, sM, sMat, sB stage
	var err error
	if sB.curves, err = parseCurves(t, offB, bN); err != nil {
		return fmt.Errorf("B curves: %w", err)
	}
	if offM != 0 {
		if sM.curves, err = parseCurves(t, offM, mN); err != nil {
			return fmt.Errorf("M curves: %w", err)
		}
	}
	if offMat != 0 {
		if mN != 3 {
			return fmt.Errorf("matrix on %d channels, want 3", mN)
		}
		if offMat < 0 || offMat > len(t)-48 {
			return errors.New("matrix runs past the end of the tag")
		}
		ms := &matrixStage{offset: true}
		for i := range ms.m {
			ms.m[i] = s15f16(t[offMat+4*i:])
		}
		for i := range ms.off {
			ms.off[i] = s15f16(t[offMat+36+4*i:])
		}
		sMat.matrix = ms
	}
	if offA != 0 {
		if sA.curves, err = parseCurves(t, offA, aN); err != nil {
			return fmt.Errorf("A curves: %w", err)
		}
	}
	if offCLUT != 0 {
		c, err := parseCLUT(t, offCLUT, in, out)
		if err != nil {
			return fmt.Errorf("CLUT: %w", err)
		}
		sCLUT.clut = c
		l.grid = c.grid
	}
	order := []stage{sA, sCLUT, sM, sMat, sB}
	if !atob {
		order = []stage{sB, sMat, sM, sCLUT, sA}
	}
	for _, s := range order {
		if s.curves != nil || s.matrix != nil || s.clut != nil {
			l.stages = append(l.stages, s)
		}
	}
	return nil
}

// parseCLUT reads the CLUT of an mAB/mBA tag at off. Its inputs are the
// lut's inputs and its outputs the lut's outputs in both directions.
func parseCLUT(t []byte, off, in, out int) (*clut, error) {
	if off < 0 || off > len(t)-20 {
		return nil, errors.New("runs past the end of the tag")
	}
	grid := make([]int, in)
	for i := range grid {
		grid[i] = int(t[off+i])
		if grid[i] < 2 {
			return nil, fmt.Errorf("%d grid points for input %d, want at least 2", grid[i], i+1)
		}
	}
	prec := int(t[off+16])
	if prec != 1 && prec != 2 {
		return nil, fmt.Errorf("precision %d, want 1 or 2", prec)
	}
	cells, ok := gridCells(grid, out)
	if !ok {
		return nil, errors.New("too large")
	}
	pos := off + 20
	if uint64(len(t)-pos) < cells*uint64(prec) {
		return nil, fmt.Errorf("truncated: %d values of %d bytes, have %d bytes", cells, prec, len(t)-pos)
	}
	c := newCLUT(grid, out)
	c.data = make([]float32, cells)
	for i := range c.data {
		if prec == 2 {
			c.data[i] = float32(binary.BigEndian.Uint16(t[pos+2*i:])) / 65535
		} else {
			c.data[i] = float32(t[pos+i]) / 255
		}
	}
	return c, nil
}

// parseCurves reads n curveType/parametricCurveType curves starting at
// off, each padded to 4 bytes.
func parseCurves(t []byte, off, n int) (curves, error) {
	cs := make(curves, n)
	for i := range cs {
		if off < 0 || off > len(t)-12 {
			return nil, fmt.Errorf("curve %d runs past the end of the tag", i+1)
		}
		c, size, err := parseCurve(t[off:])
		if err != nil {
			return nil, fmt.Errorf("curve %d: %w", i+1, err)
		}
		cs[i] = c
		off += (size + 3) &^ 3
	}
	return cs, nil
}

// paraParams is the number of parameters per parametricCurveType function.
var paraParams = [...]int{1, 3, 4, 5, 7}

// parseCurve reads one curve and returns its size in bytes.
func parseCurve(b []byte) (curve, int, error) {
	switch string(b[:4]) {
	case "curv":
		n := binary.BigEndian.Uint32(b[8:])
		if uint64(n)*2 > uint64(len(b)-12) {
			return curve{}, 0, fmt.Errorf("curv of %d entries truncated", n)
		}
		size := 12 + 2*int(n)
		switch n {
		case 0:
			return curve{kind: curveIdentity}, size, nil
		case 1:
			return curve{kind: curveGamma, p: [7]float64{float64(binary.BigEndian.Uint16(b[12:])) / 256}}, size, nil
		}
		tab := make([]float32, n)
		for i := range tab {
			tab[i] = float32(binary.BigEndian.Uint16(b[12+2*i:])) / 65535
		}
		return curve{table: tab}, size, nil
	case "para":
		fn := int(binary.BigEndian.Uint16(b[8:]))
		if fn >= len(paraParams) {
			return curve{}, 0, fmt.Errorf("para function type %d, want 0..4", fn)
		}
		np := paraParams[fn]
		size := 12 + 4*np
		if len(b) < size {
			return curve{}, 0, errors.New("para truncated")
		}
		c := curve{kind: curvePara, fn: fn}
		for i := range np {
			c.p[i] = s15f16(b[12+4*i:])
		}
		return c, size, nil
	}
	return curve{}, 0, fmt.Errorf("type %q, want 'curv' or 'para'", b[:4])
}

// Curve kinds; the zero kind is a sampled table.
const (
	curveTable = iota
	curveIdentity
	curveGamma
	curvePara
)

// curve is a one-dimensional transfer function on 0..1.
type curve struct {
	kind  int
	table []float32
	fn    int        // parametric function type
	p     [7]float64 // g, a, b, c, d, e, f
}

func (c *curve) eval(x float64) float64 {
	x = clamp01(x)
	switch c.kind {
	case curveIdentity:
		return x
	case curveGamma:
		return clamp01(math.Pow(x, c.p[0]))
	case curvePara:
		return clamp01(c.para(x))
	}
	return lerpTable(c.table, x)
}

// para evaluates parametricCurveType (ICC.1:2010 table 65).
func (c *curve) para(x float64) float64 {
	g, a, b, cc, d, e, f := c.p[0], c.p[1], c.p[2], c.p[3], c.p[4], c.p[5], c.p[6]
	pow := func(v float64) float64 {
		if v <= 0 {
			return 0
		}
		return math.Pow(v, g)
	}
	switch c.fn {
	case 0:
		return pow(x)
	case 1:
		if a != 0 && x >= -b/a {
			return pow(a*x + b)
		}
		return 0
	case 2:
		if a != 0 && x >= -b/a {
			return pow(a*x+b) + cc
		}
		return cc
	case 3:
		if x >= d {
			return pow(a*x + b)
		}
		return cc * x
	case 4:
		if x >= d {
			return pow(a*x+b) + e
		}
		return cc*x + f
	}
	return x
}

// lerpTable interpolates a table sampled evenly over 0..1 at x in 0..1.
func lerpTable(t []float32, x float64) float64 {
	pos := x * float64(len(t)-1)
	i := int(pos)
	if i >= len(t)-1 {
		return float64(t[len(t)-1])
	}
	f := pos - float64(i)
	return float64(t[i]) + f*float64(t[i+1]-t[i])
}

// clamp01 clamps x to 0..1, mapping NaN to 0.
func clamp01(x float64) float64 {
	if !(x > 0) {
		return 0
	}
	if x > 1 {
		return 1
	}
	return x
}

// curves is one curve per channel.
type curves []curve

func (cs curves) apply(in, out []float64) {
	for i := range cs {
		out[i] = cs[i].eval(in[i])
	}
}

// matrixStage is a 3×3 matrix, plus an offset in mAB/mBA.
type matrixStage struct {
	m      [9]float64
	off    [3]float64
	offset bool
}

func (s *matrixStage) apply(in, out []float64) {
	x, y, z := in[0], in[1], in[2]
	for i := range 3 {
		out[i] = clamp01(s.m[3*i]*x + s.m[3*i+1]*y + s.m[3*i+2]*z + s.off[i])
	}
}

// clut is a colour lookup table: the first input varies slowest.
type clut struct {
	grid   []int
	stride []int // in values, per input
	nOut   int
	data   []float32
	// trilinear: interpolate n-linearly, not tetrahedrally. Set for CLUTs
	// indexed by Lab (B2A tables of a Lab PCS profile), as LittleCMS does:
	// tetrahedra cut the cube along its diagonal, which is the neutral
	// axis for device RGB or CMY but for Lab runs from dark green-blue to
	// light red-yellow; trilinear treats a* and b* alike.
	trilinear bool
}

func newCLUT(grid []int, out int) *clut {
	c := &clut{grid: grid, stride: make([]int, len(grid)), nOut: out}
	s := out
	for i := len(grid) - 1; i >= 0; i-- {
		c.stride[i] = s
		s *= grid[i]
	}
	return c
}

func (c *clut) apply(in, out []float64) {
	var frac [maxChans]float64
	base := 0
	for i, g := range c.grid {
		pos := clamp01(in[i]) * float64(g-1)
		k := int(pos)
		if k >= g-1 {
			k = g - 2
		}
		frac[i] = pos - float64(k)
		base += k * c.stride[i]
	}
	c.interp(0, base, &frac, out[:c.nOut])
}

// interp interpolates over inputs d.. at the cell whose first value is at
// base: tetrahedral over the last three inputs, linear along the others;
// or linear along every input when c.trilinear.
func (c *clut) interp(d, base int, frac *[maxChans]float64, out []float64) {
	switch len(c.grid) - d {
	case 1:
		f, s := frac[d], c.stride[d]
		for o := range out {
			v0 := float64(c.data[base+o])
			out[o] = v0 + f*(float64(c.data[base+s+o])-v0)
		}
		return
	case 3:
		if !c.trilinear {
			c.tetra(base, c.stride[d], c.stride[d+1], c.stride[d+2], frac[d], frac[d+1], frac[d+2], out)
			return
		}
	}
	c.interp(d+1, base, frac, out)
	f := frac[d]
	if f == 0 {
		return
	}
	var hi [maxChans + 1]float64
	c.interp(d+1, base+c.stride[d], frac, hi[:len(out)])
	for o := range out {
		out[o] += f * (hi[o] - out[o])
	}
}

// tetra is tetrahedral interpolation in the cube at base with strides
// sx, sy, sz and fractions fx, fy, fz: the cube is cut into six tetrahedra
// along its main diagonal, and the point is interpolated in the one that
// holds it, walking from the base corner along the axes in decreasing
// order of their fractions.
func (c *clut) tetra(base, sx, sy, sz int, fx, fy, fz float64, out []float64) {
	p1, p2, p3, f1, f2, f3 := tetrahedron(base, sx, sy, sz, fx, fy, fz)
	d := c.data
	for o := range out {
		v0 := float64(d[base+o])
		v1 := float64(d[p1+o])
		v2 := float64(d[p2+o])
		v3 := float64(d[p3+o])
		out[o] = v0 + f1*(v1-v0) + f2*(v2-v1) + f3*(v3-v2)
	}
}

// tetrahedron picks the tetrahedron of a cube that holds the point with
// fractions fx, fy, fz: its corners after base are p1, p2, p3, reached
// along the axes (strides sx, sy, sz) in decreasing order of their
// fractions f1 ≥ f2 ≥ f3.
func tetrahedron(base, sx, sy, sz int, fx, fy, fz float64) (p1, p2, p3 int, f1, f2, f3 float64) {
	s1, s2, s3 := sx, sy, sz
	f1, f2, f3 = fx, fy, fz
	if f1 < f2 {
		s1, s2, f1, f2 = s2, s1, f2, f1
	}
	if f2 < f3 {
		s2, s3, f2, f3 = s3, s2, f3, f2
	}
	if f1 < f2 {
		s1, s2, f1, f2 = s2, s1, f2, f1
	}
	p1 = base + s1
	p2 = p1 + s2
	p3 = p2 + s3
	return p1, p2, p3, f1, f2, f3
}

// eval runs the lut on in (nIn values, normalised) into out (nOut values).
func (l *lut) eval(in, out []float64) {
	var a, b [maxChans + 1]float64
	copy(a[:], in[:l.nIn])
	cur, next := a[:], b[:]
	for _, s := range l.stages {
		s.apply(cur, next)
		cur, next = next, cur
	}
	copy(out[:l.nOut], cur)
}
