package color

import (
	"bufio"
	"bytes"
	"image"
	imgcolor "image/color"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"paiban/assets"
)

func fogra39(t testing.TB) *Profile {
	t.Helper()
	p, err := FOGRA39()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestParseFOGRA39(t *testing.T) {
	p := fogra39(t)
	if p.Version != "2.2.0" || p.Class != "prtr" || p.ColorSpace != "CMYK" || p.PCS != "Lab " {
		t.Errorf("header: version %s class %q space %q PCS %q", p.Version, p.Class, p.ColorSpace, p.PCS)
	}
	// wtpt: the paper, absolute XYZ.
	if w := p.MediaWhite; math.Abs(w[0]-0.8448) > 1e-3 || math.Abs(w[1]-0.8763) > 1e-3 || math.Abs(w[2]-0.7462) > 1e-3 {
		t.Errorf("media white %v", w)
	}
	tags := strings.Join(p.Tags, ",")
	for _, sig := range []string{"wtpt", "A2B0", "A2B1", "B2A0", "B2A1"} {
		if !strings.Contains(tags, sig) {
			t.Errorf("tag %s missing from %s", sig, tags)
		}
	}
	for _, c := range []struct {
		name       string
		l          *lut
		in, out, g int
	}{
		{"B2A0", p.b2a[Perceptual], 3, 4, 17},
		{"B2A1", p.b2a[RelativeColorimetric], 3, 4, 17},
		{"A2B0", p.a2b[Perceptual], 4, 3, 9},
		{"A2B1", p.a2b[RelativeColorimetric], 4, 3, 9},
	} {
		if c.l.kind != "mft2" || c.l.nIn != c.in || c.l.nOut != c.out || c.l.grid[0] != c.g || !c.l.legacyLab16 {
			t.Errorf("%s: %s %d→%d grid %v legacy Lab %v; want mft2 %d→%d grid %d, legacy", c.name, c.l.kind, c.l.nIn, c.l.nOut, c.l.grid, c.l.legacyLab16, c.in, c.out, c.g)
		}
	}
	// One colorimetric table serves every intent, so Perceptual gets BPC.
	if p.b2a[Perceptual] != p.b2a[RelativeColorimetric] || !p.bpc[Perceptual] || p.bpc[RelativeColorimetric] {
		t.Errorf("shared B2A %v, BPC %v", p.b2a[Perceptual] == p.b2a[RelativeColorimetric], p.bpc)
	}
	if L, _, _ := xyzToLab(p.blackXYZ); math.Abs(L-9.55) > 0.1 {
		t.Errorf("black point L* %.2f, want about 9.55", L)
	}
}

func total(c, m, y, k float64) float64 { return c + m + y + k }

func TestRGBToCMYK(t *testing.T) {
	p := fogra39(t)
	type cmyk = [4]float64
	// lo and hi bound each channel.
	cases := []struct {
		name    string
		rgb     [3]uint8
		lo, hi  cmyk
		maxInk  float64
		intents []Intent
	}{
		{"white", [3]uint8{255, 255, 255}, cmyk{}, cmyk{0.02, 0.02, 0.02, 0.02}, 0.02, nil},
		{"black", [3]uint8{0, 0, 0}, cmyk{0.7, 0.6, 0.4, 0.95}, cmyk{1, 1, 1, 1}, 3.3, nil},
		{"red", [3]uint8{255, 0, 0}, cmyk{0, 0.9, 0.9, 0}, cmyk{0.05, 1, 1, 0.05}, 2.1, nil},
		{"green", [3]uint8{0, 255, 0}, cmyk{0.55, 0, 0.9, 0}, cmyk{0.75, 0.05, 1, 0.05}, 1.8, nil},
		{"blue", [3]uint8{0, 0, 255}, cmyk{0.85, 0.75, 0, 0}, cmyk{1, 0.95, 0.05, 0.05}, 2, nil},
		{"yellow", [3]uint8{255, 255, 0}, cmyk{0, 0, 0.9, 0}, cmyk{0.1, 0.05, 1, 0.05}, 1.1, nil},
		{"cyan", [3]uint8{0, 255, 255}, cmyk{0.3, 0, 0.1, 0}, cmyk{0.5, 0.05, 0.25, 0.05}, 0.7, nil},
		{"magenta", [3]uint8{255, 0, 255}, cmyk{0.25, 0.6, 0, 0}, cmyk{0.45, 0.8, 0.05, 0.05}, 1.2, nil},
		{"mid grey", [3]uint8{128, 128, 128}, cmyk{0.4, 0.3, 0.3, 0.1}, cmyk{0.6, 0.5, 0.5, 0.25}, 1.6, nil},
		{"skin", [3]uint8{224, 172, 140}, cmyk{0, 0.25, 0.35, 0.05}, cmyk{0.1, 0.45, 0.55, 0.15}, 1.1, nil},
	}
	for _, c := range cases {
		for _, in := range []Intent{Perceptual, RelativeColorimetric} {
			cc, m, y, k := p.RGBToCMYK(c.rgb[0], c.rgb[1], c.rgb[2], in)
			got := cmyk{cc, m, y, k}
			t.Logf("%-9s %-21v C %.3f M %.3f Y %.3f K %.3f  ink %3.0f%%", c.name, in, cc, m, y, k, 100*total(cc, m, y, k))
			for i := range got {
				if got[i] < c.lo[i] || got[i] > c.hi[i] {
					t.Errorf("%s %v: %.3f, want channel %d in %.2f..%.2f", c.name, in, got, i, c.lo[i], c.hi[i])
					break
				}
			}
			if s := total(cc, m, y, k); s > c.maxInk {
				t.Errorf("%s %v: total ink %.3f > %.2f", c.name, in, s, c.maxInk)
			}
		}
	}
	// Out-of-range intents are Perceptual.
	a0, a1, a2, a3 := p.RGBToCMYK(10, 20, 30, Intent(7))
	b0, b1, b2, b3 := p.RGBToCMYK(10, 20, 30, Perceptual)
	if [4]float64{a0, a1, a2, a3} != [4]float64{b0, b1, b2, b3} {
		t.Error("Intent(7) is not Perceptual")
	}
}

// TestGreyRamp: a neutral ramp prints lighter at every step and uses less
// ink, except where the profile itself does otherwise (LittleCMS gives the
// same): the deepest shadows, where total ink peaks at 317.6% a little
// above black, and a K bump of 0.019 between sRGB 150 and 166, where the
// profile's black generation rises while C, M and Y fall faster.
func TestGreyRamp(t *testing.T) {
	p := fogra39(t)
	for _, c := range []struct {
		in        Intent
		inkFrom   int // total ink falls from here on
		lightFrom int // L* rises from here on
	}{{Perceptual, 14, 0}, {RelativeColorimetric, 33, 20}} {
		var prevInk, prevK, prevL float64
		kRise := 0.0
		for v := range 256 {
			cc, m, y, k := p.RGBToCMYK(uint8(v), uint8(v), uint8(v), c.in)
			ink := total(cc, m, y, k)
			L, _, _ := p.CMYKToLab(cc, m, y, k)
			if v > 0 {
				if v > c.inkFrom && ink > prevInk {
					t.Errorf("%v grey %d: total ink %.4f > %.4f at %d", c.in, v, ink, prevInk, v-1)
				}
				if v > c.lightFrom && L <= prevL {
					t.Errorf("%v grey %d: L* %.3f ≤ %.3f at %d", c.in, v, L, prevL, v-1)
				}
				kRise += max(0, k-prevK)
			}
			prevInk, prevK, prevL = ink, k, L
		}
		if kRise > 0.025 {
			t.Errorf("%v: K rises by %.3f in all along the ramp", c.in, kRise)
		}
		t.Logf("%v: K rises by %.3f in all along the ramp", c.in, kRise)
	}
}

func deltaE76(L1, a1, b1, L2, a2, b2 float64) float64 {
	return math.Sqrt((L1-L2)*(L1-L2) + (a1-a2)*(a1-a2) + (b1-b2)*(b1-b2))
}

// TestRoundTrip: sRGB → CMYK (B2A) → Lab (A2B) lands near the sRGB
// colour's own Lab for colours the press can print (relative
// colorimetric), and near that Lab after black point compensation for
// Perceptual, which lightens shadows on purpose.
func TestRoundTrip(t *testing.T) {
	p := fogra39(t)
	colours := []struct {
		name string
		rgb  [3]uint8
	}{
		{"skin light", [3]uint8{255, 224, 196}},
		{"skin fair", [3]uint8{241, 194, 125}},
		{"skin medium", [3]uint8{224, 172, 140}},
		{"skin tan", [3]uint8{198, 134, 66}},
		{"skin brown", [3]uint8{141, 85, 36}},
		{"skin dark", [3]uint8{92, 56, 40}},
		{"grey 25%", [3]uint8{192, 192, 192}},
		{"grey 50%", [3]uint8{128, 128, 128}},
		{"grey 75%", [3]uint8{64, 64, 64}},
		{"beige", [3]uint8{200, 180, 160}},
		{"olive", [3]uint8{120, 140, 100}},
		{"slate", [3]uint8{100, 120, 150}},
	}
	for _, in := range []Intent{RelativeColorimetric, Perceptual} {
		worst, worstSrc := 0.0, 0.0
		for _, c := range colours {
			xyz := srgbToXYZ(c.rgb[0], c.rgb[1], c.rgb[2])
			L0, a0, b0 := xyzToLab(xyz)
			if p.bpc[in] {
				for i := range 3 {
					xyz[i] = xyz[i]*(1-p.blackXYZ[i]/d50[i]) + p.blackXYZ[i]
				}
			}
			Lt, at, bt := xyzToLab(xyz)
			L, a, b := p.CMYKToLab(p.RGBToCMYK(c.rgb[0], c.rgb[1], c.rgb[2], in))
			d, dSrc := deltaE76(Lt, at, bt, L, a, b), deltaE76(L0, a0, b0, L, a, b)
			worst, worstSrc = max(worst, d), max(worstSrc, dSrc)
			t.Logf("%-21v %-12s Lab %5.1f %5.1f %5.1f → %5.1f %5.1f %5.1f  ΔE76 %.2f (from the sRGB colour %.2f)", in, c.name, Lt, at, bt, L, a, b, d, dSrc)
			if d >= 5 {
				t.Errorf("%v %s: ΔE76 %.2f ≥ 5", in, c.name, d)
			}
		}
		t.Logf("%v: worst ΔE76 %.2f (from the sRGB colours %.2f)", in, worst, worstSrc)
	}
}

// TestMatchesLittleCMS compares with conversions by LittleCMS 2.14
// (testdata/lcms_golden.py): relative colorimetric, and relative
// colorimetric with black point compensation for Perceptual.
func TestMatchesLittleCMS(t *testing.T) {
	p := fogra39(t)
	f, err := os.Open("testdata/lcms_golden.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	var worst [2]float64
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		var v [11]float64
		fs := strings.Fields(line)
		if len(fs) != len(v) {
			t.Fatalf("bad line %q", line)
		}
		for i, s := range fs {
			x, err := strconv.Atoi(s)
			if err != nil {
				t.Fatal(err)
			}
			v[i] = float64(x)
		}
		n++
		r, g, b := uint8(v[0]), uint8(v[1]), uint8(v[2])
		for i, in := range []Intent{RelativeColorimetric, Perceptual} {
			c, m, y, k := p.RGBToCMYK(r, g, b, in)
			for j, x := range [4]float64{c, m, y, k} {
				d := math.Abs(x - v[3+4*i+j]/65535)
				worst[i] = max(worst[i], d)
				if d > 0.5/255 {
					t.Errorf("%v %d,%d,%d channel %d: %.4f, LittleCMS %.4f", in, r, g, b, j, x, v[3+4*i+j]/65535)
				}
			}
		}
	}
	if n < 200 {
		t.Fatalf("only %d colours in lcms_golden.txt", n)
	}
	t.Logf("%d colours; largest difference relative colorimetric %.2f/255, perceptual (vs +BPC) %.2f/255", n, worst[0]*255, worst[1]*255)
}

// gradient is a w×h image sweeping the RGB cube: red across, green down,
// blue along the diagonal.
func gradient(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetNRGBA(x, y, imgcolor.NRGBA{uint8(x * 255 / (w - 1)), uint8(y * 255 / (h - 1)), uint8((x*7 + y*13) % 256), 255})
		}
	}
	return img
}

func TestConvertImage(t *testing.T) {
	p := fogra39(t)
	grad := gradient(256, 256)
	ycc := image.NewYCbCr(image.Rect(0, 0, 64, 48), image.YCbCrSubsampleRatio420)
	for i := range ycc.Y {
		ycc.Y[i] = uint8(i * 7)
	}
	for i := range ycc.Cb {
		ycc.Cb[i], ycc.Cr[i] = uint8(i*11), uint8(255-i*5)
	}
	// Other subsamplings, at odd offsets, to check the chroma indexing.
	ycc411 := image.NewYCbCr(image.Rect(-3, 1, 61, 30), image.YCbCrSubsampleRatio411)
	ycc422 := image.NewYCbCr(image.Rect(1, 1, 40, 30), image.YCbCrSubsampleRatio422)
	for _, m := range []*image.YCbCr{ycc411, ycc422} {
		for i := range m.Y {
			m.Y[i] = uint8(i * 13)
		}
		for i := range m.Cb {
			m.Cb[i], m.Cr[i] = uint8(i*29), uint8(200-i*3)
		}
	}
	rgba := image.NewRGBA(image.Rect(-3, 5, 61, 45))
	for i := range rgba.Pix {
		rgba.Pix[i] = uint8(i * 31)
	}
	for i := 3; i < len(rgba.Pix); i += 4 {
		rgba.Pix[i] = 255
		if i%12 == 3 {
			rgba.Pix[i], rgba.Pix[i-1], rgba.Pix[i-2], rgba.Pix[i-3] = 128, 100, 20, 128 // premultiplied, half transparent
		}
	}
	gray := image.NewGray(image.Rect(0, 0, 256, 1))
	for i := range gray.Pix {
		gray.Pix[i] = uint8(i)
	}
	translucent := gradient(64, 64)
	for i := 3; i < len(translucent.Pix); i += 4 {
		translucent.Pix[i] = uint8(i)
	}
	pal := image.NewPaletted(image.Rect(0, 0, 8, 8), imgcolor.Palette{imgcolor.RGBA{255, 0, 0, 255}, imgcolor.Gray{77}, imgcolor.Transparent})
	for i := range pal.Pix {
		pal.Pix[i] = uint8(i % 3)
	}
	for _, c := range []struct {
		name string
		img  image.Image
	}{
		{"nrgba gradient", grad},
		{"nrgba sub-image", grad.SubImage(image.Rect(100, 17, 180, 201))},
		{"nrgba alpha", translucent},
		{"ycbcr", ycc},
		{"ycbcr sub-image", ycc.SubImage(image.Rect(5, 3, 61, 47))},
		{"ycbcr 4:1:1 sub-image", ycc411.SubImage(image.Rect(-1, 2, 58, 29))},
		{"ycbcr 4:2:2 sub-image", ycc422.SubImage(image.Rect(3, 2, 38, 29))},
		{"rgba", rgba},
		{"gray", gray},
		{"paletted", pal},
	} {
		for _, in := range []Intent{Perceptual, RelativeColorimetric} {
			got := p.ConvertImage(c.img, in)
			if got.Bounds() != c.img.Bounds() {
				t.Fatalf("%s: bounds %v, want %v", c.name, got.Bounds(), c.img.Bounds())
			}
			worst := 0.0
			b := got.Bounds()
			for y := b.Min.Y; y < b.Max.Y; y++ {
				for x := b.Min.X; x < b.Max.X; x++ {
					// The reference: the colour composited over white.
					r, g, bb, a := c.img.At(x, y).RGBA()
					w := 0xffff - a
					r8, g8, b8 := uint8(min(0xffff, r+w)>>8), uint8(min(0xffff, g+w)>>8), uint8(min(0xffff, bb+w)>>8)
					if nrgba, ok := c.img.(*image.NRGBA); ok {
						s := nrgba.NRGBAAt(x, y)
						r8, g8, b8 = overWhite(s.R, s.A), overWhite(s.G, s.A), overWhite(s.B, s.A)
					}
					if ycc, ok := c.img.(*image.YCbCr); ok {
						s := ycc.YCbCrAt(x, y)
						r8, g8, b8 = imgcolor.YCbCrToRGB(s.Y, s.Cb, s.Cr)
					}
					wc, wm, wy, wk := p.RGBToCMYK(r8, g8, b8, in)
					px := got.CMYKAt(x, y)
					for i, v := range [4]float64{wc, wm, wy, wk} {
						d := math.Abs(float64([4]uint8{px.C, px.M, px.Y, px.K}[i]) - v*255)
						worst = max(worst, d)
						if d > 1 {
							t.Fatalf("%s %v (%d,%d) rgb %d,%d,%d channel %d: %d, RGBToCMYK %.2f", c.name, in, x, y, r8, g8, b8, i, [4]uint8{px.C, px.M, px.Y, px.K}[i], v*255)
						}
					}
				}
			}
			if c.name == "nrgba gradient" {
				t.Logf("%v: largest difference from RGBToCMYK %.3f/255", in, worst)
			}
		}
	}

	// CMYK images pass through; empty ones stay empty.
	src := image.NewCMYK(image.Rect(0, 0, 3, 2))
	for i := range src.Pix {
		src.Pix[i] = uint8(i * 9)
	}
	if got := p.ConvertImage(src.SubImage(image.Rect(1, 0, 3, 2)), Perceptual); got.CMYKAt(1, 1) != src.CMYKAt(1, 1) || got.Bounds() != image.Rect(1, 0, 3, 2) {
		t.Errorf("CMYK pass-through: %v", got.CMYKAt(1, 1))
	}
	if got := p.ConvertImage(image.NewRGBA(image.Rectangle{}), Perceptual); len(got.Pix) != 0 {
		t.Error("empty image")
	}
}

// TestConvertImageAllColours checks every third 8-bit sRGB colour (5.6M).
// All 16.7M give the same figure: 0.52/255 at most.
func TestConvertImageAllColours(t *testing.T) {
	p := fogra39(t)
	const step = 3
	n := (1<<24 + step - 1) / step
	img := image.NewRGBA(image.Rect(0, 0, 1024, (n+1023)/1024))
	for j := range n {
		i := j * step
		img.Pix[4*j], img.Pix[4*j+1], img.Pix[4*j+2], img.Pix[4*j+3] = uint8(i>>16), uint8(i>>8), uint8(i), 255
	}
	for _, in := range []Intent{Perceptual, RelativeColorimetric} {
		got := p.ConvertImage(img, in)
		var worst [64]float64
		parallel(64, func(lo, hi int) {
			for part := lo; part < hi; part++ {
				for j := part * n / 64; j < (part+1)*n/64; j++ {
					i := j * step
					c, m, y, k := p.RGBToCMYK(uint8(i>>16), uint8(i>>8), uint8(i), in)
					for ch, v := range [4]float64{c, m, y, k} {
						worst[part] = max(worst[part], math.Abs(float64(got.Pix[4*j+ch])-v*255))
					}
				}
			}
		})
		w := slices.Max(worst[:])
		t.Logf("%v: %d colours within %.3f/255 of RGBToCMYK", in, n, w)
		if w > 1 {
			t.Errorf("%v: ConvertImage is %.3f/255 off RGBToCMYK", in, w)
		}
	}
}

// TestConvertImageDeterministic: the same pixels whatever GOMAXPROCS.
func TestConvertImageDeterministic(t *testing.T) {
	p := fogra39(t).WithInkLimit(3) // fresh tables and colour caches
	img := photo(333, 217, true)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	runtime.GOMAXPROCS(1)
	one := p.ConvertImage(img, Perceptual)
	runtime.GOMAXPROCS(3)
	three := p.ConvertImage(img, Perceptual)
	if !bytes.Equal(one.Pix, three.Pix) {
		t.Error("ConvertImage depends on GOMAXPROCS")
	}
}

func TestInkLimit(t *testing.T) {
	p := fogra39(t)
	lim := p.WithInkLimit(3.0)
	if p.inkLimit != 0 {
		t.Fatal("WithInkLimit changed the original")
	}
	for _, in := range []Intent{Perceptual, RelativeColorimetric} {
		for v := range 256 {
			c, m, y, k := lim.RGBToCMYK(uint8(v), uint8(v/2), uint8(v/3), in)
			if s := total(c, m, y, k); s > 3.0+1e-9 {
				t.Fatalf("%v %d: total ink %.4f", in, v, s)
			}
			c0, m0, y0, k0 := p.RGBToCMYK(uint8(v), uint8(v/2), uint8(v/3), in)
			if k != k0 || (total(c0, m0, y0, k0) <= 3 && [3]float64{c, m, y} != [3]float64{c0, m0, y0}) {
				t.Fatalf("%v %d: limited %.3f %.3f %.3f %.3f, unlimited %.3f %.3f %.3f %.3f", in, v, c, m, y, k, c0, m0, y0, k0)
			}
		}
		// Every pixel of ConvertImage, after rounding, is within 300% too.
		img := image.NewRGBA(image.Rect(0, 0, 64, 64*64))
		for i := range 64 * 64 * 64 {
			img.Pix[4*i], img.Pix[4*i+1], img.Pix[4*i+2], img.Pix[4*i+3] = uint8(i>>12)*4, uint8(i>>6)*4, uint8(i)*4, 255
		}
		maxInk, maxLimited := 0, 0
		full, got := p.ConvertImage(img, in), lim.ConvertImage(img, in)
		for i := 0; i < len(got.Pix); i += 4 {
			maxInk = max(maxInk, int(full.Pix[i])+int(full.Pix[i+1])+int(full.Pix[i+2])+int(full.Pix[i+3]))
			maxLimited = max(maxLimited, int(got.Pix[i])+int(got.Pix[i+1])+int(got.Pix[i+2])+int(got.Pix[i+3]))
		}
		t.Logf("%v: largest total ink %.1f%%, with WithInkLimit(3) %.1f%%", in, float64(maxInk)/2.55, float64(maxLimited)/2.55)
		if maxLimited > 765 {
			t.Errorf("%v: ConvertImage with a 300%% limit reaches %.1f%%", in, float64(maxLimited)/2.55)
		}
	}
	if a, b := p.CacheKey([]byte("x"), Perceptual, 1, 1), lim.CacheKey([]byte("x"), Perceptual, 1, 1); a == b {
		t.Error("the ink limit is not part of the cache key")
	}
	if p.WithInkLimit(0).inkLimit != 0 || p.WithInkLimit(0.5).inkLimit != 1 || p.WithInkLimit(math.NaN()).inkLimit != 0 {
		t.Error("WithInkLimit range")
	}
}

func TestCMYKToRGB(t *testing.T) {
	p := fogra39(t)
	for _, c := range []struct {
		name   string
		cmyk   [4]float64
		lo, hi [3]uint8
	}{
		{"paper", [4]float64{}, [3]uint8{254, 254, 254}, [3]uint8{255, 255, 255}},
		{"K100", [4]float64{0, 0, 0, 1}, [3]uint8{25, 25, 25}, [3]uint8{75, 75, 75}},
		{"rich black", [4]float64{0.6, 0.5, 0.4, 1}, [3]uint8{0, 0, 0}, [3]uint8{45, 45, 45}},
		{"process cyan", [4]float64{1, 0, 0, 0}, [3]uint8{0, 140, 200}, [3]uint8{40, 180, 255}},
		{"accent 0/100/85/15", [4]float64{0, 1, 0.85, 0.15}, [3]uint8{170, 0, 0}, [3]uint8{230, 50, 50}},
	} {
		r, g, b := p.CMYKToRGB(c.cmyk[0], c.cmyk[1], c.cmyk[2], c.cmyk[3])
		t.Logf("%s → sRGB %d,%d,%d", c.name, r, g, b)
		for i, v := range [3]uint8{r, g, b} {
			if v < c.lo[i] || v > c.hi[i] {
				t.Errorf("%s: sRGB %d,%d,%d; want %v..%v", c.name, r, g, b, c.lo, c.hi)
				break
			}
		}
	}
}

// TestEncodings: the PCS encodings, read off tiny profiles whose B2A
// passes the encoded PCS straight through to C, M, Y.
func TestEncodings(t *testing.T) {
	L, a, b := srgbToLab(200, 100, 50)
	xyz := srgbToXYZ(200, 100, 50)
	for _, c := range []struct {
		name string
		data []byte
		want [3]float64
		lab  [3]float64 // A2B's output 0.5 decoded
	}{
		{"lut16 Lab", tinyProfile(true, "Lab "), [3]float64{L * 0xFF00 / 100 / 0xFFFF, (a + 128) * 256 / 0xFFFF, (b + 128) * 256 / 0xFFFF},
			[3]float64{0x8000 * 100.0 / 0xFF00, 0, 0}},
		{"lut8 Lab", tinyProfile(false, "Lab "), [3]float64{L / 100, (a + 128) / 255, (b + 128) / 255},
			[3]float64{128 * 100.0 / 255, 0, 0}},
		{"lut16 XYZ", tinyProfile(true, "XYZ "), [3]float64{xyz[0] * 0x8000 / 0xFFFF, xyz[1] * 0x8000 / 0xFFFF, xyz[2] * 0x8000 / 0xFFFF}, [3]float64{}},
	} {
		p, err := Parse(c.data)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		cc, m, y, k := p.RGBToCMYK(200, 100, 50, RelativeColorimetric)
		tol := 1e-6
		if c.name == "lut8 Lab" {
			tol = 0.5 / 255 // the 8-bit tables
		}
		for i, v := range [3]float64{cc, m, y} {
			if math.Abs(v-c.want[i]) > tol {
				t.Errorf("%s: encoded PCS %.6f %.6f %.6f, want %.6f", c.name, cc, m, y, c.want)
				break
			}
		}
		if math.Abs(k-0.25) > 0.003 {
			t.Errorf("%s: K %.4f, want 0.25", c.name, k)
		}
		gotL, gota, gotb := p.CMYKToLab(0.3, 0.3, 0.3, 0.3)
		if c.name == "lut16 XYZ" {
			c.lab[0], c.lab[1], c.lab[2] = xyzToLab([3]float64{1, 1, 1})
		}
		if deltaE76(gotL, gota, gotb, c.lab[0], c.lab[1], c.lab[2]) > 1e-3 {
			t.Errorf("%s: A2B decodes to %.4f %.4f %.4f, want %.4f", c.name, gotL, gota, gotb, c.lab)
		}
	}
}

// TestV4: FOGRA39's tables rewritten as v4 lutBtoAType/lutAtoBType tags
// (with parametric, sampled and identity-matrix stages) convert alike.
func TestV4(t *testing.T) {
	p := fogra39(t)
	q, err := Parse(v4Twin(p))
	if err != nil {
		t.Fatal(err)
	}
	if q.Version != "4.2.0" || q.b2a[0].kind != "mBA " || q.a2b[0].kind != "mAB " {
		t.Fatalf("v4 twin: %s %s %s", q.Version, q.b2a[0].kind, q.a2b[0].kind)
	}
	worst, worstLab := 0.0, 0.0
	for r := 0; r < 256; r += 15 {
		for g := 0; g < 256; g += 15 {
			for b := 0; b < 256; b += 15 {
				for _, in := range []Intent{Perceptual, RelativeColorimetric} {
					c0, m0, y0, k0 := p.RGBToCMYK(uint8(r), uint8(g), uint8(b), in)
					c1, m1, y1, k1 := q.RGBToCMYK(uint8(r), uint8(g), uint8(b), in)
					worst = max(worst, math.Abs(c0-c1), math.Abs(m0-m1), math.Abs(y0-y1), math.Abs(k0-k1))
					L0, a0, b0 := p.CMYKToLab(c0, m0, y0, k0)
					L1, a1, b1 := q.CMYKToLab(c0, m0, y0, k0)
					worstLab = max(worstLab, deltaE76(L0, a0, b0, L1, a1, b1))
				}
			}
		}
	}
	t.Logf("v4 twin: CMYK within %.5f, Lab within ΔE %.4f", worst, worstLab)
	if worst > 1e-3 || worstLab > 0.05 {
		t.Errorf("v4 twin differs: CMYK by %.5f, Lab by ΔE %.4f", worst, worstLab)
	}
}

// TestSmallV4 checks the order and arithmetic of every mBA and mAB
// element against smallV4's formulas.
func TestSmallV4(t *testing.T) {
	p, err := Parse(smallV4())
	if err != nil {
		t.Fatal(err)
	}
	if p.MediaWhite != d50 {
		t.Errorf("no wtpt: media white %v, want D50", p.MediaWhite)
	}
	L, a, b := srgbToLab(200, 100, 50)
	nL, na, nb := L/100, (a+128)/255, (b+128)/255
	p3 := curve{kind: curvePara, fn: 3, p: [7]float64{2.4, 0.9, 0.05, 0.08, 0.04}}
	p4 := curve{kind: curvePara, fn: 4, p: [7]float64{1, 1, 0, 0.5, 0.5, 0.1, 0.2}}
	want := [4]float64{clamp01(math.Pow(nL, 2.2) + 0.1), p3.eval(na), p4.eval(nb), 128.0 / 255}
	c, m, y, k := p.RGBToCMYK(200, 100, 50, RelativeColorimetric)
	for i, v := range [4]float64{c, m, y, k} {
		// The 8-bit CLUT's middle nodes are off by up to 0.5/255.
		if math.Abs(v-want[i]) > 0.5/255 {
			t.Errorf("B2A: %.5f %.5f %.5f %.5f, want %.5f", c, m, y, k, want)
			break
		}
	}
	gotL, gota, gotb := p.CMYKToLab(0.3, 0.6, 0.1, 0.8)
	if deltaE76(gotL, gota, gotb, 30, 0.6*255-128, math.Pow(0.8, 563.0/256)*255-128) > 0.01 {
		t.Errorf("A2B: Lab %.3f %.3f %.3f", gotL, gota, gotb)
	}
}

func TestParaCurves(t *testing.T) {
	// sRGB's own EOTF as parametric type 3, and the other types at a point.
	srgb := curve{kind: curvePara, fn: 3, p: [7]float64{2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045}}
	for v := range 256 {
		if d := math.Abs(srgb.eval(float64(v)/255) - srgbLinear[v]); d > 1e-12 {
			t.Fatalf("type 3 at %d: off by %g", v, d)
		}
	}
	for _, c := range []struct {
		fn   int
		p    []float64
		x, y float64
	}{
		{0, []float64{2}, 0.5, 0.25},
		{1, []float64{1, 2, -0.5}, 0.5, 0.5},
		{1, []float64{1, 2, -0.5}, 0.2, 0},
		{2, []float64{1, 2, -0.5, 0.1}, 0.2, 0.1},
		{4, []float64{1, 1, 0, 0.5, 0.5, 0.1, 0.2}, 0.2, 0.3},
		{4, []float64{1, 0.5, 0, 0.5, 0.5, 0.1, 0.2}, 0.8, 0.5},
	} {
		cv := curve{kind: curvePara, fn: c.fn}
		copy(cv.p[:], c.p)
		if got := cv.eval(c.x); math.Abs(got-c.y) > 1e-12 {
			t.Errorf("para %d %v at %g: %g, want %g", c.fn, c.p, c.x, got, c.y)
		}
	}
}

func TestParseErrors(t *testing.T) {
	good := assets.FOGRA39
	with := func(f func(b []byte)) []byte {
		b := append([]byte(nil), good...)
		f(b)
		return b
	}
	// Offset of the tag table entry for sig.
	entry := func(sig string) int {
		for i := 0; ; i++ {
			o := headerSize + 4 + 12*i
			if string(good[o:o+4]) == sig {
				return o
			}
		}
	}
	put32 := func(b []byte, at int, v uint32) {
		b[at], b[at+1], b[at+2], b[at+3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
	}
	rename := func(b []byte, sig ...string) {
		for _, s := range sig {
			copy(b[entry(s):], "zzz"+s[3:])
		}
	}
	b2a := int(uint32(good[entry("B2A0")+4])<<24 | uint32(good[entry("B2A0")+5])<<16 | uint32(good[entry("B2A0")+6])<<8 | uint32(good[entry("B2A0")+7]))
	cases := []struct {
		name, want string
		data       []byte
	}{
		{"empty", "truncated", nil},
		{"header only", "truncated", good[:100]},
		{"cut short", "truncated", good[:len(good)-1]},
		{"cut to the tag table", "truncated", good[:200]},
		{"cut, size patched", "runs past the end", with(func(b []byte) { put32(b, 0, 60000) })[:60000]},
		{"size field too small", "too small", with(func(b []byte) { put32(b, 0, 10) })},
		{"no acsp", "not an ICC profile", with(func(b []byte) { b[36] = 'x' })},
		{"version 5", "unsupported profile version", with(func(b []byte) { b[8] = 5 })},
		{"display class", "not an output profile", with(func(b []byte) { copy(b[12:], "mntr") })},
		{"RGB space", "want 'CMYK'", with(func(b []byte) { copy(b[16:], "RGB ") })},
		{"odd PCS", "want 'Lab ' or 'XYZ '", with(func(b []byte) { copy(b[20:], "Luv ") })},
		{"huge tag count", "tag table", with(func(b []byte) { put32(b, headerSize, 1<<30) })},
		{"tag past the end", "runs past the end", with(func(b []byte) { put32(b, entry("A2B0")+8, 1<<31) })},
		{"no B2A", "no B2A0/B2A1", with(func(b []byte) { rename(b, "B2A0", "B2A1") })},
		{"no A2B", "no A2B0/A2B1", with(func(b []byte) { rename(b, "A2B0", "A2B1") })},
		{"bad lut type", "unsupported tag type", with(func(b []byte) { copy(b[b2a:], "curv") })},
		{"lut channels", "want 3 and 4", with(func(b []byte) { b[b2a+9] = 3 })},
		{"lut grid 1", "grid points", with(func(b []byte) { b[b2a+10] = 1 })},
		{"lut grid huge", "truncated", with(func(b []byte) { b[b2a+10] = 255 })},
		{"lut entries", "curve tables", with(func(b []byte) { b[b2a+48], b[b2a+49] = 0x20, 0 })},
		{"wtpt type", "wtpt", with(func(b []byte) { copy(b[540:], "text") })},
	}
	for _, c := range cases {
		p, err := Parse(c.data)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, %v; want an error with %q", c.name, p, err, c.want)
		}
	}
	// Every prefix, and a run of single-byte corruptions, fail cleanly (the
	// fuzz target does this at random).
	for n := 0; n < len(good); n += 997 {
		if _, err := Parse(good[:n]); err == nil {
			t.Errorf("prefix of %d bytes parsed", n)
		}
	}
	for i := 0; i < 1500; i += 3 {
		b := with(func(b []byte) { b[i] ^= 0xA5 })
		if p, err := Parse(b); err == nil {
			p.RGBToCMYK(1, 2, 3, Perceptual)
			p.CMYKToLab(0.1, 0.2, 0.3, 0.4)
		}
	}
}
