package images

import (
	"image"
	imgcolor "image/color"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/disintegration/imaging"

	"paiban/display"
)

func TestShares(t *testing.T) {
	for _, c := range [][2]int{{10, 10}, {10, 3}, {2200, 828}, {7, 1}, {1467, 552}, {13, 12}} {
		src, dst := c[0], c[1]
		sum := make([]uint32, dst+1)
		for j, s := range shares(src, dst) {
			if s.i < 0 || int(s.i) >= dst {
				t.Fatalf("%d→%d: sample %d goes to output %d", src, dst, j, s.i)
			}
			sum[s.i] += s.a
			sum[s.i+1] += s.b
		}
		for i, v := range sum[:dst] {
			if v != 1<<wBits {
				t.Errorf("%d→%d: output %d weighs %d, want %d", src, dst, i, v, 1<<wBits)
			}
		}
		if sum[dst] != 0 {
			t.Errorf("%d→%d: %d spills past the end", src, dst, sum[dst])
		}
	}
}

// randomYCbCr is a noisy picture with a smooth gradient under the noise.
func randomYCbCr(w, h int, r image.YCbCrSubsampleRatio, seed uint64) *image.YCbCr {
	m := image.NewYCbCr(image.Rect(0, 0, w, h), r)
	rng := rand.New(rand.NewPCG(seed, 1))
	for i := range m.Y {
		m.Y[i] = uint8(i%251/2 + rng.IntN(100))
	}
	for i := range m.Cb {
		m.Cb[i] = uint8(64 + rng.IntN(128))
		m.Cr[i] = uint8(255 - i%200)
	}
	return m
}

func TestShrinkYCbCr(t *testing.T) {
	ratios := []image.YCbCrSubsampleRatio{image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422,
		image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410}
	for _, r := range ratios {
		t.Run(r.String(), func(t *testing.T) {
			// A flat picture stays exactly flat, whatever the factor.
			flat := image.NewYCbCr(image.Rect(0, 0, 301, 203), r)
			for i := range flat.Y {
				flat.Y[i] = 77
			}
			for i := range flat.Cb {
				flat.Cb[i], flat.Cr[i] = 200, 31
			}
			for _, sz := range [][2]int{{301, 203}, {100, 67}, {37, 203}, {1, 1}, {120, 81}} {
				out := shrinkYCbCr(flat, sz[0], sz[1])
				if out.Bounds() != image.Rect(0, 0, sz[0], sz[1]) {
					t.Fatalf("bounds %v, want %v", out.Bounds(), sz)
				}
				for y := range sz[1] {
					for x := range sz[0] {
						if c := out.YCbCrAt(x, y); c != (imgcolor.YCbCr{Y: 77, Cb: 200, Cr: 31}) {
							t.Fatalf("%v: (%d,%d) = %v, want flat 77/200/31", sz, x, y, c)
						}
					}
				}
			}

			// A cropped noisy picture: every sample within 1 of the exact
			// area average, computed in floating point.
			src := randomYCbCr(640, 480, r, 7)
			sub := src.SubImage(image.Rect(13, 9, 613, 459)).(*image.YCbCr)
			out := shrinkYCbCr(sub, 220, 165)
			checkArea(t, "Y", out.Y, out.YStride, 220, 165, sub.Y[sub.YOffset(13, 9):], sub.YStride, 600, 450)
			sc, dc := chromaRect(sub.Rect, r), chromaRect(out.Rect, r)
			off := sub.COffset(13, 9)
			checkArea(t, "Cb", out.Cb, out.CStride, dc.Dx(), dc.Dy(), sub.Cb[off:], sub.CStride, sc.Dx(), sc.Dy())
			checkArea(t, "Cr", out.Cr, out.CStride, dc.Dx(), dc.Dy(), sub.Cr[off:], sub.CStride, sc.Dx(), sc.Dy())
		})
	}
}

// checkArea compares a shrunk plane with the exact area average.
func checkArea(t *testing.T, name string, got []byte, gs, dw, dh int, src []byte, ss, sw, sh int) {
	t.Helper()
	fx, fy := float64(sw)/float64(dw), float64(sh)/float64(dh)
	worst := 0.0
	for y := range dh {
		for x := range dw {
			var sum, area float64
			for j := int(float64(y) * fy); j < sh && float64(j) < float64(y+1)*fy; j++ {
				oy := math.Min(float64(j+1), float64(y+1)*fy) - math.Max(float64(j), float64(y)*fy)
				for i := int(float64(x) * fx); i < sw && float64(i) < float64(x+1)*fx; i++ {
					ox := math.Min(float64(i+1), float64(x+1)*fx) - math.Max(float64(i), float64(x)*fx)
					sum += ox * oy * float64(src[j*ss+i])
					area += ox * oy
				}
			}
			worst = math.Max(worst, math.Abs(float64(got[y*gs+x])-sum/area))
		}
	}
	if worst > 1 {
		t.Errorf("%s: a sample is %.2f off the exact area average, want ≤ 1", name, worst)
	}
}

// TestShrinkBox checks the arithmetic on a case worked by hand: 3 → 2
// samples average [a, a/2+b/2 … ] as areas: out0 = (2a+b)/3, out1 = (b+2c)/3.
func TestShrinkBox(t *testing.T) {
	src := []byte{30, 90, 150, 30, 90, 150}
	dst := make([]byte, 4)
	shrinkPlane(dst, 2, 2, 2, src, 3, 3, 2)
	want := []byte{50, 130, 50, 130}
	for i := range want {
		if dst[i] != want[i] {
			t.Fatalf("got %v, want %v", dst, want)
		}
	}
}

func BenchmarkShrinkYCbCr(b *testing.B) {
	src := randomYCbCr(2200, 1467, image.YCbCrSubsampleRatio420, 1)
	b.SetBytes(int64(len(src.Y) + 2*len(src.Cb)))
	for b.Loop() {
		shrinkYCbCr(src, 828, 552)
	}
}

// TestPreviewPhoto: a photo prepared for a preview (reduced while decoded,
// then area averaged in YCbCr) looks like the full-size photo resized with
// a linear filter.
func TestPreviewPhoto(t *testing.T) {
	const path = "../samples/zhenjing-2023-05/images/lead-liuhua.jpg"
	p, err := Prepare(path, 483, 322, display.Cover, 0, 0, Preview)
	if err != nil {
		t.Fatal(err)
	}
	if p.W != 805 || p.H != 537 || p.PassThrough {
		t.Fatalf("%d×%d PassThrough=%v, want 805×537 re-encoded", p.W, p.H, p.PassThrough)
	}
	if _, ok := p.Image.(*image.YCbCr); !ok {
		t.Errorf("prepared a %T, want the decoder's *image.YCbCr", p.Image)
	}
	full, err := imaging.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	// The same crop Prepare makes (3:2 into 483:322, almost none).
	crop := coverCrop(full.Bounds().Dx(), full.Bounds().Dy(), 483.0/322, 0, 0)
	ref := imaging.Resize(imaging.Crop(full, crop), 805, 537, imaging.Linear)
	var sum float64
	for y := range 537 {
		for x := range 805 {
			a := imgcolor.NRGBAModel.Convert(p.Image.At(x, y)).(imgcolor.NRGBA)
			b := ref.NRGBAAt(x, y)
			sum += math.Abs(float64(a.R)-float64(b.R)) + math.Abs(float64(a.G)-float64(b.G)) + math.Abs(float64(a.B)-float64(b.B))
		}
	}
	if m := sum / (3 * 805 * 537); m > 2 {
		t.Errorf("mean |difference| from a linear resize of the full photo %.2f, want ≤ 2", m)
	} else {
		t.Logf("mean |difference| from a linear resize of the full photo: %.2f", m)
	}
}
