package images

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/disintegration/imaging"

	"paiban/display"
)

func TestPassThrough(t *testing.T) {
	dir := t.TempDir()
	data := encJPEG(t, photo(1200, 900), 85)
	path := writeFile(t, dir, "p.jpg", data)
	for _, c := range []struct {
		name   string
		w, h   float64
		fit    display.Fit
		ppi    float64
		wantPT bool
		W, H   int
	}{
		{"in range", 300, 225, display.Cover, 288, true, 1200, 900},
		{"contain, other aspect", 300, 400, display.Contain, 288, true, 1200, 900},
		{"aspect 0.44% off", 300, 226, display.Cover, 900 * 72 / 226.0, true, 1200, 900},
		{"low ppi kept as is", 900, 675, display.Cover, 96, true, 1200, 900},
		// 1.3% off: cropped to 1184 × 900, so re-encoded.
		{"aspect 1.3% off", 300, 228, display.Cover, 1184 * 72 / 300.0, false, 1184, 900},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := Prepare(path, c.w, c.h, c.fit, 0, 0, Print)
			if err != nil {
				t.Fatal(err)
			}
			if p.PassThrough != c.wantPT || p.W != c.W || p.H != c.H || p.Format != "jpeg" {
				t.Fatalf("PassThrough=%v %d×%d %s, want %v %d×%d jpeg", p.PassThrough, p.W, p.H, p.Format, c.wantPT, c.W, c.H)
			}
			if math.Abs(p.EffectivePPI-c.ppi) > 0.5 {
				t.Errorf("EffectivePPI %.2f, want %.2f", p.EffectivePPI, c.ppi)
			}
			if c.wantPT {
				if !bytes.Equal(p.Data, data) || p.Image != nil {
					t.Error("pass-through data differs from the file, or Image is set")
				}
			} else if p.Image == nil || bytes.Equal(p.Data, data) {
				t.Error("re-encoded picture has no Image, or is the file")
			}
		})
	}
}

func TestDownsample(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "big.jpg", encJPEG(t, photo(2400, 1800), 90))
	sq := writeFile(t, dir, "square.jpg", encJPEG(t, photo(2400, 2400), 90))
	w, h := mm(85), mm(63.75) // 4:3
	for _, c := range []struct {
		name       string
		path       string
		w, h       float64
		fit        display.Fit
		o          Options
		W, H       int
		dx, dy, dw float64
	}{
		{"cover print", path, w, h, display.Cover, Print, 1004, 753, 0, 0, w},
		{"cover preview", path, w, h, display.Cover, Preview, 402, 301, 0, 0, w},
		{"cover crop", sq, w, h, display.Cover, Print, 1004, 753, 0, 0, w},
		// 400 × 100 pt frame: the picture is drawn 133.3 × 100 pt.
		{"contain", path, 400, 100, display.Contain, Print, 556, 417, 400.0 / 3, 0, 400.0 / 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := Prepare(c.path, c.w, c.h, c.fit, 0, 0, c.o)
			if err != nil {
				t.Fatal(err)
			}
			if p.PassThrough || p.W != c.W || p.H != c.H {
				t.Fatalf("PassThrough=%v %d×%d, want false %d×%d", p.PassThrough, p.W, p.H, c.W, c.H)
			}
			if math.Abs(p.EffectivePPI-c.o.TargetPPI) > 1 {
				t.Errorf("EffectivePPI %.2f, want ≈%g", p.EffectivePPI, c.o.TargetPPI)
			}
			if math.Abs(p.DX-c.dx) > 1e-9 || math.Abs(p.DY-c.dy) > 1e-9 || math.Abs(p.DW-c.dw) > 1e-9 {
				t.Errorf("drawn at %g,%g %g wide; want %g,%g %g", p.DX, p.DY, p.DW, c.dx, c.dy, c.dw)
			}
			img, err := jpeg.Decode(bytes.NewReader(p.Data))
			if err != nil {
				t.Fatal(err)
			}
			if b := img.Bounds(); b.Dx() != c.W || b.Dy() != c.H || p.Image.Bounds() != image.Rect(0, 0, c.W, c.H) {
				t.Errorf("data %v, Image %v; want %d×%d", b, p.Image.Bounds(), c.W, c.H)
			}
			if p.ColorSpace != "rgb" {
				t.Errorf("ColorSpace %q", p.ColorSpace)
			}
		})
	}
}

// countNear counts the pixels of img near c.
func countNear(img image.Image, c color.Color, tol int) (n, total int) {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if near(img.At(x, y), c, tol) {
				n++
			}
		}
	}
	return n, b.Dx() * b.Dy()
}

func TestCoverFocus(t *testing.T) {
	dir := t.TempDir()
	wide := halves(400, 200, red, blue)                            // red | blue
	tall := stored(halves(400, 200, red, blue), 5)                 // red over blue (transposed)
	widePNG := writeFile(t, dir, "wide.png", encPNG(t, wide))      // exact pixels
	tallPNG := writeFile(t, dir, "tall.png", encPNG(t, tall))      //
	wideJPG := writeFile(t, dir, "wide.jpg", encJPEG(t, wide, 92)) // with JPEG fuzz
	for _, c := range []struct {
		path   string
		fx, fy float64
		want   color.NRGBA // the whole crop
	}{
		{widePNG, -0.5, 0, red},
		{widePNG, +0.5, 0, blue},
		{widePNG, -3, 0.4, red}, // out of range: clamped
		{widePNG, -0.25, 0, red},
		{widePNG, math.Inf(-1), math.NaN(), red},
		{widePNG, math.Inf(1), 0, blue},
		{tallPNG, 0, -0.5, red},
		{tallPNG, 0.3, +0.5, blue},
	} {
		p, err := Prepare(c.path, 100, 100, display.Cover, c.fx, c.fy, Print)
		if err != nil {
			t.Fatal(err)
		}
		if p.PassThrough || p.W != 200 || p.H != 200 || p.Format != "png" {
			t.Fatalf("%s focus %g,%g: PassThrough=%v %d×%d %s", c.path, c.fx, c.fy, p.PassThrough, p.W, p.H, p.Format)
		}
		if n, all := countNear(p.Image, c.want, 0); n != all {
			t.Errorf("%s focus %g,%g: %d of %d pixels are %v", filepath.Base(c.path), c.fx, c.fy, n, all, c.want)
		}
	}
	// Centred: half and half.
	p, err := Prepare(widePNG, 100, 100, display.Cover, 0, 0, Print)
	if err != nil {
		t.Fatal(err)
	}
	if !near(p.Image.At(99, 50), red, 0) || !near(p.Image.At(100, 50), blue, 0) {
		t.Errorf("centred crop: %v | %v at the middle", p.Image.At(99, 50), p.Image.At(100, 50))
	}
	// A JPEG: all red but for compression noise.
	p, err = Prepare(wideJPG, 100, 100, display.Cover, -0.5, 0, Print)
	if err != nil {
		t.Fatal(err)
	}
	if n, all := countNear(p.Image, red, 40); n < all*97/100 {
		t.Errorf("JPEG crop: only %d of %d pixels red", n, all)
	}
	if n, _ := countNear(p.Image, blue, 100); n != 0 {
		t.Errorf("JPEG crop: %d blue pixels", n)
	}
}

func TestContainRect(t *testing.T) {
	dir := t.TempDir()
	wide := writeFile(t, dir, "wide.jpg", encJPEG(t, photo(400, 200), 90))
	tall := writeFile(t, dir, "tall.jpg", encJPEG(t, photo(200, 400), 90))
	for _, c := range []struct {
		path           string
		w, h           float64
		dx, dy, dw, dh float64
	}{
		{wide, 100, 100, 0, 25, 100, 50},
		{tall, 100, 100, 25, 0, 50, 100},
		{wide, 200, 50, 50, 0, 100, 50},
	} {
		p, err := Prepare(c.path, c.w, c.h, display.Contain, 0.5, 0.5, Print)
		if err != nil {
			t.Fatal(err)
		}
		if p.DX != c.dx || p.DY != c.dy || p.DW != c.dw || p.DH != c.dh {
			t.Errorf("%s in %g×%g: %g,%g %g×%g; want %g,%g %g×%g", filepath.Base(c.path), c.w, c.h,
				p.DX, p.DY, p.DW, p.DH, c.dx, c.dy, c.dw, c.dh)
		}
		if !p.PassThrough || math.Abs(p.EffectivePPI-288) > 1e-9 {
			t.Errorf("PassThrough=%v at %g ppi; want true at 288", p.PassThrough, p.EffectivePPI)
		}
	}
}

func TestOrientation(t *testing.T) {
	dir := t.TempDir()
	disp := quadrants(64, 32) // as it should be seen
	check := func(t *testing.T, img image.Image, tol int) {
		t.Helper()
		b := img.Bounds()
		w, h := b.Dx(), b.Dy()
		if abs(w-2*h) > 1 {
			t.Fatalf("%d×%d is not landscape 2:1", w, h)
		}
		for _, q := range []struct {
			x, y int
			c    color.NRGBA
		}{{w / 4, h / 4, red}, {3 * w / 4, h / 4, green}, {w / 4, 3 * h / 4, blue}, {3 * w / 4, 3 * h / 4, black}} {
			if got := img.At(b.Min.X+q.x, b.Min.Y+q.y); !near(got, q.c, tol) {
				t.Errorf("at %d,%d: %v, want %v", q.x, q.y, got, q.c)
			}
		}
	}
	for o := 1; o <= 8; o++ {
		for _, be := range []bool{false, true} {
			t.Run(fmt.Sprintf("%d/bigendian=%v", o, be), func(t *testing.T) {
				data := withExif(encJPEG(t, stored(disp, o), 95), o, be)
				path := writeFile(t, dir, fmt.Sprintf("o%d%v.jpg", o, be), data)

				info, err := Stat(path)
				if err != nil {
					t.Fatal(err)
				}
				if info.W != 64 || info.H != 32 || info.Orientation != o || info.Format != "jpeg" {
					t.Fatalf("Stat: %+v", info)
				}

				// The test's reading of EXIF agrees with imaging's.
				ref, err := imaging.Decode(bytes.NewReader(data), imaging.AutoOrientation(true))
				if err != nil {
					t.Fatal(err)
				}
				check(t, ref, 40)

				// Native pixels (72 ppi): only o = 1 passes through.
				p, err := Prepare(path, 64, 32, display.Contain, 0, 0, Print)
				if err != nil {
					t.Fatal(err)
				}
				if p.PassThrough != (o == 1) || p.W != 64 || p.H != 32 {
					t.Fatalf("PassThrough=%v %d×%d", p.PassThrough, p.W, p.H)
				}
				img, err := jpeg.Decode(bytes.NewReader(p.Data))
				if err != nil {
					t.Fatal(err)
				}
				check(t, img, 40)

				// Downsampled: 288 ppi into a 16 pt frame at 120 ppi.
				p, err = Prepare(path, 16, 8, display.Cover, 0, 0, Preview)
				if err != nil {
					t.Fatal(err)
				}
				if p.W != 27 || p.H != 13 {
					t.Fatalf("downsampled to %d×%d, want 27×13", p.W, p.H)
				}
				check(t, p.Image, 60)

				// Cover crop into a square with the focus on the left:
				// the red and blue quadrants.
				p, err = Prepare(path, 32, 32, display.Cover, -0.5, 0, Print)
				if err != nil {
					t.Fatal(err)
				}
				if p.W != 32 || p.H != 32 {
					t.Fatalf("cropped to %d×%d, want 32×32", p.W, p.H)
				}
				if !near(p.Image.At(16, 8), red, 40) || !near(p.Image.At(16, 24), blue, 40) {
					t.Errorf("left crop: %v over %v, want red over blue", p.Image.At(16, 8), p.Image.At(16, 24))
				}
			})
		}
	}
}

func TestOrientationParsing(t *testing.T) {
	base := encJPEG(t, photo(16, 8), 90)
	xmp := []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta/>")
	for _, c := range []struct {
		name string
		data []byte
		want int
	}{
		{"absent", base, 1},
		{"after an XMP APP1", insertSegment(withExif(base, 6, true), 0xE1, xmp), 6},
		{"after fill bytes", append([]byte{0xFF, 0xD8, 0xFF}, withExif(base, 8, false)[2:]...), 8},
		{"after junk bytes", append([]byte{0xFF, 0xD8, 0, 0}, withExif(base, 3, true)[2:]...), 3},
		{"invalid value 9", withExif(base, 9, false), 1},
		{"value 0", withExif(base, 0, true), 1},
		{"Exif without TIFF", insertSegment(base, 0xE1, []byte("Exif\x00\x00MM")), 1},
	} {
		if got := jpegOrientation(c.data); got != c.want {
			t.Errorf("%s: orientation %d, want %d", c.name, got, c.want)
		}
	}
}

func TestPNGAlpha(t *testing.T) {
	dir := t.TempDir()
	src := image.NewNRGBA(image.Rect(0, 0, 200, 100))
	for y := 0; y < 100; y++ {
		for x := 100; x < 200; x++ {
			src.SetNRGBA(x, y, color.NRGBA{0, 200, 0, 128}) // left half fully transparent
		}
	}
	data := encPNG(t, src)
	path := writeFile(t, dir, "a.png", data)
	info, err := Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if !info.Alpha || info.Format != "png" || info.W != 200 || info.Orientation != 1 {
		t.Fatalf("Stat: %+v", info)
	}

	p, err := Prepare(path, 100, 50, display.Cover, 0, 0, Print) // 144 ppi
	if err != nil {
		t.Fatal(err)
	}
	if !p.PassThrough || !bytes.Equal(p.Data, data) || p.Format != "png" {
		t.Fatalf("8-bit PNG in range: PassThrough=%v %s", p.PassThrough, p.Format)
	}

	p, err = Prepare(path, 10, 5, display.Cover, 0, 0, Preview) // 1440 ppi → 120
	if err != nil {
		t.Fatal(err)
	}
	if p.PassThrough || p.Format != "png" || p.W != 17 || p.H != 8 {
		t.Fatalf("PassThrough=%v %s %d×%d", p.PassThrough, p.Format, p.W, p.H)
	}
	if depth, ctype := p.Data[24], p.Data[25]; depth != 8 || ctype != 6 {
		t.Errorf("PNG depth %d colour type %d, want 8-bit RGBA", depth, ctype)
	}
	img, err := png.Decode(bytes.NewReader(p.Data))
	if err != nil {
		t.Fatal(err)
	}
	if a := color.NRGBAModel.Convert(img.At(2, 4)).(color.NRGBA).A; a != 0 {
		t.Errorf("transparent side has alpha %d", a)
	}
	if c := img.At(14, 4); !near(c, color.NRGBA{0, 200, 0, 128}, 2) {
		t.Errorf("translucent side is %v", c)
	}

	// A palette with a transparent entry (tRNS) counts as alpha; an opaque
	// RGB PNG does not.
	pal := image.NewPaletted(image.Rect(0, 0, 4, 4), color.Palette{color.NRGBA{0, 0, 0, 0}, red})
	for _, c := range []struct {
		img  image.Image
		want bool
	}{{pal, true}, {photo(8, 8), false}} {
		info, err := Stat(writeFile(t, dir, "x.png", encPNG(t, c.img)))
		if err != nil {
			t.Fatal(err)
		}
		if info.Alpha != c.want {
			t.Errorf("%T: Alpha=%v", c.img, info.Alpha)
		}
	}
}

func TestPNG16AndInterlaced(t *testing.T) {
	dir := t.TempDir()
	src := image.NewNRGBA64(image.Rect(0, 0, 37, 23))
	for y := 0; y < 23; y++ {
		for x := 0; x < 37; x++ {
			src.SetNRGBA64(x, y, color.NRGBA64{uint16(x * 1700), uint16(y * 2800), 0x8080, uint16(0xFFFF - x*y*70)})
		}
	}
	want := image.NewNRGBA(src.Bounds()) // what 8 bits keep
	for i := range want.Pix {
		want.Pix[i] = src.Pix[2*i]
	}
	for _, c := range []struct {
		name string
		data []byte
	}{
		{"16-bit", encPNG(t, src)},
		{"interlaced 8-bit", interlacedPNG(src, 8)},
		{"interlaced 16-bit", interlacedPNG(src, 16)},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := writeFile(t, dir, "x.png", c.data)
			info, err := Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if info.W != 37 || info.H != 23 || !info.Alpha {
				t.Fatalf("Stat: %+v", info)
			}
			p, err := Prepare(path, 37, 23, display.Contain, 0, 0, Print)
			if err != nil {
				t.Fatal(err)
			}
			if p.PassThrough || p.Format != "png" || p.W != 37 || p.H != 23 {
				t.Fatalf("PassThrough=%v %s %d×%d", p.PassThrough, p.Format, p.W, p.H)
			}
			if depth, ctype, interlace := p.Data[24], p.Data[25], p.Data[28]; depth != 8 || ctype != 6 || interlace != 0 {
				t.Errorf("depth %d, colour type %d, interlace %d; want 8, 6, 0", depth, ctype, interlace)
			}
			img, err := png.Decode(bytes.NewReader(p.Data))
			if err != nil {
				t.Fatal(err)
			}
			got := imagingNRGBA(img)
			for i := range want.Pix {
				if abs(int(got.Pix[i])-int(want.Pix[i])) > 1 {
					t.Fatalf("byte %d: %d, want %d", i, got.Pix[i], want.Pix[i])
				}
			}
		})
	}

	// 16-bit grey stays grey, 8-bit.
	g := image.NewGray16(image.Rect(0, 0, 20, 10))
	for i := range g.Pix {
		g.Pix[i] = uint8(i)
	}
	p, err := Prepare(writeFile(t, dir, "g.png", encPNG(t, g)), 20, 10, display.Cover, 0, 0, Print)
	if err != nil {
		t.Fatal(err)
	}
	if depth, ctype := p.Data[24], p.Data[25]; depth != 8 || ctype != 0 || p.ColorSpace != "gray" {
		t.Errorf("grey 16-bit → depth %d colour type %d %s", depth, ctype, p.ColorSpace)
	}
	if _, ok := p.Image.(*image.Gray); !ok {
		t.Errorf("Image is %T", p.Image)
	}
}

func imagingNRGBA(img image.Image) *image.NRGBA {
	n := image.NewNRGBA(img.Bounds())
	for y := 0; y < img.Bounds().Dy(); y++ {
		for x := 0; x < img.Bounds().Dx(); x++ {
			n.Set(x, y, img.At(x, y))
		}
	}
	return n
}

func TestGrayAndCMYK(t *testing.T) {
	dir := t.TempDir()
	g := image.NewGray(image.Rect(0, 0, 400, 300))
	for i := range g.Pix {
		g.Pix[i] = uint8(i % 251)
	}
	path := writeFile(t, dir, "g.jpg", encJPEG(t, g, 90))
	info, err := Stat(path)
	if err != nil || info.ColorSpace != "gray" {
		t.Fatalf("Stat: %+v %v", info, err)
	}
	p, err := Prepare(path, 100, 75, display.Cover, 0, 0, Preview) // 288 → 120 ppi
	if err != nil {
		t.Fatal(err)
	}
	img, err := jpeg.Decode(bytes.NewReader(p.Data))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := img.(*image.Gray); !ok || p.ColorSpace != "gray" || p.W != 167 {
		t.Errorf("grey JPEG → %T, %s, %d px wide", img, p.ColorSpace, p.W)
	}

	cmyk := filepath.Join("testdata", "video-001.cmyk.jpeg")
	info, err = Stat(cmyk)
	if err != nil || info.ColorSpace != "cmyk" || info.W != 150 || info.H != 103 {
		t.Fatalf("Stat: %+v %v", info, err)
	}
	p, err = Prepare(cmyk, 50, 34.333, display.Cover, 0, 0, Print) // 216 ppi
	if err != nil {
		t.Fatal(err)
	}
	if !p.PassThrough || p.ColorSpace != "cmyk" {
		t.Errorf("CMYK in range: PassThrough=%v %s", p.PassThrough, p.ColorSpace)
	}
	p, err = Prepare(cmyk, 10, 6.8667, display.Cover, 0, 0, Print) // 1080 ppi
	if err != nil {
		t.Fatal(err)
	}
	if p.PassThrough || p.ColorSpace != "rgb" || p.W != 42 {
		t.Errorf("CMYK downsampled: PassThrough=%v %s %d px wide", p.PassThrough, p.ColorSpace, p.W)
	}
}

// hugePNG is a valid-looking PNG header claiming w × h pixels.
func hugePNG(w, h uint32) []byte {
	out := append([]byte{}, pngSignature...)
	ihdr := []byte("IHDR")
	ihdr = binary.BigEndian.AppendUint32(ihdr, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 2, 0, 0, 0)
	out = binary.BigEndian.AppendUint32(out, 13)
	out = append(out, ihdr...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(ihdr))
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	jpg := encJPEG(t, photo(300, 200), 90)
	pngData := encPNG(t, photo(300, 200))
	badCRC := append([]byte{}, pngData...)
	badCRC[len(badCRC)-40] ^= 0x55 // inside IDAT
	for _, c := range []struct {
		name string
		data []byte // nil: no file
		fit  display.Fit
		want string
	}{
		{"missing.jpg", nil, display.Cover, "no such file"},
		{"empty.jpg", []byte{}, display.Cover, "the file is empty"},
		{"x.gif", []byte("GIF89a\x01\x00\x01\x00"), display.Cover, "not a JPEG or PNG image (it looks like a GIF) — export it as JPEG or PNG"},
		{"x.webp", []byte("RIFF\x10\x00\x00\x00WEBPVP8 "), display.Cover, "(it looks like a WebP)"},
		{"x.heic", []byte("\x00\x00\x00\x18ftypheic\x00\x00"), display.Cover, "(it looks like a HEIC)"},
		{"x.txt", []byte("hello"), display.Cover, "not a JPEG or PNG image — export it as JPEG or PNG"},
		{"head.jpg", jpg[:40], display.Cover, "truncated JPEG"},
		{"tail.jpg", jpg[:len(jpg)*2/3], display.Contain, "truncated JPEG (no end-of-image marker)"}, // pass-through
		{"tailcrop.jpg", jpg[:len(jpg)*2/3], display.Cover, "JPEG"},                                  // decoded
		{"head.png", pngData[:30], display.Cover, "truncated PNG"},
		{"tail.png", pngData[:len(pngData)-20], display.Contain, "truncated PNG"},
		{"tailcrop.png", pngData[:len(pngData)-20], display.Cover, "truncated PNG"},
		{"crc.png", badCRC, display.Contain, "bad checksum"},
		{"junk.jpg", append([]byte{0xFF, 0xD8, 0xFF, 0xC0, 0, 3}, make([]byte, 20)...), display.Cover, "JPEG"},
		{"huge.png", hugePNG(100000, 100000), display.Cover, "downsample the picture first"},
	} {
		path := filepath.Join(dir, c.name)
		if c.data != nil {
			writeFile(t, dir, c.name, c.data)
		}
		// Square frame: Cover crops the 3:2 picture; Contain does not.
		_, err := Prepare(path, 100, 100, c.fit, 0, 0, Print)
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, path+": ") || !strings.Contains(msg, c.want) || !strings.Contains(msg, " — ") {
			t.Errorf("%s: %q, want the path, %q and what to do", c.name, msg, c.want)
		}
		t.Logf("%s", msg)
	}

	for _, path := range []string{dir, filepath.Join(dir, "missing.png")} {
		if _, err := Stat(path); err == nil || !strings.HasPrefix(err.Error(), path+": ") {
			t.Errorf("Stat(%s): %v", path, err)
		}
		if _, err := Prepare(path, 10, 10, display.Cover, 0, 0, Print); err == nil || !strings.HasPrefix(err.Error(), path+": ") {
			t.Errorf("Prepare(%s): %v", path, err)
		}
	}

	ok := writeFile(t, dir, "ok.jpg", jpg)
	for _, c := range []struct {
		w, h float64
		fit  display.Fit
		o    Options
	}{
		{0, 10, display.Cover, Print}, {10, -1, display.Cover, Print}, {math.NaN(), 10, display.Cover, Print},
		{math.Inf(1), 10, display.Cover, Print}, {10, 10, display.Fit(7), Print}, {10, 10, display.Cover, Options{TargetPPI: -1}},
	} {
		if _, err := Prepare(ok, c.w, c.h, c.fit, 0, 0, c.o); err == nil || !strings.HasPrefix(err.Error(), ok+": ") {
			t.Errorf("frame %g×%g fit %d %+v: %v", c.w, c.h, c.fit, c.o, err)
		}
	}
}

func TestStatLongHeader(t *testing.T) {
	// Six 60 kB APP2 segments push the Exif and frame header past Stat's
	// first read.
	data := withExif(encJPEG(t, stored(quadrants(64, 32), 6), 90), 6, false)
	for i := 0; i < 6; i++ {
		data = insertSegment(data, 0xE2, make([]byte, 60000))
	}
	info, err := Stat(writeFile(t, t.TempDir(), "long.jpg", data))
	if err != nil {
		t.Fatal(err)
	}
	if info.W != 64 || info.H != 32 || info.Orientation != 6 {
		t.Errorf("Stat: %+v", info)
	}
}

func TestDeterministic(t *testing.T) {
	dir := t.TempDir()
	jpgPath := writeFile(t, dir, "p.jpg", withExif(encJPEG(t, photo(1600, 1200), 90), 6, true))
	pngPath := writeFile(t, dir, "p.png", encPNG(t, photo(800, 600)))
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, path := range []string{jpgPath, pngPath} {
		var first []byte
		for _, procs := range []int{1, 3, 8, 1} {
			runtime.GOMAXPROCS(procs)
			p, err := Prepare(path, 100, 70, display.Cover, 0.2, -0.1, Print)
			if err != nil {
				t.Fatal(err)
			}
			if p.PassThrough {
				t.Fatal("passed through")
			}
			if first == nil {
				first = p.Data
			} else if !bytes.Equal(first, p.Data) {
				t.Errorf("%s: output differs with GOMAXPROCS=%d", filepath.Base(path), procs)
			}
		}
	}
}

func TestPreparedDecode(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "p.jpg", encJPEG(t, photo(300, 200), 90))
	p, err := Prepare(path, 75, 50, display.Cover, 0, 0, Print)
	if err != nil || !p.PassThrough {
		t.Fatal(err, p.PassThrough)
	}
	img, err := p.Decode()
	if err != nil || img.Bounds().Dx() != 300 {
		t.Fatal(err)
	}
	_ = os.Remove(path)
}

// TestPixels: with Options.Pixels a colour picture that has to be
// re-encoded keeps its pixels only (Data nil), a greyscale one is still
// encoded (it is embedded as it is), a picture passed through is
// unchanged, and Decode of a picture with neither says so.
func TestPixels(t *testing.T) {
	dir := t.TempDir()
	o := Print
	o.Pixels = true
	colour := writeFile(t, dir, "c.jpg", encJPEG(t, photo(600, 400), 90))
	p, err := Prepare(colour, 72, 48, display.Contain, 0, 0, o) // 600 ppi: downsampled
	if err != nil {
		t.Fatal(err)
	}
	if p.Data != nil || p.Image == nil || p.W != 300 || p.ColorSpace != "rgb" {
		t.Errorf("colour: %d bytes of data, image %v, %d px wide, %s", len(p.Data), p.Image != nil, p.W, p.ColorSpace)
	}
	g := image.NewGray(image.Rect(0, 0, 600, 400))
	for i := range g.Pix {
		g.Pix[i] = uint8(i)
	}
	grey := writeFile(t, dir, "g.jpg", encJPEG(t, g, 90))
	if p, err := Prepare(grey, 72, 48, display.Contain, 0, 0, o); err != nil || p.Data == nil || p.ColorSpace != "gray" {
		t.Errorf("grey: %v, %d bytes of data", err, len(p.Data))
	}
	if p, err := Prepare(colour, 144, 96, display.Contain, 0, 0, o); err != nil || !p.PassThrough || p.Data == nil {
		t.Errorf("passed through: %v", err)
	}
	if _, err := (&Prepared{Format: "jpeg"}).Decode(); !errors.Is(err, ErrNoPixels) {
		t.Errorf("Decode with no pixels: %v", err)
	}
}
