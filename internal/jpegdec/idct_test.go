package jpegdec

import (
	"math/rand/v2"
	"testing"

	"paiban/internal/jpegdct"
)

// reference is what image/jpeg does with dequantised coefficients b:
// jpegdct.IDCT, then the level shift and clamp of its reconstructBlock.
func reference(b jpegdct.Block) (out [64]byte) {
	jpegdct.IDCT(&b)
	for i, c := range b {
		if c < -128 {
			c = 0
		} else if c > 127 {
			c = 255
		} else {
			c += 128
		}
		out[i] = uint8(c)
	}
	return out
}

// checkIDCT runs idct on b, told that its last non-zero coefficient is
// at most number last in zig-zag order, into a plane with room around
// the block, and compares with reference.
func checkIDCT(t *testing.T, b jpegdct.Block, last int) {
	t.Helper()
	want := reference(b)
	const stride, x0, y0 = 13, 3, 2
	plane := make([]byte, stride*12)
	for i := range plane {
		plane[i] = 0xa5
	}
	in := b
	idct(&in, last, plane[y0*stride+x0:], stride)
	if in != (jpegdct.Block{}) {
		t.Fatalf("idct(%v) left %v, want zeros", b, in)
	}
	for y := range 12 {
		for x := range stride {
			got := plane[y*stride+x]
			bx, by := x-x0, y-y0
			if bx < 0 || bx >= 8 || by < 0 || by >= 8 {
				if got != 0xa5 {
					t.Fatalf("idct(%v) wrote outside the block at (%d,%d)", b, bx, by)
				}
			} else if got != want[8*by+bx] {
				t.Fatalf("idct(%v, last %d): (%d,%d) = %d, want %d", b, last, bx, by, got, want[8*by+bx])
			}
		}
	}
}

// TestIDCTMatchesJpegdct: the fused transform, with all its shortcuts, is
// image/jpeg's to the bit, for blocks non-zero in all sorts of patterns,
// with values from small to ones whose arithmetic overflows int32.
func TestIDCTMatchesJpegdct(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	value := func() int32 {
		switch rng.IntN(4) {
		case 0:
			return int32(rng.IntN(65) - 32) // small
		case 1:
			return int32(rng.IntN(4001) - 2000) // a photograph's
		case 2:
			return int32(rng.IntN(1<<17) - 1<<16) // large
		default:
			return int32(rng.Uint32()) // anything, overflowing in the pass
		}
	}
	for trial := range 200000 {
		var b jpegdct.Block
		last := 0
		switch trial % 4 {
		case 0: // the first coefficients in zig-zag order, some zero
			last = rng.IntN(64)
			for z := 0; z <= last; z++ {
				if rng.IntN(3) != 0 {
					b[jpegdct.Unzig[z]] = value()
				}
			}
		case 1: // a few rows, as the column pass versions expect
			rows := 1 + rng.IntN(4)
			if rows == 3 {
				rows = 8
			}
			for i := range 8 * rows {
				if rng.IntN(4) == 0 {
					b[i] = value()
				}
			}
			last = 63
		case 2: // only the first coefficient of some rows
			for y := range 8 {
				if rng.IntN(2) == 0 {
					b[8*y] = value()
				}
			}
			last = 63
		case 3: // anything anywhere
			for i := range b {
				if rng.IntN(8) == 0 {
					b[i] = value()
				}
			}
			last = 63
		}
		if last == 63 {
			// The real last one, or 63: both are allowed.
			for z := range 64 {
				if b[jpegdct.Unzig[z]] != 0 && rng.IntN(2) == 0 {
					last = z
				}
			}
			if last != 63 {
				for z := last + 1; z < 64; z++ {
					b[jpegdct.Unzig[z]] = 0
				}
			}
		}
		checkIDCT(t, b, last)
	}
}

// TestIDCTDC: a block with only a DC coefficient comes out of idctDC's
// shift as the full transform's, for every dequantised DC value an 8-bit
// picture with 8-bit quantisers has (|DC| < 2048·255 < 2^19) and more,
// and for random ones over the whole int32 range.
func TestIDCTDC(t *testing.T) {
	check := func(dc int32) {
		var b jpegdct.Block
		b[0] = dc
		want := reference(b)
		var got [64]byte
		idctDC(dc, got[:], 8)
		if got != want {
			t.Fatalf("DC %d: %v, want %v", dc, got[:8], want[:8])
		}
	}
	for dc := int32(-1 << 20); dc <= 1<<20; dc++ {
		check(dc)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 100000 {
		check(int32(rng.Uint32()))
	}
	// Every value near the clamp thresholds and around overflow.
	for _, base := range []int32{-128 << 3, 127 << 3, -1 << 31, 1<<31 - 1<<16} {
		for d := int32(-1 << 14); d < 1<<14; d++ {
			check(base + d)
		}
	}
}
