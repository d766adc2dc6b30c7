package jpegdct

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// fdct4Variant is an implementation of FDCT4Fixed, to be checked against
// fdct4FixedGo.
type fdct4Variant struct {
	name string
	f    func(*[4]Block, *[4 * BlockSize]byte)
}

// fdct4Variants are the implementations of FDCT4Fixed that this machine
// runs besides fdct4FixedGo: FDCT4Fixed itself, whichever it runs, and
// those that the test files for the architectures with assembly add.
var fdct4Variants = []fdct4Variant{{"FDCT4Fixed", FDCT4Fixed}}

// checkFDCT4 checks that every variant gives fdct4FixedGo's results for
// the tile s, whatever b held before, and leaves s as it was.
func checkFDCT4(t *testing.T, what string, s *[4 * BlockSize]byte) {
	t.Helper()
	var want [4]Block
	fdct4FixedGo(&want, s)
	orig := *s
	for _, v := range fdct4Variants {
		var got [4]Block
		for c := range got {
			for i := range got[c] {
				got[c][i] = 0x5a5a5a5a
			}
		}
		v.f(&got, s)
		if *s != orig {
			t.Fatalf("%s: %s changed its input", what, v.name)
		}
		if got != want {
			for c := range got {
				for i := range got[c] {
					if got[c][i] != want[c][i] {
						t.Fatalf("%s: %s gives b[%d][%d] = %d, want %d (fdct4FixedGo)\ntile %v\n got %v\nwant %v",
							what, v.name, c, i, got[c][i], want[c][i], *s, got, want)
					}
				}
			}
		}
	}
}

// extremeTiles returns tiles that take the DCT's intermediate values to
// or near the ends of their ranges, or that are plain special cases:
// uniform tiles, checkerboards and stripes, single-sample impulses, ramps,
// and the 0/255 sign patterns of the 64 basis functions (which maximise
// each coefficient's magnitude).
func extremeTiles() map[string]*[4 * BlockSize]byte {
	tiles := map[string]*[4 * BlockSize]byte{}
	// tile adds the tile whose sample (x, y) of component c is f(x, y, c).
	tile := func(name string, f func(x, y, c int) int) {
		s := new([4 * BlockSize]byte)
		for i := range s {
			s[i] = uint8(f(i/4%8, i/32, i%4))
		}
		tiles[name] = s
	}
	bit := func(b bool) int {
		if b {
			return 255
		}
		return 0
	}
	for _, v := range []int{0, 1, 127, 128, 254, 255} {
		tile(fmt.Sprint("uniform ", v), func(x, y, c int) int { return v })
	}
	tile("components 0 255 0 255", func(x, y, c int) int { return bit(c%2 == 1) })
	tile("components 255 0 255 0", func(x, y, c int) int { return bit(c%2 == 0) })
	for inv := range 2 {
		tile(fmt.Sprint("checkerboard ", inv), func(x, y, c int) int { return bit((x+y+inv)%2 == 0) })
		tile(fmt.Sprint("checkerboard per component ", inv), func(x, y, c int) int { return bit((x+y+c+inv)%2 == 0) })
		tile(fmt.Sprint("checkerboard 2×2 ", inv), func(x, y, c int) int { return bit((x/2+y/2+inv)%2 == 0) })
		tile(fmt.Sprint("checkerboard 4×4 ", inv), func(x, y, c int) int { return bit((x/4+y/4+inv)%2 == 0) })
		tile(fmt.Sprint("rows ", inv), func(x, y, c int) int { return bit((y+inv)%2 == 0) })
		tile(fmt.Sprint("columns ", inv), func(x, y, c int) int { return bit((x+inv)%2 == 0) })
		tile(fmt.Sprint("halves ", inv), func(x, y, c int) int { return bit((x/4+inv)%2 == 0) })
	}
	for p := range 4 * BlockSize {
		tile(fmt.Sprint("impulse 255 at ", p), func(x, y, c int) int { return bit(32*y+4*x+c == p) })
		tile(fmt.Sprint("impulse 0 at ", p), func(x, y, c int) int { return bit(32*y+4*x+c != p) })
	}
	ramps := []struct {
		name string
		f    func(x, y int) int
	}{
		{"x", func(x, y int) int { return 255 * x / 7 }},
		{"y", func(x, y int) int { return 255 * y / 7 }},
		{"x+y", func(x, y int) int { return 255 * (x + y) / 14 }},
		{"x-y", func(x, y int) int { return 255 * (x - y + 7) / 14 }},
		{"small x", func(x, y int) int { return 128 + x }},
	}
	for _, r := range ramps {
		tile("ramp "+r.name, func(x, y, c int) int { return r.f(x, y) })
		tile("ramp 255-"+r.name, func(x, y, c int) int { return 255 - r.f(x, y) })
		// Each component turned a quarter more.
		tile("ramp turning "+r.name, func(x, y, c int) int {
			for range c {
				x, y = 7-y, x
			}
			return r.f(x, y)
		})
	}
	for v := range 8 {
		for u := range 8 {
			sign := func(x, y, u, v int) bool {
				return math.Cos(float64((2*x+1)*u)*math.Pi/16)*math.Cos(float64((2*y+1)*v)*math.Pi/16) > 0
			}
			// Component 0 has basis (u, v), the others its transpose, its
			// negation and its negated transpose.
			tile(fmt.Sprintf("basis %d,%d", u, v), func(x, y, c int) int {
				switch c {
				case 0:
					return bit(sign(x, y, u, v))
				case 1:
					return bit(sign(x, y, v, u))
				case 2:
					return bit(!sign(x, y, u, v))
				}
				return bit(!sign(x, y, v, u))
			})
		}
	}
	return tiles
}

// TestFDCT4Variants checks the implementations of FDCT4Fixed against
// fdct4FixedGo, bit for bit, on the extreme tiles and on several hundred
// thousand random ones: uniform samples, only 0s and 255s, samples near
// the ends (0, 1, 254, 255), and noisy flat tiles (what photographs are
// mostly made of).
func TestFDCT4Variants(t *testing.T) {
	for _, v := range fdct4Variants {
		t.Logf("checking %s", v.name)
	}
	for name, s := range extremeTiles() {
		checkFDCT4(t, name, s)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	n := 400000
	if testing.Short() {
		n /= 10
	}
	var s [4 * BlockSize]byte
	for trial := range n {
		switch trial % 4 {
		case 0:
			for i := range s {
				s[i] = uint8(rng.Uint32())
			}
		case 1:
			for i := range s {
				s[i] = uint8(rng.IntN(2) * 255)
			}
		case 2:
			for i := range s {
				s[i] = [4]uint8{0, 1, 254, 255}[rng.IntN(4)]
			}
		default:
			v := rng.IntN(256)
			for i := range s {
				s[i] = uint8(max(0, min(255, v+rng.IntN(9)-4)))
			}
		}
		checkFDCT4(t, fmt.Sprint("random tile ", trial), &s)
	}
}

// FuzzFDCT4 checks the implementations of FDCT4Fixed against
// fdct4FixedGo on tiles of fuzzed samples (repeated to fill the tile
// when there are too few).
func FuzzFDCT4(f *testing.F) {
	f.Add([]byte{0})
	f.Add([]byte{255})
	f.Add([]byte{0, 255})
	f.Add([]byte{255, 0, 255, 0, 0, 255, 0, 255})
	tiles := extremeTiles()
	for _, name := range []string{"checkerboard 0", "impulse 255 at 0", "impulse 0 at 255", "ramp x+y", "basis 7,7", "basis 1,0"} {
		f.Add(tiles[name][:])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		var s [4 * BlockSize]byte
		for i := range s {
			s[i] = data[i%len(data)]
		}
		checkFDCT4(t, "fuzzed tile", &s)
	})
}
