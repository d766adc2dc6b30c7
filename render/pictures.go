package render

import (
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync"

	"paiban/color"
	"paiban/display"
	"paiban/images"
)

// picture is a display image made ready to embed: the bytes, where to
// draw them, and the frame to clip them to.
type picture struct {
	prep *images.Prepared
	// The picture's rectangle relative to the frame's top-left corner; it
	// may overhang the frame, which then clips it.
	x, y, w, h float64
	clip       bool
	// args are the images.Prepare arguments that made prep, for the
	// conversion cache's key.
	args string
	// xobj is set when render embeds the picture itself (print: converted
	// to CMYK, or greyscale with its alpha flattened); otherwise fpdf
	// embeds prep.Data.
	xobj *xobject
}

// xobject is an image XObject that fpdf cannot write — raw /DeviceCMYK or
// /DeviceGray pixels in a zlib stream — and that the finishing step adds
// to the file under the resource name name.
type xobject struct {
	name   string // "X" and 32 hex digits
	w, h   int
	cs     string            // "DeviceCMYK" or "DeviceGray"
	filter string            // "DCTDecode" (a CMYK JPEG) or "" for FlateDecode
	data   []byte            // the stream: 8-bit samples, rows top to bottom, encoded by the filter
	sum    [sha256.Size]byte // SHA-256 of data, for the PDF's content hash
}

// separationInk is the total ink photos are separated to at most. The
// limit for the printed page is 300% (print.md row 9), but JPEG
// compression moves each ink a little: separated to 300% and encoded at
// jpegQuality, 1% of the sample's photo pixels came out above 300%, up to
// 312.5%; separated to 290%, 8 pixels, up to 303.9%; to 285%, none (at
// most 296.5%). TestPrintInk (package build) decodes every photo of the
// sample's print PDF and checks the 300%.
const separationInk = 2.85

// printProfile is FOGRA39 with the photos' ink limit, made once.
var printProfile = sync.OnceValues(func() (*color.Profile, error) {
	p, err := color.FOGRA39()
	if err != nil {
		return nil, err
	}
	return p.WithInkLimit(separationInk), nil
})

// pictureCache names how render prepares pictures for conversion; change
// it when that changes, so that cached conversions are not reused.
const pictureCache = "paiban-render-picture-2"

// pictureKey identifies one use of a picture: the same file in the same
// frame is prepared once.
type pictureKey struct {
	path           string
	w, h           float64
	fit            display.Fit
	focusX, focusY float64
}

func keyOf(im *display.Image) pictureKey {
	return pictureKey{im.Path, im.W, im.H, im.Fit, im.FocusX, im.FocusY}
}

// cropLimit is the share of a picture that may lie outside its frame and
// still be embedded whole behind a clip: below it the original JPEG goes
// in byte for byte (no re-encoding, and fast); above it the pixels are
// cropped.
const cropLimit = 0.25

// preparePictures gets every picture of the document ready, on all cores:
// fitted to its frame by package images, then for print converted to CMYK
// where it is not CMYK or greyscale already. The conversions go on in the
// background while the pages are drawn (which needs only their names and
// sizes); wait, which must always be called, returns when they are done,
// with their errors.
func preparePictures(doc *display.Document, opt Options) (_ map[pictureKey]*picture, wait func() error, err error) {
	var keys []pictureKey
	var pageOf []string // where each picture is first used, for messages
	seen := map[pictureKey]bool{}
	for pn, p := range doc.Pages {
		for _, it := range p.Items {
			if im, ok := it.(*display.Image); ok && !seen[keyOf(im)] {
				seen[keyOf(im)] = true
				keys = append(keys, keyOf(im))
				at := fmt.Sprintf("page %d", pn+1)
				if im.Src != "" {
					at += " (" + im.Src + ")"
				}
				pageOf = append(pageOf, at)
			}
		}
	}
	iopt := opt.imagesOrDefault()
	if opt.Profile == Print {
		// Colour pictures are converted to CMYK from their pixels:
		// encoding them in RGB first would be wasted.
		iopt.Pixels = true
	}
	errs := make([]error, len(keys))
	pics := make([]*picture, len(keys))
	each(len(keys), func(i int) {
		pics[i], errs[i] = preparePicture(keys[i], iopt, opt.Cache)
	})
	for i := range keys {
		if errs[i] != nil {
			return nil, nil, fmt.Errorf("render: %s: %w", pageOf[i], errs[i])
		}
	}
	wait = func() error { return nil }
	if opt.Profile == Print {
		if wait, err = convertPictures(keys, pics, pageOf, iopt, opt.Cache); err != nil {
			return nil, nil, err
		}
	}
	out := make(map[pictureKey]*picture, len(keys))
	for i, k := range keys {
		out[k] = pics[i]
	}
	return out, wait, nil
}

// each runs f(0) … f(n-1), GOMAXPROCS at a time.
func each(n int, f func(i int)) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			f(i)
		}()
	}
	wg.Wait()
}

// convertPictures gives the print pictures fpdf cannot embed as they are
// their own XObjects: RGB (and any with alpha) converted to CMYK through
// FOGRA39, perceptual, ink limited, alpha flattened onto white; greyscale
// PNGs with alpha flattened and kept grey. Greyscale pictures without
// alpha and CMYK JPEGs are left to fpdf. Conversions go through cache
// (nil: none), each distinct one once. Greyscale flattenings are done when
// convertPictures returns (their XObjects are named by their data); the
// CMYK conversions are started, their XObjects named by their cache keys,
// and wait returns when their data is in place.
func convertPictures(keys []pictureKey, pics []*picture, pageOf []string, iopt images.Options, cache *color.Cache) (wait func() error, err error) {
	prof, err := printProfile()
	if err != nil {
		return nil, fmt.Errorf("render: the output profile: %w", err)
	}
	type job struct {
		key   string // conversion cache key; "" for a grey flattening
		pk    pictureKey
		pic   *picture
		path  string
		page  string
		users []*picture
	}
	var jobs []*job
	byKey := map[string]*job{}
	for i, pic := range pics {
		p := pic.prep
		switch {
		case p.ColorSpace == "cmyk":
			continue
		case p.ColorSpace == "gray" && !(p.Format == "png" && pngAlpha(p.Data)):
			continue
		case p.ColorSpace == "gray":
			jobs = append(jobs, &job{pic: pic, path: keys[i].path, page: pageOf[i], users: []*picture{pic}})
			continue
		}
		// The pixels depend on the file alone when it is passed through,
		// else also on how it was fitted to its frame.
		src := p.Data
		if !p.PassThrough {
			data, err := os.ReadFile(keys[i].path)
			if err != nil {
				return nil, fmt.Errorf("render: %s: %w", pageOf[i], err)
			}
			src = append(data, "\x00"+pictureCache+"\x00"+pic.args...)
		}
		key := prof.CacheKey(src, color.Perceptual, p.W, p.H)
		if j := byKey[key]; j != nil {
			j.users = append(j.users, pic)
			continue
		}
		j := &job{key: key, pk: keys[i], pic: pic, path: keys[i].path, page: pageOf[i], users: []*picture{pic}}
		byKey[key] = j
		jobs = append(jobs, j)
	}
	errs := make([]error, len(jobs))
	var conv []int // the CMYK jobs
	for i, j := range jobs {
		if j.key != "" {
			p := j.pic.prep
			x := &xobject{name: "X" + j.key[:32], w: p.W, h: p.H, cs: "DeviceCMYK", filter: "DCTDecode"}
			for _, u := range j.users {
				u.xobj = x
			}
			conv = append(conv, i)
			continue
		}
		x, err := flattenGray(j.pic.prep)
		if err != nil {
			errs[i] = fmt.Errorf("render: %s: image %s: %w", j.page, j.path, err)
			continue
		}
		for _, u := range j.users {
			u.xobj = x
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	// The largest first, so that the cores finish together rather than
	// one of them converting a big photo alone at the end. (Each job's
	// result depends only on its picture; errors are reported in page
	// order.)
	slices.SortStableFunc(conv, func(a, b int) int {
		pa, pb := jobs[a].pic.prep, jobs[b].pic.prep
		return pb.W*pb.H - pa.W*pa.H
	})
	done := make(chan struct{})
	go func() {
		defer close(done)
		each(len(conv), func(n int) {
			j := jobs[conv[n]]
			// The pixels: kept from fitting the picture, or made again
			// when the fitting came from the cache without them.
			decode := func() (image.Image, error) {
				img, err := j.pic.prep.Decode()
				if errors.Is(err, images.ErrNoPixels) {
					var q *picture
					if q, err = preparePicture(j.pk, iopt, nil); err == nil {
						img, err = q.prep.Decode()
					}
				}
				return img, err
			}
			if err := convertCMYK(prof, cache, j.key, decode, j.pic.xobj); err != nil {
				errs[conv[n]] = fmt.Errorf("render: %s: image %s: %w", j.page, j.path, err)
			}
		})
	}()
	return func() error {
		<-done
		return errors.Join(errs...)
	}, nil
}

// convertCMYK converts the pixels decode gives to CMYK, or takes them from
// the cache, into x's data.
func convertCMYK(prof *color.Profile, cache *color.Cache, key string, decode func() (image.Image, error), x *xobject) error {
	w, h, z, err := cache.ConvertJPEG(key, jpegQuality, prof, color.Perceptual, decode)
	if err != nil && !errors.Is(err, color.ErrNotStored) {
		// Not being able to store an entry costs only time.
		return err
	}
	if w != x.w || h != x.h {
		return fmt.Errorf("converted picture is %d×%d pixels, expected %d×%d (a damaged cache entry? clear the cache folder %s)", w, h, x.w, x.h, cache.Dir())
	}
	x.data, x.sum = z, sha256.Sum256(z)
	return nil
}

// jpegQuality is the JPEG quality of photos converted to CMYK for print.
const jpegQuality = 92

// flattenGray composites a greyscale picture with alpha over white (the
// paper) and compresses its samples.
func flattenGray(p *images.Prepared) (*xobject, error) {
	img, err := p.Decode()
	if err != nil {
		return nil, err
	}
	b := img.Bounds()
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	for i := range g.Pix {
		g.Pix[i] = 0xFF
	}
	draw.Draw(g, g.Bounds(), img, b.Min, draw.Over)
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.DefaultCompression)
	zw.Write(g.Pix) // Stride = width
	if err := zw.Close(); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(z.Bytes())
	return &xobject{name: "X" + hex.EncodeToString(sum[:16]), w: b.Dx(), h: b.Dy(), cs: "DeviceGray", data: z.Bytes(), sum: sum}, nil
}

// pngAlpha reports whether a PNG has an alpha channel or a tRNS chunk.
func pngAlpha(data []byte) bool {
	if len(data) < 33 || string(data[12:16]) != "IHDR" {
		return false
	}
	if ct := data[25]; ct == 4 || ct == 6 {
		return true
	}
	for i := 8; i+8 <= len(data); {
		n := int(binary.BigEndian.Uint32(data[i:]))
		switch string(data[i+4 : i+8]) {
		case "tRNS":
			return true
		case "IDAT", "IEND":
			return false
		}
		if n < 0 || n > len(data) {
			return false
		}
		i += 12 + n
	}
	return false
}

// drawXObject draws a picture render embeds itself.
func (r *renderer) drawXObject(pn int, b float64, im *display.Image, pic *picture) error {
	if r.xobjs == nil {
		r.xobjs = make(map[string]*xobject)
	}
	r.xobjs[pic.xobj.name] = pic.xobj
	pdf := r.pdf
	if pic.clip {
		pdf.ClipRect(b+im.X, b+im.Y, im.W, im.H, false)
	}
	H := r.doc.Pages[pn-1].Height + 2*b
	r.raw(func(buf []byte) []byte {
		buf = append(buf, "q "...)
		buf = appendNums(buf, pic.w, 0, 0, pic.h, b+im.X+pic.x, H-(b+im.Y+pic.y+pic.h))
		return append(append(append(buf, " cm /"...), pic.xobj.name...), " Do Q"...)
	})
	if pic.clip {
		pdf.ClipEnd()
	}
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("render: page %d: image %s: %w", pn, im.Path, err)
	}
	return nil
}

// sortedXObjects returns the pictures render embeds itself, by name.
func (r *renderer) sortedXObjects() []*xobject {
	out := make([]*xobject, 0, len(r.xobjs))
	for _, x := range r.xobjs {
		out = append(out, x)
	}
	slices.SortFunc(out, func(a, b *xobject) int {
		if a.name < b.name {
			return -1
		}
		if a.name > b.name {
			return 1
		}
		return 0
	})
	return out
}

// preparePicture fits one picture to its frame.
func preparePicture(k pictureKey, opt images.Options, cache *color.Cache) (*picture, error) {
	if k.fit == display.Cover {
		st, err := images.Stat(k.path)
		if err != nil {
			return nil, err
		}
		// The rectangle covering the frame at the picture's own shape.
		pa := float64(st.H) / float64(st.W)
		w, h := k.w, k.w*pa
		if h < k.h {
			h, w = k.h, k.h/pa
		}
		if lost := 1 - (k.w*k.h)/(w*h); lost > 1e-3 && lost < cropLimit {
			p, err := prepareCached(cache, k.path, w, h, display.Contain, 0, 0, opt)
			if err != nil {
				return nil, err
			}
			args := prepareArgs(w, h, display.Contain, 0, 0, opt)
			fx := math.Max(-0.5, math.Min(0.5, k.focusX))
			fy := math.Max(-0.5, math.Min(0.5, k.focusY))
			// Keep the focus point as central as the frame allows.
			x := clampOffset(k.w/2-(0.5+fx)*w, k.w-w)
			y := clampOffset(k.h/2-(0.5+fy)*h, k.h-h)
			return &picture{prep: p, x: x, y: y, w: w, h: h, clip: true, args: args}, nil
		}
	}
	p, err := prepareCached(cache, k.path, k.w, k.h, k.fit, k.focusX, k.focusY, opt)
	if err != nil {
		return nil, err
	}
	if p.W == 0 || p.H == 0 {
		return nil, fmt.Errorf("%s: empty picture", k.path)
	}
	args := prepareArgs(k.w, k.h, k.fit, k.focusX, k.focusY, opt)
	return &picture{prep: p, x: p.DX, y: p.DY, w: p.DW, h: p.DH, args: args}, nil
}

// prepareCached is images.Prepare through the cache: a picture that had to
// be cropped or resampled is kept, so a rebuild (a preview above all, whose
// every photo is downsampled) does not decode and resample it again.
// Pictures passed through as they are are not cached: they cost nothing.
func prepareCached(cache *color.Cache, path string, w, h float64, fit display.Fit, fx, fy float64, o images.Options) (*images.Prepared, error) {
	if cache == nil {
		return images.Prepare(path, w, h, fit, fx, fy, o)
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return images.Prepare(path, w, h, fit, fx, fy, o) // let it say what is wrong
	}
	sum := sha256.Sum256(src)
	key := hex.EncodeToString(sum[:]) + " " + pictureCache + " " + prepareArgs(w, h, fit, fx, fy, o)
	if o.Pixels {
		key += " pixels" // no Data for colour pictures
	}
	var fresh *images.Prepared
	blob, err := cache.Blob(key, func() ([]byte, error) {
		p, err := images.Prepare(path, w, h, fit, fx, fy, o)
		if err != nil {
			return nil, err
		}
		fresh = p
		if p.PassThrough {
			return []byte("pass"), nil
		}
		meta, err := json.Marshal(preparedMeta{p.Format, p.ColorSpace, p.W, p.H, p.EffectivePPI, p.DX, p.DY, p.DW, p.DH})
		if err != nil {
			return nil, err
		}
		return append(append(meta, 0), p.Data...), nil
	})
	if err != nil && !errors.Is(err, color.ErrNotStored) {
		return nil, err
	}
	if fresh != nil {
		return fresh, nil
	}
	i := bytes.IndexByte(blob, 0)
	if string(blob) == "pass" || i < 0 {
		return images.Prepare(path, w, h, fit, fx, fy, o)
	}
	var m preparedMeta
	if err := json.Unmarshal(blob[:i], &m); err != nil {
		return images.Prepare(path, w, h, fit, fx, fy, o)
	}
	data := blob[i+1:]
	if len(data) == 0 {
		data = nil // prepared with Options.Pixels: Decode says so
	}
	return &images.Prepared{Data: data, Format: m.Format, ColorSpace: m.ColorSpace, W: m.W, H: m.H,
		EffectivePPI: m.PPI, DX: m.DX, DY: m.DY, DW: m.DW, DH: m.DH}, nil
}

// preparedMeta is what the cache keeps of a prepared picture besides its bytes.
type preparedMeta struct {
	Format, ColorSpace string
	W, H               int
	PPI                float64
	DX, DY, DW, DH     float64
}

// prepareArgs writes down the arguments of images.Prepare, exactly.
func prepareArgs(w, h float64, fit display.Fit, fx, fy float64, o images.Options) string {
	var b []byte
	fast, proof := 0.0, 0.0
	if o.Fast {
		fast = 1
	}
	if o.Proof != nil {
		proof = 1 // always the FOGRA39 proof
	}
	for _, v := range []float64{w, h, float64(fit), fx, fy, o.TargetPPI, o.MaxPPI, float64(o.JPEGQuality), fast, proof} {
		b = strconv.AppendFloat(b, v, 'g', -1, 64)
		b = append(b, ' ')
	}
	return string(b)
}

// clampOffset keeps an overhanging picture's offset between lo (≤ 0) and 0.
func clampOffset(v, lo float64) float64 { return math.Max(lo, math.Min(0, v)) }
