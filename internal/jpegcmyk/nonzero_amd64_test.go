//go:build !purego

package jpegcmyk

import (
	"encoding/binary"
	"image"
	"math/rand/v2"
	"testing"

	"paiban/internal/jpegdct"
)

// checkNonzeroMaskAVX2 checks nonzeroMaskAVX2 against nonzeroMaskGo for
// the block b and the table t.
func checkNonzeroMaskAVX2(t *testing.T, qt *quantTable, b *jpegdct.Block) {
	t.Helper()
	if got, want := nonzeroMaskAVX2(qt, b), qt.nonzeroMaskGo(b); got != want {
		t.Fatalf("nonzeroMaskAVX2 = %#016x, nonzeroMaskGo %#016x\nblock %v\nadd %v\nlim %v", got, want, *b, qt.add, qt.lim)
	}
}

// TestNonzeroMaskAVX2 checks nonzeroMaskAVX2 against nonzeroMaskGo: with
// the tables of every quality, on blocks of coefficients around the
// rounding thresholds, in the whole range of jpegdct.FDCTFixed's output
// and beyond, and single nonzero coefficients at each position (which
// check the zig-zag shuffle); and with random tables. Both compare x +
// add with lim as unsigned 32-bit numbers, so they agree on any input.
func TestNonzeroMaskAVX2(t *testing.T) {
	if !useAVX2 {
		t.Skip("no AVX2")
	}
	rng := rand.New(rand.NewPCG(11, 12))
	var b jpegdct.Block
	for quality := 1; quality <= 100; quality++ {
		var e encoder
		e.setQuality(quality)
		for _, qt := range []*quantTable{&e.coders[0].quantTable, &e.coders[1].quantTable} {
			for i := range b {
				// Only coefficient i quantises to nonzero.
				b = jpegdct.Block{}
				b[i] = int32(qt.lim[i]-qt.add[i]) + 1
				if got, want := nonzeroMaskAVX2(qt, &b), uint64(1)<<zigOf(i); got != want {
					t.Fatalf("q%d: nonzeroMaskAVX2 of coefficient %d alone = %#016x, want %#016x", quality, i, got, want)
				}
			}
			for range 500 {
				for i := range b {
					// At the thresholds of a nonzero value, from
					// x + add = 0 to x + add = lim + 1.
					lo, hi := -int32(qt.add[i]), int32(qt.lim[i]-qt.add[i])
					switch rng.IntN(5) {
					case 0:
						b[i] = lo + int32(rng.IntN(3)) - 1
					case 1:
						b[i] = hi + int32(rng.IntN(3)) - 1
					case 2:
						b[i] = int32(rng.IntN(2*8160<<18)) - 8160<<18
					case 3:
						b[i] = int32(rng.Uint32())
					default:
						b[i] = int32(rng.IntN(int(hi-lo+1))) + lo
					}
				}
				checkNonzeroMaskAVX2(t, qt, &b)
			}
		}
	}
	var qt quantTable
	for range 20000 {
		for i := range b {
			b[i] = int32(rng.Uint32())
			qt.add[i] = rng.Uint32()
			qt.lim[i] = rng.Uint32()
			if rng.IntN(4) == 0 {
				qt.lim[i] = uint32(b[i]) + qt.add[i] + uint32(rng.IntN(3)) - 1
			}
		}
		checkNonzeroMaskAVX2(t, &qt, &b)
	}
}

// FuzzNonzeroMask checks nonzeroMaskAVX2 against nonzeroMaskGo on
// fuzzed coefficients (4 bytes each, little-endian, repeated to fill the
// block) with the tables of a fuzzed quality.
func FuzzNonzeroMask(f *testing.F) {
	if !useAVX2 {
		f.Skip("no AVX2")
	}
	f.Add(uint8(90), []byte{0, 0, 0, 0})
	f.Add(uint8(50), []byte{0xff, 0xff, 0xff, 0xff})
	f.Add(uint8(1), []byte{0, 0, 0x20, 0x00, 0, 0, 0xe0, 0xff})
	f.Fuzz(func(t *testing.T, quality uint8, data []byte) {
		if len(data) < 4 {
			return
		}
		var e encoder
		e.setQuality(int(quality)%100 + 1)
		var b jpegdct.Block
		for i := range b {
			j := 4 * i % (len(data) &^ 3)
			b[i] = int32(binary.LittleEndian.Uint32(data[j:]))
		}
		checkNonzeroMaskAVX2(t, &e.coders[0].quantTable, &b)
		checkNonzeroMaskAVX2(t, &e.coders[1].quantTable, &b)
	})
}

// BenchmarkNonzeroMask times nonzeroMaskGo and nonzeroMaskAVX2 on the
// blocks of a row of tiles of a photo-like picture, at quality 90.
func BenchmarkNonzeroMask(b *testing.B) {
	m := photoCMYK(image.Rect(0, 0, 256, 8), 1)
	var blocks []jpegdct.Block
	for x := 0; x < 256; x += 8 {
		var tile [4 * jpegdct.BlockSize]byte
		var blk [4]jpegdct.Block
		loadTile(m, x, 0, &tile)
		jpegdct.FDCT4Fixed(&blk, &tile)
		blocks = append(blocks, blk[:]...)
	}
	e := newEncoder(nil, 90)
	qt := &e.coders[0].quantTable
	for _, v := range []struct {
		name string
		f    func(*quantTable, *jpegdct.Block) uint64
	}{
		{"Go", (*quantTable).nonzeroMaskGo},
		{"AVX2", nonzeroMaskAVX2},
	} {
		b.Run(v.name, func(b *testing.B) {
			if v.name == "AVX2" && !useAVX2 {
				b.Skip("no AVX2")
			}
			var sum uint64
			for b.Loop() {
				for i := range blocks {
					sum += v.f(qt, &blocks[i])
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(blocks)), "ns/block")
		})
	}
}
