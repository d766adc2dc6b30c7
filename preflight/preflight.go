// Package preflight checks a laid-out issue, and the PDF written from it,
// against what a printer needs (shared/design/print.md): overset text,
// missing glyphs, image resolution, colour, live text near the trim, thin
// rules, total ink, the page count, and the contents page numbers.
// Findings are data — code, severity, page, message, hint — for a text or
// JSON report.
package preflight

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"math"
	"os"
	"regexp"
	"sort"
	"strconv"

	"paiban/display"
	"paiban/fonts"
	"paiban/images"
	"paiban/layout"
)

// Severity grades a finding.
type Severity int

// Severities, from the mildest.
const (
	Info Severity = iota
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	}
	return "error"
}

// MarshalText writes the severity's name in JSON.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Finding is one thing preflight found.
type Finding struct {
	Code     string   `json:"code"`
	Severity Severity `json:"severity"`
	Page     int      `json:"page,omitempty"` // 1-based; 0 for the whole document
	Message  string   `json:"message"`
	Hint     string   `json:"hint,omitempty"`
}

func (f Finding) String() string {
	where := ""
	if f.Page > 0 {
		where = fmt.Sprintf("page %d: ", f.Page)
	}
	s := fmt.Sprintf("%s: %s%s [%s]", f.Severity, where, f.Message, f.Code)
	if f.Hint != "" {
		s += " — " + f.Hint
	}
	return s
}

// Report is the result of a check.
type Report struct {
	Pages    int       `json:"pages"`
	Errors   int       `json:"errors"`
	Warnings int       `json:"warnings"`
	Findings []Finding `json:"findings"`
}

// Options set what is checked.
type Options struct {
	// Print checks a print build: colour must be CMYK.
	Print bool
	// Faces resolves the display list's fonts (for glyph coverage and
	// widths); nil skips the glyph checks.
	Faces *fonts.Set
}

// The thresholds of print.md.
const (
	TargetPPI  = 300.0
	WarnPPI    = 225.0
	ErrorPPI   = 150.0
	TrimMargin = 5 * 72 / 25.4 // live text stays 5 mm inside the trim
	MinRule    = 0.25          // pt
	MaxInk     = 3.0           // 300 %
)

// Check runs every check on a laid-out issue and, when pdf is not nil, on
// the PDF written from it, given in parts each holding whole objects (or
// a stream's data) — one part, or render.File's Parts.
func Check(res *layout.Result, pdf [][]byte, opt Options) *Report {
	c := &checker{opt: opt, r: &Report{Pages: len(res.Doc.Pages)}}
	for _, w := range res.Warnings {
		c.add(Finding{Code: "overset", Severity: Warning, Message: w.String(), Hint: "shorten the word or allow it to break"})
	}
	c.pageCount(res)
	c.contents(res)
	ppi := map[string]bool{}
	for i, p := range res.Doc.Pages {
		for _, it := range p.Items {
			switch v := it.(type) {
			case *display.Text:
				c.text(i+1, p, v)
			case *display.Line:
				c.rule(i+1, v.Width, "rule")
				c.ink(i+1, v.Color)
			case *display.Rect:
				if v.Stroke != nil {
					c.rule(i+1, v.StrokeWidth, "frame")
					c.ink(i+1, *v.Stroke)
				}
				if v.Fill != nil {
					c.ink(i+1, *v.Fill)
				}
			case *display.Image:
				key := fmt.Sprintf("%s %.2f %.2f", v.Path, v.W, v.H)
				if !ppi[key] {
					ppi[key] = true
					c.image(i+1, v)
				}
			}
		}
	}
	if pdf != nil && opt.Print {
		c.pdfColour(pdf)
	}
	if c.rgbPictures > 0 {
		c.add(Finding{Code: "rgb", Severity: Info, Message: fmt.Sprintf("%d RGB pictures: the print build converts them to CMYK through the FOGRA39 profile", c.rgbPictures)})
	}
	sort.SliceStable(c.r.Findings, func(a, b int) bool {
		fa, fb := c.r.Findings[a], c.r.Findings[b]
		if fa.Severity != fb.Severity {
			return fa.Severity > fb.Severity
		}
		return fa.Page < fb.Page
	})
	return c.r
}

type checker struct {
	opt         Options
	rgbPictures int
	r           *Report
	inked       map[display.Color]bool
	near        map[int]bool
}

func (c *checker) add(f Finding) {
	switch f.Severity {
	case Error:
		c.r.Errors++
	case Warning:
		c.r.Warnings++
	}
	c.r.Findings = append(c.r.Findings, f)
}

func (c *checker) pageCount(res *layout.Result) {
	n := len(res.Doc.Pages)
	if n%4 != 0 {
		c.add(Finding{Code: "page-count", Severity: Warning, Message: fmt.Sprintf("%d pages is not a multiple of 4", n), Hint: "saddle stitching needs a multiple of 4 pages"})
	}
	if res.Padding > 0 {
		c.add(Finding{Code: "page-count", Severity: Info, Message: fmt.Sprintf("%d notes pages added to make %d pages, a multiple of 4", res.Padding, n)})
	}
}

// contents compares every printed page number with the folio of the page
// its article starts on.
func (c *checker) contents(res *layout.Result) {
	for _, e := range res.Entries {
		if e.Article >= len(res.Starts) {
			continue
		}
		start := res.Doc.Pages[res.Starts[e.Article]]
		got, _ := strconv.Atoi(e.Number)
		want, _ := strconv.Atoi(start.Folio)
		if start.Folio == "" || got != want {
			c.add(Finding{Code: "contents", Severity: Error, Page: e.Page + 1,
				Message: fmt.Sprintf("%q is listed at page %s but starts on the page numbered %q", e.Title, e.Number, start.Folio),
				Hint:    "report this as a bug: layout resolves the numbers itself"})
		}
	}
}

// text checks a run's glyphs are covered and stay 5 mm inside the trim.
func (c *checker) text(pn int, p *display.Page, t *display.Text) {
	if t.Size <= 0 {
		return
	}
	var face *fonts.Face
	if c.opt.Faces != nil {
		face = c.opt.Faces.Face(t.Font)
	}
	for _, g := range t.Glyphs {
		adv := t.Size
		if face != nil {
			a, ok := face.Advance(g.R)
			if !ok {
				c.add(Finding{Code: "missing-glyph", Severity: Error, Page: pn, Message: fmt.Sprintf("%s has no glyph for %q (U+%04X)", t.Font, g.R, g.R), Hint: "add a fallback font that covers it"})
				continue
			}
			adv = a * t.Size
		}
		x0, x1 := t.X+g.X, t.X+g.X+adv
		y0, y1 := t.Y-0.88*t.Size, t.Y+0.12*t.Size
		d := math.Min(math.Min(x0, p.Width-x1), math.Min(y0, p.Height-y1))
		if d < TrimMargin-1e-6 && !c.near[pn] {
			if c.near == nil {
				c.near = map[int]bool{}
			}
			c.near[pn] = true
			c.add(Finding{Code: "trim-distance", Severity: Error, Page: pn,
				Message: fmt.Sprintf("text %q is %.1f mm from the trim", t.String(), d*25.4/72),
				Hint:    "keep live text at least 5 mm inside the trim: widen the margins"})
		}
	}
}

func (c *checker) rule(pn int, w float64, what string) {
	if w < MinRule-1e-9 {
		c.add(Finding{Code: "thin-rule", Severity: Error, Page: pn, Message: fmt.Sprintf("a %s %.2f pt thick", what, w), Hint: "rules under 0.25 pt may not print: make it at least 0.25 pt"})
	}
}

func (c *checker) ink(pn int, k display.Color) {
	if sum := k.C + k.M + k.Y + k.K; sum > MaxInk+1e-9 {
		if c.inked == nil {
			c.inked = map[display.Color]bool{}
		}
		if !c.inked[k] {
			c.inked[k] = true
			c.add(Finding{Code: "ink", Severity: Error, Page: pn, Message: fmt.Sprintf("colour C%.0f M%.0f Y%.0f K%.0f has %.0f%% total ink", k.C*100, k.M*100, k.Y*100, k.K*100, sum*100), Hint: "keep total ink at or under 300% (lower C, M and Y)"})
		}
	}
}

// image checks a picture's effective resolution in its frame.
func (c *checker) image(pn int, im *display.Image) {
	st, err := images.Stat(im.Path)
	if err != nil {
		c.add(Finding{Code: "image", Severity: Error, Page: pn, Message: err.Error()})
		return
	}
	// The picture is scaled by the larger of the two axes' factors to
	// cover its frame, by the smaller to fit inside it.
	sw, sh := im.W/float64(st.W), im.H/float64(st.H) // pt per pixel
	scale := math.Min(sw, sh)
	if im.Fit == display.Cover {
		scale = math.Max(sw, sh)
	}
	ppi := 72 / scale
	name := im.Path
	switch {
	case ppi < ErrorPPI:
		c.add(Finding{Code: "image-ppi", Severity: Error, Page: pn, Message: fmt.Sprintf("%s prints at %.0f ppi", name, ppi), Hint: "use a larger picture (300 ppi at its printed size) or print it smaller"})
	case ppi < WarnPPI:
		c.add(Finding{Code: "image-ppi", Severity: Warning, Page: pn, Message: fmt.Sprintf("%s prints at %.0f ppi", name, ppi), Hint: "300 ppi is the target for print"})
	case ppi < TargetPPI-0.5:
		c.add(Finding{Code: "image-ppi", Severity: Info, Page: pn, Message: fmt.Sprintf("%s prints at %.0f ppi, under the 300 ppi target", name, ppi)})
	}
	if c.opt.Print && st.ColorSpace == "rgb" {
		c.rgbPictures++
	}
	if c.opt.Print && st.ColorSpace == "cmyk" {
		c.imageInk(pn, im.Path)
	}
}

// imageInk checks the total ink of a CMYK JPEG, which goes into the print
// PDF as it is (paiban separates RGB photos itself, with headroom for the
// JPEG compression). The file is decoded as a PDF reader decodes it:
// Adobe's inverted samples, which image/jpeg turns back into ink values.
func (c *checker) imageInk(pn int, path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		return // Stat has read it; a race with an editor is not ours to report
	}
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		c.add(Finding{Code: "image", Severity: Error, Page: pn, Message: fmt.Sprintf("%s: %v", path, err), Hint: "export the picture again"})
		return
	}
	m, ok := img.(*image.CMYK)
	if !ok {
		return
	}
	most, over := 0, 0
	b := m.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := m.Pix[m.PixOffset(b.Min.X, y):m.PixOffset(b.Max.X, y)]
		for i := 0; i+3 < len(row); i += 4 {
			ink := int(row[i]) + int(row[i+1]) + int(row[i+2]) + int(row[i+3])
			most = max(most, ink)
			if float64(ink) > MaxInk*255 {
				over++
			}
		}
	}
	if over > 0 {
		c.add(Finding{Code: "image-ink", Severity: Error, Page: pn,
			Message: fmt.Sprintf("%s has up to %.0f%% total ink (%d pixels over %.0f%%)", path, float64(most)/2.55, over, MaxInk*100),
			Hint:    "separate the photo again for at most 300% total ink, or place the RGB original: paiban separates it"})
	}
}

// pdfColour looks for RGB in the written PDF: RGB colour spaces in its
// objects, and RGB colour operators (rg, RG) in its content streams,
// inflated when they are compressed.
func (c *checker) pdfColour(pdf [][]byte) {
	cs, ops := 0, 0
	for i, part := range pdf {
		if i > 0 && imageStreamStart(pdf[i-1]) {
			// The body of a picture written in place (render.File): 1-3
			// MB of binary, neither colour spaces nor operators.
			continue
		}
		cs += bytes.Count(part, []byte("/DeviceRGB"))
		ops += rgbOperators(part)
	}
	if n := cs; n > 0 {
		c.add(Finding{Code: "rgb", Severity: Error, Message: fmt.Sprintf("the print PDF uses /DeviceRGB %d times", n), Hint: "report this as a bug: a print build must be CMYK only"})
	}
	if n := ops; n > 0 {
		c.add(Finding{Code: "rgb", Severity: Error, Message: fmt.Sprintf("the print PDF sets RGB colours %d times (rg/RG)", n), Hint: "report this as a bug: a print build must be CMYK only"})
	}
}

var (
	streamRe = regexp.MustCompile(`(?s)<<((?:[^<>]|<<[^<>]*>>)*)>>\s*stream\r?\n`)
	rgbOpRe  = regexp.MustCompile(`(?:^|[\s\]])[-+.0-9]+\s+[-+.0-9]+\s+[-+.0-9]+\s+(?:rg|RG)\b`)
)

// rgbOperators counts rg and RG operators in the PDF's content streams
// (streams that are not images, fonts or profiles).
func rgbOperators(pdf []byte) int {
	n := 0
	for _, m := range streamRe.FindAllSubmatchIndex(pdf, -1) {
		dict := pdf[m[2]:m[3]]
		if bytes.Contains(dict, []byte("/Subtype")) || bytes.Contains(dict, []byte("/Length1")) || bytes.Contains(dict, []byte("/N 4")) || bytes.Contains(dict, []byte("/Type /Metadata")) {
			continue // images, fonts, the ICC profile, XMP
		}
		lm := lengthRe.FindSubmatch(dict)
		if lm == nil {
			continue
		}
		l, err := strconv.Atoi(string(lm[1]))
		if err != nil || m[1]+l > len(pdf) {
			continue
		}
		data := pdf[m[1] : m[1]+l]
		if bytes.Contains(dict, []byte("/FlateDecode")) {
			zr, err := zlib.NewReader(bytes.NewReader(data))
			if err != nil {
				continue
			}
			if data, err = io.ReadAll(io.LimitReader(zr, 64<<20)); err != nil {
				continue
			}
		}
		// The expression has no literal to look for first, and the
		// content of a magazine page (hundreds of KB) seldom holds "rg"
		// or "RG" at all.
		if bytes.Contains(data, []byte("rg")) || bytes.Contains(data, []byte("RG")) {
			n += len(rgbOpRe.FindAllIndex(data, -1))
		}
	}
	return n
}

var lengthRe = regexp.MustCompile(`/Length\s+(\d+)`)

// imageStreamStart reports whether part ends with the dictionary of an
// image XObject and the stream keyword, so that the next part is the
// image's data.
func imageStreamStart(part []byte) bool {
	if !bytes.HasSuffix(part, []byte("stream\n")) && !bytes.HasSuffix(part, []byte("stream\r\n")) {
		return false
	}
	obj := part[max(0, bytes.LastIndex(part, []byte(" 0 obj"))):]
	return bytes.Contains(obj, []byte("/Subtype /Image"))
}
