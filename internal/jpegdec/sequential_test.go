package jpegdec

import (
	"bytes"
	"errors"
	"fmt"
	"image/jpeg"
	"io"
	"math/rand/v2"
	"testing"

	"paiban/internal/jpegdct"
)

// layouts are the component sampling factors (h<<4 | v) the decoder
// accepts, with the Adobe transforms to try for each.
var layouts = []struct {
	name   string
	hv     []int
	adobes []int
}{
	{"grey", []int{0x11}, []int{-1}},
	{"4:4:4", []int{0x11, 0x11, 0x11}, []int{-1, 0, 1}},
	{"4:2:2", []int{0x21, 0x11, 0x11}, []int{-1, 1}},
	{"4:2:0", []int{0x22, 0x11, 0x11}, []int{-1, 0, 1}},
	{"4:4:0", []int{0x12, 0x11, 0x11}, []int{-1}},
	{"4:1:1", []int{0x41, 0x11, 0x11}, []int{-1}},
	{"4:1:0", []int{0x42, 0x11, 0x11}, []int{-1}},
	{"CMYK", []int{0x11, 0x11, 0x11, 0x11}, []int{0, 2, -1}},
	{"YCCK", []int{0x22, 0x11, 0x11, 0x22}, []int{2, 0}},
}

// randomTestJPEG makes a random picture for the test encoder: a random
// layout, size, restart interval, scan structure and quantisation, and
// coefficients either of a photo-like picture or random ones, large
// values included.
func randomTestJPEG(rng *rand.Rand) (*testJPEG, string) {
	l := layouts[rng.IntN(len(layouts))]
	t := &testJPEG{
		width:  1 + rng.IntN(70),
		height: 1 + rng.IntN(70),
		adobe:  l.adobes[rng.IntN(len(l.adobes))],
		rng:    rng,
	}
	if rng.IntN(8) == 0 {
		t.width, t.height = 100+rng.IntN(200), 100+rng.IntN(200)
	}
	for i, hv := range l.hv {
		id := byte(i + 1)
		if len(l.hv) == 3 && t.adobe == -1 && rng.IntN(4) == 0 {
			id = "RGB"[i] // image/jpeg takes these as RGB
		}
		tab := min(i, 1)
		t.comps = append(t.comps, testComp{id: id, h: hv >> 4, v: hv & 15, tq: tab, tab: tab})
	}
	if rng.IntN(3) == 0 {
		t.restart = 1 + rng.IntN(6)
	}
	switch rng.IntN(6) {
	case 0:
		t.separate = true
	case 1:
		t.progressive = true
	}
	t.quant16 = rng.IntN(4) == 0
	for tq := range t.quant {
		for zig := range t.quant[tq] {
			q := int32(1 + rng.IntN(1+rng.IntN(255)))
			if t.quant16 && rng.IntN(8) == 0 {
				q = int32(rng.IntN(65536))
			}
			t.quant[tq][zig] = q
		}
	}
	t.layout()

	random := rng.IntN(2) == 0
	for i := range t.comps {
		c := &t.comps[i]
		if random {
			randomCoefficients(rng, c.blocks)
		} else {
			photoCoefficients(rng, c, &t.quant[c.tq])
		}
	}
	desc := fmt.Sprintf("%s %d×%d restart %d separate %v progressive %v quant16 %v adobe %d random %v",
		l.name, t.width, t.height, t.restart, t.separate, t.progressive, t.quant16, t.adobe, random)
	return t, desc
}

// randomCoefficients fills blocks with sparse random coefficients: a DC
// that wanders over the whole range, and AC coefficients mostly small and
// low, sometimes of the largest sizes.
func randomCoefficients(rng *rand.Rand, blocks []jpegdct.Block) {
	dc := int32(0)
	for i := range blocks {
		b := &blocks[i]
		if rng.IntN(20) == 0 {
			dc = int32(rng.IntN(65535) - 32767)
		} else {
			dc = max(-32767, min(32767, dc+int32(rng.IntN(61)-30)))
		}
		b[0] = dc
		n := rng.IntN(1 + rng.IntN(64))
		for range n {
			zig := 1 + rng.IntN(1+rng.IntN(63))
			v := int32(rng.IntN(7) - 3)
			if rng.IntN(30) == 0 {
				v = int32(rng.IntN(65535) - 32767)
			}
			b[jpegdct.Unzig[zig]] = v
		}
	}
}

// photoCoefficients fills c's blocks with the quantised DCT of a smooth
// picture with noise, as an encoder would.
func photoCoefficients(rng *rand.Rand, c *testComp, q *jpegdct.Block) {
	f := smoothField(rng)
	for i := range c.blocks {
		bx, by := i%c.blocksW, i/c.blocksW
		var b jpegdct.Block
		for y := range 8 {
			for x := range 8 {
				b[8*y+x] = int32(f(rng, 8*bx+x, 8*by+y))
			}
		}
		jpegdct.FDCT(&b)
		for zig, n := range jpegdct.Unzig {
			qz := max(1, q[zig]) * 8 // FDCT's output is 8× the coefficient
			v := b[n]
			if v < 0 {
				c.blocks[i][n] = -((-v + qz/2) / qz)
			} else {
				c.blocks[i][n] = (v + qz/2) / qz
			}
		}
	}
}

// TestSequentialMatchesStdlib: on random pictures of every layout the
// test encoder writes, and on damaged copies of them (cut short, bytes
// changed, markers dropped in), full-size decoding gives what image/jpeg
// gives, error or picture.
func TestSequentialMatchesStdlib(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	trials := 400
	if testing.Short() {
		trials = 60
	}
	for trial := range trials {
		tj, desc := randomTestJPEG(rng)
		data := tj.encode()
		if msg := matchesStdlib(data); msg != "" {
			t.Fatalf("trial %d (%s): %s", trial, desc, msg)
		}
		for k := range 12 {
			bad := damage(rng, data)
			if msg := matchesStdlib(bad); msg != "" {
				t.Fatalf("trial %d (%s), damaged %d: %s", trial, desc, k, msg)
			}
		}
	}
}

// damage returns a copy of data cut short, with bytes changed or with a
// marker put in.
func damage(rng *rand.Rand, data []byte) []byte {
	d := bytes.Clone(data)
	// Most damage goes after the headers, into the entropy-coded data.
	at := func() int {
		if rng.IntN(4) == 0 {
			return rng.IntN(len(d))
		}
		return len(d) - 1 - rng.IntN(1+len(d)/2)
	}
	switch rng.IntN(5) {
	case 0:
		return d[:at()]
	case 1:
		for range 1 + rng.IntN(3) {
			d[at()] = byte(rng.IntN(256))
		}
	case 2:
		d[at()] ^= 1 << rng.IntN(8)
	case 3:
		i := at()
		markers := []byte{0x00, 0xd0 + byte(rng.IntN(8)), eoiMarker, 0xff, 0x01, sosMarker}
		d = append(d[:i:i], append([]byte{0xff, markers[rng.IntN(len(markers))]}, d[i:]...)...)
	case 4:
		i := at()
		d = append(d[:i:i], d[min(len(d), i+1+rng.IntN(4)):]...)
	}
	return d
}

// TestBitReader: refill reads the entropy-coded data's bits, stuffing
// removed, stops at a marker or the end of the input with the error
// image/jpeg would give, and giveBack leaves the byte reader just after
// the last byte a bit was taken from, also across buffer refills.
func TestBitReader(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for trial := range 300 {
		// Data bytes, many of them 0xff, stuffed; then a marker or nothing.
		data := make([]byte, rng.IntN(9000))
		for i := range data {
			if rng.IntN(5) == 0 {
				data[i] = 0xff
			} else {
				data[i] = byte(rng.IntN(256))
			}
		}
		var raw []byte
		rawAt := make([]int, len(data)+1) // raw offset of each data byte
		for i, c := range data {
			rawAt[i] = len(raw)
			raw = append(raw, c)
			if c == 0xff {
				raw = append(raw, 0)
			}
		}
		rawAt[len(data)] = len(raw)
		end, wantErr := "", error(nil)
		switch rng.IntN(3) {
		case 0:
			end, wantErr = "\xff\xd9", errMissingFF00
		case 1:
			end, wantErr = "\xff\xd3", errMissingFF00
		default:
			wantErr = errShortHuffmanData
		}
		input := append(bytes.Clone(raw), end...)

		var d decoder
		d.r = &shortReader{input, rng}
		acc, n := uint64(0), uint(0)
		consumed := 0 // bits
		stop := rng.IntN(8*len(data) + 1)
		for consumed < stop {
			if n < 32 {
				acc, n = d.refill(acc, n)
			}
			k := min(uint(1+rng.IntN(16)), n, uint(stop-consumed))
			for j := range k {
				bit := data[(consumed+int(j))/8] >> (7 - (consumed+int(j))%8) & 1
				if got := byte(acc>>(63-j)) & 1; got != bit {
					t.Fatalf("trial %d: bit %d is %d, want %d", trial, consumed+int(j), got, bit)
				}
			}
			acc <<= k
			n -= k
			consumed += int(k)
		}
		if stop == 8*len(data) {
			// All read: refill must find the end and say what it is.
			acc, n = d.refill(acc, n)
			if n != 0 || d.scanEnd != wantErr {
				t.Fatalf("trial %d: at the end, %d bits and error %v, want 0 and %v", trial, n, d.scanEnd, wantErr)
			}
		}
		d.giveBack(acc, n)
		next := input[rawAt[(consumed+7)/8]:]
		for i := range min(len(next), 3) {
			c, err := d.readByte()
			if err != nil || c != next[i] {
				t.Fatalf("trial %d: after %d bits, byte %d is %#x (%v), want %#x", trial, consumed, i, c, err, next[i])
			}
		}
	}
}

// shortReader reads data in pieces of random size, so that the byte
// buffer is refilled at all sorts of places.
type shortReader struct {
	data []byte
	rng  *rand.Rand
}

func (r *shortReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), 1+r.rng.IntN(64))], r.data)
	r.data = r.data[n:]
	return n, nil
}

// errReader gives data, then err.
type errReader struct {
	data []byte
	err  error
}

func (r *errReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

// TestReadErrorsMatchStdlib: a read error part way is reported as
// image/jpeg reports it, including where the scan has fewer than 8 bits
// left to decode when it happens.
func TestReadErrorsMatchStdlib(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	readErr := errors.New("read error")
	for trial := range 200 {
		tj, desc := randomTestJPEG(rng)
		data := tj.encode()
		cut := len(data) - 1 - rng.IntN(min(len(data), 200))
		_, werr := jpeg.Decode(&errReader{data[:cut], readErr})
		_, gerr := Decode(&errReader{data[:cut], readErr}, 0)
		if (werr == nil) != (gerr == nil) || werr != nil && werr.Error() != gerr.Error() {
			t.Fatalf("trial %d (%s) cut at %d: error %v, image/jpeg says %v", trial, desc, cut, gerr, werr)
		}
	}
}

// TestFastTable: every entry of huffman.fast agrees with decodeSym (that
// is, with decodeHuffman) on the bits it stands for, for random tables,
// over-full ones included.
func TestFastTable(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for trial := range 300 {
		// A DHT segment: random counts per length (sometimes more than
		// the length allows), random values.
		var seg []byte
		tc := byte(trial % 2)
		seg = append(seg, tc<<4)
		total := 0
		for l := range 16 {
			c := 0
			if rng.IntN(3) != 0 {
				c = rng.IntN(1 + rng.IntN(2<<min(l, 5)))
			}
			if total+c > 256 {
				c = 0
			}
			total += c
			seg = append(seg, byte(c))
		}
		if total == 0 {
			seg[16] = 1
			total = 1
		}
		for range total {
			seg = append(seg, byte(rng.IntN(256)))
		}
		var d decoder
		d.r = bytes.NewReader(seg)
		if err := d.processDHT(len(seg)); err != nil {
			t.Fatal(err)
		}
		h := &d.huff[tc][0]
		for p := range uint64(1 << fastBits) {
			acc := p<<(64-fastBits) | rng.Uint64()>>fastBits
			e := h.fast[p]
			value, length, err := d.decodeSym(h, acc, 64)
			if l := uint(e & fastLenMask); l == 0 {
				if err == nil && length <= fastBits {
					t.Fatalf("trial %d: %0*b: no entry, but a %d-bit code", trial, fastBits, p, length)
				}
				continue
			} else if err != nil || l != length {
				t.Fatalf("trial %d: %0*b: entry %#x, decodeSym %#x %d %v", trial, fastBits, p, e, value, length, err)
			}
			hot, run, coef := uint(e>>fastHotShift&15), e>>fastRunShift&63, int32(e)>>fastCoefShift
			var wantHot, wantRun uint32
			var wantCoef int32
			size := uint(value)
			if tc == acTable {
				size = uint(value & 15)
			}
			switch {
			case tc == acTable && value == 0:
				wantHot, wantRun = uint32(length), fastEndOfBlock
			case tc == acTable && size == 0: // ZRL, EOBn: general
			case length+size <= fastBits:
				wantHot = uint32(length + size)
				if tc == acTable {
					wantRun = uint32(value >> 4)
				}
				if size > 0 {
					wantCoef = extendTop(acc<<length, size)
				}
			}
			if hot != uint(wantHot) || run != wantRun || coef != wantCoef || e>>14&3 != 0 {
				t.Fatalf("trial %d: %0*b: value %#x: entry %#x, want hot %d run %d coefficient %d",
					trial, fastBits, p, value, e, wantHot, wantRun, wantCoef)
			}
		}
	}
}
