package jpegdec

import (
	"paiban/internal/jpegdct"

	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func testFiles(t testing.TB) []string {
	files, err := filepath.Glob("testdata/*.jpeg")
	if err != nil || len(files) < 10 {
		t.Fatalf("test files: %v (%d)", err, len(files))
	}
	return append(files, "../../samples/zhenjing-2023-05/images/lead-liuhua.jpg")
}

// TestFullSizeMatchesStdlib: shift 0 is image/jpeg, to the byte and error,
// on Go's test files, the sample issue's photographs, and random pictures
// that image/jpeg encodes (its encoder writes grey and 4:2:0; the other
// layouts are TestSequentialMatchesStdlib's).
func TestFullSizeMatchesStdlib(t *testing.T) {
	files, err := filepath.Glob("testdata/*.jpeg")
	if err != nil || len(files) < 10 {
		t.Fatalf("test files: %v (%d)", err, len(files))
	}
	photos, err := filepath.Glob("../../samples/zhenjing-2023-05/images/*.jpg")
	if err != nil || len(photos) == 0 {
		t.Fatalf("sample photos: %v (%d)", err, len(photos))
	}
	for _, f := range append(files, photos...) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if msg := matchesStdlib(data); msg != "" {
			t.Errorf("%s: %s", f, msg)
		}
	}

	rng := rand.New(rand.NewPCG(5, 6))
	for trial := range 60 {
		w, h := 1+rng.IntN(90), 1+rng.IntN(90)
		if trial%10 == 0 {
			w, h = 200+rng.IntN(300), 200+rng.IntN(300)
		}
		var img image.Image
		switch trial % 3 {
		case 0:
			img = randomGray(rng, w, h)
		case 1:
			ratios := []image.YCbCrSubsampleRatio{image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420}
			img = randomYCbCr(rng, w, h, ratios[trial%len(ratios)])
		default:
			img = randomRGBA(rng, w, h)
		}
		quality := []int{1, 5, 25, 50, 75, 90, 95, 100}[trial%8]
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
			t.Fatal(err)
		}
		if msg := matchesStdlib(buf.Bytes()); msg != "" {
			t.Errorf("random %T %d×%d at quality %d: %s", img, w, h, quality, msg)
		}
	}
}

// matchesStdlib decodes data with Decode(…, 0) and with image/jpeg and
// says how the results differ, or "" if they do not: the same kind and
// text of error, or the same image type, bounds, strides and bytes (all
// of them, the padding beyond the bounds too).
func matchesStdlib(data []byte) string {
	want, werr := jpeg.Decode(bytes.NewReader(data))
	got, gerr := Decode(bytes.NewReader(data), 0)
	if werr != nil || gerr != nil {
		if werr == nil || gerr == nil || werr.Error() != gerr.Error() || errorKind(werr) != errorKind(gerr) {
			return fmt.Sprintf("error %v, image/jpeg says %v", gerr, werr)
		}
		return ""
	}
	return sameImage(got, want)
}

// errorKind is which of the packages' error types err is, in either
// package.
func errorKind(err error) string {
	switch err.(type) {
	case FormatError, jpeg.FormatError:
		return "format"
	case UnsupportedError, jpeg.UnsupportedError:
		return "unsupported"
	}
	return "other"
}

// sameImage says how got differs from want in type, bounds, layout or
// bytes, or returns "".
func sameImage(got, want image.Image) string {
	if fmt.Sprintf("%T", got) != fmt.Sprintf("%T", want) {
		return fmt.Sprintf("a %T, want a %T", got, want)
	}
	type layout struct {
		rect    image.Rectangle
		strides []int
		planes  [][]byte
		extra   string
	}
	of := func(img image.Image) layout {
		switch m := img.(type) {
		case *image.Gray:
			return layout{m.Rect, []int{m.Stride}, [][]byte{m.Pix}, ""}
		case *image.YCbCr:
			return layout{m.Rect, []int{m.YStride, m.CStride}, [][]byte{m.Y, m.Cb, m.Cr}, m.SubsampleRatio.String()}
		case *image.RGBA:
			return layout{m.Rect, []int{m.Stride}, [][]byte{m.Pix}, ""}
		case *image.CMYK:
			return layout{m.Rect, []int{m.Stride}, [][]byte{m.Pix}, ""}
		}
		panic(fmt.Sprintf("unexpected %T", img))
	}
	g, w := of(got), of(want)
	if g.rect != w.rect || !slices.Equal(g.strides, w.strides) || g.extra != w.extra {
		return fmt.Sprintf("layout %v %v %s, want %v %v %s", g.rect, g.strides, g.extra, w.rect, w.strides, w.extra)
	}
	for i := range w.planes {
		if len(g.planes[i]) != len(w.planes[i]) {
			return fmt.Sprintf("plane %d: %d bytes, want %d", i, len(g.planes[i]), len(w.planes[i]))
		}
		for j := range w.planes[i] {
			if g.planes[i][j] != w.planes[i][j] {
				return fmt.Sprintf("plane %d: byte %d (row %d) is %d, want %d", i, j, j/w.strides[min(i, len(w.strides)-1)], g.planes[i][j], w.planes[i][j])
			}
		}
	}
	return ""
}

// randomGray, randomYCbCr and randomRGBA are photo-like test pictures:
// smooth gradients with a few edges and some noise.
func randomGray(rng *rand.Rand, w, h int) *image.Gray {
	m := image.NewGray(image.Rect(0, 0, w, h))
	f := smoothField(rng)
	for y := range h {
		for x := range w {
			m.Pix[y*m.Stride+x] = f(rng, x, y)
		}
	}
	return m
}

func randomYCbCr(rng *rand.Rand, w, h int, ratio image.YCbCrSubsampleRatio) *image.YCbCr {
	m := image.NewYCbCr(image.Rect(0, 0, w, h), ratio)
	for _, p := range []struct {
		pix    []byte
		stride int
	}{{m.Y, m.YStride}, {m.Cb, m.CStride}, {m.Cr, m.CStride}} {
		f := smoothField(rng)
		for i := range p.pix {
			p.pix[i] = f(rng, i%p.stride, i/p.stride)
		}
	}
	return m
}

func randomRGBA(rng *rand.Rand, w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	fs := [3]func(*rand.Rand, int, int) byte{smoothField(rng), smoothField(rng), smoothField(rng)}
	for y := range h {
		for x := range w {
			i := y*m.Stride + 4*x
			m.Pix[i], m.Pix[i+1], m.Pix[i+2], m.Pix[i+3] = fs[0](rng, x, y), fs[1](rng, x, y), fs[2](rng, x, y), 255
		}
	}
	return m
}

func smoothField(rng *rand.Rand) func(*rand.Rand, int, int) byte {
	a, b, c := rng.Float64()*6-3, rng.Float64()*6-3, rng.Float64()*255
	edge := rng.IntN(100)
	noise := rng.IntN(40) + 1
	return func(rng *rand.Rand, x, y int) byte {
		v := c + a*float64(x) + b*float64(y) + float64(rng.IntN(noise))
		if x+y > edge {
			v += 80
		}
		return byte(int(v) & 0xff) // wrapping around makes sharp edges too
	}
}

// plane is one component's samples.
type plane struct {
	pix          []byte
	stride, w, h int
}

// planes are a decoded picture's components as stored: Y, Cb, Cr of a
// YCbCr picture (chroma at its own size), the grey of a Gray one; nil for
// RGBA and CMYK results, which the decoder converts after reconstruction.
func planes(img image.Image) []plane {
	switch m := img.(type) {
	case *image.Gray:
		return []plane{{m.Pix, m.Stride, m.Rect.Dx(), m.Rect.Dy()}}
	case *image.YCbCr:
		c := m.COffset(m.Rect.Max.X-1, m.Rect.Max.Y-1)
		cw, ch := c%m.CStride+1, c/m.CStride+1
		return []plane{{m.Y, m.YStride, m.Rect.Dx(), m.Rect.Dy()}, {m.Cb, m.CStride, cw, ch}, {m.Cr, m.CStride, cw, ch}}
	}
	return nil
}

// TestScaled: each reduced sample is close to the average of the
// full-size samples of its component that it stands for.
func TestScaled(t *testing.T) {
	for _, f := range testFiles(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		full, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			if _, gerr := Decode(bytes.NewReader(data), 2); gerr == nil || gerr.Error() != err.Error() {
				t.Errorf("%s: scaled decode says %v, want %v", f, gerr, err)
			}
			continue
		}
		fb := full.Bounds()
		for shift := uint(1); shift <= 3; shift++ {
			img, err := Decode(bytes.NewReader(data), shift)
			if err != nil {
				t.Errorf("%s 1/%d: %v", f, 1<<shift, err)
				continue
			}
			s := 1 << shift
			want := image.Rect(0, 0, (fb.Dx()+s-1)/s, (fb.Dy()+s-1)/s)
			if img.Bounds() != want {
				t.Errorf("%s 1/%d: bounds %v, want %v", f, s, img.Bounds(), want)
				continue
			}
			if fmt.Sprintf("%T", img) != fmt.Sprintf("%T", full) {
				t.Errorf("%s 1/%d: a %T, want a %T", f, s, img, full)
				continue
			}
			fp, rp := planes(full), planes(img)
			if fp == nil {
				// RGB and CMYK files: converted after reconstruction;
				// their size is what there is to check.
				continue
			}
			for i := range rp {
				var sum, n float64
				for y := range rp[i].h {
					for x := range rp[i].w {
						var avg float64
						for j := y * s; j < (y+1)*s; j++ {
							for k := x * s; k < (x+1)*s; k++ {
								avg += float64(fp[i].pix[j*fp[i].stride+k])
							}
						}
						sum += math.Abs(float64(rp[i].pix[y*rp[i].stride+x]) - avg/float64(s*s))
						n++
					}
				}
				// Left out: the frequencies above the reduced size's
				// (a box average keeps some of them; TestScaledIDCT
				// checks the arithmetic exactly), and the full-size
				// decode's own rounding. The 150-pixel video frames are
				// sharp to the pixel.
				limit := 3.0
				if strings.HasSuffix(f, ".jpg") {
					limit = 0.5 // a photograph at 300 ppi has little such detail
				}
				if m := sum / n; m > limit {
					t.Errorf("%s 1/%d component %d: mean |difference| from the box average %.2f, want ≤ %g", f, s, i, m, limit)
				}
			}
		}
	}
}

// TestScaledIDCT checks the reduced transform against the definition: the
// box average of the full inverse DCT of the block's low n × n
// coefficients.
func TestScaledIDCT(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 300 {
		var b jpegdct.Block
		for i := range b {
			if rng.IntN(3) == 0 || i == 0 {
				b[i] = int32(rng.IntN(401) - 200)
			}
		}
		b[0] = int32(rng.IntN(1600) - 800)
		for shift := uint(1); shift <= 3; shift++ {
			n, s := 8>>shift, 1<<shift
			got := make([]byte, n*n)
			bb := b
			scaledIDCT(&bb, shift, got, n)
			for y := range n {
				for x := range n {
					var sum float64
					for j := y * s; j < (y+1)*s; j++ {
						for i := x * s; i < (x+1)*s; i++ {
							for v := range n {
								for u := range n {
									cu, cv := 1.0, 1.0
									if u == 0 {
										cu = 1 / math.Sqrt2
									}
									if v == 0 {
										cv = 1 / math.Sqrt2
									}
									sum += cu * cv / 4 * float64(b[v*8+u]) *
										math.Cos(float64((2*i+1)*u)*math.Pi/16) * math.Cos(float64((2*j+1)*v)*math.Pi/16)
								}
							}
						}
					}
					want := math.Max(0, math.Min(255, sum/float64(s*s)+128))
					if d := math.Abs(float64(got[y*n+x]) - want); d > 0.51 {
						t.Fatalf("trial %d 1/%d (%d,%d): %d, want %.2f", trial, s, x, y, got[y*n+x], want)
					}
				}
			}
		}
	}
}

// TestScaledFlat: a flat picture decodes to exactly its colour at every
// reduction.
func TestScaledFlat(t *testing.T) {
	src := image.NewYCbCr(image.Rect(0, 0, 77, 45), image.YCbCrSubsampleRatio420)
	for i := range src.Y {
		src.Y[i] = 180
	}
	for i := range src.Cb {
		src.Cb[i], src.Cr[i] = 90, 160
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, src, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	for shift := uint(0); shift <= 3; shift++ {
		img, err := Decode(bytes.NewReader(buf.Bytes()), shift)
		if err != nil {
			t.Fatal(err)
		}
		m := img.(*image.YCbCr)
		for y := range m.Rect.Dy() {
			for x := range m.Rect.Dx() {
				if c := m.YCbCrAt(x, y); c != (color.YCbCr{Y: 180, Cb: 90, Cr: 160}) {
					t.Fatalf("1/%d: (%d,%d) = %v", 1<<shift, x, y, c)
				}
			}
		}
	}
}

func BenchmarkDecode(b *testing.B) {
	data, err := os.ReadFile("../../samples/zhenjing-2023-05/images/lead-tianli.jpg")
	if err != nil {
		b.Fatal(err)
	}
	for shift := uint(0); shift <= 3; shift++ {
		b.Run([]string{"full", "half", "quarter", "eighth"}[shift], func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := Decode(bytes.NewReader(data), shift); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("stdlib", func(b *testing.B) {
		for b.Loop() {
			jpeg.Decode(bytes.NewReader(data))
		}
	})
}
