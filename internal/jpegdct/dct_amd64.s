//go:build !purego

#include "textflag.h"
#include "go_asm.h"

// fdct4FixedAVX2 is fdct4FixedGo (dct.go) with AVX2 instructions, about
// five times as fast.
//
// An 8×8 block of int32 is eight YMM registers, one row each, lane i
// holding column i. fdctCols applies the 1-D DCT to each column, and its
// arithmetic is the same for all eight: done lane by lane across the eight
// row registers (FDCT_COLS), it transforms the eight columns at once. For
// fdctRows, the block is transposed (TRANSPOSE), so that the rows are in
// the lanes, the 1-D DCT is done lane by lane in the same way (FDCT_ROWS),
// and the block is transposed back to be stored.
//
// The operations are those of the Go code on int32 values, lane by lane,
// with the same constants (avx2K, made by the Go code's c): VPADDD,
// VPSUBD and VPMULLD (which keeps the low 32 bits of the product) wrap
// around as Go's int32 +, - and * do, VPSRAD is Go's >> of a signed value
// and VPSLLD its <<. The shifts are applied to the same values as in the
// Go code; between shifts, the order of the additions and multiplications
// would not matter either (wrapping arithmetic is exact modulo 2³²), but
// it follows the Go code too. Results are therefore the Go code's, bit for
// bit, whatever the input (TestFDCT4Variants, FuzzFDCT4).
//
// The register allocation follows the data: the inputs of each 1-D DCT
// are in Y0…Y7, x0…x7; each butterfly writes one of its results to a free
// register rather than copying; and the outputs come out in Y8…Y15, in the
// order in which fdctCols and fdctRows store them (b[0] = x0, b[1] = x7,
// b[2] = x2 and so on), which TRANSPOSE turns into Y0…Y7 again. The
// constants are memory operands, addressed from R8 = &avx2K, so that all
// sixteen registers are free for the data: the transposition needs them
// all.

// DCTBOX(x0, x1, k, t, u) is
//
//	x0, x1 = dctBox(x0, x1, kcos, ksin)
//
// lane by lane, in place, with the constants of the boxConstants at offset
// k of avx2K and the scratch registers t and u (four different registers
// in all). dctBox is
//
//	ksum := kcos * (x0 + x1)
//	y0 = ksum + (ksin-kcos)*x1
//	y1 = ksum - (kcos+ksin)*x0
#define DCTBOX(x0, x1, k, t, u) \
	VPADDD  x1, x0, t                               /* t = x0 + x1                     */ \
	VPMULLD k+boxConstants_kcos(R8), t, t           /* t = ksum = kcos*(x0+x1)         */ \
	VPMULLD k+boxConstants_ksinMinusKcos(R8), x1, u /* u = (ksin-kcos)*x1              */ \
	VPMULLD k+boxConstants_kcosPlusKsin(R8), x0, x1 /* x1 = (kcos+ksin)*x0             */ \
	VPADDD  u, t, x0                                /* x0 = y0 = ksum + (ksin-kcos)*x1 */ \
	VPSUBD  x1, t, x1                               /* x1 = y1 = ksum - (kcos+ksin)*x0 */

// STAGE1 is stage 1 of the 1-D DCT, on x0…x7 in Y0…Y7:
//
//	x0, x7 = x0+x7, x0-x7
//	x1, x6 = x1+x6, x1-x6
//	x2, x5 = x2+x5, x2-x5
//	x3, x4 = x3+x4, x3-x4
//
// The sums go to Y8…Y11 and the differences stay in Y4…Y7: afterwards
// x0…x3 are in Y8…Y11, x4…x7 in Y4…Y7, and Y0…Y3 are free.
#define STAGE1 \
	VPADDD Y7, Y0, Y8  /* Y8 = x0 = x0+x7  */ \
	VPSUBD Y7, Y0, Y7  /* Y7 = x7 = x0-x7  */ \
	VPADDD Y6, Y1, Y9  /* Y9 = x1 = x1+x6  */ \
	VPSUBD Y6, Y1, Y6  /* Y6 = x6 = x1-x6  */ \
	VPADDD Y5, Y2, Y10 /* Y10 = x2 = x2+x5 */ \
	VPSUBD Y5, Y2, Y5  /* Y5 = x5 = x2-x5  */ \
	VPADDD Y4, Y3, Y11 /* Y11 = x3 = x3+x4 */ \
	VPSUBD Y4, Y3, Y4  /* Y4 = x4 = x3-x4  */

// BUTTERFLIES03 and BUTTERFLIES47 are the butterflies of stages 2 and 3
// that are the same in fdctCols and fdctRows. BUTTERFLIES03 is, from
// x0…x3 in Y8…Y11,
//
//	x0, x3 = x0+x3, x0-x3
//	x1, x2 = x1+x2, x1-x2
//
// leaving x0 in Y8, x1 in Y11, x2 in Y10 and x3 in Y14.
#define BUTTERFLIES03 \
	VPSUBD Y11, Y8, Y14 /* Y14 = x3 = x0-x3 */ \
	VPADDD Y11, Y8, Y8  /* Y8 = x0 = x0+x3  */ \
	VPADDD Y10, Y9, Y11 /* Y11 = x1 = x1+x2 */ \
	VPSUBD Y10, Y9, Y10 /* Y10 = x2 = x1-x2 */

// BUTTERFLIES47 is, from x4…x7 in Y4…Y7,
//
//	x4, x6 = x4+x6, x4-x6
//	x7, x5 = x7+x5, x7-x5
//
// leaving x4 in Y0, x5 in Y5, x6 in Y6 and x7 in Y1.
#define BUTTERFLIES47 \
	VPADDD Y6, Y4, Y0 /* Y0 = x4 = x4+x6 */ \
	VPSUBD Y6, Y4, Y6 /* Y6 = x6 = x4-x6 */ \
	VPADDD Y5, Y7, Y1 /* Y1 = x7 = x7+x5 */ \
	VPSUBD Y5, Y7, Y5 /* Y5 = x5 = x7-x5 */

// FDCT_COLS is fdctCols for the eight columns of a component at once:
// lane i of Yy holds x_y of column i, that is row y of the component's
// samples, for y = 0…7. The results, rows 0…7 of the Block, come out in
// Y8…Y15. Y0…Y7 are clobbered.
#define FDCT_COLS \
	STAGE1 \
	\
	/* Stage 2: x4, x7 = dctBox(x4, x7, c(cos3, 18), c(sin3, 18)), */ \
	/* x5, x6 = dctBox(x5, x6, c(cos1, 18), c(sin1, 18)), */ \
	/* and the butterflies of x0…x3. */ \
	DCTBOX(Y4, Y7, avx2Constants_colBox47, Y0, Y1) \
	DCTBOX(Y5, Y6, avx2Constants_colBox56, Y2, Y3) \
	BUTTERFLIES03 \
	\
	/* Stage 3: x2, x3 = dctBox(x2, x3, c(sqrt2_cos6, 18), c(sqrt2_sin6, 18)), */ \
	/* the final values of b[2*8+i] and b[6*8+i], in Y10 and Y14. */ \
	DCTBOX(Y10, Y14, avx2Constants_colBox23, Y0, Y1) \
	\
	/* x0, x1 = x0+x1, x0-x1; b[0*8+i] = (x0 - 128*8) << 18, to Y8; */ \
	/* b[4*8+i] = x1 << 18, to Y12. */ \
	VPSUBD Y11, Y8, Y12                     /* Y12 = x1 = x0-x1 */ \
	VPADDD Y11, Y8, Y8                      /* Y8 = x0 = x0+x1  */ \
	VPSUBD avx2Constants_colDC(R8), Y8, Y8  /* Y8 = x0 - 128*8  */ \
	VPSLLD $18, Y8, Y8                      /* Y8 = (x0 - 128*8) << 18 */ \
	VPSLLD $18, Y12, Y12                    /* Y12 = x1 << 18   */ \
	\
	BUTTERFLIES47 \
	\
	/* Stage 4: x5 = (x5 >> 12) * c(sqrt2, 12), b[3*8+i], to Y11; */ \
	/* x6 = (x6 >> 12) * c(sqrt2, 12), b[5*8+i], to Y13; */ \
	/* x7, x4 = x7+x4, x7-x4, b[1*8+i] and b[7*8+i], to Y9 and Y15. */ \
	VPSRAD  $12, Y5, Y11 \
	VPMULLD avx2Constants_colSqrt2(R8), Y11, Y11 \
	VPSRAD  $12, Y6, Y13 \
	VPMULLD avx2Constants_colSqrt2(R8), Y13, Y13 \
	VPADDD  Y0, Y1, Y9                      /* Y9 = x7 = x7+x4  */ \
	VPSUBD  Y0, Y1, Y15                     /* Y15 = x4 = x7-x4 */

// FDCT_ROWS is fdctRows for the eight rows of a Block at once: lane i of
// Yj holds x_j of row i, that is column j of the Block, for j = 0…7. The
// results, x[0]…x[7] of each row (column 0…7 of the Block), come out in
// Y8…Y15. Y0…Y7 are clobbered. It differs from FDCT_COLS in the constants,
// the shifts of the inputs of dctBox and of stage 4, and the plain x0 and
// x1.
#define FDCT_ROWS \
	STAGE1 \
	\
	/* Stage 2: x4, x7 = dctBox(x4>>14, x7>>14, c(cos3, 14), c(sin3, 14)), */ \
	/* x5, x6 = dctBox(x5>>14, x6>>14, c(cos1, 14), c(sin1, 14)), */ \
	/* and the butterflies of x0…x3. */ \
	VPSRAD $14, Y4, Y4 \
	VPSRAD $14, Y7, Y7 \
	DCTBOX(Y4, Y7, avx2Constants_rowBox47, Y0, Y1) \
	VPSRAD $14, Y5, Y5 \
	VPSRAD $14, Y6, Y6 \
	DCTBOX(Y5, Y6, avx2Constants_rowBox56, Y2, Y3) \
	BUTTERFLIES03 \
	\
	/* Stage 3: x2, x3 = dctBox(x2>>14, x3>>14, c(sqrt2_cos6, 14), c(sqrt2_sin6, 14)), */ \
	/* x[2] and x[6], in Y10 and Y14; x0, x1 = x0+x1, x0-x1, x[0] and x[4], */ \
	/* to Y8 and Y12. */ \
	VPSRAD $14, Y10, Y10 \
	VPSRAD $14, Y14, Y14 \
	DCTBOX(Y10, Y14, avx2Constants_rowBox23, Y0, Y1) \
	VPSUBD Y11, Y8, Y12                     /* Y12 = x1 = x0-x1 */ \
	VPADDD Y11, Y8, Y8                      /* Y8 = x0 = x0+x1  */ \
	\
	BUTTERFLIES47 \
	\
	/* Stage 4: x5 = (x5 >> 14) * c(sqrt2, 14), x[3], to Y11; */ \
	/* x6 = (x6 >> 14) * c(sqrt2, 14), x[5], to Y13; */ \
	/* x7, x4 = x7+x4, x7-x4, x[1] and x[7], to Y9 and Y15. */ \
	VPSRAD  $14, Y5, Y11 \
	VPMULLD avx2Constants_rowSqrt2(R8), Y11, Y11 \
	VPSRAD  $14, Y6, Y13 \
	VPMULLD avx2Constants_rowSqrt2(R8), Y13, Y13 \
	VPADDD  Y0, Y1, Y9                      /* Y9 = x7 = x7+x4  */ \
	VPSUBD  Y0, Y1, Y15                     /* Y15 = x4 = x7-x4 */

// TRANSPOSE transposes the 8×8 matrix of int32 whose rows a…h are in
// Y8…Y15 into Y0…Y7: afterwards Yj holds column j, a_j b_j … h_j. It
// interleaves the rows' 32-bit elements, then 64-bit pairs, then 128-bit
// halves (VPUNPCK* work within each 128-bit half). Y8…Y15 are
// clobbered.
#define TRANSPOSE \
	/* 32-bit elements of row pairs. */ \
	VPUNPCKLDQ Y9, Y8, Y0     /* Y0 = a0 b0 a1 b1 | a4 b4 a5 b5 */ \
	VPUNPCKHDQ Y9, Y8, Y1     /* Y1 = a2 b2 a3 b3 | a6 b6 a7 b7 */ \
	VPUNPCKLDQ Y11, Y10, Y2   /* Y2 = c0 d0 c1 d1 | c4 d4 c5 d5 */ \
	VPUNPCKHDQ Y11, Y10, Y3   /* Y3 = c2 d2 c3 d3 | c6 d6 c7 d7 */ \
	VPUNPCKLDQ Y13, Y12, Y4   /* Y4 = e0 f0 e1 f1 | e4 f4 e5 f5 */ \
	VPUNPCKHDQ Y13, Y12, Y5   /* Y5 = e2 f2 e3 f3 | e6 f6 e7 f7 */ \
	VPUNPCKLDQ Y15, Y14, Y6   /* Y6 = g0 h0 g1 h1 | g4 h4 g5 h5 */ \
	VPUNPCKHDQ Y15, Y14, Y7   /* Y7 = g2 h2 g3 h3 | g6 h6 g7 h7 */ \
	\
	/* 64-bit pairs. */ \
	VPUNPCKLQDQ Y2, Y0, Y8    /* Y8 = a0 b0 c0 d0 | a4 b4 c4 d4  */ \
	VPUNPCKHQDQ Y2, Y0, Y9    /* Y9 = a1 b1 c1 d1 | a5 b5 c5 d5  */ \
	VPUNPCKLQDQ Y3, Y1, Y10   /* Y10 = a2 b2 c2 d2 | a6 b6 c6 d6 */ \
	VPUNPCKHQDQ Y3, Y1, Y11   /* Y11 = a3 b3 c3 d3 | a7 b7 c7 d7 */ \
	VPUNPCKLQDQ Y6, Y4, Y12   /* Y12 = e0 f0 g0 h0 | e4 f4 g4 h4 */ \
	VPUNPCKHQDQ Y6, Y4, Y13   /* Y13 = e1 f1 g1 h1 | e5 f5 g5 h5 */ \
	VPUNPCKLQDQ Y7, Y5, Y14   /* Y14 = e2 f2 g2 h2 | e6 f6 g6 h6 */ \
	VPUNPCKHQDQ Y7, Y5, Y15   /* Y15 = e3 f3 g3 h3 | e7 f7 g7 h7 */ \
	\
	/* 128-bit halves: $0x20 joins the low halves, $0x31 the high ones. */ \
	VPERM2I128 $0x20, Y12, Y8, Y0   /* Y0 = a0 b0 c0 d0 e0 f0 g0 h0 */ \
	VPERM2I128 $0x20, Y13, Y9, Y1   /* Y1 = a1 … h1 */ \
	VPERM2I128 $0x20, Y14, Y10, Y2  /* Y2 = a2 … h2 */ \
	VPERM2I128 $0x20, Y15, Y11, Y3  /* Y3 = a3 … h3 */ \
	VPERM2I128 $0x31, Y12, Y8, Y4   /* Y4 = a4 … h4 */ \
	VPERM2I128 $0x31, Y13, Y9, Y5   /* Y5 = a5 … h5 */ \
	VPERM2I128 $0x31, Y14, Y10, Y6  /* Y6 = a6 … h6 */ \
	VPERM2I128 $0x31, Y15, Y11, Y7  /* Y7 = a7 … h7 */

// LOADROW(y, Y) loads row y of the tile, eight pixels of four bytes, and
// leaves in register Y the samples of one component, zero-extended to
// 32 bits: the component that the VPSHUFB control in Y8 picks.
#define LOADROW(y, Y) \
	VMOVDQU (32*y)(SI), Y \
	VPSHUFB Y8, Y, Y

// func fdct4FixedAVX2(b *[4]Block, s *[4 * BlockSize]byte)
TEXT ·fdct4FixedAVX2(SB), NOSPLIT, $0-16
	MOVQ b+0(FP), DI // DI = &b[c]
	MOVQ s+8(FP), SI
	LEAQ ·avx2K(SB), R8
	XORQ CX, CX      // CX = 32*c, the offset of avx2K.pick[c]

	// for c := range b { fdctCols(&b[c], s, c); fdctRows(&b[c]) }
component:
	// The inputs of fdctCols, x0…x7 in Y0…Y7: lane i of Yy is x[y*32] of
	// column i, s[32*y + 4*i + c].
	VMOVDQU avx2Constants_pick(R8)(CX*1), Y8
	LOADROW(0, Y0)
	LOADROW(1, Y1)
	LOADROW(2, Y2)
	LOADROW(3, Y3)
	LOADROW(4, Y4)
	LOADROW(5, Y5)
	LOADROW(6, Y6)
	LOADROW(7, Y7)

	// fdctCols: rows 0…7 of its result in Y8…Y15.
	FDCT_COLS

	// Columns 0…7 of that in Y0…Y7: lane i of Yj is x[j] of row i, the
	// inputs x0…x7 of fdctRows.
	TRANSPOSE

	// fdctRows: x[j] of rows 0…7 in Y8+j (lane i: row i), which is
	// column j of the result; transposed back, rows 0…7 of the result are
	// in Y0…Y7, to be stored to b[c].
	FDCT_ROWS
	TRANSPOSE

	VMOVDQU Y0, (0*32)(DI)
	VMOVDQU Y1, (1*32)(DI)
	VMOVDQU Y2, (2*32)(DI)
	VMOVDQU Y3, (3*32)(DI)
	VMOVDQU Y4, (4*32)(DI)
	VMOVDQU Y5, (5*32)(DI)
	VMOVDQU Y6, (6*32)(DI)
	VMOVDQU Y7, (7*32)(DI)

	ADDQ $(4*const_BlockSize), DI // next Block
	ADDQ $32, CX                  // next component
	CMPQ CX, $(4*32)
	JLT  component

	VZEROUPPER
	RET

// func cpuid(leaf, subleaf uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL leaf+0(FP), AX
	MOVL subleaf+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

// func xgetbv() (eax, edx uint32)
TEXT ·xgetbv(SB), NOSPLIT, $0-8
	MOVL $0, CX // XCR0
	XGETBV
	MOVL AX, eax+0(FP)
	MOVL DX, edx+4(FP)
	RET
