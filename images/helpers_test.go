package images

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

var (
	red   = color.NRGBA{255, 0, 0, 255}
	blue  = color.NRGBA{0, 0, 255, 255}
	green = color.NRGBA{0, 200, 0, 255}
	black = color.NRGBA{0, 0, 0, 255}
	white = color.NRGBA{255, 255, 255, 255}
)

// halves is a w × h picture, left half a, right half b.
func halves(w, h int, a, b color.NRGBA) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := a
			if x >= w/2 {
				c = b
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

// quadrants is a w × h picture: red top-left, green top-right, blue
// bottom-left, black bottom-right.
func quadrants(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := [2][2]color.NRGBA{{red, green}, {blue, black}}[btoi(y >= h/2)][btoi(x >= w/2)]
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// photo is a w × h picture with smooth gradients and some texture, so that
// it compresses like a photograph rather than a flat test card.
func photo(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	seed := uint32(1)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			seed = seed*1664525 + 1013904223
			n := uint8(seed >> 28)
			i := img.PixOffset(x, y)
			img.Pix[i] = uint8(x*255/w) ^ n
			img.Pix[i+1] = uint8(y*255/h) + n
			img.Pix[i+2] = uint8((x+y)*255/(w+h)) - n
			img.Pix[i+3] = 255
		}
	}
	return img
}

func encJPEG(t testing.TB, img image.Image, q int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encPNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// withExif inserts an APP1 Exif segment with the given orientation right
// after the SOI marker of a JPEG. The TIFF structure is big- or
// little-endian, and IFD0 holds a dummy tag before the orientation.
func withExif(jpg []byte, orientation int, bigEndian bool) []byte {
	var bo binary.AppendByteOrder = binary.LittleEndian
	tiff := []byte("II\x2a\x00")
	if bigEndian {
		bo = binary.BigEndian
		tiff = []byte("MM\x00\x2a")
	}
	tiff = bo.AppendUint32(tiff, 8)      // IFD0 offset
	tiff = bo.AppendUint16(tiff, 2)      // two entries
	tiff = bo.AppendUint16(tiff, 0x010F) // Make, ASCII, 4 bytes inline
	tiff = bo.AppendUint16(tiff, 2)
	tiff = bo.AppendUint32(tiff, 4)
	tiff = append(tiff, "Foo\x00"...)
	tiff = bo.AppendUint16(tiff, 0x0112) // Orientation, SHORT, 1
	tiff = bo.AppendUint16(tiff, 3)
	tiff = bo.AppendUint32(tiff, 1)
	tiff = bo.AppendUint16(tiff, uint16(orientation))
	tiff = bo.AppendUint16(tiff, 0)
	tiff = bo.AppendUint32(tiff, 0) // no next IFD
	return insertSegment(jpg, 0xE1, append([]byte("Exif\x00\x00"), tiff...))
}

// insertSegment puts a marker segment right after SOI.
func insertSegment(jpg []byte, marker byte, payload []byte) []byte {
	seg := []byte{0xFF, marker, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	seg = append(seg, payload...)
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// stored returns the picture a camera stores for a displayed picture d
// under EXIF orientation o: applying o to it gives d back. The mapping is
// written from the EXIF definition (where row 0 and column 0 of the stored
// picture end up), independently of the package's code.
func stored(d *image.NRGBA, o int) *image.NRGBA {
	W, H := d.Bounds().Dx(), d.Bounds().Dy()
	rw, rh := W, H
	if o >= 5 {
		rw, rh = H, W
	}
	r := image.NewNRGBA(image.Rect(0, 0, rw, rh))
	for ry := 0; ry < rh; ry++ {
		for rx := 0; rx < rw; rx++ {
			var x, y int // displayed position of stored pixel (rx, ry)
			switch o {
			case 1: // row 0 top, column 0 left
				x, y = rx, ry
			case 2: // row 0 top, column 0 right
				x, y = rw-1-rx, ry
			case 3: // row 0 bottom, column 0 right
				x, y = rw-1-rx, rh-1-ry
			case 4: // row 0 bottom, column 0 left
				x, y = rx, rh-1-ry
			case 5: // row 0 left, column 0 top
				x, y = ry, rx
			case 6: // row 0 right, column 0 top
				x, y = rh-1-ry, rx
			case 7: // row 0 right, column 0 bottom
				x, y = rh-1-ry, rw-1-rx
			case 8: // row 0 left, column 0 bottom
				x, y = ry, rw-1-rx
			}
			r.SetNRGBA(rx, ry, d.NRGBAAt(x, y))
		}
	}
	return r
}

// interlacedPNG encodes an RGBA picture as an Adam7-interlaced PNG (colour
// type 6) of bit depth 8 or 16. image/png cannot write interlaced files.
func interlacedPNG(img *image.NRGBA64, depth int) []byte {
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	passes := [7][4]int{{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}}
	var raw bytes.Buffer
	for _, p := range passes {
		if p[0] >= w || p[1] >= h {
			continue
		}
		for y := p[1]; y < h; y += p[3] {
			raw.WriteByte(0) // filter: none
			for x := p[0]; x < w; x += p[2] {
				c := img.NRGBA64At(x, y)
				for _, v := range []uint16{c.R, c.G, c.B, c.A} {
					if depth == 16 {
						raw.WriteByte(byte(v >> 8))
						raw.WriteByte(byte(v))
					} else {
						raw.WriteByte(byte(v >> 8))
					}
				}
			}
		}
	}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(raw.Bytes())
	zw.Close()

	out := append([]byte{}, pngSignature...)
	chunk := func(typ string, data []byte) {
		out = binary.BigEndian.AppendUint32(out, uint32(len(data)))
		start := len(out)
		out = append(out, typ...)
		out = append(out, data...)
		out = binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[start:]))
	}
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, byte(depth), 6, 0, 0, 1)
	chunk("IHDR", ihdr)
	chunk("IDAT", z.Bytes())
	chunk("IEND", nil)
	return out
}

func writeFile(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// near reports whether two colours differ by at most tol in every channel.
func near(a, b color.Color, tol int) bool {
	ca := color.NRGBAModel.Convert(a).(color.NRGBA)
	cb := color.NRGBAModel.Convert(b).(color.NRGBA)
	d := func(x, y uint8) bool { return abs(int(x)-int(y)) <= tol }
	return d(ca.R, cb.R) && d(ca.G, cb.G) && d(ca.B, cb.B) && d(ca.A, cb.A)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// mm converts millimetres to points.
func mm(v float64) float64 { return v * 72 / 25.4 }
