package jpegdec

import (
	"math"

	"paiban/internal/jpegdct"
)

// kern[shift][x][u] is the reduced inverse DCT's basis: output sample x of
// an n = 8>>shift point block, from coefficient u < n. The 8-point inverse
// DCT f(x) = Σ C(u)/2 · F(u) · cos((2x+1)uπ/16), averaged over the s = 2^shift
// pixels s·x' … s·x'+s−1, is exactly
//
//	Σ C(u)/2 · F(u) · cos((2x'+1)uπ/2n) · sin(s·uπ/16) / (s·sin(uπ/16)),
//
// so an n-point transform of the low n coefficients gives the box average
// of the full-size block, less only the frequencies that cannot show at
// the reduced size (u ≥ n). This is libjpeg's scaled decoding (jidctred.c)
// with the averaging factor kept.
var kern = func() (k [4][8][8]float32) {
	for shift := 1; shift <= 3; shift++ {
		n, s := 8>>shift, float64(int(1)<<shift)
		for x := range n {
			for u := range n {
				c := 0.5
				avg := 1.0
				if u == 0 {
					c = 0.5 / math.Sqrt2
				} else {
					a := float64(u) * math.Pi / 16
					avg = math.Sin(s*a) / (s * math.Sin(a))
				}
				k[shift][x][u] = float32(c * math.Cos(float64((2*x+1)*u)*math.Pi/float64(2*n)) * avg)
			}
		}
	}
	return k
}()

// scaledIDCT writes the (8>>shift)² reduced samples of block b
// (dequantised coefficients, natural order), level shifted and clipped,
// to dst, rows stride apart.
func scaledIDCT(b *jpegdct.Block, shift uint, dst []byte, stride int) {
	if shift == 3 {
		dst[0] = clip(float32(b[0])/8 + 128)
		return
	}
	n := 8 >> shift
	var c [4][4]float32
	for v := range n {
		for u := range n {
			c[v][u] = float32(b[v*8+u])
		}
	}
	if shift == 1 {
		idct4(&c, dst, stride)
		return
	}
	k := &kern[shift]
	var r [4][4]float32
	for v := range n {
		for x := range n {
			var sum float32
			for u := range n {
				sum += k[x][u] * c[v][u]
			}
			r[v][x] = sum
		}
	}
	for y := range n {
		row := dst[y*stride : y*stride+n]
		for x := range row {
			var sum float32
			for v := range n {
				sum += k[y][v] * r[v][x]
			}
			row[x] = clip(sum + 128)
		}
	}
}

// The 4-point kernel's distinct values: kern[1][x][u] = ±these by the
// symmetry kern[1][3−x][u] = (−1)^u kern[1][x][u].
var (
	k4a  = kern[1][0][0] // u = 0, every x
	k4b  = kern[1][0][2] // u = 2: x = 0, 3; minus for x = 1, 2
	k4p0 = kern[1][0][1] // u = 1, x = 0 (x = 3: minus)
	k4p1 = kern[1][1][1] // u = 1, x = 1 (x = 2: minus)
	k4q0 = kern[1][0][3] // u = 3, x = 0 (x = 3: minus)
	k4q1 = kern[1][1][3] // u = 3, x = 1 (x = 2: minus)
)

// idct4 is the 4-point reduced transform of c, rows then columns, by
// even/odd halves: 6 multiplications per 4 samples instead of 16.
func idct4(c *[4][4]float32, dst []byte, stride int) {
	var r [4][4]float32
	for v := range 4 {
		c0, c1, c2, c3 := c[v][0], c[v][1], c[v][2], c[v][3]
		if c1 == 0 && c2 == 0 && c3 == 0 {
			d := k4a * c0
			r[v] = [4]float32{d, d, d, d}
			continue
		}
		e0, e1 := k4a*c0+k4b*c2, k4a*c0-k4b*c2
		o0, o1 := k4p0*c1+k4q0*c3, k4p1*c1+k4q1*c3
		r[v] = [4]float32{e0 + o0, e1 + o1, e1 - o1, e0 - o0}
	}
	for x := range 4 {
		c0, c1, c2, c3 := r[0][x], r[1][x], r[2][x], r[3][x]
		e0, e1 := k4a*c0+k4b*c2+128, k4a*c0-k4b*c2+128
		o0, o1 := k4p0*c1+k4q0*c3, k4p1*c1+k4q1*c3
		dst[x] = clip(e0 + o0)
		dst[stride+x] = clip(e1 + o1)
		dst[2*stride+x] = clip(e1 - o1)
		dst[3*stride+x] = clip(e0 - o0)
	}
}

// clip rounds v to the nearest byte value.
func clip(v float32) uint8 {
	if v <= 0 {
		return 0
	}
	if v >= 255 {
		return 255
	}
	return uint8(v + 0.5)
}
