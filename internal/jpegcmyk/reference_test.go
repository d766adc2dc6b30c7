package jpegcmyk

import (
	"bytes"
	"image"
	"io"
	"math/bits"
	"math/rand/v2"
	"testing"

	"paiban/internal/jpegdct"
)

// refEncode is Encode as this package first wrote it (Go's image/jpeg
// writer extended to four components), kept as the reference that the
// fast block coder must match byte for byte: one component's block at a
// time, loaded into a jpegdct.Block, transformed by jpegdct.FDCT,
// quantised coefficient by coefficient with a plain rounded division, and
// Huffman coded a bit at a time with the tables of tables.go.
//
// The headers are the package's own (they did not change); everything
// from the quantisation tables to the last bit of the scan is this file's.
func refEncode(w io.Writer, m *image.CMYK, quality int) error {
	if err := checkImage(m); err != nil {
		return err
	}
	var div [jpegdct.BlockSize]int32 // zig-zag order
	quality = max(1, min(100, quality))
	scale := 200 - quality*2
	if quality < 50 {
		scale = 5000 / quality
	}
	for k, u := range unscaledQuant[0] {
		div[k] = 8 * int32(max(1, min(255, (int(u)*scale+50)/100)))
	}

	e := newEncoder(w, quality)
	e.writeSOIAndAPP14(transformNone)
	e.writeDQT(1)
	e.writeSOF0(m.Bounds().Size(), sofCMYK[:])
	e.writeDHT(1)
	e.out = append(e.out, sosCMYK...)

	var acc uint64
	var nAcc uint
	emit := func(code uint32, n uint) {
		acc = acc<<n | uint64(code)
		nAcc += n
		for nAcc >= 8 {
			nAcc -= 8
			c := byte(acc >> nAcc)
			e.out = append(e.out, c)
			if c == 0xff {
				e.out = append(e.out, 0x00)
			}
		}
	}
	emitHuff := func(h *[256]uint32, value uint8) {
		x := h[value]
		emit(x&(1<<24-1), uint(x>>24))
	}
	emitHuffRLE := func(h *[256]uint32, runLength, value int32) {
		a, b := value, value
		if a < 0 {
			a, b = -value, value-1
		}
		n := uint(bits.Len32(uint32(a)))
		x := h[uint8(runLength<<4)|uint8(n)]
		emit(x&(1<<24-1), uint(x>>24))
		emit(uint32(b)&(1<<n-1), n)
	}
	quantize := func(v int32, k int) int32 {
		d := div[k]
		if v < 0 {
			return -((-v + d/2) / d)
		}
		return (v + d/2) / d
	}
	dcLUT, acLUT := refLUT(dcSpec), refLUT(acSpec)
	writeBlock := func(b *jpegdct.Block, prevDC int32) int32 {
		jpegdct.FDCT(b)
		dc := quantize(b[0], 0)
		emitHuffRLE(&dcLUT, 0, dc-prevDC)
		runLength := int32(0)
		for zig := 1; zig < jpegdct.BlockSize; zig++ {
			ac := quantize(b[jpegdct.Unzig[zig]], zig)
			if ac == 0 {
				runLength++
				continue
			}
			for runLength > 15 {
				emitHuff(&acLUT, 0xf0)
				runLength -= 16
			}
			emitHuffRLE(&acLUT, runLength, ac)
			runLength = 0
		}
		if runLength > 0 {
			emitHuff(&acLUT, 0x00)
		}
		return dc
	}

	var (
		blk    [4]jpegdct.Block
		prevDC [4]int32
	)
	r := m.Rect
	for y := r.Min.Y; y < r.Max.Y; y += 8 {
		for x := r.Min.X; x < r.Max.X; x += 8 {
			for j := range 8 {
				for i := range 8 {
					p := m.Pix[m.PixOffset(min(x+i, r.Max.X-1), min(y+j, r.Max.Y-1)):]
					for c := range blk {
						blk[c][8*j+i] = int32(p[c])
					}
				}
			}
			for c := range blk {
				prevDC[c] = writeBlock(&blk[c], prevDC[c])
			}
		}
	}
	emit(0x7f, 7) // pad the last byte with 1s
	e.out = append(e.out, 0xff, eoiMarker)
	e.flush()
	return e.err
}

// refLUT compiles s into a table mapping each value to its codeword
// size<<24 | codeword.
func refLUT(s huffmanSpec) (h [256]uint32) {
	code, k := uint32(0), 0
	for i := range s.count {
		for range s.count[i] {
			h[s.value[k]] = uint32(i+1)<<24 | code
			code++
			k++
		}
		code <<= 1
	}
	return h
}

// TestEncodeMatchesReference checks Encode against refEncode byte for
// byte: random sizes, origins and sub-images at every quality from 1 to
// 100, on pictures of every kind: photo-like, integer-only, flat, pure
// noise (the largest coefficients and so the longest codes, many 0xff
// bytes to stuff) and extreme patterns (all 0, all 255, checkerboards and
// stripes of 0 and 255, which drive the DCT to the ends of its range).
func TestEncodeMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 17))
	kinds := []struct {
		name string
		make func(r image.Rectangle, seed uint64) *image.CMYK
	}{
		{"photo", photoCMYK},
		{"int", func(r image.Rectangle, seed uint64) *image.CMYK { return intCMYK(r, uint32(seed)) }},
		{"smooth", func(r image.Rectangle, _ uint64) *image.CMYK { return smoothCMYK(r) }},
		{"noise", func(r image.Rectangle, seed uint64) *image.CMYK {
			m := image.NewCMYK(r)
			rng := rand.New(rand.NewPCG(seed, 99))
			for i := range m.Pix {
				m.Pix[i] = uint8(rng.Uint32())
			}
			return m
		}},
		{"extreme", extremeCMYK},
	}
	n := 0
	for quality := 1; quality <= 100; quality++ {
		for _, kind := range kinds {
			x, y := rng.IntN(100)-50, rng.IntN(100)-50
			r := image.Rect(x, y, x+1+rng.IntN(70), y+1+rng.IntN(50))
			m := kind.make(r, uint64(n))
			if n%3 == 0 {
				big := kind.make(r.Inset(-5), uint64(n))
				m = big.SubImage(r).(*image.CMYK)
			}
			n++
			var want, got bytes.Buffer
			if err := refEncode(&want, m, quality); err != nil {
				t.Fatal(err)
			}
			if err := Encode(&got, m, quality); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Fatalf("%s %v q%d: Encode differs from the reference at byte %d of %d", kind.name, r, quality, firstDiff(got.Bytes(), want.Bytes()), want.Len())
			}
		}
	}
}

// TestEncodeMatchesReferenceLarge is TestEncodeMatchesReference for
// pictures big enough for the output to be flushed several times, at the
// qualities a print build uses.
func TestEncodeMatchesReferenceLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	for i, m := range []*image.CMYK{
		photoCMYK(image.Rect(0, 0, 997, 603), 21),
		extremeCMYK(image.Rect(5, 7, 420, 333), 22),
	} {
		for _, quality := range []int{75, 90, 92, 95, 100} {
			var want, got bytes.Buffer
			if err := refEncode(&want, m, quality); err != nil {
				t.Fatal(err)
			}
			if err := Encode(&got, m, quality); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Fatalf("picture %d q%d: Encode differs from the reference at byte %d of %d", i, quality, firstDiff(got.Bytes(), want.Bytes()), want.Len())
			}
		}
	}
}

// extremeCMYK returns a picture whose 8×8 blocks are, at random, flat 0,
// flat 255, checkerboards, stripes or random mixtures of 0 and 255, each
// ink drawn independently.
func extremeCMYK(r image.Rectangle, seed uint64) *image.CMYK {
	m := image.NewCMYK(r)
	rng := rand.New(rand.NewPCG(seed, 7))
	for by := r.Min.Y &^ 7; by < r.Max.Y; by += 8 {
		for bx := r.Min.X &^ 7; bx < r.Max.X; bx += 8 {
			for c := range 4 {
				kind, bitsOf := rng.IntN(6), rng.Uint64()
				for y := max(by, r.Min.Y); y < min(by+8, r.Max.Y); y++ {
					for x := max(bx, r.Min.X); x < min(bx+8, r.Max.X); x++ {
						i, j := x&7, y&7
						var on bool
						switch kind {
						case 0:
							on = false
						case 1:
							on = true
						case 2:
							on = (i+j)%2 == 0
						case 3:
							on = i%2 == 0
						case 4:
							on = j < 4 != (i < 4)
						default:
							on = bitsOf>>(8*j+i)&1 != 0
						}
						if on {
							m.Pix[m.PixOffset(x, y)+c] = 255
						} else {
							m.Pix[m.PixOffset(x, y)+c] = 0
						}
					}
				}
			}
		}
	}
	return m
}

// firstDiff returns the index of the first byte at which a and b differ.
func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
