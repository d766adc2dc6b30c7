//go:build !purego

package jpegdct

import (
	"os"
	"strings"
)

// useAVX2 reports whether FDCT4Fixed runs in assembly: whether the
// processor has AVX2 and the operating system saves the YMM registers,
// and GODEBUG does not turn AVX2 off (cpu.avx2=off or cpu.all=off, the
// settings with which Go's own runtime and standard library stop using
// it).
var useAVX2 = detectAVX2() && !godebugOff(os.Getenv("GODEBUG"), "avx2")

// AVX2 reports whether FDCT4Fixed runs in AVX2 assembly (see useAVX2).
// The encoder's other assembly, in jpegcmyk, runs under the same
// condition.
func AVX2() bool {
	return useAVX2
}

// fdct4Fixed is FDCT4Fixed: fdct4FixedAVX2 where it can run, fdct4FixedGo
// elsewhere.
func fdct4Fixed(b *[4]Block, s *[4 * BlockSize]byte) {
	if useAVX2 {
		fdct4FixedAVX2(b, s)
		return
	}
	fdct4FixedGo(b, s)
}

// fdct4FixedAVX2 is fdct4FixedGo in AVX2 assembly (dct_amd64.s), with
// the same results, bit for bit. It must only be called if useAVX2.
//
//go:noescape
func fdct4FixedAVX2(b *[4]Block, s *[4 * BlockSize]byte)

// ymm is the contents of a YMM register as eight int32 lanes.
type ymm [8]int32

// splat returns a ymm with x in every lane.
func splat(x int32) ymm {
	return ymm{x, x, x, x, x, x, x, x}
}

// boxConstants are the constants of a dctBox call with kcos and ksin, as
// dctBox multiplies by them.
type boxConstants struct {
	kcos, ksinMinusKcos, kcosPlusKsin ymm
}

func newBox(kcos, ksin int32) boxConstants {
	return boxConstants{splat(kcos), splat(ksin - kcos), splat(kcos + ksin)}
}

// avx2Constants are the constants of fdct4FixedAVX2, each in all eight
// lanes of a YMM register. The assembly finds the fields by the offsets
// that go_asm.h defines for their names (avx2Constants_colBox47 and so
// on), which the toolchain writes from these declarations.
type avx2Constants struct {
	// pick[c] is the VPSHUFB control that turns a row of the tile, eight
	// pixels of four bytes, into component c of each pixel, zero-extended
	// to 32 bits (see pickControl).
	pick [4]ymm

	// The constants of fdctCols: its three dctBox calls, those of x4 and
	// x7, x5 and x6, x2 and x3; √2 for stage 4; and the 128*8 taken from
	// x0.
	colBox47, colBox56, colBox23 boxConstants
	colSqrt2, colDC              ymm

	// The constants of fdctRows: its dctBox calls and √2.
	rowBox47, rowBox56, rowBox23 boxConstants
	rowSqrt2                     ymm
}

// pickControl returns avx2Constants.pick[c]. VPSHUFB sets each byte of
// its result to the byte of its input that the corresponding control byte
// indexes within the same 16-byte half (pixels 0…3 or 4…7 of the row),
// or to 0 if the control byte's top bit is set. Lane i of the result (a
// 32-bit int) is to be component c of pixel i, byte 4*(i%4) + c of its
// half, followed by three zero bytes.
func pickControl(c int) ymm {
	var p ymm
	for i := range p {
		p[i] = int32(0x80808000 | uint32(4*(i%4)+c))
	}
	return p
}

// avx2K holds the constants of fdct4FixedAVX2, made by c from the same
// arguments as in fdctCols and fdctRows.
var avx2K = avx2Constants{
	pick:     [4]ymm{pickControl(0), pickControl(1), pickControl(2), pickControl(3)},
	colBox47: newBox(c(cos3, 18), c(sin3, 18)),
	colBox56: newBox(c(cos1, 18), c(sin1, 18)),
	colBox23: newBox(c(sqrt2_cos6, 18), c(sqrt2_sin6, 18)),
	colSqrt2: splat(c(sqrt2, 12)),
	colDC:    splat(128 * 8),
	rowBox47: newBox(c(cos3, 14), c(sin3, 14)),
	rowBox56: newBox(c(cos1, 14), c(sin1, 14)),
	rowBox23: newBox(c(sqrt2_cos6, 14), c(sqrt2_sin6, 14)),
	rowSqrt2: splat(c(sqrt2, 14)),
}

// detectAVX2 reports whether the processor has AVX2 and the operating
// system saves the YMM registers across context switches, as Go's
// internal/cpu finds out:
//
//   - CPUID leaf 1, ECX: bit 28 (AVX) and bit 27 (OSXSAVE: the operating
//     system has enabled XSAVE, so XGETBV may be executed);
//   - XGETBV of XCR0: bits 1 and 2, the XMM and YMM state that the
//     operating system saves;
//   - CPUID leaf 7, subleaf 0, EBX: bit 5 (AVX2), if the highest leaf
//     (CPUID leaf 0, EAX) is at least 7.
func detectAVX2() bool {
	maxLeaf, _, _, _ := cpuid(0, 0)
	if maxLeaf < 7 {
		return false
	}
	const (
		cpuidOSXSAVE = 1 << 27 // leaf 1, ECX
		cpuidAVX     = 1 << 28 // leaf 1, ECX
		cpuidAVX2    = 1 << 5  // leaf 7, EBX
		xcr0XMMYMM   = 1<<1 | 1<<2
	)
	_, _, ecx1, _ := cpuid(1, 0)
	if ecx1&(cpuidOSXSAVE|cpuidAVX) != cpuidOSXSAVE|cpuidAVX {
		return false
	}
	if xcr0, _ := xgetbv(); xcr0&xcr0XMMYMM != xcr0XMMYMM {
		return false
	}
	_, ebx7, _, _ := cpuid(7, 0)
	return ebx7&cpuidAVX2 != 0
}

// godebugOff reports whether the GODEBUG setting godebug turns the
// processor feature feature off for Go's runtime: whether one of its
// comma-separated settings is cpu.<feature>=off or cpu.all=off (the later
// of conflicting settings wins, as in the runtime).
func godebugOff(godebug, feature string) bool {
	off := false
	for setting := range strings.SplitSeq(godebug, ",") {
		key, value, ok := strings.Cut(setting, "=")
		if ok && (key == "cpu."+feature || key == "cpu.all") {
			switch value {
			case "on":
				off = false
			case "off":
				off = true
			}
		}
	}
	return off
}

// cpuid executes the CPUID instruction for leaf (EAX) and subleaf (ECX)
// and returns the registers it sets.
func cpuid(leaf, subleaf uint32) (eax, ebx, ecx, edx uint32)

// xgetbv executes XGETBV for XCR0 (ECX = 0) and returns its low and high
// halves. It may only be executed if CPUID reports OSXSAVE.
func xgetbv() (eax, edx uint32)
