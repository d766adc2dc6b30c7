package jpegcmyk

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"testing"
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

// encode encodes m or fails the test.
func encode(t testing.TB, m *image.CMYK, quality int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Encode(&buf, m, quality); err != nil {
		t.Fatalf("Encode: %v", err)
	}
	return buf.Bytes()
}

// decodeGo decodes data with image/jpeg and undoes the Adobe inversion it
// applies to 4-component JPEGs with an APP14 segment (see the package
// comment), returning the encoded ink values.
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
		quality int
		minPSNR float64
	}{
		{50, 30}, {75, 33}, {90, 35}, {100, 45},
	} {
		data := encode(t, m, tc.quality)
		got := decodeGo(t, data)
		if got.Bounds() != m.Bounds() {
			t.Fatalf("q%d: decoded bounds %v, want %v", tc.quality, got.Bounds(), m.Bounds())
		}
		psnr, maxDiff := compare(m, got)
		t.Logf("quality %3d: %7d bytes (%.2f bits/pixel), PSNR %.2f dB, max |diff| %d",
			tc.quality, len(data), float64(8*len(data))/float64(400*300), psnr, maxDiff)
		if psnr < tc.minPSNR {
			t.Errorf("quality %d: PSNR %.2f dB, want ≥ %.0f", tc.quality, psnr, tc.minPSNR)
		}
	}
}

// TestFlatPatches checks that flat 8×8-aligned patches, whose blocks have
// only a DC coefficient, come back exactly (±1) in every channel.
func TestFlatPatches(t *testing.T) {
	inks := [][4]uint8{
		{255, 0, 0, 0}, {0, 255, 0, 0}, {0, 0, 255, 0}, {0, 0, 0, 255},
		{0, 0, 0, 0}, {255, 255, 255, 255}, {128, 64, 32, 16}, {1, 254, 127, 200},
	}
	m := image.NewCMYK(image.Rect(0, 0, 16*len(inks), 16))
	for p, ink := range inks {
		for y := range 16 {
			for x := 16 * p; x < 16*p+16; x++ {
				copy(m.Pix[m.PixOffset(x, y):], ink[:])
			}
		}
	}
	for _, q := range []int{50, 75, 90, 100} {
		got := decodeGo(t, encode(t, m, q))
		for p, ink := range inks {
			for _, pt := range []image.Point{{16 * p, 0}, {16*p + 15, 15}, {16*p + 7, 9}} {
				i := got.PixOffset(pt.X, pt.Y)
				for c := range 4 {
					if d := int(got.Pix[i+c]) - int(ink[c]); d < -1 || d > 1 {
						t.Errorf("q%d: patch %v at %v: got %v", q, ink, pt, got.Pix[i:i+4])
						break
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
		image.Rect(0, 0, 33, 31), image.Rect(0, 0, 2480, 10), image.Rect(0, 0, 10, 2480),
		image.Rect(-5, 3, 12, 20), image.Rect(1000, -7, 1003, -2),
	}
	rng := rand.New(rand.NewPCG(7, 11))
	for range 40 {
		x, y := rng.IntN(200)-100, rng.IntN(200)-100
		rects = append(rects, image.Rect(x, y, x+1+rng.IntN(150), y+1+rng.IntN(150)))
	}
	for i, r := range rects {
		name := fmt.Sprintf("%d×%d@%d,%d", r.Dx(), r.Dy(), r.Min.X, r.Min.Y)
		m := photoCMYK(r, uint64(i))
		if i%3 == 2 {
			// A sub-image of a bigger picture: stride ≠ 4×width.
			big := photoCMYK(r.Inset(-9), uint64(i))
			m = big.SubImage(r).(*image.CMYK)
		}
		q := []int{90, 75, 100, 40}[i%4]
		data := encode(t, m, q)
		got := decodeGo(t, data)
		if got.Bounds().Size() != r.Size() {
			t.Errorf("%s: decoded size %v", name, got.Bounds().Size())
			continue
		}
		psnr, maxDiff := compare(m, got)
		// Tiny images are all edges and noise; larger ones are photo-like.
		want := 20.0
		if r.Dx() >= 32 && r.Dy() >= 32 {
			want = map[int]float64{90: 33, 75: 30, 100: 40, 40: 27}[q]
		}
		if testing.Verbose() {
			t.Logf("%s q%d: PSNR %.2f dB, max |diff| %d", name, q, psnr, maxDiff)
		}
		if psnr < want {
			t.Errorf("%s q%d: PSNR %.2f dB (max |diff| %d), want ≥ %.0f", name, q, psnr, maxDiff, want)
		}
		if !bytes.Equal(data, encode(t, m, q)) {
			t.Errorf("%s: second encoding differs", name)
		}
	}
}

// FuzzEncode encodes random small images and checks that image/jpeg
// decodes them to the right size.
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
		got := decodeGo(t, encode(t, m, quality))
		if got.Bounds() != m.Bounds() {
			t.Fatalf("decoded bounds %v, want %v", got.Bounds(), m.Bounds())
		}
	})
}

func TestDeterministic(t *testing.T) {
	m := photoCMYK(image.Rect(0, 0, 123, 77), 3)
	a, b := encode(t, m, 85), encode(t, m, 85)
	if !bytes.Equal(a, b) {
		t.Fatal("two encodings of the same image differ")
	}
}

func TestQualityClamp(t *testing.T) {
	m := photoCMYK(image.Rect(0, 0, 40, 24), 4)
	if !bytes.Equal(encode(t, m, -7), encode(t, m, 1)) || !bytes.Equal(encode(t, m, 0), encode(t, m, 1)) {
		t.Error("quality below 1 is not clamped to 1")
	}
	if !bytes.Equal(encode(t, m, 101), encode(t, m, 100)) || !bytes.Equal(encode(t, m, 1<<30), encode(t, m, 100)) {
		t.Error("quality above 100 is not clamped to 100")
	}
}

// TestHeader checks the marker segments: SOI, the Adobe APP14 segment with
// transform 0, no JFIF, one 8-bit quantisation table, a baseline frame of
// four components with ids 1 to 4 sampled 1×1, and EOI at the end.
func TestHeader(t *testing.T) {
	data := encode(t, photoCMYK(image.Rect(0, 0, 300, 200), 5), 90)
	app14 := []byte{0xff, 0xd8, 0xff, 0xee, 0x00, 0x0e, 'A', 'd', 'o', 'b', 'e', 0x00, 0x64, 0, 0, 0, 0, 0}
	if !bytes.HasPrefix(data, app14) {
		t.Fatalf("stream starts % x, want % x", data[:len(app14)], app14)
	}
	if !bytes.HasSuffix(data, []byte{0xff, 0xd9}) {
		t.Error("stream does not end with EOI")
	}
	var markers []byte
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xff {
			t.Fatalf("no marker at offset %d", i)
		}
		mk, n := data[i+1], int(data[i+2])<<8|int(data[i+3])
		markers = append(markers, mk)
		seg := data[i+4 : i+2+n]
		switch mk {
		case 0xdb:
			if n != 67 || seg[0] != 0 {
				t.Errorf("DQT: length %d, Pq|Tq %#x", n, seg[0])
			}
		case 0xc0:
			want := []byte{8, 0, 200, 1, 44, 4, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, 4, 0x11, 0}
			if !bytes.Equal(seg, want) {
				t.Errorf("SOF0 % x, want % x", seg, want)
			}
		}
		if mk == 0xda {
			break
		}
		i += 2 + n
	}
	if want := []byte{0xee, 0xdb, 0xc0, 0xc4, 0xda}; !bytes.Equal(markers, want) {
		t.Errorf("markers % x, want % x", markers, want)
	}
}

// TestQuantizeExact checks the reciprocal division against the plain
// rounded division of image/jpeg for every divisor and DCT output.
func TestQuantizeExact(t *testing.T) {
	var e encoder
	for q := 1; q <= 255; q++ {
		d := int32(8 * q)
		e.div[0] = d
		e.recip[0] = (1<<32 + uint64(d) - 1) / uint64(d)
		for v := int32(-1 << 14); v <= 1<<14; v++ {
			var want int32
			if v >= 0 {
				want = (v + d>>1) / d
			} else {
				want = -((-v + d>>1) / d)
			}
			if got := e.quantize(v, 0); got != want {
				t.Fatalf("quantize(%d) by %d = %d, want %d", v, d, got, want)
			}
		}
	}
}

type errWriter struct{ n int }

var errWrite = errors.New("write failed")

func (w *errWriter) Write(p []byte) (int, error) {
	w.n++
	return 0, errWrite
}

func TestErrors(t *testing.T) {
	var buf bytes.Buffer
	if err := Encode(&buf, nil, 90); err == nil {
		t.Error("nil image: no error")
	}
	if err := Encode(&buf, image.NewCMYK(image.Rect(0, 0, 0, 5)), 90); err == nil {
		t.Error("empty image: no error")
	}
	if err := Encode(&buf, &image.CMYK{Rect: image.Rect(0, 0, 1<<16, 1)}, 90); err == nil {
		t.Error("65536 pixels wide: no error")
	}
	if err := Encode(&buf, &image.CMYK{Rect: image.Rect(0, 0, 4, 4), Stride: 16, Pix: make([]byte, 63)}, 90); err == nil {
		t.Error("short Pix: no error")
	}
	if buf.Len() != 0 {
		t.Errorf("failed encodings wrote %d bytes", buf.Len())
	}
	w := &errWriter{}
	if err := Encode(w, photoCMYK(image.Rect(0, 0, 600, 400), 6), 90); !errors.Is(err, errWrite) {
		t.Errorf("failing writer: err = %v, want %v", err, errWrite)
	}
	if w.n != 1 {
		t.Errorf("failing writer: %d writes, want 1 (stop at the first error)", w.n)
	}
}
