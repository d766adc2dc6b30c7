package jpegcmyk

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"math"
	"math/rand/v2"
	"testing"

	"paiban/internal/jpegdct"
)

// photoCMYK returns a deterministic photo-like w×h CMYK image: smooth
// gradients in all four inks, a hard-edged disc, a few thin lines and a
// little noise.
func photoCMYK(r image.Rectangle, seed uint64) *image.CMYK {
	m := image.NewCMYK(r)
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	w, h := float64(max(r.Dx(), 1)), float64(max(r.Dy(), 1))
	cx, cy, rad := w*0.6, h*0.45, math.Min(w, h)*0.3
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			fx, fy := float64(x-r.Min.X)/w, float64(y-r.Min.Y)/h
			c := 40 + 160*fx + 30*math.Sin(fy*7)
			mm := 200 - 150*fy + 25*math.Cos(fx*5+fy*3)
			yy := 100 + 90*math.Sin((fx+fy)*4)
			k := 20 + 60*fx*fy
			dx, dy := float64(x-r.Min.X)-cx, float64(y-r.Min.Y)-cy
			if dx*dx+dy*dy < rad*rad {
				c, mm, yy, k = 230-60*fx, 30+40*fy, 210, 15
			}
			if (x-r.Min.X)%97 == 50 || (y-r.Min.Y)%61 == 30 {
				k = 240
			}
			n := func(v float64) uint8 {
				return uint8(max(0, min(255, math.Round(v+rng.NormFloat64()*2))))
			}
			i := m.PixOffset(x, y)
			m.Pix[i+0], m.Pix[i+1], m.Pix[i+2], m.Pix[i+3] = n(c), n(mm), n(yy), n(k)
		}
	}
	return m
}

// encoderFunc is the signature of Encode and EncodeYCCK.
type encoderFunc func(io.Writer, *image.CMYK, int) error

// encodings are the package's two encodings, for the tests that apply to
// both.
var encodings = []struct {
	name string
	enc  encoderFunc
}{
	{"Encode", Encode},
	{"EncodeYCCK", EncodeYCCK},
}

// encodeWith encodes m with enc or fails the test.
func encodeWith(t testing.TB, enc encoderFunc, m *image.CMYK, quality int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := enc(&buf, m, quality); err != nil {
		t.Fatalf("encoding: %v", err)
	}
	return buf.Bytes()
}

// encode encodes m with Encode or fails the test.
func encode(t testing.TB, m *image.CMYK, quality int) []byte {
	t.Helper()
	return encodeWith(t, Encode, m, quality)
}

// decodeGo decodes data with image/jpeg and undoes the Adobe inversion it
// applies to 4-component JPEGs with an APP14 segment (see the package
// comment), returning the encoded ink values.
//
// For Encode's transform 0 image/jpeg returns 255 minus each stored
// sample. For EncodeYCCK's transform 2 it converts Y, Cb and Cr to R, G
// and B (the JFIF equations, Cb and Cr repeated over each 2×2 group of
// pixels) and returns R, G, B as C, M, Y and 255 minus the stored K as K
// (reader.go, applyBlack); as the encoder took R, G, B = 255−C, 255−M,
// 255−Y, that too is 255 minus every ink, up to the coding error, and the
// same inversion gives the inks back.
func decodeGo(t testing.TB, data []byte) *image.CMYK {
	t.Helper()
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("image/jpeg.Decode: %v", err)
	}
	c, ok := img.(*image.CMYK)
	if !ok {
		t.Fatalf("image/jpeg.Decode returned %T, want *image.CMYK", img)
	}
	for i := range c.Pix {
		c.Pix[i] = 255 - c.Pix[i]
	}
	return c
}

// smoothCMYK returns a CMYK image of slow waves in all four inks, with no
// edges and no noise, the same at every size: pixel (x, y) depends on x
// and y alone. No ink changes by more than about 1.5 from one pixel to the
// next, which 2×2 chroma subsampling keeps almost exactly.
func smoothCMYK(r image.Rectangle) *image.CMYK {
	m := image.NewCMYK(r)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			fx, fy := float64(x), float64(y)
			inks := [4]float64{
				128 + 100*math.Sin(fx/70+0.3*math.Sin(fy/90)),
				128 + 100*math.Cos(fy/80-fx/200),
				128 + 100*math.Sin((fx+fy)/110),
				70 + 60*math.Sin(fx/120)*math.Cos(fy/100),
			}
			i := m.PixOffset(x, y)
			for c, v := range inks {
				m.Pix[i+c] = uint8(math.Round(v))
			}
		}
	}
	return m
}

// intCMYK returns a deterministic CMYK image made with integer arithmetic
// only, so that it is the same on every platform (photoCMYK's
// floating-point maths may round differently where multiply-adds are
// fused): gradients, hard-edged bands, a black grid and noise.
func intCMYK(r image.Rectangle, seed uint32) *image.CMYK {
	m := image.NewCMYK(r)
	w, h := max(r.Dx(), 1), max(r.Dy(), 1)
	s := seed*2654435761 | 1
	for y := range r.Dy() {
		for x := range r.Dx() {
			s ^= s << 13
			s ^= s >> 17
			s ^= s << 5
			noise := int(s>>29) - 4
			c := 30 + 190*x/w + noise
			mm := 220 - 180*y/h + noise/2
			yy := 40 + 150*(x+y)/(w+h)
			k := 10 + 70*x*y/(w*h)
			if (x/23+y/17)%3 == 0 {
				c, yy = 240-c, 255-yy
			}
			if x%41 == 20 || y%29 == 14 {
				k = 250
			}
			i := m.PixOffset(r.Min.X+x, r.Min.Y+y)
			for j, v := range [4]int{c, mm, yy, k} {
				m.Pix[i+j] = uint8(max(0, min(255, v)))
			}
		}
	}
	return m
}

// compare returns the PSNR in dB and the largest absolute difference of a
// and b over all four channels; a is read at its own bounds, b at the same
// offsets from its origin.
func compare(a, b *image.CMYK) (psnr float64, maxDiff int) {
	ra, rb := a.Bounds(), b.Bounds()
	var sum float64
	for y := 0; y < ra.Dy(); y++ {
		pa := a.Pix[a.PixOffset(ra.Min.X, ra.Min.Y+y):]
		pb := b.Pix[b.PixOffset(rb.Min.X, rb.Min.Y+y):]
		for i := 0; i < 4*ra.Dx(); i++ {
			d := int(pa[i]) - int(pb[i])
			sum += float64(d * d)
			maxDiff = max(maxDiff, d, -d)
		}
	}
	mse := sum / float64(4*ra.Dx()*ra.Dy())
	if mse == 0 {
		return math.Inf(1), 0
	}
	return 10 * math.Log10(255*255/mse), maxDiff
}

func TestRoundTrip(t *testing.T) {
	m := photoCMYK(image.Rect(0, 0, 400, 300), 1)
	for _, tc := range []struct {
		name    string
		enc     encoderFunc
		quality int
		minPSNR float64
	}{
		{"Encode", Encode, 50, 30}, {"Encode", Encode, 75, 33},
		{"Encode", Encode, 90, 35}, {"Encode", Encode, 100, 45},
		// The disc's hard colour edge and the noise cost YCCK's halved
		// colour resolution a few dB that quality cannot buy back.
		{"EncodeYCCK", EncodeYCCK, 50, 32}, {"EncodeYCCK", EncodeYCCK, 75, 33},
		{"EncodeYCCK", EncodeYCCK, 90, 34}, {"EncodeYCCK", EncodeYCCK, 100, 35},
	} {
		data := encodeWith(t, tc.enc, m, tc.quality)
		got := decodeGo(t, data)
		if got.Bounds() != m.Bounds() {
			t.Fatalf("%s q%d: decoded bounds %v, want %v", tc.name, tc.quality, got.Bounds(), m.Bounds())
		}
		psnr, maxDiff := compare(m, got)
		t.Logf("%-10s quality %3d: %7d bytes (%.2f bits/pixel), PSNR %.2f dB, max |diff| %d",
			tc.name, tc.quality, len(data), float64(8*len(data))/float64(400*300), psnr, maxDiff)
		if psnr < tc.minPSNR {
			t.Errorf("%s quality %d: PSNR %.2f dB, want ≥ %.0f", tc.name, tc.quality, psnr, tc.minPSNR)
		}
	}
}

// TestYCCKSmooth checks EncodeYCCK pixel by pixel on smooth pictures,
// which lose next to nothing to 2×2 chroma: at quality 90 and above every
// C, M and Y sample must come back within ±6 (the colour transform's
// rounding, the chroma means and image/jpeg's repetition of each chroma
// sample over 2×2 pixels) and every K sample, which is coded like
// Encode's, within ±2. Sizes that are not multiples of 16 and an origin
// off (0, 0) exercise the edge MCUs.
func TestYCCKSmooth(t *testing.T) {
	for _, r := range []image.Rectangle{image.Rect(0, 0, 301, 203), image.Rect(-77, 45, 120, 164)} {
		m := smoothCMYK(r)
		for _, q := range []int{90, 95, 100} {
			got := decodeGo(t, encodeWith(t, EncodeYCCK, m, q))
			if got.Bounds().Size() != r.Size() {
				t.Fatalf("%v q%d: decoded size %v", r, q, got.Bounds().Size())
			}
			var maxDiff [4]int
			for y := range r.Dy() {
				for x := range r.Dx() {
					i, j := m.PixOffset(r.Min.X+x, r.Min.Y+y), got.PixOffset(x, y)
					for c := range 4 {
						d := int(got.Pix[j+c]) - int(m.Pix[i+c])
						maxDiff[c] = max(maxDiff[c], d, -d)
					}
				}
			}
			psnr, _ := compare(m, got)
			t.Logf("%v q%d: PSNR %.2f dB, max |diff| C %d M %d Y %d K %d", r, q, psnr, maxDiff[0], maxDiff[1], maxDiff[2], maxDiff[3])
			if maxDiff[0] > 6 || maxDiff[1] > 6 || maxDiff[2] > 6 || maxDiff[3] > 2 {
				t.Errorf("%v q%d: max |diff| %v, want ≤ [6 6 6 2]", r, q, maxDiff)
			}
			if psnr < 45 {
				t.Errorf("%v q%d: PSNR %.2f dB, want ≥ 45", r, q, psnr)
			}
		}
	}
}

// TestFlatPatches checks that flat 16×16-aligned patches, whose blocks
// have only a DC coefficient, come back exactly in every channel: ±1 for
// Encode, ±2 for EncodeYCCK (the colour transform rounds there and back).
// A wrong polarity of any ink in either encoding would be off by up to
// 255.
func TestFlatPatches(t *testing.T) {
	inks := [][4]uint8{
		{255, 0, 0, 0}, {0, 255, 0, 0}, {0, 0, 255, 0}, {0, 0, 0, 255},
		{0, 0, 0, 0}, {255, 255, 255, 255}, {128, 64, 32, 16}, {1, 254, 127, 200},
		{255, 255, 0, 0}, {0, 255, 255, 0}, {255, 0, 255, 0}, {40, 30, 30, 100},
	}
	m := image.NewCMYK(image.Rect(0, 0, 16*len(inks), 16))
	for p, ink := range inks {
		for y := range 16 {
			for x := 16 * p; x < 16*p+16; x++ {
				copy(m.Pix[m.PixOffset(x, y):], ink[:])
			}
		}
	}
	for _, tc := range []struct {
		name      string
		enc       encoderFunc
		qualities []int
		tol       int
	}{
		{"Encode", Encode, []int{50, 75, 90, 100}, 1},
		{"EncodeYCCK", EncodeYCCK, []int{75, 90, 100}, 2},
	} {
		for _, q := range tc.qualities {
			got := decodeGo(t, encodeWith(t, tc.enc, m, q))
			for p, ink := range inks {
				for _, pt := range []image.Point{{16 * p, 0}, {16*p + 15, 15}, {16*p + 7, 9}} {
					i := got.PixOffset(pt.X, pt.Y)
					for c := range 4 {
						if d := int(got.Pix[i+c]) - int(ink[c]); d < -tc.tol || d > tc.tol {
							t.Errorf("%s q%d: patch %v at %v: got %v", tc.name, q, ink, pt, got.Pix[i:i+4])
							break
						}
					}
				}
			}
		}
	}
}

// TestYCCKBlocks checks the blocks of EncodeYCCK's MCUs, before the DCT,
// against a plain reading of the specification: Y and K of each pixel in
// four blocks (top left, top right, bottom left, bottom right), Cb and Cr
// the rounded means of image/color.RGBToYCbCr(255−C, 255−M, 255−Y) over
// each 2×2 group of pixels, the last column and row repeated past the
// image. Edge MCUs, an origin off (0, 0) and a sub-image are included.
func TestYCCKBlocks(t *testing.T) {
	big := intCMYK(image.Rect(-20, -20, 80, 80), 1)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range big.Pix {
		if i%4 != 3 {
			big.Pix[i] = uint8(rng.Uint32()) // all of the colour space
		}
	}
	for _, m := range []*image.CMYK{
		intCMYK(image.Rect(0, 0, 37, 21), 2),
		intCMYK(image.Rect(-3, 5, 14, 22), 3),
		big.SubImage(image.Rect(-9, 3, 30, 50)).(*image.CMYK),
		big.SubImage(image.Rect(0, 0, 1, 1)).(*image.CMYK),
	} {
		r := m.Bounds()
		at := func(x, y int) []uint8 {
			i := m.PixOffset(min(x, r.Max.X-1), min(y, r.Max.Y-1))
			return m.Pix[i : i+4]
		}
		var blk ycckMCU
		var edge [16 * 16 * 4]byte
		for y := r.Min.Y; y < r.Max.Y; y += 16 {
			for x := r.Min.X; x < r.Max.X; x += 16 {
				loadYCCKMCU(m, x, y, &blk, &edge)
				var want ycckMCU
				for j := range 16 {
					for i := range 16 {
						p := at(x+i, y+j)
						yy, _, _ := color.RGBToYCbCr(255-p[0], 255-p[1], 255-p[2])
						b := j/8*2 + i/8
						want[b][j%8*8+i%8] = int32(yy)
						want[6+b][j%8*8+i%8] = int32(p[3])
					}
				}
				for j := range 8 {
					for i := range 8 {
						var cb, cr int32
						for _, d := range []image.Point{{0, 0}, {1, 0}, {0, 1}, {1, 1}} {
							p := at(x+2*i+d.X, y+2*j+d.Y)
							_, b, r := color.RGBToYCbCr(255-p[0], 255-p[1], 255-p[2])
							cb += int32(b)
							cr += int32(r)
						}
						want[4][8*j+i] = (cb + 2) / 4
						want[5][8*j+i] = (cr + 2) / 4
					}
				}
				if blk != want {
					for b := range blk {
						if blk[b] != want[b] {
							t.Fatalf("%v: MCU at (%d, %d), block %d:\n got %v\nwant %v", r, x, y, b, blk[b], want[b])
						}
					}
				}
			}
		}
	}
}

// TestSizes encodes images of awkward and random sizes, including ones not
// at the origin and sub-images sharing a larger buffer, and checks that
// they decode to the same size and close to the same pixels.
func TestSizes(t *testing.T) {
	rects := []image.Rectangle{
		image.Rect(0, 0, 1, 1), image.Rect(0, 0, 1, 9), image.Rect(0, 0, 9, 1),
		image.Rect(0, 0, 2, 2), image.Rect(0, 0, 7, 7), image.Rect(0, 0, 8, 8),
		image.Rect(0, 0, 9, 9), image.Rect(0, 0, 17, 9), image.Rect(0, 0, 15, 16),
		image.Rect(0, 0, 16, 16), image.Rect(0, 0, 17, 17), image.Rect(0, 0, 31, 33),
		image.Rect(0, 0, 33, 31), image.Rect(0, 0, 2480, 10), image.Rect(0, 0, 10, 2480),
		image.Rect(-5, 3, 12, 20), image.Rect(1000, -7, 1003, -2),
	}
	rng := rand.New(rand.NewPCG(7, 11))
	for range 40 {
		x, y := rng.IntN(200)-100, rng.IntN(200)-100
		rects = append(rects, image.Rect(x, y, x+1+rng.IntN(150), y+1+rng.IntN(150)))
	}
	for _, e := range encodings {
		for i, r := range rects {
			name := fmt.Sprintf("%s %d×%d@%d,%d", e.name, r.Dx(), r.Dy(), r.Min.X, r.Min.Y)
			q := []int{90, 75, 100, 40}[i%4]
			// Encode gets photo-like pictures: tiny ones are all edges and
			// noise. EncodeYCCK gets smooth ones, as the disc's hard colour
			// edge would swamp small pictures with the (expected) errors
			// of 2×2 chroma, and whether the edge MCUs are right is seen
			// best where little else goes wrong.
			img, want, wantMax := photoCMYK, 20.0, 255
			if r.Dx() >= 32 && r.Dy() >= 32 {
				want = map[int]float64{90: 33, 75: 30, 100: 40, 40: 27}[q]
			}
			if e.name == "EncodeYCCK" {
				img = func(r image.Rectangle, _ uint64) *image.CMYK { return smoothCMYK(r) }
				want = map[int]float64{90: 45, 75: 43, 100: 46, 40: 37}[q]
				wantMax = map[int]int{90: 7, 75: 8, 100: 7, 40: 14}[q]
			}
			m := img(r, uint64(i))
			if i%3 == 2 {
				// A sub-image of a bigger picture: stride ≠ 4×width.
				big := img(r.Inset(-9), uint64(i))
				m = big.SubImage(r).(*image.CMYK)
			}
			data := encodeWith(t, e.enc, m, q)
			got := decodeGo(t, data)
			if got.Bounds().Size() != r.Size() {
				t.Errorf("%s: decoded size %v", name, got.Bounds().Size())
				continue
			}
			psnr, maxDiff := compare(m, got)
			if testing.Verbose() {
				t.Logf("%s q%d: PSNR %.2f dB, max |diff| %d", name, q, psnr, maxDiff)
			}
			if psnr < want || maxDiff > wantMax {
				t.Errorf("%s q%d: PSNR %.2f dB, max |diff| %d; want ≥ %.0f dB, ≤ %d", name, q, psnr, maxDiff, want, wantMax)
			}
			if !bytes.Equal(data, encodeWith(t, e.enc, m, q)) {
				t.Errorf("%s: second encoding differs", name)
			}
		}
	}
}

// FuzzEncode encodes random small images with both encodings and checks
// that image/jpeg decodes them to the right size.
func FuzzEncode(f *testing.F) {
	f.Add(uint8(1), uint8(1), 90, uint64(0))
	f.Add(uint8(17), uint8(9), 75, uint64(1))
	f.Add(uint8(255), uint8(3), 1, uint64(2))
	f.Add(uint8(8), uint8(16), 100, uint64(3))
	f.Fuzz(func(t *testing.T, w, h uint8, quality int, seed uint64) {
		if w == 0 || h == 0 {
			return
		}
		m := image.NewCMYK(image.Rect(0, 0, int(w), int(h)))
		rng := rand.New(rand.NewPCG(seed, 1))
		for i := range m.Pix {
			m.Pix[i] = uint8(rng.Uint32())
		}
		for _, e := range encodings {
			got := decodeGo(t, encodeWith(t, e.enc, m, quality))
			if got.Bounds() != m.Bounds() {
				t.Fatalf("%s: decoded bounds %v, want %v", e.name, got.Bounds(), m.Bounds())
			}
		}
	})
}

// TestDeterministic checks that the output is a function of the pixels
// and quality alone: the same for the same image encoded twice, for a
// copy of it at another origin and for a sub-image of a bigger picture.
func TestDeterministic(t *testing.T) {
	m := photoCMYK(image.Rect(0, 0, 123, 77), 3)
	moved := image.NewCMYK(image.Rect(-40, 17, 83, 94))
	copy(moved.Pix, m.Pix)
	big := image.NewCMYK(image.Rect(0, 0, 200, 100))
	for y := range 77 {
		copy(big.Pix[big.PixOffset(50, 10+y):], m.Pix[m.PixOffset(0, y):m.PixOffset(123, y)])
	}
	sub := big.SubImage(image.Rect(50, 10, 173, 87)).(*image.CMYK)
	for _, e := range encodings {
		a := encodeWith(t, e.enc, m, 85)
		for _, other := range []*image.CMYK{m, moved, sub} {
			if !bytes.Equal(a, encodeWith(t, e.enc, other, 85)) {
				t.Errorf("%s: encodings of the same pixels at %v differ", e.name, other.Bounds())
			}
		}
	}
}

// TestEncodeUnchanged pins Encode's output: the hashes are those of the
// encoder before EncodeYCCK and the faster block coding were added, which
// must not change a byte of it.
func TestEncodeUnchanged(t *testing.T) {
	for i, tc := range []struct {
		r       image.Rectangle
		quality int
		sha256  string // the first 8 bytes
	}{
		{image.Rect(0, 0, 1, 1), 1, "a15e48d35fbd716f"},
		{image.Rect(0, 0, 1, 1), 50, "35bd81bde016c062"},
		{image.Rect(0, 0, 1, 1), 90, "89e08a5d1a8de12f"},
		{image.Rect(0, 0, 1, 1), 100, "ee84cb1b3765b79b"},
		{image.Rect(0, 0, 17, 9), 1, "9db963cce9535f58"},
		{image.Rect(0, 0, 17, 9), 50, "e86686fed6f59a57"},
		{image.Rect(0, 0, 17, 9), 90, "6e162a5a57c0b723"},
		{image.Rect(0, 0, 17, 9), 100, "1702998452e9f409"},
		{image.Rect(3, -5, 67, 43), 1, "e918cd5349c36d46"},
		{image.Rect(3, -5, 67, 43), 50, "524b59a2efa7dc81"},
		{image.Rect(3, -5, 67, 43), 90, "f4c6b9f69ec0f073"},
		{image.Rect(3, -5, 67, 43), 100, "dc6029ae29dd0019"},
		{image.Rect(0, 0, 203, 131), 1, "7d9330fe580cf009"},
		{image.Rect(0, 0, 203, 131), 50, "af5fa47e8e9b0a8b"},
		{image.Rect(0, 0, 203, 131), 90, "ff104ce05f718554"},
		{image.Rect(0, 0, 203, 131), 100, "1843fe4fda5c20d4"},
	} {
		sum := sha256.Sum256(encode(t, intCMYK(tc.r, uint32(i/4)), tc.quality))
		if got := hex.EncodeToString(sum[:8]); got != tc.sha256 {
			t.Errorf("%v q%d: SHA-256 %s…, want %s…", tc.r, tc.quality, got, tc.sha256)
		}
	}
}

func TestQualityClamp(t *testing.T) {
	m := photoCMYK(image.Rect(0, 0, 40, 24), 4)
	for _, e := range encodings {
		enc := func(q int) []byte { return encodeWith(t, e.enc, m, q) }
		if !bytes.Equal(enc(-7), enc(1)) || !bytes.Equal(enc(0), enc(1)) {
			t.Errorf("%s: quality below 1 is not clamped to 1", e.name)
		}
		if !bytes.Equal(enc(101), enc(100)) || !bytes.Equal(enc(1<<30), enc(100)) {
			t.Errorf("%s: quality above 100 is not clamped to 100", e.name)
		}
		if bytes.Equal(enc(50), enc(90)) {
			t.Errorf("%s: quality makes no difference", e.name)
		}
	}
}

// segments splits a JPEG stream up to its SOS segment into marker
// segments, returning their markers and contents (without the length).
func segments(t *testing.T, data []byte) (markers []byte, contents [][]byte) {
	t.Helper()
	for i := 2; ; {
		if i+4 > len(data) || data[i] != 0xff {
			t.Fatalf("no marker at offset %d", i)
		}
		mk, n := data[i+1], int(data[i+2])<<8|int(data[i+3])
		if n < 2 || i+2+n > len(data) {
			t.Fatalf("marker %#x at offset %d: bad length %d", mk, i, n)
		}
		markers = append(markers, mk)
		contents = append(contents, data[i+4:i+2+n])
		if mk == 0xda {
			return markers, contents
		}
		i += 2 + n
	}
}

// TestHeader checks the marker segments of both encodings: SOI, the Adobe
// APP14 segment with transform 0 (Encode) or 2 (EncodeYCCK), no JFIF, the
// quantisation tables, a baseline frame of four components with ids 1 to
// 4, the Huffman tables, the scan header and EOI at the end.
//
// The DQT and DHT segments must be byte for byte those of image/jpeg's
// writer at the same quality: for a grey picture (the luminance tables
// only) for Encode, for a colour one (luminance, then chrominance) for
// EncodeYCCK.
func TestHeader(t *testing.T) {
	m := photoCMYK(image.Rect(0, 0, 300, 200), 5)
	goSegments := func(img image.Image, quality int) (dqt, dht []byte) {
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
			t.Fatal(err)
		}
		markers, contents := segments(t, buf.Bytes())
		for i, mk := range markers {
			switch mk {
			case 0xdb:
				dqt = contents[i]
			case 0xc4:
				dht = contents[i]
			}
		}
		return dqt, dht
	}
	for _, tc := range []struct {
		name      string
		enc       encoderFunc
		transform byte
		sof       []byte // after the 8-bit precision, height and width
		sos       []byte
		goImage   image.Image
	}{
		{
			name: "Encode", enc: Encode, transform: 0,
			// ids 1–4, each sampled 1×1 with quantisation table 0
			sof: []byte{4, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, 4, 0x11, 0},
			// each DC table 0, AC table 0; Ss 0, Se 63, Ah|Al 0
			sos:     []byte{4, 1, 0x00, 2, 0x00, 3, 0x00, 4, 0x00, 0, 63, 0},
			goImage: image.NewGray(image.Rect(0, 0, 8, 8)),
		},
		{
			name: "EncodeYCCK", enc: EncodeYCCK, transform: 2,
			// Y 2×2 table 0, Cb and Cr 1×1 table 1, K 2×2 table 0
			sof: []byte{4, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 4, 0x22, 0},
			// Y and K: DC and AC table 0; Cb and Cr: DC and AC table 1
			sos:     []byte{4, 1, 0x00, 2, 0x11, 3, 0x11, 4, 0x00, 0, 63, 0},
			goImage: image.NewRGBA(image.Rect(0, 0, 8, 8)),
		},
	} {
		for _, q := range []int{1, 50, 90, 100} {
			name := fmt.Sprintf("%s q%d", tc.name, q)
			data := encodeWith(t, tc.enc, m, q)
			app14 := []byte{0xff, 0xd8, 0xff, 0xee, 0x00, 0x0e, 'A', 'd', 'o', 'b', 'e', 0x00, 0x64, 0, 0, 0, 0, tc.transform}
			if !bytes.HasPrefix(data, app14) {
				t.Fatalf("%s: stream starts % x, want % x", name, data[:len(app14)], app14)
			}
			if !bytes.HasSuffix(data, []byte{0xff, 0xd9}) {
				t.Errorf("%s: stream does not end with EOI", name)
			}
			markers, contents := segments(t, data)
			if want := []byte{0xee, 0xdb, 0xc0, 0xc4, 0xda}; !bytes.Equal(markers, want) {
				t.Fatalf("%s: markers % x, want % x", name, markers, want)
			}
			dqt, dht, sof, sos := contents[1], contents[3], contents[2], contents[4]
			wantDQT, wantDHT := goSegments(tc.goImage, q)
			if tc.name == "Encode" {
				wantDQT = wantDQT[:65] // image/jpeg writes both tables even for grey
			}
			if !bytes.Equal(dqt, wantDQT) {
				t.Errorf("%s: DQT % x\nwant % x", name, dqt, wantDQT)
			}
			if !bytes.Equal(dht, wantDHT) {
				t.Errorf("%s: DHT % x\nwant % x", name, dht, wantDHT)
			}
			// The tables' ids: DQT Pq|Tq 0x00 (and 0x01); DHT Tc|Th 0x00,
			// 0x10 (and 0x01, 0x11). (Segment lengths follow from them.)
			wantIDs := map[string][]byte{"Encode": {0x00}, "EncodeYCCK": {0x00, 0x01}}[tc.name]
			if len(dqt) != 65*len(wantIDs) {
				t.Errorf("%s: DQT is %d bytes, want %d tables", name, len(dqt), len(wantIDs))
			} else {
				for i, id := range wantIDs {
					if dqt[65*i] != id {
						t.Errorf("%s: DQT table %d has Pq|Tq %#x, want %#x", name, i, dqt[65*i], id)
					}
				}
			}
			var classes []byte
			for i := 0; i+17 <= len(dht); {
				classes = append(classes, dht[i])
				n := 0
				for _, c := range dht[i+1 : i+17] {
					n += int(c)
				}
				i += 17 + n
			}
			wantClasses := map[string][]byte{"Encode": {0x00, 0x10}, "EncodeYCCK": {0x00, 0x10, 0x01, 0x11}}[tc.name]
			if !bytes.Equal(classes, wantClasses) {
				t.Errorf("%s: DHT tables % x, want % x", name, classes, wantClasses)
			}
			if want := append([]byte{8, 0, 200, 1, 44}, tc.sof...); !bytes.Equal(sof, want) {
				t.Errorf("%s: SOF0 % x, want % x", name, sof, want)
			}
			if !bytes.Equal(sos, tc.sos) {
				t.Errorf("%s: SOS % x, want % x", name, sos, tc.sos)
			}
		}
	}
}

// TestQuantizeExact checks the reciprocal division against the plain
// rounded division of image/jpeg for every divisor and every value in
// [−2¹⁴, 2¹⁴] (twice the range of jpegdct.FDCT's output each way).
func TestQuantizeExact(t *testing.T) {
	var qt quantTable
	for q := 1; q <= 255; q++ {
		d := int32(8 * q)
		qt.setDivisor(0, q)
		for v := int32(-1 << 14); v <= 1<<14; v++ {
			signs := []int32{v >> 31}
			if v == 0 {
				signs = append(signs, -1) // either sign will do for 0
			}
			for _, sign := range signs {
				if got, want := quantize(v, sign, qt.bias[0], qt.recip[0])-quantOffset, divRound(v, d); got != want {
					t.Fatalf("quantize(%d, %d) by %d = quantOffset%+d, want quantOffset%+d", v, sign, d, got, want)
				}
			}
		}
	}
}

// divRound returns v / d rounded to the nearest integer, ties away from
// zero, as image/jpeg's writer quantises.
func divRound(v, d int32) int32 {
	if v < 0 {
		return -((-v + d/2) / d)
	}
	return (v + d/2) / d
}

// TestNonzeroMaskExact checks nonzeroMask's zero test for every divisor
// and every fixed-point coefficient that rounds to an integer in the
// range of jpegdct.FDCT's output: the test is an interval of fixed-point
// values (see nonzeroMask), so it is enough to check the first and the
// last value that round to each integer, and one in between.
func TestNonzeroMaskExact(t *testing.T) {
	var qt quantTable
	var b jpegdct.Block
	for q := 1; q <= 255; q++ {
		d := int32(8 * q)
		qt.setDivisor(0, q)
		for v := int32(-1<<13 + 1); v < 1<<13-1; v++ {
			want := divRound(v, d) != 0
			for _, x := range []int32{v<<fixedBits - 1<<(fixedBits-1), v << fixedBits, v<<fixedBits + 1<<(fixedBits-1) - 1} {
				if round(x) != v {
					t.Fatalf("round(%d) = %d, want %d", x, round(x), v)
				}
				b[0] = x
				if got := qt.nonzeroMask(&b) == 1; got != want {
					t.Fatalf("%d (%d in fixed point) / %d = %d, but nonzeroMask says nonzero = %v", v, x, d, divRound(v, d), got)
				}
			}
		}
	}
}

// TestNonzeroMask checks nonzeroMask against the plain rounded division
// coefficient by coefficient, bit k for zig-zag index k, on random
// blocks with many zeros and many values near the rounding thresholds,
// in fixed point, at several qualities.
func TestNonzeroMask(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, quality := range []int{1, 50, 90, 100} {
		var e encoder
		e.setQuality(quality)
		for _, qt := range []*quantTable{&e.coders[0].quantTable, &e.coders[1].quantTable} {
			for range 2000 {
				var b jpegdct.Block
				for i := range b {
					var v int32
					switch rng.IntN(3) {
					case 0:
						v = int32(rng.IntN(1<<14)) - 1<<13
						v >>= rng.IntN(14) // mostly small
					default: // around ±div/2
						div := 8 * int32(qt.quant[zigOf(i)])
						v = div/2 + int32(rng.IntN(3)) - 1
						if rng.IntN(2) == 0 {
							v = -v
						}
					}
					v = max(-1<<13+1, min(1<<13-2, v))
					b[i] = v<<fixedBits + int32(rng.IntN(1<<fixedBits)) - 1<<(fixedBits-1)
				}
				var want uint64
				for k, i := range jpegdct.Unzig {
					if divRound(round(b[i]), 8*int32(qt.quant[k])) != 0 {
						want |= 1 << k
					}
				}
				if got := qt.nonzeroMask(&b); got != want {
					t.Fatalf("q%d: nonzeroMask(%v) = %#x, want %#x", quality, b, got, want)
				}
			}
		}
	}
}

// zigOf returns the zig-zag index of natural index i.
func zigOf(i int) int {
	for k, n := range jpegdct.Unzig {
		if n == i {
			return k
		}
	}
	panic("not in Unzig")
}

type errWriter struct{ n int }

var errWrite = errors.New("write failed")

func (w *errWriter) Write(p []byte) (int, error) {
	w.n++
	return 0, errWrite
}

func TestErrors(t *testing.T) {
	big := photoCMYK(image.Rect(0, 0, 1200, 800), 6) // several flushes' worth in either encoding
	for _, e := range encodings {
		var buf bytes.Buffer
		if err := e.enc(&buf, nil, 90); err == nil {
			t.Errorf("%s: nil image: no error", e.name)
		}
		if err := e.enc(&buf, image.NewCMYK(image.Rect(0, 0, 0, 5)), 90); err == nil {
			t.Errorf("%s: empty image: no error", e.name)
		}
		if err := e.enc(&buf, &image.CMYK{Rect: image.Rect(0, 0, 1<<16, 1)}, 90); err == nil {
			t.Errorf("%s: 65536 pixels wide: no error", e.name)
		}
		if err := e.enc(&buf, &image.CMYK{Rect: image.Rect(0, 0, 1, 1<<16)}, 90); err == nil {
			t.Errorf("%s: 65536 pixels high: no error", e.name)
		}
		if err := e.enc(&buf, &image.CMYK{Rect: image.Rect(0, 0, 4, 4), Stride: 16, Pix: make([]byte, 63)}, 90); err == nil {
			t.Errorf("%s: short Pix: no error", e.name)
		}
		if buf.Len() != 0 {
			t.Errorf("%s: failed encodings wrote %d bytes", e.name, buf.Len())
		}
		w := &errWriter{}
		if err := e.enc(w, big, 90); !errors.Is(err, errWrite) {
			t.Errorf("%s: failing writer: err = %v, want %v", e.name, err, errWrite)
		}
		if w.n != 1 {
			t.Errorf("%s: failing writer: %d writes, want 1 (stop at the first error)", e.name, w.n)
		}
	}
}

// TestInkToYCbCr checks the inlined colour conversion against
// image/color.RGBToYCbCr of the inverted inks for every input.
func TestInkToYCbCr(t *testing.T) {
	for c := range 256 {
		for m := range 256 {
			for y := range 256 {
				wy, wcb, wcr := color.RGBToYCbCr(uint8(255-c), uint8(255-m), uint8(255-y))
				gy, gcb, gcr := inkToYCbCr(uint8(c), uint8(m), uint8(y))
				if gy != int32(wy) || gcb != int32(wcb) || gcr != int32(wcr) {
					t.Fatalf("inkToYCbCr(%d, %d, %d) = %d, %d, %d, want %d, %d, %d", c, m, y, gy, gcb, gcr, wy, wcb, wcr)
				}
			}
		}
	}
}
