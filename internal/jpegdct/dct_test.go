package jpegdct

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestAgainstDefinition checks both transforms against the DCT's
// definition, in the scaling JPEG uses: FDCT takes samples 0…255, shifts
// them to −128…127 and gives 8× the coefficients (the quantiser divides
// that out); IDCT takes coefficients and gives the shifted samples.
func TestAgainstDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	c := func(u int) float64 {
		if u == 0 {
			return 1 / math.Sqrt2
		}
		return 1
	}
	for trial := range 200 {
		var b Block
		for i := range b {
			b[i] = int32(rng.IntN(256))
		}
		f := b
		FDCT(&f)
		var coef [BlockSize]float64
		for v := range 8 {
			for u := range 8 {
				var sum float64
				for y := range 8 {
					for x := range 8 {
						sum += float64(b[8*y+x]-128) * math.Cos(float64((2*x+1)*u)*math.Pi/16) * math.Cos(float64((2*y+1)*v)*math.Pi/16)
					}
				}
				coef[8*v+u] = c(u) * c(v) / 4 * sum
				if d := math.Abs(float64(f[8*v+u])/8 - coef[8*v+u]); d > 0.5 {
					t.Fatalf("trial %d: FDCT coefficient (%d,%d) = %g/8, want %.3f", trial, u, v, float64(f[8*v+u]), coef[8*v+u])
				}
			}
		}
		var in Block
		for i := range in {
			in[i] = int32(math.Round(coef[i]))
		}
		out := in
		IDCT(&out)
		for y := range 8 {
			for x := range 8 {
				var sum float64
				for v := range 8 {
					for u := range 8 {
						sum += c(u) * c(v) / 4 * float64(in[8*v+u]) * math.Cos(float64((2*x+1)*u)*math.Pi/16) * math.Cos(float64((2*y+1)*v)*math.Pi/16)
					}
				}
				if d := math.Abs(float64(out[8*y+x]) - sum); d > 1 {
					t.Fatalf("trial %d: IDCT sample (%d,%d) = %d, want %.3f", trial, x, y, out[8*y+x], sum)
				}
			}
		}
	}
}

func TestUnzig(t *testing.T) {
	seen := map[int]bool{}
	for i, n := range Unzig {
		if seen[n] || n < 0 || n >= BlockSize {
			t.Fatalf("Unzig[%d] = %d repeats or is out of range", i, n)
		}
		seen[n] = true
		if i > 0 {
			// Successive zig-zag positions are neighbours, diagonally or not.
			p := Unzig[i-1]
			if dx, dy := n%8-p%8, n/8-p/8; dx*dx > 1 || dy*dy > 1 {
				t.Fatalf("Unzig[%d] = %d is not next to %d", i, n, p)
			}
		}
	}
}

// TestFDCTBitExact checks FDCT, FDCTFixed and FDCT4Fixed (rounded as
// FDCT rounds) against refFDCT, the forward DCT before its restructuring,
// on random blocks, on blocks of only 0s and 255s (the ends of every
// intermediate range) and on noisy ramps.
func TestFDCTBitExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	round := func(b *Block) {
		for i, x := range b {
			b[i] = (x + 1<<(FixedBits-1)) >> FixedBits
		}
	}
	var s [4 * BlockSize]byte
	for trial := range 200000 {
		switch trial % 4 {
		case 0, 1:
			for i := range s {
				s[i] = uint8(rng.Uint32())
			}
		case 2:
			for i := range s {
				s[i] = uint8(rng.IntN(2) * 255)
			}
		default:
			x0, dx, dy := rng.IntN(256), rng.IntN(64)-32, rng.IntN(64)-32
			for i := range s {
				s[i] = uint8(max(0, min(255, x0+dx*(i/4%8)+dy*(i/32)+rng.IntN(3)-1)))
			}
		}
		var want, got, fixed [4]Block
		for c := range want {
			for i := range BlockSize {
				want[c][i] = int32(s[4*i+c])
			}
			got[c], fixed[c] = want[c], want[c]
			refFDCT(&want[c])
			FDCT(&got[c])
			if got[c] != want[c] {
				t.Fatalf("trial %d: FDCT(%v)\n = %v\nwant %v", trial, s, got[c], want[c])
			}
			FDCTFixed(&fixed[c])
			round(&fixed[c])
			if fixed[c] != want[c] {
				t.Fatalf("trial %d: FDCTFixed(%v), rounded,\n = %v\nwant %v", trial, s, fixed[c], want[c])
			}
		}
		FDCT4Fixed(&got, &s)
		for c := range got {
			round(&got[c])
		}
		if got != want {
			t.Fatalf("trial %d: FDCT4Fixed(%v), rounded,\n = %v\nwant %v", trial, s, got, want)
		}
	}
}

func BenchmarkFDCT(b *testing.B) {
	var blk Block
	for i := range blk {
		blk[i] = int32(i * 37 % 256)
	}
	for b.Loop() {
		x := blk
		FDCT(&x)
	}
}

// BenchmarkFDCT4Fixed times fdct4FixedGo and the variants of
// FDCT4Fixed that this machine runs (see fdct4Variants).
func BenchmarkFDCT4Fixed(b *testing.B) {
	var s [4 * BlockSize]byte
	for i := range s {
		s[i] = uint8(i * 37 % 256)
	}
	for _, v := range append([]fdct4Variant{{"Go", fdct4FixedGo}}, fdct4Variants...) {
		b.Run(v.name, func(b *testing.B) {
			var blk [4]Block
			for b.Loop() {
				v.f(&blk, &s)
			}
		})
	}
}
