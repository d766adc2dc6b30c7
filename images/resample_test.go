package images

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"

	"github.com/disintegration/imaging"

	"paiban/display"
	"paiban/internal/jpegdec"
)

var allRatios = []image.YCbCrSubsampleRatio{
	image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420,
	image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410,
}

// axisCase is one axis of one plane, as axisWindows takes it.
type axisCase struct {
	lo, hi, n int
	flip      bool
	ss        int
}

var axisCases = []axisCase{
	{0, 1600, 963, false, 1}, {0, 1200, 722, true, 1}, // the benchmark's photo
	{13, 613, 220, false, 1}, {13, 613, 220, true, 2}, // a crop at an odd offset
	{3, 2203, 661, false, 2}, {1, 1000, 999, false, 4}, {0, 2200, 1320, false, 2}, // chroma reduced, kept, enlarged
	{0, 200, 100, false, 1}, {0, 300, 100, false, 1}, {0, 200, 100, true, 1}, // 2:1 and 3:1
	{0, 5000, 37, true, 1}, {0, 7, 2, false, 1}, {5, 6, 1, false, 1}, {0, 9, 9, false, 1}, // wide, tiny, identity
}

// refWindow is output k's window computed the way imaging's
// precomputeWeights does, with imaging's own kernel, in float64: for luma
// (ss = 1, no flip) it is imaging's code; for chroma and flips the
// output's centre is mapped as resample.go documents.
func refWindow(c axisCase, k int) (begin int, w []float64) {
	first := c.lo / c.ss
	size := (c.hi+c.ss-1)/c.ss - first
	du := float64(c.hi-c.lo) / float64(c.n)
	x := float64(c.lo) + (float64(k)+0.5)*du
	if c.flip {
		x = float64(c.hi) - (float64(k)+0.5)*du
	}
	fu := x/float64(c.ss) - 0.5 - float64(first)
	scale := max(du/float64(c.ss), 1)
	ru := math.Ceil(scale * imaging.Lanczos.Support)
	begin = max(int(math.Ceil(fu-ru)), 0)
	end := min(int(math.Floor(fu+ru)), size-1)
	var sum float64
	for u := begin; u <= end; u++ {
		v := imaging.Lanczos.Kernel((float64(u) - fu) / scale)
		w = append(w, v)
		sum += v
	}
	for i := range w {
		w[i] /= sum
	}
	return begin, w
}

// TestLanczosWindows checks the weights: each output's add up to exactly
// 1 in fixed point, lie inside the plane, are within a unit of imaging's
// (float) weights, are symmetric where the geometry is, and survive being
// laid out for the passes.
func TestLanczosWindows(t *testing.T) {
	for _, c := range axisCases {
		name := fmt.Sprintf("%+v", c)
		wins, size := axisWindows(c.lo, c.hi, c.n, c.flip, c.ss)
		if len(wins) != c.n {
			t.Fatalf("%s: %d windows", name, len(wins))
		}
		for k, win := range wins {
			sum := 0
			for _, v := range win.w {
				sum += int(v)
			}
			if sum != 1<<lzBits {
				t.Errorf("%s: output %d's weights add up to %d, want %d", name, k, sum, 1<<lzBits)
			}
			if win.begin < 0 || win.begin+len(win.w) > size || len(win.w) == 0 {
				t.Fatalf("%s: output %d's window %d+%d is outside the plane's %d samples", name, k, win.begin, len(win.w), size)
			}
			rb, rw := refWindow(c, k)
			for j, v := range rw {
				q := 0.0
				if i := rb + j - win.begin; i >= 0 && i < len(win.w) {
					q = float64(win.w[i])
				}
				// Quantise's cumulative rounding keeps every weight
				// within a unit of its exact value (and those it
				// drops round to zero).
				if d := math.Abs(q - v*(1<<lzBits)); d > 1+1e-6 {
					t.Errorf("%s: output %d, sample %d: weight %v, imaging's %.3f", name, k, rb+j, q, v*(1<<lzBits))
				}
			}
		}
	}

	// 2:1 and 3:1: every window away from the edges is the same
	// palindrome (the kernel is even), shifted by the ratio.
	for _, c := range []axisCase{{0, 200, 100, false, 1}, {0, 300, 100, false, 1}} {
		wins, _ := axisWindows(c.lo, c.hi, c.n, c.flip, c.ss)
		ratio := (c.hi - c.lo) / c.n
		mid := wins[c.n/2]
		if !slices.Equal(mid.w, reversed(mid.w)) {
			t.Errorf("%d:1: weights %v are not symmetric", ratio, mid.w)
		}
		for k := 5; k < c.n-5; k++ {
			if !slices.Equal(wins[k].w, mid.w) || wins[k].begin != mid.begin+(k-c.n/2)*ratio {
				t.Errorf("%d:1: output %d: %d %v, want output %d's shifted", ratio, k, wins[k].begin, wins[k].w, c.n/2)
			}
		}
	}

	// A flip mirrors each window (where the extent covers its chroma
	// samples whole, so that the plane is its own mirror image).
	for _, c := range axisCases {
		if c.flip || c.lo%c.ss != 0 || c.hi%c.ss != 0 {
			continue
		}
		wins, size := axisWindows(c.lo, c.hi, c.n, false, c.ss)
		flipped, _ := axisWindows(c.lo, c.hi, c.n, true, c.ss)
		for k, win := range wins {
			f := flipped[k]
			if f.begin != size-win.begin-len(win.w) || !slices.Equal(f.w, reversed(win.w)) {
				t.Errorf("%+v: output %d flipped is %d %v, want the mirror of %d %v", c, k, f.begin, f.w, win.begin, win.w)
			}
		}
	}

	// The passes' layouts hold the same weights.
	for _, c := range axisCases {
		wins, _ := axisWindows(c.lo, c.hi, c.n, c.flip, c.ss)
		single, pairs := singleTaps(wins), pairTaps(wins)
		for k, win := range wins {
			if got := unpack(single, k, 1, 0); int(single.start[k]) != win.begin || !slices.Equal(got, win.w) {
				t.Fatalf("%+v: single taps of output %d: %d %v, want %d %v", c, k, single.start[k], got, win.begin, win.w)
			}
			s := int(pairs.start[k/2])
			got := unpack(pairs, k/2, 2, k%2)
			want := make([]int16, len(got))
			copy(want[win.begin-s:], win.w)
			if !slices.Equal(got, want) {
				t.Fatalf("%+v: pair taps of output %d: %d %v, want %v", c, k, s, got, want)
			}
		}
		if len(wins)%2 == 1 { // the odd output's partner is nothing
			for _, v := range unpack(pairs, len(wins)/2, 2, 1) {
				if v != 0 {
					t.Fatalf("%+v: the last pair's second output has weights", c)
				}
			}
		}
	}
}

func reversed(w []int16) []int16 {
	r := slices.Clone(w)
	slices.Reverse(r)
	return r
}

// unpack returns entry i's weights for its output half (0 or 1) of lanes.
func unpack(t taps, i, lanes, half int) []int16 {
	var out []int16
	for _, v := range t.w[t.off[i]:t.off[i+1]] {
		s0, s1 := split(v)
		if lanes == 1 {
			s0, s1 = v, 0
		}
		out = append(out, int16([2]int64{s0, s1}[half]))
	}
	return out
}

// TestSplit: sums of products by packed weights come apart into the sums
// each weight gives alone, at the extremes of the lanes too.
func TestSplit(t *testing.T) {
	for _, s := range [][2]int64{{0, 0}, {-1, 0}, {0, -1}, {-1, -1}, {math.MinInt32, math.MaxInt32},
		{math.MaxInt32, math.MinInt32}, {math.MinInt32, math.MinInt32}, {12345, -67890}} {
		if s0, s1 := split(s[0] + s[1]<<32); s0 != s[0] || s1 != s[1] {
			t.Errorf("split(%d + %d·2³²) = %d, %d", s[0], s[1], s0, s1)
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 1000 {
		var packed, a, b int64
		for range 12 {
			s := int64(rng.IntN(32768)) - 8192 // an intermediate sample's range and more
			w0, w1 := int64(rng.IntN(1<<15))-1<<14, int64(rng.IntN(1<<15))-1<<14
			packed += s * (w0 + w1<<32)
			a += s * w0
			b += s * w1
		}
		if s0, s1 := split(packed); s0 != a || s1 != b {
			t.Fatalf("split gave %d, %d; want %d, %d", s0, s1, a, b)
		}
	}
}

// sizeFor is a w × h to resample crop to under orientation o (the turned
// size, each side about r of the crop's).
func sizeFor(crop image.Rectangle, r float64, o int) (w, h int) {
	w = max(1, int(math.Round(float64(crop.Dx())*r)))
	h = max(1, int(math.Round(float64(crop.Dy())*r)))
	if o >= 5 {
		w, h = h, w
	}
	return w, h
}

// TestResampleFlat: a flat picture stays exactly flat, whatever the
// subsampling, crop, size and orientation.
func TestResampleFlat(t *testing.T) {
	for _, ratio := range allRatios {
		m := image.NewYCbCr(image.Rect(0, 0, 301, 203), ratio)
		for i := range m.Y {
			m.Y[i] = 77
		}
		for i := range m.Cb {
			m.Cb[i], m.Cr[i] = 200, 31
		}
		for _, crop := range []image.Rectangle{m.Rect, image.Rect(1, 3, 300, 200), image.Rect(7, 5, 20, 9), image.Rect(100, 100, 101, 102)} {
			sub := m.SubImage(crop).(*image.YCbCr)
			for o := 1; o <= 8; o++ {
				for _, r := range []float64{0.31, 0.5, 0.77, 1} {
					w, h := sizeFor(crop, r, o)
					out := resampleYCbCr(sub, w, h, o)
					if out.Rect != image.Rect(0, 0, w, h) || out.SubsampleRatio != image.YCbCrSubsampleRatio444 {
						t.Fatalf("%v %v o=%d: %v %v, want %d×%d 4:4:4", ratio, crop, o, out.Rect, out.SubsampleRatio, w, h)
					}
					for y := range h {
						for x := range w {
							if c := out.YCbCrAt(x, y); c != (color.YCbCr{Y: 77, Cb: 200, Cr: 31}) {
								t.Fatalf("%v %v o=%d %d×%d: (%d,%d) = %v, want 77/200/31", ratio, crop, o, w, h, x, y, c)
							}
						}
					}
				}
			}
		}
	}
}

// edgesYCbCr is a picture of w × h pixels with sharp-edged rectangles of
// fully saturated colours on noise over the whole range (whose resampling
// overshoots, to be clipped), in YCbCr with the given subsampling (each
// chroma sample the mean of its pixels', as an encoder makes it).
func edgesYCbCr(w, h int, r image.YCbCrSubsampleRatio, seed uint64) *image.YCbCr {
	rgb := image.NewNRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(seed, 2))
	for i := range rgb.Pix {
		rgb.Pix[i] = uint8(rng.IntN(256))
	}
	for range 12 {
		c := color.NRGBA{uint8(rng.IntN(2) * 255), uint8(rng.IntN(2) * 255), uint8(rng.IntN(2) * 255), 255}
		x0, y0 := rng.IntN(w), rng.IntN(h)
		x1, y1 := x0+rng.IntN(w/2+1), y0+rng.IntN(h/2+1)
		for y := y0; y < min(y1, h); y++ {
			for x := x0; x < min(x1, w); x++ {
				rgb.SetNRGBA(x, y, c)
			}
		}
	}
	return toYCbCr(rgb, r)
}

// toYCbCr converts an opaque picture to YCbCr with the given subsampling,
// each chroma sample the mean of its pixels'.
func toYCbCr(img *image.NRGBA, r image.YCbCrSubsampleRatio) *image.YCbCr {
	b := img.Bounds()
	m := image.NewYCbCr(b, r)
	sums := make([][3]int, len(m.Cb))
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := img.NRGBAAt(x, y)
			yy, cb, cr := color.RGBToYCbCr(c.R, c.G, c.B)
			m.Y[m.YOffset(x, y)] = yy
			s := &sums[m.COffset(x, y)]
			s[0] += int(cb)
			s[1] += int(cr)
			s[2]++
		}
	}
	for i, s := range sums {
		if s[2] > 0 {
			m.Cb[i] = uint8((s[0] + s[2]/2) / s[2])
			m.Cr[i] = uint8((s[1] + s[2]/2) / s[2])
		}
	}
	return m
}

// refResample is the separable Lanczos of each plane of src to w × h
// (orientation 1) in float64, rounded and clamped at the end: the
// weights are refWindow's (imaging's), applied along rows and then
// columns.
func refResample(src *image.YCbCr, w, h int) [3][]uint8 {
	b := src.Bounds()
	sx, sy := subsampling(src.SubsampleRatio)
	var out [3][]uint8
	for p := range 3 {
		ssx, ssy := 1, 1
		if p > 0 {
			ssx, ssy = sx, sy
		}
		cx := axisCase{b.Min.X, b.Max.X, w, false, ssx}
		cy := axisCase{b.Min.Y, b.Max.Y, h, false, ssy}
		// sample returns plane p's sample j, i of the extent (0 is the
		// one covering the crop's first pixel).
		sample := func(i, j int) float64 {
			x := max((b.Min.X/ssx+i)*ssx, b.Min.X) // a pixel it covers
			y := max((b.Min.Y/ssy+j)*ssy, b.Min.Y)
			if p == 0 {
				return float64(src.Y[src.YOffset(x, y)])
			}
			return float64([2][]uint8{src.Cb, src.Cr}[p-1][src.COffset(x, y)])
		}
		rows := (b.Max.Y+ssy-1)/ssy - b.Min.Y/ssy
		across := make([][]float64, rows) // each source row filtered across
		for j := range rows {
			across[j] = make([]float64, w)
			for k := range w {
				begin, wt := refWindow(cx, k)
				for i, v := range wt {
					across[j][k] += v * sample(begin+i, j)
				}
			}
		}
		out[p] = make([]uint8, w*h)
		for l := range h {
			begin, wt := refWindow(cy, l)
			for k := range w {
				var s float64
				for j, v := range wt {
					s += v * across[begin+j][k]
				}
				out[p][l*w+k] = uint8(max(0, min(255, math.Round(s))))
			}
		}
	}
	return out
}

// TestResampleExact compares each plane with refResample: the fixed-point
// arithmetic (14-bit weights, 6 fractional bits between the passes, one
// rounding) may turn a sample that the float result puts near a half the
// other way, so every sample is within 1 of it. The sources are noise
// and hard edges, cropped at odd offsets, in every subsampling.
func TestResampleExact(t *testing.T) {
	for _, ratio := range allRatios {
		src := edgesYCbCr(203, 157, ratio, 5)
		for _, crop := range []image.Rectangle{src.Rect, image.Rect(13, 9, 200, 150), image.Rect(1, 2, 62, 57), image.Rect(3, 7, 8, 10)} {
			sub := src.SubImage(crop).(*image.YCbCr)
			for _, r := range []float64{0.3, 0.5, 0.64, 0.95} {
				w, h := sizeFor(crop, r, 1)
				got := resampleYCbCr(sub, w, h, 1)
				want := refResample(sub, w, h)
				for p, plane := range [3][]uint8{got.Y, got.Cb, got.Cr} {
					for i, v := range plane {
						if d := abs(int(v) - int(want[p][i])); d > 1 {
							t.Fatalf("%v %v to %d×%d: plane %d sample (%d,%d) = %d, float %d", ratio, crop, w, h, p, i%w, i/w, v, want[p][i])
						}
					}
				}
			}
		}
	}
}

// TestResampleSiting checks where chroma samples are taken to be, which
// refResample (written to the same plan) cannot: planes holding linear
// functions of the position, each sample the value at its centre (a
// chroma sample's centre being the middle of the pixels it covers),
// resample to the functions' values at the output pixels' centres. A
// chroma plane out of register by a pixel would be 2 off.
func TestResampleSiting(t *testing.T) {
	// Of x, y in pixels; exact integers at the centres, which lie at odd
	// multiples of 0.5 (luma) and of sx/2, sy/2 (chroma).
	fy := func(x, y float64) float64 { return 10 + x + y }
	fcb := func(x, y float64) float64 { return 10 + 2*x }
	fcr := func(x, y float64) float64 { return 10 + 2*y }
	for _, ratio := range allRatios {
		sx, sy := subsampling(ratio)
		m := image.NewYCbCr(image.Rect(0, 0, 120, 120), ratio)
		for y := range 120 {
			for x := range 120 {
				m.Y[m.YOffset(x, y)] = uint8(fy(float64(x)+0.5, float64(y)+0.5))
				cx, cy := float64(x/sx*sx)+float64(sx)/2, float64(y/sy*sy)+float64(sy)/2
				m.Cb[m.COffset(x, y)] = uint8(fcb(cx, cy))
				m.Cr[m.COffset(x, y)] = uint8(fcr(cx, cy))
			}
		}
		for _, crop := range []image.Rectangle{m.Rect, image.Rect(1, 1, 119, 119), image.Rect(3, 5, 117, 113), image.Rect(2, 3, 115, 118)} {
			sub := m.SubImage(crop).(*image.YCbCr)
			for _, r := range []float64{0.5, 0.6, 0.9} {
				w, h := sizeFor(crop, r, 1)
				out := resampleYCbCr(sub, w, h, 1)
				stepX, stepY := float64(crop.Dx())/float64(w), float64(crop.Dy())/float64(h)
				// Away from the edges, where the windows are whole.
				mx, my := 3*sx+2, 3*sy+2
				for y := my; y < h-my; y++ {
					for x := mx; x < w-mx; x++ {
						px := float64(crop.Min.X) + (float64(x)+0.5)*stepX
						py := float64(crop.Min.Y) + (float64(y)+0.5)*stepY
						c := out.YCbCrAt(x, y)
						for i, f := range [3]func(x, y float64) float64{fy, fcb, fcr} {
							v := float64([3]uint8{c.Y, c.Cb, c.Cr}[i])
							if want := f(px, py); math.Abs(v-want) > 1 {
								t.Fatalf("%v %v to %d×%d: (%d,%d) plane %d is %v, want %.2f", ratio, crop, w, h, x, y, i, v, want)
							}
						}
					}
				}
			}
		}
	}
}

// storedYCbCr is the picture a camera stores for the displayed picture d
// under EXIF orientation o (see stored), plane by plane. d's size must be
// a multiple of its chroma samples' for the chroma grid to turn with it.
func storedYCbCr(d *image.YCbCr, o int) *image.YCbCr {
	W, H := d.Rect.Dx(), d.Rect.Dy()
	rw, rh := W, H
	r := d.SubsampleRatio
	if o >= 5 {
		rw, rh = H, W
		if r == image.YCbCrSubsampleRatio422 {
			r = image.YCbCrSubsampleRatio440
		} else if r == image.YCbCrSubsampleRatio440 {
			r = image.YCbCrSubsampleRatio422
		}
	}
	s := image.NewYCbCr(image.Rect(0, 0, rw, rh), r)
	// disp maps a stored position (in a plane of rw × rh samples) to the
	// displayed one, as stored does.
	disp := func(rx, ry, rw, rh int) (x, y int) {
		switch o {
		case 2:
			return rw - 1 - rx, ry
		case 3:
			return rw - 1 - rx, rh - 1 - ry
		case 4:
			return rx, rh - 1 - ry
		case 5:
			return ry, rx
		case 6:
			return rh - 1 - ry, rx
		case 7:
			return rh - 1 - ry, rw - 1 - rx
		case 8:
			return ry, rw - 1 - rx
		}
		return rx, ry
	}
	dsx, dsy := subsampling(d.SubsampleRatio)
	ssx, ssy := subsampling(r)
	for ry := range rh {
		for rx := range rw {
			x, y := disp(rx, ry, rw, rh)
			s.Y[s.YOffset(rx, ry)] = d.Y[d.YOffset(x, y)]
		}
	}
	for ry := range rh / ssy {
		for rx := range rw / ssx {
			x, y := disp(rx, ry, rw/ssx, rh/ssy)
			s.Cb[s.COffset(rx*ssx, ry*ssy)] = d.Cb[d.COffset(x*dsx, y*dsy)]
			s.Cr[s.COffset(rx*ssx, ry*ssy)] = d.Cr[d.COffset(x*dsx, y*dsy)]
		}
	}
	return s
}

// TestResampleOrientation: a picture stored turned and resampled with its
// orientation comes out as the picture resampled upright. The flips map
// each window to its mirror, the quarter turns swap the passes' order,
// so each sample is within 1 of the other.
func TestResampleOrientation(t *testing.T) {
	for _, ratio := range []image.YCbCrSubsampleRatio{image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio422} {
		d := edgesYCbCr(96, 64, ratio, 9)
		for _, crop := range []image.Rectangle{d.Rect, image.Rect(2, 4, 90, 60)} {
			for o := 1; o <= 8; o++ {
				s := storedYCbCr(d, o)
				raw := toRaw(crop, o, 96, 64)
				for _, r := range []float64{0.37, 0.8} {
					w, h := sizeFor(crop, r, 1)
					want := resampleYCbCr(d.SubImage(crop).(*image.YCbCr), w, h, 1)
					got := resampleYCbCr(s.SubImage(raw).(*image.YCbCr), w, h, o)
					if got.Rect != want.Rect {
						t.Fatalf("%v o=%d: %v, want %v", ratio, o, got.Rect, want.Rect)
					}
					for p, pl := range [3][2][]uint8{{got.Y, want.Y}, {got.Cb, want.Cb}, {got.Cr, want.Cr}} {
						for i := range pl[0] {
							if abs(int(pl[0][i])-int(pl[1][i])) > 1 {
								t.Fatalf("%v %v o=%d to %d×%d: plane %d (%d,%d) = %d, upright %d", ratio, crop, o, w, h, p, i%w, i/w, pl[0][i], pl[1][i])
							}
						}
					}
				}
			}
		}
	}
}

// TestResampleGOMAXPROCS: the bands the rows are shared out in change
// nothing.
func TestResampleGOMAXPROCS(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	src := randomYCbCr(1201, 917, image.YCbCrSubsampleRatio420, 11).SubImage(image.Rect(3, 5, 1198, 910)).(*image.YCbCr)
	var first *image.YCbCr
	for _, procs := range []int{1, 2, 3, 5, 8, 1} {
		runtime.GOMAXPROCS(procs)
		got := resampleYCbCr(src, 617, 449, 6)
		if first == nil {
			first = got
			continue
		}
		if !bytes.Equal(got.Y, first.Y) || !bytes.Equal(got.Cb, first.Cb) || !bytes.Equal(got.Cr, first.Cr) {
			t.Errorf("GOMAXPROCS=%d: output differs", procs)
		}
	}
}

// rgbDiff is how far a picture is from imaging's, per RGB channel.
type rgbDiff struct {
	mean  [3]float64
	max   [3]int
	over3 float64 // the share of pixels more than 3 off in some channel
}

func compareRGB(got image.Image, ref *image.NRGBA) rgbDiff {
	var d rgbDiff
	b := ref.Bounds()
	var over int
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.NRGBAModel.Convert(got.At(x, y)).(color.NRGBA)
			r := ref.NRGBAAt(x, y)
			worst := 0
			for i, p := range [3][2]uint8{{c.R, r.R}, {c.G, r.G}, {c.B, r.B}} {
				e := abs(int(p[0]) - int(p[1]))
				d.mean[i] += float64(e)
				d.max[i] = max(d.max[i], e)
				worst = max(worst, e)
			}
			if worst > 3 {
				over++
			}
		}
	}
	n := float64(b.Dx() * b.Dy())
	for i := range d.mean {
		d.mean[i] /= n
	}
	d.over3 = float64(over) / n
	return d
}

func (d rgbDiff) String() string {
	return fmt.Sprintf("mean %.3f %.3f %.3f, max %3d %3d %3d, >3: %.3f%%", d.mean[0], d.mean[1], d.mean[2], d.max[0], d.max[1], d.max[2], 100*d.over3)
}

// The synthetic pictures for comparing with imaging keep their colours
// well inside RGB and YCbCr (channels 56 … 200, noise 78 … 178), so that
// the Lanczos overshoot at their edges never leaves 0 … 255 and neither
// resampler clips anything (see TestResampleMatchesImaging).
var (
	darkGrey, lightGrey = color.NRGBA{56, 56, 56, 255}, color.NRGBA{200, 200, 200, 255}
	coloured            = []color.NRGBA{{200, 56, 56, 255}, {56, 200, 56, 255}, {56, 56, 200, 255}, {200, 200, 56, 255}, {56, 200, 200, 255}, {200, 56, 200, 255}}
)

// blocks is a picture of sharp-edged rectangles of strong colours on a
// smooth gradient.
func blocks(w, h int, seed uint64) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			m.SetNRGBA(x, y, color.NRGBA{uint8(56 + 144*x/w), uint8(56 + 144*y/h), uint8(128 + 72*(x-y)/(w+h)), 255})
		}
	}
	rng := rand.New(rand.NewPCG(seed, 2))
	for range 16 {
		c := coloured[rng.IntN(len(coloured))]
		x0, y0 := rng.IntN(w), rng.IntN(h)
		x1, y1 := x0+1+rng.IntN(w/3), y0+1+rng.IntN(h/3)
		for y := y0; y < min(y1, h); y++ {
			for x := x0; x < min(x1, w); x++ {
				m.SetNRGBA(x, y, c)
			}
		}
	}
	return m
}

// stripes is a picture of fine stripes, of periods 2 to 7 pixels:
// vertical ones in the top half, horizontal ones in the bottom half,
// grey on the left and coloured on the right.
func stripes(w, h int) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			var on bool
			if y < h/2 {
				p := 2 + x*6/w
				on = x%p < p/2
			} else {
				p := 2 + y*6/h
				on = y%p < p/2
			}
			c := [2]color.NRGBA{darkGrey, lightGrey}
			if x > w/2 {
				c = [2]color.NRGBA{coloured[0], coloured[2]}
			}
			m.SetNRGBA(x, y, c[btoi(on)])
		}
	}
	return m
}

// noise is a picture of uniform random RGB, 78 … 178.
func noise(w, h int, seed uint64) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(seed, 3))
	for i := range m.Pix {
		m.Pix[i] = uint8(78 + rng.IntN(101))
		if i%4 == 3 {
			m.Pix[i] = 255
		}
	}
	return m
}

func decodeSample(t testing.TB, name string) *image.YCbCr {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "samples", "zhenjing-2023-05", "images", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := jpegdec.Decode(f, 0)
	if err != nil {
		t.Fatal(err)
	}
	return img.(*image.YCbCr)
}

// TestResampleMatchesImaging compares the resampler with what it
// replaces, imaging.Resize with imaging.Lanczos of the same picture (which
// imaging converts to RGB first), on the sample photos and on synthetic
// pictures, at several ratios.
//
// The largest difference a pixel can have comes from three sources:
//
//   - Rounding, 4 levels at most. imaging rounds the source's RGB, its
//     intermediate rows and its result to 8 bits (±0.5 each, the first
//     two through weights adding up to 1.3 in absolute value); this
//     resampler rounds Y, Cb and Cr once (±0.5 each, ±1.4 in blue after
//     conversion), and the conversion to RGB rounds again (±0.5).
//   - Chroma between its samples, in a subsampled source. imaging repeats
//     each chroma sample over its pixels (image.YCbCr's model); this
//     resampler interpolates between sample centres. Where chroma steps by
//     J from a sample to the next, a pixel a quarter of a sample from its
//     sample's centre gets about 0.21·J of the step, the kernel's ringing
//     of the steps around adds up to about 0.1·J, and the reduction's
//     weights (1.3 at most in absolute value) pass on the difference: at
//     most J/2 in Cb or Cr, 1.772·J/2 in blue.
//   - Colours outside RGB (JPEG's rounding makes them at saturated edges):
//     imaging clips each source pixel before filtering, this resampler
//     the filtered result, which differ by at most the excess G times the
//     weights' absolute sum, 2.4 at the picture's edges.
//
// The synthetic pictures keep their colours well inside RGB, so that no
// overshoot gets clipped either: the 4:4:4 ones differ by rounding alone.
// The 4:2:0 ones have sharp colour edges, or colour changing at nearly
// every chroma sample (fine coloured stripes, colour noise), where the two
// chroma models differ most, on average too. Neither model can restore
// the colour 4:2:0 threw away, and what matters is that this one guesses
// it as well as imaging's: both are compared with the full-colour
// original, resampled by imaging.
func TestResampleMatchesImaging(t *testing.T) {
	ratios := []float64{0.3, 0.45, 0.6, 0.75, 0.95}
	photos := []string{"tiyan-1.jpg", "huanjing-1.jpg", "lead-liuhua.jpg", "cover.jpg", "extra-2.jpg"}
	if testing.Short() {
		ratios, photos = []float64{0.3, 0.6}, photos[:3]
	}
	type picture struct {
		name string
		img  *image.YCbCr
		rgb  *image.NRGBA // the full-colour original of a synthetic 4:2:0 picture
	}
	var pics []picture
	for _, name := range photos {
		p := decodeSample(t, name)
		pics = append(pics, picture{name + " " + ratioName(p.SubsampleRatio), p, nil})
	}
	for _, p := range []struct {
		name string
		rgb  *image.NRGBA
	}{{"blocks", blocks(401, 301, 1)}, {"stripes", stripes(401, 301)}, {"noise", noise(401, 301, 2)}} {
		pics = append(pics,
			picture{p.name + " 4:4:4", toYCbCr(p.rgb, image.YCbCrSubsampleRatio444), nil},
			picture{p.name + " 4:2:0", toYCbCr(p.rgb, image.YCbCrSubsampleRatio420), p.rgb})
	}
	for _, p := range pics {
		bound := 4.0
		if p.img.SubsampleRatio != image.YCbCrSubsampleRatio444 {
			bound += 1.772 * float64(chromaStep(p.img)) / 2
		}
		bound += 2.4 * gamutExcess(p.img)
		b := p.img.Bounds()
		for _, crop := range []image.Rectangle{b, image.Rect(b.Min.X+101, b.Min.Y+57, b.Max.X-32, b.Max.Y-21)} {
			sub := p.img.SubImage(crop).(*image.YCbCr)
			for _, r := range ratios {
				if crop != b && r != 0.6 {
					continue
				}
				name := fmt.Sprintf("%s at %.2f", p.name, r)
				if crop != b {
					name += ", cropped"
				}
				w, h := sizeFor(crop, r, 1)
				got := resampleYCbCr(sub, w, h, 1)
				ref := imaging.Resize(sub, w, h, imaging.Lanczos)
				d := compareRGB(got, ref)
				t.Logf("%-30s %v (bound %.0f)", name, d, bound)
				for c := range 3 {
					if float64(d.max[c]) > bound {
						t.Errorf("%s: channel %d is %d off, want ≤ %.0f", name, c, d.max[c], bound)
					}
				}
				if p.rgb != nil {
					orig := imaging.Resize(imaging.Crop(p.rgb, crop), w, h, imaging.Lanczos)
					ours, theirs := compareRGB(got, orig), compareRGB(ref, orig)
					t.Logf("%30s   from the original: %v; imaging's %v", "", ours, theirs)
					for c := range 3 {
						if ours.mean[c] > 1.5*theirs.mean[c]+0.1 || ours.max[c] > theirs.max[c]+8 {
							t.Errorf("%s: channel %d is %.3f off the original on average, %d at most; imaging's %.3f, %d",
								name, c, ours.mean[c], ours.max[c], theirs.mean[c], theirs.max[c])
						}
					}
					continue
				}
				for c := range 3 {
					if d.mean[c] > 0.6 {
						t.Errorf("%s: channel %d is %.3f off on average, want ≤ 0.6", name, c, d.mean[c])
					}
				}
				if d.over3 > 0.02 {
					t.Errorf("%s: %.2f%% of pixels more than 3 levels off, want ≤ 2%%", name, 100*d.over3)
				}
			}
		}
	}
}

func ratioName(r image.YCbCrSubsampleRatio) string {
	return map[image.YCbCrSubsampleRatio]string{
		image.YCbCrSubsampleRatio444: "4:4:4", image.YCbCrSubsampleRatio422: "4:2:2", image.YCbCrSubsampleRatio420: "4:2:0",
		image.YCbCrSubsampleRatio440: "4:4:0", image.YCbCrSubsampleRatio411: "4:1:1", image.YCbCrSubsampleRatio410: "4:1:0",
	}[r]
}

// chromaStep is the largest difference between neighbouring chroma
// samples of m.
func chromaStep(m *image.YCbCr) int {
	c := chromaRect(m.Rect, m.SubsampleRatio)
	step := 0
	for _, pl := range [2][]uint8{m.Cb, m.Cr} {
		for y := range c.Dy() {
			row := pl[y*m.CStride : y*m.CStride+c.Dx()]
			for x, v := range row {
				if x+1 < len(row) {
					step = max(step, abs(int(v)-int(row[x+1])))
				}
				if y+1 < c.Dy() {
					step = max(step, abs(int(v)-int(pl[(y+1)*m.CStride+x])))
				}
			}
		}
	}
	return step
}

// gamutExcess is how far the farthest of m's pixels lies outside RGB:
// the largest amount by which a channel, unclipped, is below 0 or above
// 255.
func gamutExcess(m *image.YCbCr) float64 {
	g := 0.0
	for y := m.Rect.Min.Y; y < m.Rect.Max.Y; y++ {
		for x := m.Rect.Min.X; x < m.Rect.Max.X; x++ {
			yy := float64(m.Y[m.YOffset(x, y)])
			i := m.COffset(x, y)
			cb, cr := float64(m.Cb[i])-128, float64(m.Cr[i])-128
			for _, v := range [3]float64{yy + 1.402*cr, yy - 0.344136*cb - 0.714136*cr, yy + 1.772*cb} {
				g = max(g, -v, v-255)
			}
		}
	}
	return g
}

// TestPreparePrintYCbCr: a JPEG downsampled for print stays YCbCr, 4:4:4,
// turned upright by its EXIF orientation, and Data holds its pixels.
func TestPreparePrintYCbCr(t *testing.T) {
	dir := t.TempDir()
	disp := quadrants(640, 320)
	for o := 1; o <= 8; o++ {
		path := writeFile(t, dir, fmt.Sprintf("o%d.jpg", o), withExif(encJPEG(t, stored(disp, o), 95), o, o%2 == 0))
		// 720 ppi into a 64 × 32 pt frame: downsampled to 300 ppi.
		p, err := Prepare(path, 64, 32, display.Cover, 0, 0, Print)
		if err != nil {
			t.Fatal(err)
		}
		m, ok := p.Image.(*image.YCbCr)
		if !ok || m.SubsampleRatio != image.YCbCrSubsampleRatio444 || m.Rect != image.Rect(0, 0, 267, 133) || p.W != 267 || p.H != 133 {
			t.Fatalf("o=%d: Image %T %v, %d×%d; want a 4:4:4 *image.YCbCr, 267×133", o, p.Image, p.Image.Bounds(), p.W, p.H)
		}
		for _, q := range []struct {
			x, y int
			c    color.NRGBA
		}{{67, 33, red}, {200, 33, green}, {67, 100, blue}, {200, 100, black}} {
			if got := m.At(q.x, q.y); !near(got, q.c, 40) {
				t.Errorf("o=%d: at %d,%d: %v, want %v", o, q.x, q.y, got, q.c)
			}
		}
		data, err := jpeg.Decode(bytes.NewReader(p.Data))
		if err != nil {
			t.Fatal(err)
		}
		if d := compareRGB(data, imaging.Clone(m)); d.mean[0] > 2 || d.mean[1] > 2 || d.mean[2] > 2 {
			t.Errorf("o=%d: Data is %v from Image", o, d)
		}
	}
}
