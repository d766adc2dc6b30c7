//go:build !amd64 || amd64.v3

package jpegcmyk

import "math/bits"

// lowestBit returns the index of the lowest set bit of x, which is not 0,
// in [0, 63].
func lowestBit(x uint64) int {
	return bits.TrailingZeros64(x) & 63 // the mask spares bounds checks
}
