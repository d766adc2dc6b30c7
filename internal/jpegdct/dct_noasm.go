//go:build !amd64 || purego

package jpegdct

// AVX2 reports whether FDCT4Fixed runs in AVX2 assembly: never, on this
// architecture or with the purego tag. The encoder's other assembly, in
// jpegcmyk, runs under the same condition.
func AVX2() bool {
	return false
}

// fdct4Fixed is FDCT4Fixed: the Go code, as there is no assembly for this
// architecture (or the purego tag asks for none).
func fdct4Fixed(b *[4]Block, s *[4 * BlockSize]byte) {
	fdct4FixedGo(b, s)
}
