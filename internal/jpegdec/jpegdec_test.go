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

// TestFullSizeMatchesStdlib: shift 0 is image/jpeg, to the byte and error.
func TestFullSizeMatchesStdlib(t *testing.T) {
	for _, f := range testFiles(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		want, werr := jpeg.Decode(bytes.NewReader(data))
		got, gerr := Decode(bytes.NewReader(data), 0)
		if (werr == nil) != (gerr == nil) || werr != nil && werr.Error() != gerr.Error() {
			t.Errorf("%s: error %v, image/jpeg says %v", f, gerr, werr)
			continue
		}
		if werr != nil {
			continue
		}
		if got.Bounds() != want.Bounds() {
			t.Errorf("%s: bounds %v, want %v", f, got.Bounds(), want.Bounds())
			continue
		}
		b := want.Bounds()
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				if got.At(x, y) != want.At(x, y) {
					t.Fatalf("%s: (%d,%d) = %v, want %v", f, x, y, got.At(x, y), want.At(x, y))
				}
			}
		}
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
	var one jpegdct.Block
	for i := range one {
		one[i] = 1
	}
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
			scaledIDCT(&bb, &one, shift, got, n)
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
