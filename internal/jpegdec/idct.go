// Copyright 2025 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package jpegdec

import (
	"encoding/binary"

	"paiban/internal/jpegdct"
)

// This file is image/jpeg's inverse DCT (Go 1.26 src/image/jpeg/dct.go,
// idctRows then idctCols, as exported by package jpegdct: Loeffler,
// Lightenberg and Moschytz's 11-multiplication factorisation in 32-bit
// fixed point) fused with what image/jpeg's reconstructBlock does around
// it: the level shift by +128, the clamp to [0, 255] and the store into
// the picture. The arithmetic is the same int32 arithmetic, operation for
// operation between shifts, so the output is the same to the bit for every
// input, overflowing ones included (TestIDCTMatchesJpegdct); jpegdct's
// comments explain the precision of each step.
//
// What is added is knowledge of which coefficients are zero. In a
// photograph most blocks have only a few low-frequency coefficients (in
// the sample issue's photos 36% of blocks have only the DC coefficient,
// 81% nothing below the fourth row), and the transform of a zero is zero,
// so:
//
//   - A block with only a DC coefficient is a flat block: its value comes
//     out of a shift, not two passes (idctDC).
//   - The row pass skips all-zero rows, a row with only its first
//     coefficient non-zero is that coefficient times 2^17 all along, and
//     rows whose right half is zero have their own version.
//   - The column pass has versions for blocks whose row-pass output is zero
//     below the first, second or fourth row: they are the general column
//     pass with those zeros substituted and the operations on them dropped.
//
// Each shortcut is exact: an addition or multiplication by a zero is
// dropped only where the result is the other operand (or zero), and
// operations are only regrouped where no shift comes between them, so
// that wrapping int32 arithmetic gives the same result (it is arithmetic
// modulo 2^32).

// The constants of jpegdct's IDCT: 60-bit fixed-point values of the
// cosines and square roots, rounded to b bits by c(x, b) (calls with
// constant arguments are folded to constants by the compiler).
const (
	cos1          = 1130768441178740757 // cos 1π/16
	sin1          = 224923827593068887  // sin 1π/16
	cos3          = 958619196450722178  // cos 3π/16
	sin3          = 640528868967736374  // sin 3π/16
	sqrt2inv      = 815238614083298888  // 1/√2
	sqrt2inv_cos6 = 311978311033955632  // (1/√2)·cos 6π/16
	sqrt2inv_sin6 = 753182269664427492  // (1/√2)·sin 6π/16
)

func c(x uint64, bits int) int32 {
	return int32((x + (1 << (59 - bits))) >> (60 - bits))
}

// dctBox is the 3-multiplication rotation and scaling of jpegdct.
func dctBox(x0, x1, kcos, ksin int32) (y0, y1 int32) {
	ksum := kcos * (x0 + x1)
	y0 = ksum + (ksin-kcos)*x1
	y1 = ksum - (kcos+ksin)*x0
	return y0, y1
}

// rowsUsed[z] is the number of leading rows of a block that can hold a
// non-zero coefficient when the last non-zero one in zig-zag order is
// number z.
var rowsUsed = func() (r [jpegdct.BlockSize]uint8) {
	var rows uint8
	for z, n := range jpegdct.Unzig {
		rows = max(rows, uint8(n/8+1))
		r[z] = rows
	}
	return r
}()

// The level shift and clamp. The column pass's outputs are v = x>>18 for
// int32 sums x, so v is in [−8192, 8191], and the sample is v+128 clamped
// to [0, 255]. Adding bias = 128<<18 to x instead adds 128 to v, modulo
// 2^14 when x+bias overflows; so the top 14 bits of x+bias,
// uint32(x+bias)>>18, are (v+128) mod 2^14. For v+128 in [0, 8319] that is
// v+128 itself, and for v+128 in [−8064, −1] it is 2^14+v+128, in
// [8320, 16383]: the two ranges do not overlap, and clampTable, indexed by
// it, gives the sample with no comparison.
//
// The column passes add the bias to the two terms every output of a
// column is made from one of (x0 and x1 after their first butterfly),
// after the last shift before the output: from there on there are only
// additions, subtractions and multiplications, which agree with true
// arithmetic modulo 2^32, so each output gets it exactly once.
const bias = 128 << 18

var clampTable = func() (t [1 << 14]byte) {
	for i := range t {
		switch {
		case i >= 8320: // v+128 < 0
		case i > 255:
			t[i] = 255
		default:
			t[i] = byte(i)
		}
	}
	return t
}()

// sample is the output sample for a column-pass sum x that has the bias.
func sample(x int32) byte {
	return clampTable[uint32(x)>>18]
}

// idctDC is idct for a block whose only non-zero coefficient is the
// (dequantised) DC coefficient dc. The row pass turns row 0 into dc<<17
// all along and leaves the others zero; the column pass then adds the
// rounding 1<<19 and shifts by 2 and by 18, nothing being added to or
// subtracted from that value on the way. Every sample is the same.
func idctDC(dc int32, dst []byte, stride int) {
	v := uint64(sample((dc<<17+1<<19)>>2 + bias))
	fillRows(dst, stride, v*0x0101010101010101)
}

// fillRows stores the 8 samples of row (packed little-endian, the first
// in the low byte) as each of the 8 rows at dst, rows stride apart.
func fillRows(dst []byte, stride int, row uint64) {
	for range 7 {
		binary.LittleEndian.PutUint64(dst, row)
		dst = dst[stride:]
	}
	binary.LittleEndian.PutUint64(dst, row)
}

// putBlock copies the 64 samples of out, row by row, to dst, rows
// stride apart.
func putBlock(out *[64]byte, dst []byte, stride int) {
	for y := range 7 {
		binary.LittleEndian.PutUint64(dst, binary.LittleEndian.Uint64(out[8*y:]))
		dst = dst[stride:]
	}
	binary.LittleEndian.PutUint64(dst, binary.LittleEndian.Uint64(out[56:]))
}

// idct does what image/jpeg's reconstructBlock does after dequantising:
// the inverse DCT of b (dequantised coefficients in natural order, the
// last non-zero one being number last in zig-zag order, or earlier),
// level shift and clamp, stored as 8 rows of 8 samples at dst, rows
// stride apart. It leaves b all zero, ready for the next block.
func idct(b *jpegdct.Block, last int, dst []byte, stride int) {
	if last == 0 {
		idctDC(b[0], dst, stride)
		b[0] = 0
		return
	}
	// Row pass, in place, over the rows that can hold coefficients. Up to
	// zig-zag number 9, the coefficients are in the top left 4×4: the
	// rows' right halves are zero.
	var rows uint8
	if last <= 9 {
		rows = idctRows4(b, int(rowsUsed[last]))
	} else {
		rows = idctRows(b, int(rowsUsed[last&63]))
	}

	// Column pass, by the rows it has to take in.
	if rows <= 1 {
		fillRows(dst, stride, idctCols1(b))
	} else {
		var out [64]byte
		switch {
		case rows <= 3:
			idctCols2(b, &out)
		case rows <= 15:
			idctCols4(b, &out)
		default:
			idctCols8(b, &out)
		}
		putBlock(&out, dst, stride)
	}

	// Leave b zero: only the rows the row pass wrote can be non-zero.
	// (Whole arrays are cleared with a few wide stores.)
	switch {
	case rows < 1<<2:
		*(*[16]int32)(b[:16]) = [16]int32{}
	case rows < 1<<4:
		*(*[32]int32)(b[:32]) = [32]int32{}
	default:
		*b = jpegdct.Block{}
	}
}

// idctRows is jpegdct's idctRows for the first n rows of b, in place.
// Inputs are dequantised coefficients; outputs are Q9.20. It returns a
// bit set for each row whose output can be non-zero; the others are left
// zero, which they already are. A row with only its first coefficient
// non-zero comes out as that coefficient times 2^17 all along: the
// butterflies add zeros to it or take them away, and the rotations of
// zeros are zero.
func idctRows(b *jpegdct.Block, n int) (rows uint8) {
	for y := range n {
		x := (*[8]int32)(b[8*y : 8*y+8])
		if x[1]|x[2]|x[3]|x[4]|x[5]|x[6]|x[7] == 0 {
			if x[0] != 0 {
				v := x[0] << 17
				x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7] = v, v, v, v, v, v, v, v
				rows |= 1 << y
			}
			continue
		}
		rows |= 1 << y

		x0 := x[0]
		x7 := x[1]
		x2 := x[2]
		x5 := x[3]
		x1 := x[4]
		x6 := x[5]
		x3 := x[6]
		x4 := x[7]

		x0 <<= 17
		x1 <<= 17
		x0, x1 = x0+x1, x0-x1
		x2, x3 = dctBox(x2, x3, c(sqrt2inv_cos6, 18), -c(sqrt2inv_sin6, 18))
		x1, x2 = x1+x2, x1-x2
		x0, x3 = x0+x3, x0-x3

		x4 <<= 7
		x7 <<= 7
		x7, x4 = x7+x4, x7-x4
		x6 = x6 * c(sqrt2inv, 8)
		x5 = x5 * c(sqrt2inv, 8)
		x7, x5 = x7+x5, x7-x5
		x4, x6 = x4+x6, x4-x6
		x4, x7 = dctBox(x4>>2, x7>>2, c(cos3, 12), -c(sin3, 12))
		x5, x6 = dctBox(x5>>2, x6>>2, c(cos1, 12), -c(sin1, 12))

		x[0] = x0 + x7
		x[7] = x0 - x7
		x[1] = x1 + x6
		x[6] = x1 - x6
		x[2] = x2 + x5
		x[5] = x2 - x5
		x[3] = x3 + x4
		x[4] = x3 - x4
	}
	return rows
}

// idctRows4 is idctRows for rows whose last four coefficients are zero:
// x1, x6, x3 and x4 are zero, with the same consequences as in idctCols4.
func idctRows4(b *jpegdct.Block, n int) (rows uint8) {
	for y := range n {
		x := (*[8]int32)(b[8*y : 8*y+8])
		if x[1]|x[2]|x[3] == 0 {
			if x[0] != 0 {
				v := x[0] << 17
				x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7] = v, v, v, v, v, v, v, v
				rows |= 1 << y
			}
			continue
		}
		rows |= 1 << y

		x0 := x[0] << 17
		x7 := x[1]
		x2 := x[2]
		x5 := x[3]

		x1 := x0
		x2, x3 := c(sqrt2inv_cos6, 18)*x2, c(sqrt2inv_sin6, 18)*x2
		x1, x2 = x1+x2, x1-x2
		x0, x3 = x0+x3, x0-x3

		x7 <<= 7
		x4, x6 := x7, x7
		x5 = x5 * c(sqrt2inv, 8)
		x7, x5 = x7+x5, x7-x5
		x4, x7 = dctBox(x4>>2, x7>>2, c(cos3, 12), -c(sin3, 12))
		x5, x6 = dctBox(x5>>2, x6>>2, c(cos1, 12), -c(sin1, 12))

		x[0] = x0 + x7
		x[7] = x0 - x7
		x[1] = x1 + x6
		x[6] = x1 - x6
		x[2] = x2 + x5
		x[5] = x2 - x5
		x[3] = x3 + x4
		x[4] = x3 - x4
	}
	return rows
}

// idctCols8 is jpegdct's idctCols followed by the level shift and clamp,
// into out. Inputs are Q9.20.
func idctCols8(b *jpegdct.Block, out *[64]byte) {
	for i := range 8 {
		x0 := b[0*8+i]
		x7 := b[1*8+i]
		x2 := b[2*8+i]
		x5 := b[3*8+i]
		x1 := b[4*8+i]
		x6 := b[5*8+i]
		x3 := b[6*8+i]
		x4 := b[7*8+i]

		x0 += 1 << 19
		x0, x1 = (x0+x1)>>2+bias, (x0-x1)>>2+bias
		x2, x3 = dctBox(x2>>13, x3>>13, c(sqrt2inv_cos6, 12), -c(sqrt2inv_sin6, 12))
		x1, x2 = x1+x2, x1-x2
		x0, x3 = x0+x3, x0-x3

		x7, x4 = x7+x4, x7-x4
		x5 = (x5 >> 13) * c(sqrt2inv, 14)
		x6 = (x6 >> 13) * c(sqrt2inv, 14)
		x7, x5 = x7+x5, x7-x5
		x4, x6 = x4+x6, x4-x6
		x4, x7 = dctBox(x4>>14, x7>>14, c(cos3, 12), -c(sin3, 12))
		x5, x6 = dctBox(x5>>14, x6>>14, c(cos1, 12), -c(sin1, 12))

		out[0*8+i] = sample(x0 + x7)
		out[7*8+i] = sample(x0 - x7)
		out[1*8+i] = sample(x1 + x6)
		out[6*8+i] = sample(x1 - x6)
		out[2*8+i] = sample(x2 + x5)
		out[5*8+i] = sample(x2 - x5)
		out[3*8+i] = sample(x3 + x4)
		out[4*8+i] = sample(x3 - x4)
	}
}

// idctCols4 is idctCols8 for inputs that are zero below row 3: x1, x6,
// x3 and x4 are zero.
//
//   - x0, x1 = (x0+0)>>2, (x0-0)>>2: both are x0>>2.
//   - dctBox(x2', 0, k, s) = (k·x2', k·x2' − (k+s)·x2') = (k·x2', −s·x2').
//   - x7, x4 = x7+0, x7−0: both are x7.
//   - x6 = 0·c = 0, so x4, x6 = x4+0, x4−0: both are (the old) x7.
func idctCols4(b *jpegdct.Block, out *[64]byte) {
	for i := range 8 {
		x0 := b[0*8+i]
		x7 := b[1*8+i]
		x2 := b[2*8+i]
		x5 := b[3*8+i]

		x0 = (x0+1<<19)>>2 + bias
		x1 := x0
		x2 >>= 13
		x2, x3 := c(sqrt2inv_cos6, 12)*x2, c(sqrt2inv_sin6, 12)*x2
		x1, x2 = x1+x2, x1-x2
		x0, x3 = x0+x3, x0-x3

		x4, x6 := x7, x7
		x5 = (x5 >> 13) * c(sqrt2inv, 14)
		x7, x5 = x7+x5, x7-x5
		x4, x7 = dctBox(x4>>14, x7>>14, c(cos3, 12), -c(sin3, 12))
		x5, x6 = dctBox(x5>>14, x6>>14, c(cos1, 12), -c(sin1, 12))

		out[0*8+i] = sample(x0 + x7)
		out[7*8+i] = sample(x0 - x7)
		out[1*8+i] = sample(x1 + x6)
		out[6*8+i] = sample(x1 - x6)
		out[2*8+i] = sample(x2 + x5)
		out[5*8+i] = sample(x2 - x5)
		out[3*8+i] = sample(x3 + x4)
		out[4*8+i] = sample(x3 - x4)
	}
}

// idctCols2 is idctCols4 for inputs that are also zero in rows 2 and 3:
// x2 and x5 are zero too, so x0 = x1 = x2 = x3 = (x0 + 1<<19)>>2, and
// x4 = x5 = x6 = x7 = t, the row-1 input, entering both rotations as
// dctBox(t', t', k, s) = (k·2t' + (s−k)·t', k·2t' − (k+s)·t') =
// ((k+s)·t', (k−s)·t').
func idctCols2(b *jpegdct.Block, out *[64]byte) {
	for i := range 8 {
		e := (b[0*8+i]+1<<19)>>2 + bias
		t := b[1*8+i] >> 14
		x4 := (c(cos3, 12) - c(sin3, 12)) * t
		x7 := (c(cos3, 12) + c(sin3, 12)) * t
		x5 := (c(cos1, 12) - c(sin1, 12)) * t
		x6 := (c(cos1, 12) + c(sin1, 12)) * t

		out[0*8+i] = sample(e + x7)
		out[7*8+i] = sample(e - x7)
		out[1*8+i] = sample(e + x6)
		out[6*8+i] = sample(e - x6)
		out[2*8+i] = sample(e + x5)
		out[5*8+i] = sample(e - x5)
		out[3*8+i] = sample(e + x4)
		out[4*8+i] = sample(e - x4)
	}
}

// idctCols1 is idctCols2 for inputs that are zero below row 0: every
// output of column i is (b[i] + 1<<19)>>2>>18, so the block is one row
// repeated, which it returns packed as for fillRows.
func idctCols1(b *jpegdct.Block) (row uint64) {
	for i := range 8 {
		row |= uint64(sample((b[i]+1<<19)>>2+bias)) << (8 * i)
	}
	return row
}
