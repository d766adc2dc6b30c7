package render

import (
	"fmt"
	"math"
	"runtime"
	"sync"

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
}

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

// preparePictures gets every picture of the document ready, on all cores.
func preparePictures(doc *display.Document, opt images.Options) (map[pictureKey]*picture, error) {
	var keys []pictureKey
	var pageOf []int // the first page each picture is on, for messages
	seen := map[pictureKey]bool{}
	for pn, p := range doc.Pages {
		for _, it := range p.Items {
			if im, ok := it.(*display.Image); ok && !seen[keyOf(im)] {
				seen[keyOf(im)] = true
				keys = append(keys, keyOf(im))
				pageOf = append(pageOf, pn+1)
			}
		}
	}
	out := make(map[pictureKey]*picture, len(keys))
	errs := make([]error, len(keys))
	pics := make([]*picture, len(keys))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, k := range keys {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			pics[i], errs[i] = preparePicture(k, opt)
		}()
	}
	wg.Wait()
	for i, k := range keys {
		if errs[i] != nil {
			return nil, fmt.Errorf("render: page %d: %w", pageOf[i], errs[i])
		}
		out[k] = pics[i]
	}
	return out, nil
}

// preparePicture fits one picture to its frame.
func preparePicture(k pictureKey, opt images.Options) (*picture, error) {
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
			p, err := images.Prepare(k.path, w, h, display.Contain, 0, 0, opt)
			if err != nil {
				return nil, err
			}
			fx := math.Max(-0.5, math.Min(0.5, k.focusX))
			fy := math.Max(-0.5, math.Min(0.5, k.focusY))
			// Keep the focus point as central as the frame allows.
			x := clampOffset(k.w/2-(0.5+fx)*w, k.w-w)
			y := clampOffset(k.h/2-(0.5+fy)*h, k.h-h)
			return &picture{prep: p, x: x, y: y, w: w, h: h, clip: true}, nil
		}
	}
	p, err := images.Prepare(k.path, k.w, k.h, k.fit, k.focusX, k.focusY, opt)
	if err != nil {
		return nil, err
	}
	if p.W == 0 || p.H == 0 {
		return nil, fmt.Errorf("%s: empty picture", k.path)
	}
	return &picture{prep: p, x: p.DX, y: p.DY, w: p.DW, h: p.DH}, nil
}

// clampOffset keeps an overhanging picture's offset between lo (≤ 0) and 0.
func clampOffset(v, lo float64) float64 { return math.Max(lo, math.Min(0, v)) }
