// Package images gets a photo ready to embed: it reads the picture's header,
// honours its EXIF orientation, crops it to its frame (Cover) around the
// focus point, downsamples it when it is far sharper than the target
// resolution and otherwise hands the file over untouched.
//
// Sizes in points are PostScript points (1/72 in), as in package display.
// Everything is deterministic: the same file and options give the same bytes,
// whatever GOMAXPROCS (imaging and resample.go resample rows in parallel,
// but every output pixel is computed by one goroutine from the same inputs).
package images

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"io/fs"
	"math"
	"os"

	"github.com/disintegration/imaging"

	"paiban/display"
	"paiban/internal/jpegcmyk"
	"paiban/internal/jpegdec"
)

// Info is what a picture's header tells.
type Info struct {
	W, H        int    // pixel size as displayed, after EXIF orientation
	Format      string // "jpeg" or "png"
	Orientation int    // EXIF orientation 1…8 (1 when absent, invalid, or PNG)
	Alpha       bool   // PNG with an alpha channel or a tRNS chunk
	ColorSpace  string // "gray", "rgb" or "cmyk" (CMYK JPEG)
}

// Options say how sharp the embedded picture should be.
type Options struct {
	TargetPPI float64 // the resolution downsampled pictures get: 300 print, 120 preview
	// MaxPPI is the resolution above which a picture is downsampled to
	// TargetPPI. Zero means 1.5 × TargetPPI; less than TargetPPI means
	// TargetPPI.
	MaxPPI      float64
	JPEGQuality int // 1…100 for re-encoded JPEGs; zero means 90
	// Fast downsamples with a linear filter instead of Lanczos: about
	// twice as fast, and good enough for a screen preview.
	Fast bool
	// Proof, when set, turns CMYK pictures into RGB with it (ink values
	// 0…255 to sRGB: for a preview, the printed colours on screen)
	// instead of passing them through as CMYK.
	Proof func(c, m, y, k uint8) (r, g, b uint8)
	// Pixels, when set, leaves a picture that has to be re-encoded in
	// colour (not greyscale) with its pixels in Image and no Data: for a
	// caller that converts them itself (print separates them to CMYK), to
	// whom the encoded picture would be wasted work.
	Pixels bool
}

// The two profiles' options.
var (
	Print   = Options{TargetPPI: 300, MaxPPI: 450, JPEGQuality: 90}
	Preview = Options{TargetPPI: 120, MaxPPI: 150, JPEGQuality: 80, Fast: true}
)

// Prepared is what to embed for one frame.
type Prepared struct {
	Data       []byte // the bytes to embed; nil for a re-encoded colour picture with Options.Pixels
	Format     string // "jpeg" or "png"
	ColorSpace string // of Data: "gray", "rgb" or "cmyk" (only a passed-through CMYK JPEG)
	W, H       int    // pixels of Data, as displayed
	// PassThrough: Data is the original file, byte for byte (and W, H are
	// its own). Its EXIF orientation is 1 or absent.
	PassThrough bool
	// EffectivePPI is min(x, y) resolution of Data as placed. It is below
	// TargetPPI when the picture is too small: pictures are never upsampled.
	EffectivePPI float64
	// DX, DY, DW, DH is where Data is drawn, in pt relative to the frame's
	// top-left corner: the whole frame for Cover, the centred picture for
	// Contain.
	DX, DY, DW, DH float64
	// Image holds Data's pixels when Data was re-encoded, or the pixels
	// that were not encoded with Options.Pixels (nil when passed
	// through), bounds starting at (0, 0): *image.Gray for greyscale
	// pictures; *image.YCbCr for a YCbCr JPEG that was downsampled — 4:4:4
	// for print, in the file's own subsampling for a preview (unless the
	// preview had to be turned upright: then *image.NRGBA); *image.NRGBA
	// otherwise. (Data, when a colour JPEG, is 4:2:0 whatever Image is:
	// image/jpeg writes nothing else.)
	Image image.Image
}

// ErrNoPixels is Decode's error for a picture prepared with
// Options.Pixels whose Image is gone (a cache kept the rest of it):
// prepare it again.
var ErrNoPixels = errors.New("images: the prepared picture kept no pixels (Options.Pixels)")

// Decode returns the pixels of Data: Image when set, else Data decoded,
// else ErrNoPixels.
func (p *Prepared) Decode() (image.Image, error) {
	if p.Image != nil {
		return p.Image, nil
	}
	if p.Data == nil {
		return nil, ErrNoPixels
	}
	if p.Format == "png" {
		return png.Decode(bytes.NewReader(p.Data))
	}
	return jpegdec.Decode(bytes.NewReader(p.Data), 0)
}

// maxPixels guards against decompression bombs (a tiny file whose header
// claims 60000 × 60000 pixels). Tests lower it.
var maxPixels = 150_000_000

// statPrefix is how much of a file Stat reads first.
const statPrefix = 256 << 10

// Stat reads an image file's header (and EXIF orientation) without decoding
// its pixels. It does not check that the rest of the file is sound; Prepare
// does.
func Stat(path string) (Info, error) {
	f, err := os.Open(path)
	if err != nil {
		return Info{}, openError(path, err)
	}
	defer f.Close()
	buf := make([]byte, statPrefix)
	n, err := io.ReadFull(f, buf)
	whole := err == io.EOF || err == io.ErrUnexpectedEOF
	if err != nil && !whole {
		return Info{}, openError(path, err)
	}
	h, err := parse(path, buf[:n])
	if err != nil && !whole {
		// Headers longer than the prefix (huge ICC or XMP segments before
		// the frame header): read everything.
		data, rerr := os.ReadFile(path)
		if rerr != nil {
			return Info{}, openError(path, rerr)
		}
		h, err = parse(path, data)
	}
	return h.Info, err
}

// Prepare returns what to embed for a frame of wPt × hPt points in which the
// picture at path is drawn with fit and focus (see display.Image), at the
// resolution o asks for.
//
//   - Cover crops the picture to the frame's aspect around the focus point
//     (the crop stays inside the picture), unless the aspects differ by
//     0.5 % or less; Contain never crops.
//   - A picture sharper than o.MaxPPI as placed is downsampled (Lanczos) to
//     o.TargetPPI; others keep their pixels.
//   - A JPEG, or an 8-bit non-interlaced PNG, that needs no crop, rotation or
//     downsampling is passed through byte for byte. Otherwise the result is
//     re-encoded: JPEG at o.JPEGQuality from a JPEG, 8-bit non-interlaced PNG
//     (alpha kept) from a PNG.
func Prepare(path string, wPt, hPt float64, fit display.Fit, focusX, focusY float64, o Options) (*Prepared, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, openError(path, err)
	}
	return prepare(path, data, wPt, hPt, fit, focusX, focusY, o)
}

func prepare(name string, data []byte, wPt, hPt float64, fit display.Fit, focusX, focusY float64, o Options) (*Prepared, error) {
	if !(wPt > 0 && hPt > 0) || math.IsInf(wPt, 0) || math.IsInf(hPt, 0) {
		return nil, fmt.Errorf("%s: frame %g × %g pt has no area — give the picture a frame with a width and height", name, wPt, hPt)
	}
	if fit != display.Cover && fit != display.Contain {
		return nil, fmt.Errorf("%s: unknown fit %d — use Cover or Contain", name, fit)
	}
	o, err := o.normalize()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	h, err := parse(name, data)
	if err != nil {
		return nil, err
	}

	// Geometry, in displayed (oriented) pixels.
	W, H := float64(h.W), float64(h.H)
	crop := image.Rect(0, 0, h.W, h.H)
	p := &Prepared{Format: h.Format}
	if fit == display.Contain {
		s := math.Min(wPt/W, hPt/H)
		p.DW, p.DH = W*s, H*s
		p.DX, p.DY = (wPt-p.DW)/2, (hPt-p.DH)/2
	} else {
		p.DW, p.DH = wPt, hPt
		crop = coverCrop(h.W, h.H, wPt/hPt, focusX, focusY)
	}
	cropped := crop != image.Rect(0, 0, h.W, h.H)
	ppi := math.Min(float64(crop.Dx())*72/p.DW, float64(crop.Dy())*72/p.DH)
	down := ppi > o.MaxPPI
	tw, th := crop.Dx(), crop.Dy()
	if down {
		tw = clampInt(int(math.Round(p.DW/72*o.TargetPPI)), 1, crop.Dx())
		th = clampInt(int(math.Round(p.DH/72*o.TargetPPI)), 1, crop.Dy())
	}

	// A quick look at the whole file first: it gives a clear message for a
	// truncated file, and is all the checking a pass-through gets.
	if err := h.checkComplete(name, data); err != nil {
		return nil, err
	}
	proof := o.Proof != nil && h.ColorSpace == "cmyk"
	if !cropped && !down && h.Orientation == 1 && h.passable && !proof {
		p.Data, p.PassThrough = data, true
		p.ColorSpace = h.ColorSpace
		p.W, p.H = h.W, h.H
		p.EffectivePPI = ppi
		return p, nil
	}

	// A preview reduces a JPEG while decoding it, by the largest of 2, 4
	// or 8 that keeps it at least as large as it must become.
	shift := uint(0)
	if down && o.Fast && h.Format == "jpeg" {
		for shift < 3 && crop.Dx()>>(shift+1) >= tw && crop.Dy()>>(shift+1) >= th {
			shift++
		}
	}
	img, err := h.decode(name, data, shift)
	if err != nil {
		return nil, err
	}
	if c, ok := img.(*image.CMYK); ok && proof {
		img = proofRGB(c, o.Proof)
	}
	// Crop and downsample in the file's own orientation, then turn the
	// (smaller) result upright.
	raw := toRaw(crop, h.Orientation, h.W, h.H)
	if shift > 0 {
		s := 1<<shift - 1
		raw = image.Rect(raw.Min.X>>shift, raw.Min.Y>>shift, (raw.Max.X+s)>>shift, (raw.Max.Y+s)>>shift)
	}
	raw = raw.Add(img.Bounds().Min)
	var sub image.Image = img
	if raw != img.Bounds() {
		if s, ok := img.(interface {
			SubImage(image.Rectangle) image.Image
		}); ok {
			sub = s.SubImage(raw)
		} else {
			sub = imaging.Crop(img, raw)
		}
	}
	var out image.Image // nil: not resampled or turned
	upright := false    // out is turned upright already
	if down {
		rw, rh := tw, th
		if h.Orientation >= 5 {
			rw, rh = th, tw
		}
		y, ok := sub.(*image.YCbCr)
		switch {
		case ok && o.Fast:
			out = shrinkYCbCr(y, rw, rh)
		case ok:
			// Lanczos on the decoder's planes, turned upright on
			// the way: the picture stays YCbCr (resample.go).
			out, upright = resampleYCbCr(y, tw, th, h.Orientation), true
		default:
			filter := imaging.Lanczos
			if o.Fast {
				filter = imaging.Linear
			}
			out = imaging.Resize(sub, rw, rh, filter)
		}
	}
	if h.Orientation != 1 && !upright {
		if out != nil {
			sub = out
		}
		out = orient(sub, h.Orientation)
	}

	gray := h.ColorSpace == "gray" && !h.Alpha
	var pix image.Image
	switch {
	case gray && out != nil:
		n, ok := out.(*image.NRGBA)
		if !ok {
			n = imaging.Clone(out)
		}
		pix = grayOf(n)
	case gray:
		pix = toGray(sub)
	case out != nil:
		pix = out
	default:
		pix = imaging.Clone(sub)
	}

	if !o.Pixels || gray {
		var buf bytes.Buffer
		if y, ok := pix.(*image.YCbCr); ok && h.Format == "jpeg" {
			// Exactly the bytes image/jpeg.Encode writes, made faster.
			err = jpegcmyk.EncodeYCbCr(&buf, y, o.JPEGQuality)
		} else if h.Format == "jpeg" {
			err = jpeg.Encode(&buf, jpegView(pix), &jpeg.Options{Quality: o.JPEGQuality})
		} else {
			err = (&png.Encoder{CompressionLevel: png.DefaultCompression}).Encode(&buf, pix)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: cannot encode the prepared picture: %v", name, err)
		}
		p.Data = buf.Bytes()
	}
	p.Image = pix
	b := pix.Bounds()
	p.W, p.H = b.Dx(), b.Dy()
	p.ColorSpace = "rgb"
	if gray {
		p.ColorSpace = "gray"
	}
	p.EffectivePPI = math.Min(float64(p.W)*72/p.DW, float64(p.H)*72/p.DH)
	return p, nil
}

func (o Options) normalize() (Options, error) {
	if o.TargetPPI == 0 {
		o.TargetPPI = Print.TargetPPI
	}
	if !(o.TargetPPI > 0) || math.IsInf(o.TargetPPI, 0) {
		return o, fmt.Errorf("target resolution %g ppi is not a positive number", o.TargetPPI)
	}
	if o.MaxPPI == 0 {
		o.MaxPPI = 1.5 * o.TargetPPI
	}
	if !(o.MaxPPI >= o.TargetPPI) { // also NaN
		o.MaxPPI = o.TargetPPI
	}
	if o.JPEGQuality == 0 {
		o.JPEGQuality = Print.JPEGQuality
	}
	o.JPEGQuality = clampInt(o.JPEGQuality, 1, 100)
	return o, nil
}

// coverCrop is the part of a w × h picture (displayed pixels) that Cover
// shows in a frame of the given aspect (width/height), centred on the focus
// point as far as the picture allows.
func coverCrop(w, h int, aspect, focusX, focusY float64) image.Rectangle {
	full := image.Rect(0, 0, w, h)
	a := float64(w) / float64(h)
	if math.Abs(a/aspect-1) <= 0.005 {
		return full
	}
	place := func(size, crop int, focus float64) int {
		if math.IsNaN(focus) {
			focus = 0
		}
		focus = max(-0.5, min(focus, 0.5))
		c := float64(size) * (0.5 + focus) // the focus point, in pixels
		return clampInt(int(math.Round(c-float64(crop)/2)), 0, size-crop)
	}
	if a > aspect { // wider than the frame: crop the sides
		cw := clampInt(int(math.Round(float64(h)*aspect)), 1, w)
		x := place(w, cw, focusX)
		return image.Rect(x, 0, x+cw, h)
	}
	ch := clampInt(int(math.Round(float64(w)/aspect)), 1, h)
	y := place(h, ch, focusY)
	return image.Rect(0, y, w, y+ch)
}

// toRaw maps a rectangle of the displayed picture (w × h, orientation o)
// onto the stored one.
func toRaw(r image.Rectangle, o, w, h int) image.Rectangle {
	pt := func(x, y int) (int, int) {
		switch o {
		case 2:
			return w - x, y
		case 3:
			return w - x, h - y
		case 4:
			return x, h - y
		case 5:
			return y, x
		case 6:
			return y, w - x
		case 7:
			return h - y, w - x
		case 8:
			return h - y, x
		}
		return x, y
	}
	x0, y0 := pt(r.Min.X, r.Min.Y)
	x1, y1 := pt(r.Max.X, r.Max.Y)
	return image.Rect(x0, y0, x1, y1) // image.Rect sorts the corners
}

// orient turns a stored picture upright according to its EXIF orientation.
func orient(img image.Image, o int) *image.NRGBA {
	switch o {
	case 2:
		return imaging.FlipH(img)
	case 3:
		return imaging.Rotate180(img)
	case 4:
		return imaging.FlipV(img)
	case 5:
		return imaging.Transpose(img)
	case 6:
		return imaging.Rotate270(img) // 90° clockwise
	case 7:
		return imaging.Transverse(img)
	case 8:
		return imaging.Rotate90(img) // 90° counter-clockwise
	}
	return imaging.Clone(img)
}

// proofRGB converts a CMYK picture to RGB with proof, each distinct
// colour once.
func proofRGB(c *image.CMYK, proof func(c, m, y, k uint8) (r, g, b uint8)) *image.NRGBA {
	b := c.Bounds()
	out := image.NewNRGBA(b)
	seen := map[uint32][3]uint8{}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		src := c.Pix[c.PixOffset(b.Min.X, y):c.PixOffset(b.Max.X, y)]
		dst := out.Pix[out.PixOffset(b.Min.X, y):out.PixOffset(b.Max.X, y)]
		for i := 0; i+3 < len(src); i += 4 {
			k := uint32(src[i])<<24 | uint32(src[i+1])<<16 | uint32(src[i+2])<<8 | uint32(src[i+3])
			v, ok := seen[k]
			if !ok {
				v[0], v[1], v[2] = proof(src[i], src[i+1], src[i+2], src[i+3])
				seen[k] = v
			}
			dst[i], dst[i+1], dst[i+2], dst[i+3] = v[0], v[1], v[2], 0xFF
		}
	}
	return out
}

// grayOf takes the grey of an NRGBA made from a greyscale picture (R = G = B).
func grayOf(n *image.NRGBA) *image.Gray {
	b := n.Bounds()
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := 0; y < b.Dy(); y++ {
		src := n.Pix[y*n.Stride : y*n.Stride+4*b.Dx()]
		dst := g.Pix[y*g.Stride : y*g.Stride+b.Dx()]
		for x := range dst {
			dst[x] = src[4*x]
		}
	}
	return g
}

// toGray copies a greyscale picture (*image.Gray or *image.Gray16) to an
// 8-bit *image.Gray at the origin.
func toGray(img image.Image) *image.Gray {
	b := img.Bounds()
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	switch s := img.(type) {
	case *image.Gray:
		for y := 0; y < b.Dy(); y++ {
			copy(g.Pix[y*g.Stride:y*g.Stride+b.Dx()], s.Pix[s.PixOffset(b.Min.X, b.Min.Y+y):])
		}
	case *image.Gray16:
		for y := 0; y < b.Dy(); y++ {
			src := s.Pix[s.PixOffset(b.Min.X, b.Min.Y+y):]
			dst := g.Pix[y*g.Stride : y*g.Stride+b.Dx()]
			for x := range dst {
				dst[x] = src[2*x] // the high byte, as color.GrayModel does
			}
		}
	default:
		return grayOf(imaging.Clone(img))
	}
	return g
}

// jpegView lets image/jpeg take its fast path: an opaque NRGBA has the same
// bytes as an RGBA.
func jpegView(img image.Image) image.Image {
	if n, ok := img.(*image.NRGBA); ok && n.Opaque() {
		return &image.RGBA{Pix: n.Pix, Stride: n.Stride, Rect: n.Rect}
	}
	return img
}

func clampInt(v, lo, hi int) int {
	return max(lo, min(v, hi))
}

func openError(name string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s: no such file — check the picture's path, or add the file", name)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("%s: permission denied — make the file readable", name)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("%s: cannot read the picture (%v) — check that it is a JPEG or PNG file", name, err)
}
