//go:build !purego

package jpegcmyk

import "paiban/internal/jpegdct"

// useAVX2 reports whether nonzeroMask runs in assembly: when FDCT4Fixed
// does, which tells that the processor and the operating system support
// AVX2 and GODEBUG does not turn it off.
var useAVX2 = jpegdct.AVX2()

// nonzeroMask returns the mask of the coefficients of b (in natural
// order, fixed point) that quantise to nonzero, bit k for zig-zag index k
// (see nonzeroMaskGo): nonzeroMaskAVX2's where it can run, nonzeroMaskGo's
// elsewhere.
func (t *quantTable) nonzeroMask(b *jpegdct.Block) uint64 {
	if useAVX2 {
		return nonzeroMaskAVX2(t, b)
	}
	return t.nonzeroMaskGo(b)
}

// nonzeroMaskAVX2 is t.nonzeroMaskGo(b) in AVX2 assembly
// (nonzero_amd64.s), with the same results. It must only be called if
// useAVX2.
//
//go:noescape
func nonzeroMaskAVX2(t *quantTable, b *jpegdct.Block) uint64

// zigShuffle holds the VPSHUFB controls with which nonzeroMaskAVX2 puts
// the 64 bytes that tell which coefficients quantise to zero, one per
// coefficient, into zig-zag order (see nonzero_amd64.s for the order they
// are in before).
//
// The bytes are in two YMM registers, B0 and B1, four 16-byte halves in
// all: S0 and S1 in B0, S2 and S3 in B1. VPSHUFB moves bytes only within a
// half, so the registers are also taken with their halves swapped,
// giving four sources: B0 = S0 S1, B0′ = S1 S0, B1 = S2 S3 and B1′ = S3
// S2. Each 16-byte half of a result can then take bytes from any of S0…S3,
// from the source that has it in that half. zigShuffle[j][src] is the
// control for source src (0 to 3: B0, B0′, B1, B1′) of result j, which
// holds zig-zag indices 32j to 32j+31: for each byte of the result, the
// index within its half of the byte to take from that source, or 0x80
// (giving 0) if the byte comes from another. The four shuffles of a
// result ORed together are the result.
var zigShuffle [2][4][32]byte

func init() {
	for j := range zigShuffle {
		for src := range zigShuffle[j] {
			for i := range zigShuffle[j][src] {
				zigShuffle[j][src][i] = 0x80
			}
		}
	}
	for k, n := range jpegdct.Unzig {
		row, col := n/8, n%8
		// Where the packing leaves coefficient n: in B0 for rows 0…3,
		// in B1 for rows 4…7; in the low half for columns 0…3, in the
		// high half for columns 4…7; at byte 4*(row%4) + col%4 of the
		// half.
		reg, half, pos := row/4, col/4, 4*(row%4)+col%4
		// Where it goes: result k/32, half k%32/16, byte k%16 of that.
		j, h, i := k/32, k%32/16, k%16
		// The source that has that half of reg at half h: reg itself if
		// the halves are the same, reg swapped if they are not.
		src := 2 * reg
		if half != h {
			src++
		}
		zigShuffle[j][src][16*h+i] = uint8(pos)
	}
}
