package jpegcmyk

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"math/rand/v2"
	"testing"
)

// bitString is a plain bit writer: the bits in order, most significant
// first, then padded with 1s to whole bytes.
type bitString struct {
	bits []byte // 0 or 1 each
}

func (w *bitString) put(sym uint32, size uint) {
	for i := int(size) - 1; i >= 0; i-- {
		w.bits = append(w.bits, byte(sym>>i&1))
	}
}

func (w *bitString) bytes() []byte {
	var out []byte
	for i := 0; i < len(w.bits); i += 8 {
		var c byte
		for j := i; j < i+8; j++ {
			c <<= 1
			if j >= len(w.bits) || w.bits[j] == 1 {
				c |= 1
			}
		}
		out = append(out, c)
	}
	return out
}

// stuffed returns data with a zero byte after each 0xff byte.
func stuffed(data []byte) []byte {
	var out []byte
	for _, c := range data {
		out = append(out, c)
		if c == 0xff {
			out = append(out, 0)
		}
	}
	return out
}

// TestPutBits writes random codes with putBits, as writeBlock does, then
// pads with finishScan, and checks the bytes against a plain bit writer:
// codes of every size from 0 to 31 bits, so that codes start and end at
// every bit position of the 64-bit words that putBits stores, and runs of
// ones, so that many 0xff bytes need stuffing, also next to one another
// and at the end.
func TestPutBits(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	for trial := range 300 {
		e := newEncoder(nil, 90)
		var want bitString
		acc, n, pos := e.acc, e.nAcc, e.nScan
		for range rng.IntN(3000) {
			size := uint(rng.IntN(32))
			sym := rng.Uint32() & (1<<size - 1)
			if trial%3 == 0 || rng.IntN(4) == 0 {
				sym = 1<<size - 1 // all ones
			}
			acc, n, pos = putBits(acc, n, &e.scan, pos, sym, size)
			want.put(sym, size)
		}
		e.acc, e.nAcc, e.nScan = acc, n, pos
		e.finishScan()
		if w := stuffed(want.bytes()); !bytes.Equal(e.out, w) {
			t.Fatalf("trial %d: %d bytes differ from the %d wanted at byte %d", trial, len(e.out), len(w), firstDiff(e.out, w))
		}
	}
}

func TestAppendStuffed(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"\xff", "\xff\x00"},
		{"\xff\xff", "\xff\x00\xff\x00"},
		{"a\xffb", "a\xff\x00b"},
		{"ab\xfe\xff", "ab\xfe\xff\x00"},
		{"\x00\xff\x00\xff\xff\x01", "\x00\xff\x00\x00\xff\x00\xff\x00\x01"},
	} {
		got := appendStuffed([]byte("head"), []byte(tc.in))
		if want := "head" + tc.want; string(got) != want {
			t.Errorf("appendStuffed(%q) = %q, want %q", tc.in, got[4:], tc.want)
		}
	}
}

// TestValueBits checks valueBits against section F.1.2.1 of the spec:
// the size category s of v is the one with 2^(s−1) ≤ |v| < 2^s, and the
// bits that follow the code are v for positive v and v + 2^s − 1 for
// negative v.
func TestValueBits(t *testing.T) {
	for v := int32(-quantOffset + 1); v < quantOffset; v++ {
		a := max(v, -v)
		s := uint32(0)
		for 1<<s <= a {
			s++
		}
		b := uint32(v)
		if v < 0 {
			b = uint32(v + 1<<s - 1)
		}
		if got, want := valueBits[v+quantOffset], uint16(b<<4|s); got != want {
			t.Fatalf("valueBits[quantOffset%+d] = %#x, want %#x", v, got, want)
		}
	}
}

// TestHuffmanLUT checks the compiled tables against the codes as the old
// encoder compiled them (refLUT): for each value rs, the codeword shifted
// left by the size category s (rs&15), and the codeword's size plus s.
func TestHuffmanLUT(t *testing.T) {
	for _, tc := range []struct {
		lut  *huffmanLUT
		spec huffmanSpec
	}{{&dcLUT, dcSpec}, {&acLUT, acSpec}, {&dcChromaLUT, dcChromaSpec}, {&acChromaLUT, acChromaSpec}} {
		ref := refLUT(tc.spec)
		for rs, x := range tc.lut {
			s := uint32(rs & 15)
			code, size := ref[rs]&(1<<24-1), ref[rs]>>24
			if want := (code<<s)<<5 | (size + s); x != want {
				t.Errorf("%v: entry %#x is %#x, want %#x", tc.spec.count, rs, x, want)
			}
		}
	}
}

func TestLowestBit(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 64 {
		x := uint64(1) << i
		for range 100 {
			if got := lowestBit(x); got != i {
				t.Fatalf("lowestBit(%#x) = %d, want %d", x, got, i)
			}
			x |= rng.Uint64() << i // more bits above
		}
	}
}

// TestLoadTile checks the tiles that FDCT4Fixed gets against the pixels,
// the last column and row repeated past the edges, for images at odd
// origins and sub-images.
func TestLoadTile(t *testing.T) {
	big := intCMYK(image.Rect(-30, -20, 70, 60), 7)
	for _, m := range []*image.CMYK{
		big,
		big.SubImage(image.Rect(-9, 3, 30, 50)).(*image.CMYK),
		big.SubImage(image.Rect(5, 5, 6, 7)).(*image.CMYK),
		intCMYK(image.Rect(0, 0, 8, 8), 1),
	} {
		r := m.Bounds()
		var tile [256]byte
		for y := r.Min.Y; y < r.Max.Y; y += 8 {
			for x := r.Min.X; x < r.Max.X; x += 8 {
				loadTile(m, x, y, &tile)
				for j := range 8 {
					for i := range 8 {
						p := m.Pix[m.PixOffset(min(x+i, r.Max.X-1), min(y+j, r.Max.Y-1)):]
						if got := tile[32*j+4*i : 32*j+4*i+4]; !bytes.Equal(got, p[:4]) {
							t.Fatalf("%v: tile at (%d, %d), pixel (%d, %d) is %v, want %v", r, x, y, i, j, got, p[:4])
						}
					}
				}
			}
		}
	}
}

// TestEncodeYCCKUnchanged pins EncodeYCCK's output: the hashes are those
// of the encoder before Encode was made faster with code that EncodeYCCK
// shares, which did not change a byte of its output either.
func TestEncodeYCCKUnchanged(t *testing.T) {
	for i, tc := range []struct {
		r       image.Rectangle
		quality int
		sha256  string // the first 8 bytes
	}{
		{image.Rect(0, 0, 1, 1), 1, "fb5cf7654344f1bf"},
		{image.Rect(0, 0, 1, 1), 90, "4febb66e8e82fd4b"},
		{image.Rect(0, 0, 17, 9), 50, "37649e3dd14defed"},
		{image.Rect(0, 0, 17, 9), 100, "5790fc94e9f7c0f5"},
		{image.Rect(3, -5, 67, 43), 1, "b75a87d9dd01db7d"},
		{image.Rect(3, -5, 67, 43), 90, "26a7b35c12931b09"},
		{image.Rect(0, 0, 203, 131), 50, "2cce42326e31871f"},
		{image.Rect(0, 0, 203, 131), 92, "cbebe165b64c0e3a"},
	} {
		sum := sha256.Sum256(encodeWith(t, EncodeYCCK, intCMYK(tc.r, uint32(i/2)), tc.quality))
		if got := hex.EncodeToString(sum[:8]); got != tc.sha256 {
			t.Errorf("%v q%d: SHA-256 %s…, want %s…", tc.r, tc.quality, got, tc.sha256)
		}
	}
}
