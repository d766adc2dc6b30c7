package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/png"

	"github.com/go-pdf/fpdf"

	"paiban/display"
)

func (r *renderer) drawImage(pn int, b float64, im *display.Image) error {
	pdf := r.pdf
	if r.images == nil {
		r.images = make(map[string]string)
	}
	pic := r.pictures[keyOf(im)]
	if pic == nil {
		return fmt.Errorf("render: page %d: image %s was not prepared", pn, im.Path)
	}
	if pic.xobj != nil {
		return r.drawXObject(pn, b, im, pic)
	}
	data := pic.prep.Data
	// Registered under its content's hash: the same picture in two frames
	// of the same size is one image.
	sum := sha256.Sum256(data)
	name := hex.EncodeToString(sum[:16])
	if _, ok := r.images[name]; !ok {
		var typ string
		var err error
		switch pic.prep.Format {
		case "jpeg":
			typ = "JPG"
		case "png":
			typ = "PNG"
			if data, err = pngForFpdf(data); err != nil {
				return fmt.Errorf("render: page %d: image %s: %w", pn, im.Path, err)
			}
		default:
			return fmt.Errorf("render: page %d: image %s is neither JPEG nor PNG", pn, im.Path)
		}
		pdf.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: typ}, bytes.NewReader(data))
		if err := pdf.Error(); err != nil {
			return fmt.Errorf("render: page %d: image %s: %w", pn, im.Path, err)
		}
		r.images[name] = im.Path
	}
	if pic.clip {
		pdf.ClipRect(b+im.X, b+im.Y, im.W, im.H, false)
	}
	pdf.ImageOptions(name, b+im.X+pic.x, b+im.Y+pic.y, pic.w, pic.h, false, fpdf.ImageOptions{AllowNegativePosition: true}, 0, "")
	if pic.clip {
		pdf.ClipEnd()
	}
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("render: page %d: image %s: %w", pn, im.Path, err)
	}
	return nil
}

// pngForFpdf returns a PNG fpdf can embed. fpdf refuses interlaced PNGs and
// splits the alpha channel of 16-bit ones as if they were 8-bit (a garbled
// picture); those are decoded and written again as 8-bit, non-interlaced
// (image/png's encoder is deterministic). Others pass unchanged.
func pngForFpdf(data []byte) ([]byte, error) {
	if len(data) < 29 || string(data[12:16]) != "IHDR" {
		return nil, errors.New("not a valid PNG")
	}
	if depth, interlace := data[24], data[28]; depth <= 8 && interlace == 0 {
		return data, nil
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	var out image.Image
	switch img := img.(type) {
	case *image.Gray16, *image.Gray:
		g := image.NewGray(img.Bounds())
		draw.Draw(g, g.Bounds(), img, img.Bounds().Min, draw.Src)
		out = g
	default:
		n := image.NewNRGBA(img.Bounds())
		draw.Draw(n, n.Bounds(), img, img.Bounds().Min, draw.Src)
		out = n
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, out); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
