package jpegcmyk

import (
	"bytes"
	"fmt"
	"image"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// minimalPDF returns a one-page PDF whose page, w×h points, is covered by
// one image XObject: w×h pixels, DeviceCMYK, 8 bits, with the stream data
// and extra (the filter and so on) appended to the image dictionary.
func minimalPDF(data []byte, w, h int, extra string) []byte {
	var b bytes.Buffer
	var offs []int
	obj := func(body string, stream []byte) {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s", len(offs), body)
		if stream != nil {
			b.WriteString("\nstream\n")
			b.Write(stream)
			b.WriteString("\nendstream")
		}
		b.WriteString("\nendobj\n")
	}
	b.WriteString("%PDF-1.6\n%\xe2\xe3\xcf\xd3\n")
	obj("<< /Type /Catalog /Pages 2 0 R >>", nil)
	obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>", nil)
	obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>", w, h), nil)
	obj(fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceCMYK /BitsPerComponent 8%s /Length %d >>", w, h, extra, len(data)), data)
	content := fmt.Sprintf("q %d 0 0 %d 0 0 cm /Im0 Do Q", w, h)
	obj(fmt.Sprintf("<< /Length %d >>", len(content)), []byte(content))
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offs)+1, xref)
	return b.Bytes()
}

// readPPM parses a binary (P6, maxval 255) PPM file.
func readPPM(data []byte) (*image.RGBA, error) {
	var fields []int
	i := 2
	if !bytes.HasPrefix(data, []byte("P6")) {
		return nil, fmt.Errorf("not a P6 PPM")
	}
	for len(fields) < 3 {
		for i < len(data) && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t') {
			i++
		}
		if i < len(data) && data[i] == '#' {
			for i < len(data) && data[i] != '\n' {
				i++
			}
			continue
		}
		j := i
		for j < len(data) && data[j] >= '0' && data[j] <= '9' {
			j++
		}
		n, err := strconv.Atoi(string(data[i:j]))
		if err != nil {
			return nil, fmt.Errorf("PPM header: %v", err)
		}
		fields = append(fields, n)
		i = j
	}
	w, h := fields[0], fields[1]
	if fields[2] != 255 {
		return nil, fmt.Errorf("PPM maxval %d", fields[2])
	}
	px := data[i+1:]
	if len(px) < 3*w*h {
		return nil, fmt.Errorf("PPM: %d bytes of pixels for %d×%d", len(px), w, h)
	}
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for p := range w * h {
		copy(m.Pix[4*p:], px[3*p:3*p+3])
		m.Pix[4*p+3] = 255
	}
	return m, nil
}

// rasterizer renders page 1 of a PDF file at 72 dpi to a PPM file.
type rasterizer struct {
	name, tool string
	args       func(pdf, outBase string) []string
	out        func(outBase string) string
	// chatter lists lines the tool prints that are no complaint about
	// the file.
	chatter []string
}

var rasterizers = []rasterizer{
	{
		name: "poppler", tool: "pdftoppm",
		args: func(pdf, out string) []string { return []string{"-r", "72", "-singlefile", pdf, out} },
		out:  func(out string) string { return out + ".ppm" },
	},
	{
		name: "ghostscript", tool: "gs",
		args: func(pdf, out string) []string {
			return []string{"-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=ppmraw", "-r72", "-o", out + ".ppm", pdf}
		},
		out: func(out string) string { return out + ".ppm" },
	},
	{
		name: "mupdf", tool: "mutool",
		args: func(pdf, out string) []string {
			return []string{"draw", "-q", "-r", "72", "-c", "rgb", "-o", out + ".ppm", pdf}
		},
		out: func(out string) string { return out + ".ppm" },
		// Debian's mupdf-tools is built without lcms2.
		chatter: []string{"warning: ICC support is not available"},
	},
}

func (r rasterizer) render(t *testing.T, pdf []byte) *image.RGBA {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, pdf, 0o666); err != nil {
		t.Fatal(err)
	}
	base := filepath.Join(dir, "out")
	out, err := exec.Command(r.tool, r.args(in, base)...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", r.tool, err, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if line != "" && !slices.Contains(r.chatter, line) {
			t.Errorf("%s complained:\n%s", r.tool, out)
			break
		}
	}
	data, err := os.ReadFile(r.out(base))
	if err != nil {
		t.Fatal(err)
	}
	m, err := readPPM(data)
	if err != nil {
		t.Fatalf("%s output: %v", r.tool, err)
	}
	return m
}

// patch is a flat ink patch and what its rendering must look like.
type patch struct {
	name string
	ink  [4]uint8
	// low and high list the RGB channels (0 R, 1 G, 2 B) that must come
	// out below 100 and above 130 (process magenta is about RGB 236 0 140).
	low, high []int
}

var patches = []patch{
	{"cyan", [4]uint8{255, 0, 0, 0}, []int{0}, []int{1, 2}},
	{"magenta", [4]uint8{0, 255, 0, 0}, []int{1}, []int{0, 2}},
	{"yellow", [4]uint8{0, 0, 255, 0}, []int{2}, []int{0, 1}},
	{"black", [4]uint8{0, 0, 0, 255}, []int{0, 1, 2}, nil},
	{"paper", [4]uint8{0, 0, 0, 0}, nil, []int{0, 1, 2}},
	{"blue (C+M)", [4]uint8{255, 255, 0, 0}, []int{0, 1}, []int{2}},
	{"red (M+Y)", [4]uint8{0, 255, 255, 0}, []int{1, 2}, []int{0}},
}

// patchImage returns the patches side by side, each 16×16 pixels.
func patchImage() *image.CMYK {
	m := image.NewCMYK(image.Rect(0, 0, 16*len(patches), 16))
	for p, pa := range patches {
		for y := range 16 {
			for x := 16 * p; x < 16*p+16; x++ {
				copy(m.Pix[m.PixOffset(x, y):], pa.ink[:])
			}
		}
	}
	return m
}

// checkPatches reports whether every patch of the rendering r looks as it
// should, and describes the patches that do not.
func checkPatches(r *image.RGBA) (ok bool, report string) {
	ok = true
	var b bytes.Buffer
	for p, pa := range patches {
		c := r.RGBAAt(16*p+8, 8)
		rgb := [3]uint8{c.R, c.G, c.B}
		good := true
		for _, ch := range pa.low {
			good = good && rgb[ch] < 100
		}
		for _, ch := range pa.high {
			good = good && rgb[ch] > 130
		}
		mark := "ok"
		if !good {
			ok, mark = false, "WRONG"
		}
		fmt.Fprintf(&b, "  %-11s C%3d M%3d Y%3d K%3d → RGB %3d %3d %3d  %s\n",
			pa.name, pa.ink[0], pa.ink[1], pa.ink[2], pa.ink[3], c.R, c.G, c.B, mark)
	}
	return ok, b.String()
}

// TestPDFColours embeds an encoded patch chart in a minimal PDF, the way
// the package comment prescribes (/DeviceCMYK, /DCTDecode, no /Decode),
// and checks that poppler (and Ghostscript and MuPDF when installed)
// render the inks as the right colours, for both encodings: the same
// dictionary must do for Encode's plain CMYK and for EncodeYCCK's YCCK.
// As a control, the same stream with /Decode [1 0 1 0 1 0 1 0] (what
// Adobe-inverted JPEGs need) must come out wrong: the readers apply no
// inversion of their own.
func TestPDFColours(t *testing.T) {
	m := patchImage()
	w, h := m.Bounds().Dx(), m.Bounds().Dy()
	for _, e := range encodings {
		jpg := encodeWith(t, e.enc, m, 90)
		for _, r := range rasterizers {
			t.Run(e.name+"/"+r.name, func(t *testing.T) {
				if _, err := exec.LookPath(r.tool); err != nil {
					if r.tool == "pdftoppm" {
						t.Skip("pdftoppm not installed (apt-get install poppler-utils)")
					}
					t.Skipf("%s not installed", r.tool)
				}
				img := r.render(t, minimalPDF(jpg, w, h, " /Filter /DCTDecode"))
				if img.Bounds().Size() != image.Pt(w, h) {
					t.Fatalf("rendered %v, want %d×%d", img.Bounds().Size(), w, h)
				}
				ok, report := checkPatches(img)
				t.Logf("no /Decode:\n%s", report)
				if !ok {
					t.Error("inks rendered as the wrong colours")
				}
				inv := r.render(t, minimalPDF(jpg, w, h, " /Filter /DCTDecode /Decode [1 0 1 0 1 0 1 0]"))
				ok, report = checkPatches(inv)
				t.Logf("/Decode [1 0 1 0 1 0 1 0] (control, must be wrong):\n%s", report)
				if ok {
					t.Error("the control with an inverting /Decode also rendered right: the check does not discriminate")
				}
			})
		}
	}
}

// renderPSNR returns the PSNR of the RGB renderings a and b.
func renderPSNR(t *testing.T, a, b *image.RGBA) float64 {
	t.Helper()
	if a.Bounds() != b.Bounds() {
		t.Fatalf("renderings are %v and %v", a.Bounds(), b.Bounds())
	}
	var sum float64
	n := 0
	for i, v := range a.Pix {
		if i%4 == 3 {
			continue
		}
		d := float64(v) - float64(b.Pix[i])
		sum += d * d
		n++
	}
	return 10 * math.Log10(255*255*float64(n)/sum)
}

// TestPDFMatchesRaw renders pictures embedded once as raw CMYK samples
// and once as this package's JPEG, and checks that the two renderings
// agree: every component in its place, in the right polarity, the right
// way up, as decoded by the reader's own JPEG decoder (for EncodeYCCK,
// its YCCK to CMYK conversion and chroma upsampling). The photo-like
// picture has a disc with a hard colour edge, which costs 2×2 chroma a
// few dB; the smooth one shows that little else is lost.
func TestPDFMatchesRaw(t *testing.T) {
	photo := photoCMYK(image.Rect(0, 0, 200, 136), 9)
	smooth := smoothCMYK(image.Rect(0, 0, 200, 136))
	for _, tc := range []struct {
		name    string
		enc     encoderFunc
		m       *image.CMYK
		minPSNR float64
	}{
		{"Encode/photo", Encode, photo, 35},
		{"Encode/smooth", Encode, smooth, 50},
		{"EncodeYCCK/photo", EncodeYCCK, photo, 30},
		{"EncodeYCCK/smooth", EncodeYCCK, smooth, 48},
	} {
		w, h := tc.m.Bounds().Dx(), tc.m.Bounds().Dy()
		jpg := encodeWith(t, tc.enc, tc.m, 90)
		for _, r := range rasterizers {
			t.Run(tc.name+"/"+r.name, func(t *testing.T) {
				if _, err := exec.LookPath(r.tool); err != nil {
					t.Skipf("%s not installed", r.tool)
				}
				raw := r.render(t, minimalPDF(tc.m.Pix, w, h, ""))
				dct := r.render(t, minimalPDF(jpg, w, h, " /Filter /DCTDecode"))
				psnr := renderPSNR(t, raw, dct)
				t.Logf("raw vs DCTDecode rendering at quality 90: PSNR %.2f dB", psnr)
				if psnr < tc.minPSNR {
					t.Errorf("renderings differ: PSNR %.2f dB, want ≥ %.0f", psnr, tc.minPSNR)
				}
			})
		}
	}
}
