//go:build !amd64 || purego

package jpegcmyk

import "paiban/internal/jpegdct"

// nonzeroMask returns the mask of the coefficients of b (in natural
// order, fixed point) that quantise to nonzero, bit k for zig-zag index k
// (see nonzeroMaskGo).
func (t *quantTable) nonzeroMask(b *jpegdct.Block) uint64 {
	return t.nonzeroMaskGo(b)
}
