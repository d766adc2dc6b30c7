package color

import (
	"encoding/binary"
	"math"
)

// Builders for synthetic ICC profiles and tags, for tests and fuzz seeds.

type tagSpec struct {
	sig  string
	data []byte
}

// buildProfile assembles a profile; tags with equal data share one body.
func buildProfile(major byte, class, space, pcs string, tags []tagSpec) []byte {
	h := make([]byte, headerSize)
	h[8], h[9] = major, 0x20
	copy(h[12:], class)
	copy(h[16:], space)
	copy(h[20:], pcs)
	copy(h[36:], "acsp")
	copy(h[68:], s15s(d50[:]...))
	table := binary.BigEndian.AppendUint32(nil, uint32(len(tags)))
	bodyStart := headerSize + 4 + 12*len(tags)
	var body []byte
	at := map[string]int{}
	for _, t := range tags {
		off, ok := at[string(t.data)]
		if !ok {
			off = bodyStart + len(body)
			at[string(t.data)] = off
			body = append(body, t.data...)
			for len(body)%4 != 0 {
				body = append(body, 0)
			}
		}
		table = append(table, t.sig...)
		table = binary.BigEndian.AppendUint32(table, uint32(off))
		table = binary.BigEndian.AppendUint32(table, uint32(len(t.data)))
	}
	out := append(append(h, table...), body...)
	binary.BigEndian.PutUint32(out, uint32(len(out)))
	return out
}

func s15s(v ...float64) []byte {
	var b []byte
	for _, x := range v {
		b = binary.BigEndian.AppendUint32(b, uint32(int32(math.Round(x*65536))))
	}
	return b
}

func xyzTag(x, y, z float64) []byte {
	return append([]byte("XYZ \x00\x00\x00\x00"), s15s(x, y, z)...)
}

func u16(v float64) uint16 { return uint16(math.Round(clamp01(v) * 65535)) }

// mftTag builds a lut16Type (wide) or lut8Type tag from normalised values:
// in tables per input, the CLUT (first input slowest), out tables per
// output.
func mftTag(wide bool, grid int, m [9]float64, inT [][]float64, clut []float64, outT [][]float64) []byte {
	kind := "mft1"
	if wide {
		kind = "mft2"
	}
	b := append([]byte(kind), 0, 0, 0, 0, byte(len(inT)), byte(len(outT)), byte(grid), 0)
	b = append(b, s15s(m[:]...)...)
	put := func(v float64) {
		if wide {
			b = binary.BigEndian.AppendUint16(b, u16(v))
		} else {
			b = append(b, uint8(math.Round(clamp01(v)*255)))
		}
	}
	if wide {
		b = binary.BigEndian.AppendUint16(b, uint16(len(inT[0])))
		b = binary.BigEndian.AppendUint16(b, uint16(len(outT[0])))
	}
	for _, t := range inT {
		for _, v := range t {
			put(v)
		}
	}
	for _, v := range clut {
		put(v)
	}
	for _, t := range outT {
		for _, v := range t {
			put(v)
		}
	}
	return b
}

var identity3 = [9]float64{1, 0, 0, 0, 1, 0, 0, 0, 1}

// ramp is an identity curve table of n entries.
func ramp(n int) []float64 {
	t := make([]float64, n)
	for i := range t {
		t[i] = float64(i) / float64(n-1)
	}
	return t
}

func ramps(ch, n int) [][]float64 {
	r := make([][]float64, ch)
	for i := range r {
		r[i] = ramp(n)
	}
	return r
}

// linearCLUT samples f on a lattice with grid[i] nodes along input i
// (normalised inputs, the first input slowest).
func linearCLUT(grid []int, out int, f func(x []float64) []float64) []float64 {
	var data []float64
	x := make([]float64, len(grid))
	var rec func(d int)
	rec = func(d int) {
		if d == len(grid) {
			data = append(data, f(x)[:out]...)
			return
		}
		for i := range grid[d] {
			x[d] = float64(i) / float64(grid[d]-1)
			rec(d + 1)
		}
	}
	rec(0)
	return data
}

// curvTag is a curveType from a table of normalised values (nil: identity).
func curvTag(t []float64) []byte {
	b := append([]byte("curv\x00\x00\x00\x00"), binary.BigEndian.AppendUint32(nil, uint32(len(t)))...)
	for _, v := range t {
		b = binary.BigEndian.AppendUint16(b, u16(v))
	}
	return pad4(b)
}

func paraTag(fn int, p ...float64) []byte {
	b := append([]byte("para\x00\x00\x00\x00"), byte(fn>>8), byte(fn), 0, 0)
	return pad4(append(b, s15s(p...)...))
}

func pad4(b []byte) []byte {
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

// abTag builds lutAtoBType (atob) or lutBtoAType. Curve sets are encoded
// curves concatenated; nil elements are absent. mat has 12 values.
func abTag(atob bool, in, out int, bCurves, mat, mCurves []byte, grid []int, prec int, clut []float64, aCurves []byte) []byte {
	kind := "mBA "
	if atob {
		kind = "mAB "
	}
	b := append([]byte(kind), 0, 0, 0, 0, byte(in), byte(out), 0, 0)
	b = append(b, make([]byte, 20)...)
	setOff := func(slot int, part []byte) {
		if part == nil {
			return
		}
		binary.BigEndian.PutUint32(b[12+4*slot:], uint32(len(b)))
		b = pad4(append(b, part...))
	}
	setOff(0, bCurves)
	setOff(1, mat)
	setOff(2, mCurves)
	if grid != nil {
		c := make([]byte, 20)
		for i, g := range grid {
			c[i] = byte(g)
		}
		c[16] = byte(prec)
		for _, v := range clut {
			if prec == 2 {
				c = binary.BigEndian.AppendUint16(c, u16(v))
			} else {
				c = append(c, uint8(math.Round(clamp01(v)*255)))
			}
		}
		setOff(3, c)
	}
	setOff(4, aCurves)
	return b
}

// tables returns a stage's curves as normalised tables.
func tables(cs curves) [][]float64 {
	out := make([][]float64, len(cs))
	for i, c := range cs {
		for _, v := range c.table {
			out[i] = append(out[i], float64(v))
		}
	}
	return out
}

func curvSet(ts [][]float64) []byte {
	var b []byte
	for _, t := range ts {
		b = append(b, curvTag(t)...)
	}
	return b
}

func f32s(v []float32) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

// v4Twin rebuilds a v2 lut16 Lab profile's tables as lutBtoAType and
// lutAtoBType tags of a v4 profile that computes the same conversion: the
// mBA's B curves (parametric) turn v4 Lab encoding into the legacy one,
// the mAB's B curves (sampled) turn it back.
func v4Twin(p *Profile) []byte {
	b2a, a2b := p.b2a[RelativeColorimetric], p.a2b[RelativeColorimetric]
	const k = 65280.0 / 65535
	var toLegacy []byte
	for range 3 {
		toLegacy = append(toLegacy, paraTag(1, 1, k, 0)...)
	}
	mat := s15s(1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0)
	bc := b2a.stages[1].clut
	mba := abTag(false, 3, 4, toLegacy, mat, curvSet(tables(b2a.stages[0].curves)),
		bc.grid, 2, f32s(bc.data), curvSet(tables(b2a.stages[2].curves)))

	fromLegacy := make([]float64, 4096)
	for i := range fromLegacy {
		fromLegacy[i] = clamp01(float64(i) / 4095 / k)
	}
	ac := a2b.stages[1].clut
	mab := abTag(true, 4, 3, curvSet([][]float64{fromLegacy, fromLegacy, fromLegacy}), mat,
		curvSet(tables(a2b.stages[2].curves)), ac.grid, 2, f32s(ac.data), curvSet(tables(a2b.stages[0].curves)))
	return buildProfile(4, "prtr", "CMYK", "Lab ", []tagSpec{
		{"wtpt", xyzTag(p.MediaWhite[0], p.MediaWhite[1], p.MediaWhite[2])},
		{"A2B0", mab}, {"A2B1", mab}, {"B2A0", mba}, {"B2A1", mba},
	})
}

// tinyProfile is a small lut8 or lut16 profile: B2A maps the encoded PCS
// straight to C, M, Y (K = 0.25) and A2B maps CMYK to a fixed colour, so
// the encoding can be read off the output.
func tinyProfile(wide bool, pcs string) []byte {
	n := 256
	if wide {
		n = 2
	}
	b2a := mftTag(wide, 2, identity3, ramps(3, n),
		linearCLUT([]int{2, 2, 2}, 4, func(x []float64) []float64 { return []float64{x[0], x[1], x[2], 0.25} }), ramps(4, n))
	a2b := mftTag(wide, 2, identity3, ramps(4, n),
		linearCLUT([]int{2, 2, 2, 2}, 3, func(x []float64) []float64 { return []float64{0.5, 0.5, 0.5} }), ramps(3, n))
	return buildProfile(2, "prtr", "CMYK", pcs, []tagSpec{
		{"wtpt", xyzTag(d50[0], d50[1], d50[2])},
		{"A2B0", a2b}, {"B2A0", b2a},
	})
}

// smallV4 is a v4 profile exercising every mBA/mAB element: its B2A is
// parametric B curves (types 0, 3, 4) → matrix with an offset → sampled M
// curves → a 2×3×2 8-bit CLUT giving C, M, Y = its inputs and K = 0.5 →
// A curves; its A2B is A curves → a 16-bit CLUT giving C, M, K → B
// curves (identity, identity, gamma 2.2).
func smallV4() []byte {
	para := append(append(paraTag(0, 2.2), paraTag(3, 2.4, 0.9, 0.05, 0.08, 0.04)...), paraTag(4, 1, 1, 0, 0.5, 0.5, 0.1, 0.2)...)
	grid := []int{2, 3, 2}
	mba := abTag(false, 3, 4, para, s15s(1, 0, 0, 0, 1, 0, 0, 0, 1, 0.1, 0, 0), curvSet(ramps(3, 3)),
		grid, 1, linearCLUT(grid, 4, func(x []float64) []float64 { return []float64{x[0], x[1], x[2], 0.5} }), curvSet(ramps(4, 2)))
	gamma := curvTag([]float64{563.0 / 65535}) // u8.8 2.2 (563/256)
	mab := abTag(true, 4, 3, append(append(curvTag(nil), curvTag(nil)...), gamma...), nil, nil, []int{2, 2, 2, 2}, 2,
		linearCLUT([]int{2, 2, 2, 2}, 3, func(x []float64) []float64 { return []float64{x[0], x[1], x[3]} }), curvSet(ramps(4, 5)))
	return buildProfile(4, "prtr", "CMYK", "Lab ", []tagSpec{{"A2B0", mab}, {"B2A0", mba}})
}
