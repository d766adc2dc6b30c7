package preflight

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"paiban/display"
	"paiban/internal/jpegcmyk"
	"paiban/layout"
)

func writeJPEG(t *testing.T, w, h int) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "a.jpg")
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 200
	}
	img.Set(0, 0, color.Black)
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := jpeg.Encode(f, img, nil); err != nil {
		t.Fatal(err)
	}
	return p
}

// writeCMYK writes a CMYK JPEG the way Photoshop stores one (inverted
// samples, which image/jpeg turns back into ink values) with every pixel
// at the given ink, plus one at ink2.
func writeCMYK(t *testing.T, ink, ink2 [4]uint8) string {
	t.Helper()
	img := image.NewCMYK(image.Rect(0, 0, 300, 300))
	for i := 0; i < len(img.Pix); i += 4 {
		v := ink
		if i == 4*(150*300+150) {
			v = ink2
		}
		for c := range 4 {
			img.Pix[i+c] = 255 - v[c]
		}
	}
	var b bytes.Buffer
	if err := jpegcmyk.Encode(&b, img, 95); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "cmyk.jpg")
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func result(pages ...*display.Page) *layout.Result {
	return &layout.Result{Doc: &display.Document{Pages: pages}}
}

func page(items ...display.Item) *display.Page {
	return &display.Page{Width: 595, Height: 842, Bleed: 8.5, Items: items}
}

func codes(r *Report) map[string]Severity {
	m := map[string]Severity{}
	for _, f := range r.Findings {
		if s, ok := m[f.Code]; !ok || f.Severity > s {
			m[f.Code] = f.Severity
		}
	}
	return m
}

func TestChecks(t *testing.T) {
	lo := writeJPEG(t, 100, 100) // 100 px over 1 in = 100 ppi
	mid := writeJPEG(t, 200, 200)
	ok := writeJPEG(t, 310, 310)
	text := func(x, y float64) *display.Text {
		return &display.Text{X: x, Y: y, Font: "none", Size: 10, Glyphs: []display.Glyph{{R: '字'}}}
	}
	tests := []struct {
		name string
		item display.Item
		code string
		sev  Severity
	}{
		{"image-under-150", &display.Image{X: 100, Y: 100, W: 72, H: 72, Path: lo}, "image-ppi", Error},
		{"image-under-225", &display.Image{X: 100, Y: 100, W: 72, H: 72, Path: mid}, "image-ppi", Warning},
		{"text-near-trim", text(5, 100), "trim-distance", Error},
		{"thin-rule", &display.Line{X1: 100, Y1: 100, X2: 200, Y2: 100, Width: 0.2}, "thin-rule", Error},
		{"ink", &display.Rect{X: 100, Y: 100, W: 10, H: 10, Fill: &display.Color{C: 1, M: 1, Y: 1, K: 0.5}}, "ink", Error},
		// A CMYK photo passed through: 340% in a dark spot of it.
		{"image-ink", &display.Image{X: 100, Y: 100, W: 72, H: 72, Path: writeCMYK(t, [4]uint8{40, 30, 30, 0}, [4]uint8{240, 200, 200, 230})}, "image-ink", Error},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Check(result(page(tc.item), page(), page(), page()), nil, Options{Print: true})
			if got, found := codes(r)[tc.code]; !found || got != tc.sev {
				t.Errorf("findings %v, want %s %s", r.Findings, tc.code, tc.sev)
			}
		})
	}
	t.Run("clean", func(t *testing.T) {
		r := Check(result(page(
			&display.Image{X: 100, Y: 100, W: 72, H: 72, Path: ok},
			&display.Image{X: 200, Y: 100, W: 72, H: 72, Path: writeCMYK(t, [4]uint8{40, 30, 30, 0}, [4]uint8{180, 180, 180, 200})}, // 290%
			text(100, 100),
			&display.Line{X1: 100, Y1: 100, X2: 200, Y2: 100, Width: 0.25},
		), page(), page(), page()), nil, Options{Print: true})
		if r.Errors != 0 || r.Warnings != 0 {
			t.Errorf("clean page: %v", r.Findings)
		}
	})
	t.Run("page-count", func(t *testing.T) {
		r := Check(result(page(), page(), page()), nil, Options{})
		if codes(r)["page-count"] != Warning {
			t.Errorf("3 pages: %v", r.Findings)
		}
	})
	t.Run("contents", func(t *testing.T) {
		p1 := page()
		p2 := page()
		p2.Folio = "7"
		res := result(p1, p2, page(), page())
		res.Starts = []int{1}
		res.Entries = []layout.Entry{{Page: 0, Article: 0, Title: "甲", Number: "08"}}
		r := Check(res, nil, Options{})
		if codes(r)["contents"] != Error {
			t.Errorf("a wrong contents number was not found: %v", r.Findings)
		}
		res.Entries[0].Number = "07"
		if r := Check(res, nil, Options{}); r.Errors != 0 {
			t.Errorf("a right contents number was reported: %v", r.Findings)
		}
	})
	t.Run("rgb-in-print-pdf", func(t *testing.T) {
		r := Check(result(page(), page(), page(), page()), [][]byte{[]byte("%PDF-1.6\n/ColorSpace /DeviceRGB\n")}, Options{Print: true})
		if codes(r)["rgb"] != Error {
			t.Errorf("RGB in a print PDF not found: %v", r.Findings)
		}
	})
	t.Run("message", func(t *testing.T) {
		r := Check(result(page(text(5, 100)), page(), page(), page()), nil, Options{})
		if s := r.Findings[0].String(); !strings.Contains(s, "page 1") || !strings.Contains(s, "5 mm") {
			t.Errorf("message %q", s)
		}
	})
}

func TestRGBOperators(t *testing.T) {
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write([]byte("q 1 0 0 rg 10 10 50 50 re f Q 0 0 0 1 k"))
	zw.Close()
	pdf := []byte(fmt.Sprintf("%%PDF-1.6\n5 0 obj\n<</Length %d /Filter /FlateDecode>>\nstream\n", z.Len()))
	pdf = append(pdf, z.Bytes()...)
	pdf = append(pdf, "\nendstream\nendobj\n6 0 obj\n<</Length 20>>\nstream\n0.5 0.5 0.5 RG 1 w S\nendstream\nendobj\n"...)
	if n := rgbOperators(pdf); n != 2 {
		t.Errorf("found %d RGB operators, want 2 (one compressed, one not)", n)
	}
	r := Check(result(page(), page(), page(), page()), [][]byte{pdf}, Options{Print: true})
	if codes(r)["rgb"] != Error {
		t.Errorf("RGB operators in a print PDF not reported: %v", r.Findings)
	}
	cmyk := []byte("%PDF-1.6\n5 0 obj\n<</Length 16>>\nstream\n0 0 0 1 k 0 0 m\nendstream\nendobj\n")
	if n := rgbOperators(cmyk); n != 0 {
		t.Errorf("found %d RGB operators in CMYK content", n)
	}
}

// TestPDFColourParts: a picture's data written in place, as a part of its
// own after its dictionary, is not searched for RGB (its bytes may hold
// anything); the parts around it are.
func TestPDFColourParts(t *testing.T) {
	dict := []byte("%PDF-1.6\n7 0 obj\n<</Type /XObject\n/Subtype /Image\n/Width 1\n/Height 1\n/ColorSpace /DeviceCMYK\n/BitsPerComponent 8\n/Filter /DCTDecode\n/Length 27>>\nstream\n")
	data := []byte("/DeviceRGB 1 0 0 rg binary")
	end := []byte("\nendstream\nendobj\n")
	page := []byte("8 0 obj\n<</Length 20>>\nstream\n0.5 0.5 0.5 RG 1 w S\nendstream\nendobj\n")
	c := &checker{r: &Report{}}
	c.pdfColour([][]byte{dict, data, end})
	if len(c.r.Findings) != 0 {
		t.Errorf("a picture's data was searched: %v", c.r.Findings)
	}
	c = &checker{r: &Report{}}
	c.pdfColour([][]byte{dict, data, end, page, data})
	if len(c.r.Findings) != 2 {
		t.Errorf("got %v, want /DeviceRGB and the RG operator of the parts that are not picture data", c.r.Findings)
	}
}
