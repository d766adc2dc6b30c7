package jpegcmyk

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

var allRatios = []image.YCbCrSubsampleRatio{
	image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422,
	image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio440,
	image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410,
}

// stdlibJPEG returns what image/jpeg writes for m at quality.
func stdlibJPEG(t testing.TB, m image.Image, quality int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: quality}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// checkSame fails unless EncodeYCbCr writes exactly image/jpeg's bytes for
// m at quality.
func checkSame(t testing.TB, name string, m *image.YCbCr, quality int) {
	t.Helper()
	want := stdlibJPEG(t, m, quality)
	var got bytes.Buffer
	if err := EncodeYCbCr(&got, m, quality); err != nil {
		t.Fatalf("%s q%d: %v", name, quality, err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		n := 0
		for n < min(got.Len(), len(want)) && got.Bytes()[n] == want[n] {
			n++
		}
		t.Fatalf("%s q%d (%v %v): %d bytes, image/jpeg %d; first difference at byte %d",
			name, quality, m.Rect, m.SubsampleRatio, got.Len(), len(want), n)
	}
}

// fillYCbCr returns a picture of rectangle r and ratio with samples from
// sample, called for Y, Cb and Cr in turn for each sample of each plane.
func fillYCbCr(r image.Rectangle, ratio image.YCbCrSubsampleRatio, sample func(plane, i int) byte) *image.YCbCr {
	m := image.NewYCbCr(r, ratio)
	for i := range m.Y {
		m.Y[i] = sample(0, i)
	}
	for i := range m.Cb {
		m.Cb[i] = sample(1, i)
		m.Cr[i] = sample(2, i)
	}
	return m
}

// patterns are the kinds of synthetic pictures compared.
var patterns = []struct {
	name   string
	sample func(rng *rand.Rand) func(plane, i int) byte
}{
	{"noise", func(rng *rand.Rand) func(int, int) byte {
		return func(int, int) byte { return byte(rng.Uint32()) }
	}},
	{"flat", func(rng *rand.Rand) func(int, int) byte {
		v := [3]byte{byte(rng.Uint32()), byte(rng.Uint32()), byte(rng.Uint32())}
		return func(p, _ int) byte { return v[p] }
	}},
	{"extreme", func(rng *rand.Rand) func(int, int) byte {
		return func(int, int) byte { return byte(rng.IntN(2) * 255) }
	}},
	{"ramp", func(rng *rand.Rand) func(int, int) byte {
		return func(p, i int) byte { return byte(i*(p+1)/3 + rng.IntN(5)) }
	}},
}

func TestEncodeYCbCrMatchesStdlib(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	sizes := []image.Point{{1, 1}, {7, 9}, {17, 15}, {33, 31}, {640, 481}}
	qualities := []int{1, 50, 75, 80, 90, 100}
	for _, size := range sizes {
		for _, ratio := range allRatios {
			for _, p := range patterns {
				m := fillYCbCr(image.Rectangle{Max: size}, ratio, p.sample(rng))
				for _, q := range qualities {
					checkSame(t, fmt.Sprintf("%s %v", p.name, size), m, q)
				}
			}
		}
	}
}

// TestEncodeYCbCrBounds compares sub-images at odd and even offsets and
// pictures whose bounds do not start at the origin, negative ones
// included, where COffset's division rounds towards zero.
func TestEncodeYCbCrBounds(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, ratio := range allRatios {
		for _, o := range []image.Point{{0, 0}, {1, 1}, {2, 2}, {3, 6}, {-5, -3}, {-4, -8}} {
			m := fillYCbCr(image.Rect(o.X, o.Y, o.X+70, o.Y+53), ratio, patterns[3].sample(rng))
			checkSame(t, fmt.Sprintf("whole %v", o), m, 75)
			for _, off := range []image.Point{{1, 1}, {1, 2}, {2, 1}, {3, 3}, {4, 4}, {5, 0}} {
				r := image.Rect(o.X+off.X, o.Y+off.Y, o.X+70-off.Y, o.Y+53-off.X)
				checkSame(t, fmt.Sprintf("sub %v", r), m.SubImage(r).(*image.YCbCr), 90)
			}
		}
	}
}

// decodeSamples returns the sample issue's photographs, decoded by
// image/jpeg, skipping the test if there are none.
func decodeSamples(t testing.TB) map[string]*image.YCbCr {
	t.Helper()
	files, _ := filepath.Glob("../../samples/zhenjing-2023-05/images/*.jpg")
	if len(files) == 0 {
		t.Skip("no sample photographs")
	}
	photos := map[string]*image.YCbCr{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if y, ok := m.(*image.YCbCr); ok {
			photos[filepath.Base(f)] = y
		}
	}
	return photos
}

// shrinkTo returns m reduced to w × h pixels by taking the nearest pixel,
// with the subsampling ratio ratio (each chroma sample taken from one of
// the pixels it covers).
func shrinkTo(m *image.YCbCr, w, h int, ratio image.YCbCrSubsampleRatio) *image.YCbCr {
	r := m.Bounds()
	dst := image.NewYCbCr(image.Rect(0, 0, w, h), ratio)
	for y := range h {
		sy := r.Min.Y + y*r.Dy()/h
		for x := range w {
			sx := r.Min.X + x*r.Dx()/w
			dst.Y[dst.YOffset(x, y)] = m.Y[m.YOffset(sx, sy)]
			dst.Cb[dst.COffset(x, y)] = m.Cb[m.COffset(sx, sy)]
			dst.Cr[dst.COffset(x, y)] = m.Cr[m.COffset(sx, sy)]
		}
	}
	return dst
}

func TestEncodeYCbCrSamplePhotos(t *testing.T) {
	photos := decodeSamples(t)
	i := 0
	for name, m := range photos {
		r := m.Bounds()
		// Cropped at odd offsets, and at an even one.
		for _, crop := range []image.Rectangle{
			image.Rect(r.Min.X+3, r.Min.Y+5, r.Min.X+3+641, r.Min.Y+5+481),
			image.Rect(r.Min.X+r.Dx()/3|1, r.Min.Y+r.Dy()/4|1, r.Max.X-7, r.Max.Y-2),
			image.Rect(r.Min.X+2, r.Min.Y+4, r.Min.X+2+333, r.Min.Y+4+217),
		} {
			checkSame(t, name+" crop", m.SubImage(crop.Intersect(r)).(*image.YCbCr), []int{75, 80, 90}[i%3])
		}
		// Shrunk to about a quarter, in every ratio.
		for j, ratio := range allRatios {
			s := shrinkTo(m, r.Dx()/4+j, r.Dy()/4+1, ratio)
			checkSame(t, fmt.Sprintf("%s shrunk %v", name, ratio), s, []int{50, 75, 80, 90, 100, 1}[(i+j)%6])
		}
		i++
	}
}

func TestEncodeYCbCrErrors(t *testing.T) {
	if err := EncodeYCbCr(&bytes.Buffer{}, nil, 75); err == nil {
		t.Error("nil image: no error")
	}
	big := &image.YCbCr{Rect: image.Rect(0, 0, 1<<16, 1), SubsampleRatio: image.YCbCrSubsampleRatio444}
	if err := EncodeYCbCr(&bytes.Buffer{}, big, 75); err == nil {
		t.Error("65536 pixels wide: no error")
	}
	// An empty picture: image/jpeg writes the headers and no data.
	checkSame(t, "empty", image.NewYCbCr(image.Rect(3, 3, 3, 3), image.YCbCrSubsampleRatio420), 75)
	// Qualities out of range are clamped as image/jpeg clamps them.
	m := fillYCbCr(image.Rect(0, 0, 20, 20), image.YCbCrSubsampleRatio420, patterns[0].sample(rand.New(rand.NewPCG(7, 8))))
	for _, q := range []int{-3, 0, 101, 1000} {
		checkSame(t, "clamp", m, q)
	}
}

// FuzzEncodeYCbCr compares EncodeYCbCr with image/jpeg on pictures of
// every subsampling ratio, size, origin and quality, with samples from
// the fuzzer's data (repeated to fill the planes).
func FuzzEncodeYCbCr(f *testing.F) {
	f.Add(uint8(1), uint8(1), uint8(0), int8(0), int8(0), uint8(75), []byte{0})
	f.Add(uint8(17), uint8(15), uint8(2), int8(1), int8(-3), uint8(90), []byte{0, 255, 17, 128, 3})
	f.Add(uint8(40), uint8(33), uint8(5), int8(-7), int8(5), uint8(100), []byte("photograph"))
	f.Fuzz(func(t *testing.T, w, h, ratio uint8, x0, y0 int8, quality uint8, data []byte) {
		if len(data) == 0 {
			data = []byte{0}
		}
		r := image.Rect(int(x0), int(y0), int(x0)+int(w)%100, int(y0)+int(h)%100)
		k := 0
		m := fillYCbCr(r, allRatios[int(ratio)%len(allRatios)], func(p, i int) byte {
			k++
			return data[k%len(data)] + byte(p*i)
		})
		if !stdlibEncodes(m) {
			// image/jpeg indexes past the chroma planes of some
			// pictures with negative bounds (image.NewYCbCr sizes them
			// rounding down, COffset's x/2 rounds towards zero).
			t.Skip("image/jpeg panics")
		}
		checkSame(t, "fuzz", m, int(quality)%110-3)
	})
}

// stdlibEncodes reports whether image/jpeg encodes m without panicking.
func stdlibEncodes(m image.Image) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return jpeg.Encode(io.Discard, m, nil) == nil
}

// BenchmarkEncodeYCbCr encodes a sample photograph shrunk to about
// 1000×700 in 4:2:0 and in 4:4:4 (the two forms that previews re-encode),
// with EncodeYCbCr and, as the sub-benchmark "image/jpeg", with
// image/jpeg.
func BenchmarkEncodeYCbCr(b *testing.B) {
	f, err := os.ReadFile(samplePhoto)
	if err != nil {
		b.Skip(err)
	}
	src, err := jpeg.Decode(bytes.NewReader(f))
	if err != nil {
		b.Fatal(err)
	}
	y, ok := src.(*image.YCbCr)
	if !ok {
		b.Skip("the sample photograph is not YCbCr")
	}
	for _, ratio := range []image.YCbCrSubsampleRatio{image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio444} {
		m := shrinkTo(y, 1000, 667, ratio)
		b.Run(ratio.String(), func(b *testing.B) {
			b.Run("jpegcmyk", func(b *testing.B) {
				b.SetBytes(int64(3 * 1000 * 667))
				for b.Loop() {
					if err := EncodeYCbCr(io.Discard, m, 80); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("image/jpeg", func(b *testing.B) {
				b.SetBytes(int64(3 * 1000 * 667))
				for b.Loop() {
					if err := jpeg.Encode(io.Discard, m, &jpeg.Options{Quality: 80}); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
