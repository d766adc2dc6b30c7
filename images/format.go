package images

import (
	"paiban/internal/jpegdec"

	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
)

// header is Info plus what Prepare needs to know about the file.
type header struct {
	Info
	// passable: the file may be embedded as it is (any JPEG; an 8-bit,
	// non-interlaced PNG).
	passable bool
}

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

const redo = "export it again as JPEG or PNG"

// parse reads the header of a JPEG or PNG file held in data (the whole file,
// or for Stat possibly a prefix).
func parse(name string, data []byte) (header, error) {
	var h header
	switch {
	case len(data) == 0:
		return h, fmt.Errorf("%s: the file is empty — %s", name, redo)
	case len(data) >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF:
		h.Format = "jpeg"
	case bytes.HasPrefix(data, pngSignature):
		h.Format = "png"
	default:
		what := ""
		if k := sniffOther(data); k != "" {
			what = " (it looks like " + k + ")"
		}
		return h, fmt.Errorf("%s: not a JPEG or PNG image%s — export it as JPEG or PNG", name, what)
	}

	var cfg image.Config
	var err error
	if h.Format == "jpeg" {
		cfg, err = jpeg.DecodeConfig(bytes.NewReader(data))
	} else {
		cfg, err = png.DecodeConfig(bytes.NewReader(data))
	}
	if err != nil {
		return h, decodeError(name, h.Format, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return h, fmt.Errorf("%s: broken %s: it claims %d × %d pixels — %s", name, upper(h.Format), cfg.Width, cfg.Height, redo)
	}
	if int64(cfg.Width)*int64(cfg.Height) > int64(maxPixels) {
		return h, fmt.Errorf("%s: %d × %d pixels is more than this engine handles (%d megapixels) — downsample the picture first",
			name, cfg.Width, cfg.Height, maxPixels/1_000_000)
	}
	h.W, h.H = cfg.Width, cfg.Height
	h.Orientation = 1

	if h.Format == "jpeg" {
		h.passable = true
		switch cfg.ColorModel {
		case color.GrayModel:
			h.ColorSpace = "gray"
		case color.CMYKModel:
			h.ColorSpace = "cmyk"
		default:
			h.ColorSpace = "rgb"
		}
		h.Orientation = jpegOrientation(data)
		if h.Orientation >= 5 {
			h.W, h.H = h.H, h.W
		}
		return h, nil
	}

	// PNG: IHDR is the first chunk (png.DecodeConfig checked it).
	depth, ctype, interlace := data[24], data[25], data[28]
	h.passable = depth <= 8 && interlace == 0
	h.ColorSpace = "rgb"
	if ctype == 0 || ctype == 4 {
		h.ColorSpace = "gray"
	}
	h.Alpha = ctype == 4 || ctype == 6 || pngHasTRNS(data)
	return h, nil
}

// checkComplete makes sure a file passed through is whole: a JPEG has its
// end-of-image marker after the first scan, a PNG all its chunks with good
// CRCs up to IEND. (Damage inside the compressed data of a JPEG is only found
// by decoding it, which pass-through avoids.)
func (h *header) checkComplete(name string, data []byte) error {
	if h.Format == "jpeg" {
		sos := jpegScanStart(data)
		if sos < 0 || bytes.LastIndex(data[sos:], []byte{0xFF, 0xD9}) < 0 {
			return fmt.Errorf("%s: truncated JPEG (no end-of-image marker) — the file is incomplete; %s", name, redo)
		}
		return nil
	}
	for i := len(pngSignature); ; {
		if i+12 > len(data) {
			return fmt.Errorf("%s: truncated PNG (it ends before its IEND chunk) — the file is incomplete; %s", name, redo)
		}
		n := uint64(binary.BigEndian.Uint32(data[i:]))
		if uint64(i)+12+n > uint64(len(data)) {
			return fmt.Errorf("%s: truncated PNG (a chunk runs past the end of the file) — the file is incomplete; %s", name, redo)
		}
		end := i + 8 + int(n)
		if crc32.ChecksumIEEE(data[i+4:end]) != binary.BigEndian.Uint32(data[end:]) {
			return fmt.Errorf("%s: broken PNG (bad checksum in its %q chunk) — the file is damaged; %s", name, data[i+4:i+8], redo)
		}
		if string(data[i+4:i+8]) == "IEND" {
			return nil
		}
		i = end + 4
	}
}

// decode decodes the whole picture.
func (h *header) decode(name string, data []byte, shift uint) (image.Image, error) {
	var img image.Image
	var err error
	switch {
	case h.Format == "jpeg":
		// jpegdec gives image/jpeg's pixels and errors, three times
		// faster (and scaled down when shift > 0).
		img, err = jpegdec.Decode(bytes.NewReader(data), shift)
	default:
		shift = 0
		img, err = png.Decode(bytes.NewReader(data))
	}
	if err != nil {
		return nil, decodeError(name, h.Format, err)
	}
	s := 1<<shift - 1
	if b := img.Bounds(); b.Dx() != (h.rawW()+s)>>shift || b.Dy() != (h.rawH()+s)>>shift {
		return nil, fmt.Errorf("%s: broken %s: its pixels do not match its header — %s", name, upper(h.Format), redo)
	}
	return img, nil
}

// rawW and rawH are the stored (not oriented) size.
func (h *header) rawW() int {
	if h.Orientation >= 5 {
		return h.H
	}
	return h.W
}

func (h *header) rawH() int {
	if h.Orientation >= 5 {
		return h.W
	}
	return h.H
}

func decodeError(name, format string, err error) error {
	f := upper(format)
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return fmt.Errorf("%s: truncated %s (the file ends too early) — the file is incomplete; %s", name, f, redo)
	case errors.As(err, new(jpeg.UnsupportedError)) || errors.As(err, new(jpegdec.UnsupportedError)) || errors.As(err, new(png.UnsupportedError)):
		return fmt.Errorf("%s: %s uses a feature this engine cannot read (%v) — save it as an 8-bit baseline or progressive JPEG, or as PNG", name, f, err)
	}
	return fmt.Errorf("%s: broken %s (%v) — the file is damaged; %s", name, f, err, redo)
}

func upper(format string) string {
	if format == "png" {
		return "PNG"
	}
	return "JPEG"
}

// sniffOther names a few formats people try to place instead of JPEG or PNG.
func sniffOther(b []byte) string {
	has := func(off int, s string) bool { return len(b) >= off+len(s) && string(b[off:off+len(s)]) == s }
	switch {
	case has(0, "GIF8"):
		return "a GIF"
	case has(0, "RIFF") && has(8, "WEBP"):
		return "a WebP"
	case has(0, "II*\x00"), has(0, "MM\x00*"):
		return "a TIFF"
	case has(4, "ftypheic"), has(4, "ftypheix"), has(4, "ftypmif1"), has(4, "ftypmsf1"):
		return "a HEIC"
	case has(4, "ftypavif"):
		return "an AVIF"
	case has(0, "\x00\x00\x00\x0cjP  "), has(0, "\xff\x4f\xff\x51"):
		return "a JPEG 2000"
	case has(0, "%PDF"):
		return "a PDF"
	case has(0, "%!PS"):
		return "a PostScript/EPS"
	case has(0, "8BPS"):
		return "a Photoshop document"
	case has(0, "BM"):
		return "a BMP"
	case bytes.Contains(b[:min(len(b), 512)], []byte("<svg")):
		return "an SVG"
	}
	return ""
}

// pngHasTRNS walks a PNG's chunks up to the first IDAT looking for tRNS.
func pngHasTRNS(data []byte) bool {
	for i := len(pngSignature); i+8 <= len(data); {
		n := uint64(binary.BigEndian.Uint32(data[i:]))
		switch string(data[i+4 : i+8]) {
		case "tRNS":
			return true
		case "IDAT", "IEND":
			return false
		}
		next := uint64(i) + 12 + n
		if next > uint64(len(data)) {
			return false
		}
		i = int(next)
	}
	return false
}

// jpegSegments calls fn for each marker segment of a JPEG before its first
// scan, and returns the offset of the SOS marker, or -1 when there is none.
// fn returning false stops the walk (and the result is -1).
func jpegSegments(data []byte, fn func(marker byte, payload []byte) bool) int {
	for i := 2; i+1 < len(data); {
		if data[i] != 0xFF {
			// Junk between segments: skip to the next marker, as libjpeg
			// and image/jpeg do.
			i++
			continue
		}
		m := data[i+1]
		switch {
		case m == 0xFF: // fill byte
			i++
			continue
		case m == 0x01 || m == 0xD8 || (m >= 0xD0 && m <= 0xD7): // no length
			i += 2
			continue
		case m == 0xDA:
			return i
		case m == 0xD9:
			return -1
		}
		if i+4 > len(data) {
			return -1
		}
		n := int(data[i+2])<<8 | int(data[i+3])
		if n < 2 || i+2+n > len(data) {
			return -1
		}
		if fn != nil && !fn(m, data[i+4:i+2+n]) {
			return -1
		}
		i += 2 + n
	}
	return -1
}

func jpegScanStart(data []byte) int { return jpegSegments(data, nil) }

// jpegOrientation reads the EXIF orientation (tag 0x0112 in IFD0) from the
// first APP1 Exif segment that has one; 1 when there is none or it is not
// 1…8.
func jpegOrientation(data []byte) int {
	o := 1
	jpegSegments(data, func(m byte, p []byte) bool {
		if m != 0xE1 || !bytes.HasPrefix(p, []byte("Exif\x00\x00")) {
			return true
		}
		v, ok := tiffOrientation(p[6:])
		if !ok {
			return true
		}
		if v >= 1 && v <= 8 {
			o = v
		}
		return false
	})
	return o
}

// tiffOrientation finds tag 0x0112 in IFD0 of a TIFF structure.
func tiffOrientation(b []byte) (int, bool) {
	if len(b) < 8 {
		return 0, false
	}
	var bo binary.ByteOrder
	switch string(b[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 0, false
	}
	if bo.Uint16(b[2:]) != 42 {
		return 0, false
	}
	off := uint64(bo.Uint32(b[4:]))
	if off < 8 || off+2 > uint64(len(b)) {
		return 0, false
	}
	n := uint64(bo.Uint16(b[off:]))
	for k := uint64(0); k < n; k++ {
		e := off + 2 + 12*k
		if e+12 > uint64(len(b)) {
			return 0, false
		}
		if bo.Uint16(b[e:]) != 0x0112 {
			continue
		}
		if bo.Uint32(b[e+4:]) < 1 { // count
			return 0, false
		}
		switch bo.Uint16(b[e+2:]) { // type
		case 3: // SHORT, left-justified in the value field
			return int(bo.Uint16(b[e+8:])), true
		case 4: // LONG (non-standard, seen in the wild)
			return int(bo.Uint32(b[e+8:])), true
		}
		return 0, false
	}
	return 0, false
}
