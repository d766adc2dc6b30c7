//go:build amd64 && !amd64.v3

package jpegcmyk

// lowestBit returns the index of the lowest set bit of x, which is not 0,
// in [0, 63].
//
// It is bits.TrailingZeros64 without the BSF instruction that
// TrailingZeros64 compiles to below GOAMD64=v3 (TZCNT needs BMI1), which
// is slow on AMD processors: there, the coding loop of writeBlock takes
// about a third less time this way. x & −x isolates the lowest set bit,
// 1<<i; multiplying the de Bruijn sequence deBruijn64 by it shifts the
// sequence left by i, and the top 6 bits of the product, a different
// window of the sequence for each i, index deBruijnIndex.
func lowestBit(x uint64) int {
	return int(deBruijnIndex[(x&-x)*deBruijn64>>58] & 63) // the mask spares bounds checks
}

// deBruijn64 is a de Bruijn sequence: each of the 64 6-bit numbers
// appears exactly once among its 6-bit windows (cyclically, but the
// windows of its top bits that a left shift brings in start with zeros,
// which is where the sequence starts with six zeros).
const deBruijn64 = 0x03f79d71b4ca8b09

// deBruijnIndex[w] is i for the window w at the top of deBruijn64 << i.
var deBruijnIndex [64]uint8

func init() {
	for i := range 64 {
		deBruijnIndex[uint64(deBruijn64)<<i>>58] = uint8(i)
	}
}
