//go:build !purego

#include "textflag.h"
#include "go_asm.h"

// ZEROROW(r, Y) sets each 32-bit lane of Y to all ones if coefficient
// (r, lane) of the block at SI quantises to zero with the table at DI,
// and to zero if it does not. As nonzeroMaskGo explains, x quantises to
// zero exactly when x + add, as an unsigned 32-bit number, is at most lim;
// that is, when the unsigned maximum of x + add and lim is lim.
#define ZEROROW(r, Y) \
	VMOVDQU (32*r)(SI), Y                       /* x                          */ \
	VPADDD  (quantTable_add+32*r)(DI), Y, Y     /* x + add                    */ \
	VPMAXUD (quantTable_lim+32*r)(DI), Y, Y     /* max(x + add, lim)          */ \
	VPCMPEQD (quantTable_lim+32*r)(DI), Y, Y    /* all ones if x + add <= lim */

// ZIGZAG(j, Y) sets Y to result j of the zig-zag shuffle (see zigShuffle)
// of the bytes in Y0, Y1, Y4 and Y5 (B0, B0′, B1 and B1′), using Y6 as
// scratch: the four shuffles ORed together. AX = &zigShuffle.
#define ZIGZAG(j, Y) \
	VPSHUFB (128*j+0*32)(AX), Y0, Y  /* the bytes from B0  */ \
	VPSHUFB (128*j+1*32)(AX), Y1, Y6 /* the bytes from B0′ */ \
	VPOR    Y6, Y, Y \
	VPSHUFB (128*j+2*32)(AX), Y4, Y6 /* the bytes from B1  */ \
	VPOR    Y6, Y, Y \
	VPSHUFB (128*j+3*32)(AX), Y5, Y6 /* the bytes from B1′ */ \
	VPOR    Y6, Y, Y

// func nonzeroMaskAVX2(t *quantTable, b *jpegdct.Block) uint64
//
// nonzeroMaskGo with AVX2 instructions: the 64 comparisons a row at a
// time, giving a mask of 32-bit lanes for each row; the masks packed
// into 64 bytes; these shuffled into zig-zag order; and their top bits
// gathered (VPMOVMSKB) into the 64-bit result.
TEXT ·nonzeroMaskAVX2(SB), NOSPLIT, $0-24
	MOVQ t+0(FP), DI
	MOVQ b+8(FP), SI

	// Rows 0…7, in Y0…Y7: for each coefficient, all ones if it quantises
	// to zero.
	ZEROROW(0, Y0)
	ZEROROW(1, Y1)
	ZEROROW(2, Y2)
	ZEROROW(3, Y3)
	ZEROROW(4, Y4)
	ZEROROW(5, Y5)
	ZEROROW(6, Y6)
	ZEROROW(7, Y7)

	// Pack the lanes of all ones (−1) or zero into bytes of the same,
	// with signed saturation, which keeps −1 and 0. VPACKSS* pack within
	// each 16-byte half: from rows 0…3, the low half of B0 (Y0) gets
	// columns 0…3, the high half columns 4…7, each a row after the
	// other; rows 4…7 go to B1 (Y4) in the same way. Coefficient (row,
	// col) is thus in B0 for row < 4, else in B1; in the half col/4; at
	// byte 4*(row%4) + col%4 of it.
	VPACKSSDW Y1, Y0, Y0 // rows 0 and 1, columns 0…3 | 4…7, as 16-bit words
	VPACKSSDW Y3, Y2, Y2 // rows 2 and 3
	VPACKSSDW Y5, Y4, Y4 // rows 4 and 5
	VPACKSSDW Y7, Y6, Y6 // rows 6 and 7
	VPACKSSWB Y2, Y0, Y0 // B0: rows 0…3, columns 0…3 | 4…7, as bytes
	VPACKSSWB Y6, Y4, Y4 // B1: rows 4…7

	// B0′ and B1′, with their halves swapped, and the shuffles into
	// zig-zag order: indices 0…31 in Y2, 32…63 in Y3.
	VPERMQ $0x4e, Y0, Y1 // B0′
	VPERMQ $0x4e, Y4, Y5 // B1′
	LEAQ   ·zigShuffle(SB), AX
	ZIGZAG(0, Y2)
	ZIGZAG(1, Y3)

	// The top bits of the bytes, bit k for zig-zag index k, are set for
	// the coefficients that quantise to zero: nonzero is the complement.
	VPMOVMSKB Y2, AX
	VPMOVMSKB Y3, DX
	SHLQ      $32, DX
	ORQ       DX, AX
	NOTQ      AX
	MOVQ      AX, ret+16(FP)
	VZEROUPPER
	RET
