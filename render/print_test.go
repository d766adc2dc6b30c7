package render

import (
	"paiban/internal/sampledoc"

	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/jpeg"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"paiban/assets"
	pcolor "paiban/color"
	"paiban/display"
)

// ref returns the object that key refers to in o's dictionary.
func ref(t *testing.T, p *pdfFile, o *pdfObj, key string) *pdfObj {
	t.Helper()
	m := regexp.MustCompile(regexp.QuoteMeta(key) + ` \[?(\d+) 0 R`).FindSubmatch(dictPart(o.data))
	if m == nil {
		t.Fatalf("no %s in %s", key, dictPart(o.data))
	}
	n, _ := strconv.Atoi(string(m[1]))
	if p.byNum[n] == nil {
		t.Fatalf("%s: object %d missing", key, n)
	}
	return p.byNum[n]
}

// pageObjects returns the page objects in order.
func pageObjects(t *testing.T, p *pdfFile) []*pdfObj {
	t.Helper()
	kids := kidsRe.FindSubmatch(p.byNum[1].data)
	if kids == nil {
		t.Fatal("no /Kids")
	}
	var out []*pdfObj
	for _, m := range refRe.FindAllSubmatch(kids[1], -1) {
		n, _ := strconv.Atoi(string(m[1]))
		out = append(out, p.byNum[n])
	}
	return out
}

// contents returns each page's content stream, inflated.
func contents(t *testing.T, p *pdfFile) []string {
	t.Helper()
	var out []string
	for _, pg := range pageObjects(t, p) {
		out = append(out, string(streamData(t, ref(t, p, pg, "/Contents"))))
	}
	return out
}

func parse(t *testing.T, raw []byte) *pdfFile {
	t.Helper()
	p, err := parsePDF(raw)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

var rgbOpRe = regexp.MustCompile(`(^|\s)(rg|RG)(\s|$)`)

// checkNoRGB fails if the PDF has DeviceRGB in any dictionary or content
// stream, or sets an RGB colour.
func checkNoRGB(t *testing.T, raw []byte) {
	t.Helper()
	p := parse(t, raw)
	for _, o := range p.objs {
		if bytes.Contains(dictPart(o.data), []byte("DeviceRGB")) {
			t.Errorf("object %d: %s", o.num, dictPart(o.data))
		}
	}
	for i, c := range contents(t, p) {
		if rgbOpRe.MatchString(c) || strings.Contains(c, "DeviceRGB") {
			t.Errorf("page %d sets an RGB colour:\n%s", i+1, c)
		}
	}
}

// TestPDFX reads the PDF/X-4 identification back from a print file.
func TestPDFX(t *testing.T) {
	path, doc := writeSample(t, DefaultOptions())
	info := tool(t, "pdfinfo", path) + tool(t, "pdfinfo", "-custom", path)
	for _, want := range []string{"PDF version:     1.6", "GTS_PDFXVersion: PDF/X-4", "Title:           臻境 2023年第5期", "Pages:           2", "PDF subtype:    PDF/X-4"} {
		if !strings.Contains(info, want) {
			t.Errorf("pdfinfo lacks %q:\n%s", want, info)
		}
	}
	tool(t, "qpdf", "--check", path)
	raw, _ := os.ReadFile(path)
	if !bytes.HasPrefix(raw, []byte("%PDF-1.6\n")) {
		t.Errorf("header %q", raw[:9])
	}
	p := parse(t, raw)
	if !regexp.MustCompile(`(?s)trailer\n<<.*/ID \[<[0-9A-F]{32}> <[0-9A-F]{32}>\]`).Match(raw) {
		t.Errorf("no trailer /ID")
	}

	// Info.
	inf := string(p.byNum[p.info].data)
	for _, want := range []string{"/GTS_PDFXVersion (PDF/X-4)\n", "/Trapped /False\n", "/CreationDate (D:20230501003000Z)\n", "/ModDate (D:20230501003000Z)\n", "/Title <FEFF"} {
		if !strings.Contains(inf, want) {
			t.Errorf("Info lacks %q:\n%s", want, inf)
		}
	}

	// One OutputIntent, with FOGRA39 embedded.
	cat := p.byNum[p.root]
	if n := len(regexp.MustCompile(`/OutputIntents \[\d+ 0 R\]`).FindAll(cat.data, -1)); n != 1 {
		t.Fatalf("Catalog has %d single OutputIntents arrays:\n%s", n, cat.data)
	}
	if bytes.Contains(cat.data, []byte("/EmbeddedFiles")) {
		t.Errorf("Catalog still has EmbeddedFiles:\n%s", cat.data)
	}
	oi := ref(t, p, cat, "/OutputIntents")
	d := string(oi.data)
	for _, want := range []string{"/Type /OutputIntent\n", "/S /GTS_PDFX\n", "/OutputConditionIdentifier (FOGRA39)\n", "/RegistryName (http://www.color.org)\n", "/Info (Coated FOGRA39 "} {
		if !strings.Contains(d, want) {
			t.Errorf("OutputIntent lacks %q:\n%s", want, d)
		}
	}
	icc := ref(t, p, oi, "/DestOutputProfile")
	if !bytes.Contains(dictPart(icc.data), []byte("/N 4\n")) {
		t.Errorf("profile stream: %s", dictPart(icc.data))
	}
	if got := streamData(t, icc); !bytes.Equal(got, assets.FOGRA39) {
		t.Errorf("embedded profile: %d bytes, not assets.FOGRA39 (%d bytes)", len(got), len(assets.FOGRA39))
	}

	// XMP: uncompressed, in the Catalog, agreeing with Info.
	md := ref(t, p, cat, "/Metadata")
	if d := dictPart(md.data); !bytes.Contains(d, []byte("/Type /Metadata\n/Subtype /XML\n")) || bytes.Contains(d, []byte("/Filter")) {
		t.Errorf("metadata stream: %s", d)
	}
	xmp := string(streamData(t, md))
	for _, want := range []string{
		"<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>",
		"<pdf:Trapped>False</pdf:Trapped>",
		"<pdf:Producer>paiban</pdf:Producer>",
		`<rdf:li xml:lang="x-default">臻境 2023年第5期</rdf:li>`,
		"<xmp:CreateDate>2023-05-01T00:30:00Z</xmp:CreateDate>",
		"<xmp:ModifyDate>2023-05-01T00:30:00Z</xmp:ModifyDate>",
		"<xmp:MetadataDate>2023-05-01T00:30:00Z</xmp:MetadataDate>",
		"<xmpMM:RenditionClass>default</xmpMM:RenditionClass>",
	} {
		if !strings.Contains(xmp, want) {
			t.Errorf("XMP lacks %s", want)
		}
	}
	ids := regexp.MustCompile(`<xmpMM:(DocumentID|InstanceID)>uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}</xmpMM:`).FindAllString(xmp, -1)
	if len(ids) != 2 {
		t.Errorf("XMP IDs: %q", ids)
	}
	if meta := tool(t, "pdfinfo", "-meta", path); !strings.Contains(meta, "pdfxid:GTS_PDFXVersion") {
		t.Errorf("pdfinfo -meta:\n%s", meta)
	}

	// Colour: no RGB anywhere, every image CMYK.
	checkNoRGB(t, raw)
	list := tool(t, "pdfimages", "-list", path)
	n := 0
	for _, l := range strings.Split(list, "\n")[2:] {
		if f := strings.Fields(l); len(f) > 5 {
			n++
			if f[5] != "cmyk" || f[2] != "image" {
				t.Errorf("not a CMYK image: %s", l)
			}
		}
	}
	if n != 3 {
		t.Errorf("%d images:\n%s", n, list)
	}

	// A document without a title still gets one.
	doc.Title = ""
	p = parse(t, render(t, doc, DefaultOptions()))
	if !bytes.Contains(p.byNum[p.info].data, []byte("/Title (Untitled)\n")) {
		t.Errorf("Info without a Title:\n%s", p.byNum[p.info].data)
	}
}

// TestPrintImages checks what each kind of picture becomes in print:
// RGB JPEGs and PNGs (alpha flattened onto white) converted through
// FOGRA39 with the ink limit, greyscale JPEGs kept grey, CMYK JPEGs byte
// for byte, greyscale PNGs with alpha flattened and kept grey.
func TestPrintImages(t *testing.T) {
	dir := t.TempDir()
	rgb := filepath.Join(dir, "rgb.jpg")
	writeJPEG(t, rgb, 40, 30, 2)
	gray := filepath.Join(dir, "gray.jpg")
	g := image.NewGray(image.Rect(0, 0, 20, 10))
	for i := range g.Pix {
		g.Pix[i] = uint8(i * 3)
	}
	var b bytes.Buffer
	jpeg.Encode(&b, g, nil)
	os.WriteFile(gray, b.Bytes(), 0o644)
	cmyk := filepath.Join("..", "images", "testdata", "video-001.cmyk.jpeg")
	if _, err := os.Stat(cmyk); err != nil {
		t.Skip("no CMYK JPEG to test with")
	}
	ga := filepath.Join(dir, "ga.png")
	writeGrayAlphaPNG(t, ga)
	rgba := filepath.Join(dir, "rgba.png")
	writePNG(t, rgba, 30, 20)
	big := filepath.Join(dir, "big.jpg")
	writeJPEG(t, big, 600, 300, 5)

	doc := &display.Document{Pages: []*display.Page{{Width: 400, Height: 400, Bleed: bleed3mm, Items: []display.Item{
		&display.Image{X: 0, Y: 0, W: 40, H: 30, Path: rgb},
		&display.Image{X: 50, Y: 0, W: 80, H: 60, Path: rgb}, // the same pixels: one conversion
		&display.Image{X: 100, Y: 0, W: 20, H: 10, Path: gray},
		&display.Image{X: 150, Y: 0, W: 75, H: 51.5, Path: cmyk},
		&display.Image{X: 0, Y: 100, W: 40, H: 40, Path: ga},
		&display.Image{X: 100, Y: 100, W: 30, H: 20, Path: rgba},
		// The same big picture cropped two ways to the same pixel size
		// (150 × 150 at 300 ppi): two conversions.
		&display.Image{X: 0, Y: 200, W: 36, H: 36, Path: big, FocusX: -0.5},
		&display.Image{X: 100, Y: 200, W: 36, H: 36, Path: big, FocusX: 0.5},
	}}}}
	raw := render(t, doc, DefaultOptions())
	path := filepath.Join(dir, "out.pdf")
	os.WriteFile(path, raw, 0o644)
	tool(t, "qpdf", "--check", path)
	checkNoRGB(t, raw)
	list := tool(t, "pdfimages", "-list", path)
	re := regexp.MustCompile(`(?m)^ +1 +\d+ (image|smask) +(\d+) +(\d+) +(\w+) +\d +\d +(\w+)`)
	var got []string
	for _, m := range re.FindAllStringSubmatch(list, -1) {
		got = append(got, strings.Join(m[1:], " "))
	}
	want := []string{
		"image 40 30 cmyk jpeg", // RGB pictures converted, as CMYK JPEGs
		"image 40 30 cmyk jpeg",
		"image 20 10 gray jpeg", // grey stays grey
		"image 150 103 cmyk jpeg",
		"image 16 16 gray image", // grey with alpha flattened: Flate
		"image 30 20 cmyk jpeg",
		"image 150 150 cmyk jpeg",
		"image 150 150 cmyk jpeg",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("pdfimages -list:\n%s\nwant\n%s", list, strings.Join(want, "\n"))
	}
	p := parse(t, raw)
	xobjs := regexp.MustCompile(`/(X[0-9a-f]{32}) (\d+) 0 R`).FindAllSubmatch(p.byNum[2].data, -1)
	if len(xobjs) != 5 { // rgb once, ga, rgba, big twice
		t.Errorf("%d own XObjects, want 5: %s", len(xobjs), p.byNum[2].data)
	}

	// The RGB JPEG's samples are exactly the profile's conversion.
	prof, err := pcolor.FOGRA39()
	if err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(rgb)
	src, err := jpeg.Decode(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	conv := prof.WithInkLimit(3).ConvertImage(src, pcolor.Perceptual)
	found := false
	for _, m := range xobjs {
		n, _ := strconv.Atoi(string(m[2]))
		o := p.byNum[n]
		d := dictPart(o.data)
		if !bytes.Contains(d, []byte("/Width 40\n/Height 30\n")) {
			continue
		}
		found = true
		if !bytes.Contains(d, []byte("/ColorSpace /DeviceCMYK\n/BitsPerComponent 8\n/Filter /DCTDecode\n")) || bytes.Contains(d, []byte("/Decode")) {
			t.Errorf("dictionary %s", d)
		}
		// The samples are ConvertImage's, through a quality-92 JPEG.
		got, diff, worst := streamData(t, o), 0.0, 0
		for i, v := range conv.Pix {
			e := int(got[i]) - int(v)
			diff += math.Abs(float64(e))
			worst = max(worst, e, -e)
		}
		if mean := diff / float64(len(conv.Pix)); mean > 2 || worst > 40 {
			t.Errorf("CMYK samples differ from ConvertImage's: mean %.2f, worst %d", mean, worst)
		}
	}
	if !found {
		t.Errorf("converted JPEG not found")
	}

	// Total ink stays within 300%, even for black.
	black := filepath.Join(dir, "black.png")
	writeSolidPNG(t, black, 0, 0, 0)
	bp := parse(t, render(t, &display.Document{Pages: []*display.Page{{Width: 100, Height: 100, Items: []display.Item{
		&display.Image{W: 10, H: 10, Path: black},
	}}}}, DefaultOptions()))
	for _, o := range bp.objs {
		if bytes.Contains(dictPart(o.data), []byte("/DeviceCMYK")) {
			px := streamData(t, o)
			if ink := int(px[0]) + int(px[1]) + int(px[2]) + int(px[3]); ink > 3*255+2 {
				t.Errorf("black converts to %v: %d%% ink", px[:4], ink*100/255)
			}
		}
	}
}

// writeGrayAlphaPNG writes a 16×16 grey-and-alpha PNG: black, its alpha
// rising left to right.
func writeGrayAlphaPNG(t *testing.T, path string) {
	t.Helper()
	// image/png writes NRGBA with grey values as RGBA; write the chunks of
	// colour type 4 by hand instead.
	var raw []byte
	for y := 0; y < 16; y++ {
		raw = append(raw, 0) // filter: none
		for x := 0; x < 16; x++ {
			raw = append(raw, 0, uint8(x*17))
		}
	}
	writePNGChunks(t, path, 16, 16, 4, raw)
}

// writeSolidPNG writes a 4×4 opaque RGB PNG of one colour.
func writeSolidPNG(t *testing.T, path string, r, g, b uint8) {
	t.Helper()
	var raw []byte
	for y := 0; y < 4; y++ {
		raw = append(raw, 0)
		for x := 0; x < 4; x++ {
			raw = append(raw, r, g, b)
		}
	}
	writePNGChunks(t, path, 4, 4, 2, raw)
}

// writePNGChunks writes an 8-bit, non-interlaced PNG of colour type ct
// from its filtered scanlines.
func writePNGChunks(t *testing.T, path string, w, h int, ct byte, scanlines []byte) {
	t.Helper()
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&out, binary.BigEndian, uint32(len(data)))
		c := append([]byte(typ), data...)
		out.Write(c)
		binary.Write(&out, binary.BigEndian, crc32.ChecksumIEEE(c))
	}
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	chunk("IHDR", append(ihdr, 8, ct, 0, 0, 0))
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(scanlines)
	zw.Close()
	chunk("IDAT", z.Bytes())
	chunk("IEND", nil)
	if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestMarks checks crop and bleed marks: the MediaBox grows, the trim and
// bleed boxes keep their place relative to the page's content, marks are
// 0.25 pt lines in the registration colour starting at the bleed edge.
func TestMarks(t *testing.T) {
	dir := t.TempDir()
	doc := sampleDoc(t, dir)
	plain := render(t, doc, Options{})
	raw := render(t, doc, Options{Marks: true})
	path := filepath.Join(dir, "marks.pdf")
	os.WriteFile(path, raw, 0o644)
	tool(t, "qpdf", "--check", path)
	checkNoRGB(t, raw)
	out := tool(t, "pdfinfo", "-box", "-f", "1", "-l", "2", path)
	const m = 10 * mm // bleed 3 mm + marks 6 mm + 1 mm
	for i, pg := range doc.Pages {
		b := pg.Bleed
		want := map[string][4]float64{
			"MediaBox": {0, 0, pg.Width + 2*m, pg.Height + 2*m},
			"BleedBox": {m - b, m - b, m + pg.Width + b, m + pg.Height + b},
			"TrimBox":  {m, m, m + pg.Width, m + pg.Height},
		}
		for box, v := range want {
			re := regexp.MustCompile(fmt.Sprintf(`Page +%d %s: +([-\d.]+) +([-\d.]+) +([-\d.]+) +([-\d.]+)`, i+1, box))
			mm := re.FindStringSubmatch(out)
			if mm == nil {
				t.Fatalf("no %s:\n%s", box, out)
			}
			for k := 0; k < 4; k++ {
				if got, _ := strconv.ParseFloat(mm[k+1], 64); math.Abs(got-v[k]) > 0.006 {
					t.Errorf("page %d %s[%d] = %v, want %.3f", i+1, box, k, got, v[k])
				}
			}
		}
	}

	// The registration colour.
	p := parse(t, raw)
	cs := ref(t, p, p.byNum[2], "/ColorSpace <<\n/CS1")
	if !regexp.MustCompile(`^\d+ 0 obj\n\[/Separation /All\n/DeviceCMYK <<\n/Range \[0 1 0 1 0 1 0 1\] /C0 \[0 0 0 0\] \n/C1 \[1.000 1.000 1.000 1.000\] \n/FunctionType 2 /Domain \[0 1\] /N 1>>\]`).Match(cs.data) {
		t.Errorf("registration colour space:\n%s", cs.data)
	}

	// The marks: 16 lines of 0.25 pt, 6 mm long, in the registration
	// colour, each starting 3 mm (the bleed) outside the trim.
	c := contents(t, p)[0]
	mk := regexp.MustCompile(`(?s)/Artifact BMC\nq\n/CS1 CS 1 SCN\n0.25 w 0 J \[\] 0 d\n(.*?)Q\nEMC`).FindStringSubmatch(c)
	if mk == nil {
		t.Fatalf("no marks in\n%s", c[max(0, len(c)-2000):])
	}
	lineRe := regexp.MustCompile(`([-\d.]+) ([-\d.]+) m ([-\d.]+) ([-\d.]+) l S`)
	lines := lineRe.FindAllStringSubmatch(mk[1], -1)
	if len(lines) != 16 {
		t.Errorf("%d mark lines:\n%s", len(lines), mk[1])
	}
	pg := doc.Pages[0]
	x0, y0, x1, y1 := m, m, m+pg.Width, m+pg.Height
	for _, l := range lines {
		var v [4]float64
		for k := range v {
			v[k], _ = strconv.ParseFloat(l[k+1], 64)
		}
		if d := math.Hypot(v[2]-v[0], v[3]-v[1]); math.Abs(d-6*mm) > 0.01 {
			t.Errorf("mark %s is %.3f pt long", l[0], d)
		}
		// The inner end lies 3 mm outside the trim on the mark's own axis.
		dist := math.Max(math.Max(x0-v[0], v[0]-x1), math.Max(y0-v[1], v[1]-y1))
		if math.Abs(dist-bleed3mm) > 0.002 {
			t.Errorf("mark %s starts %.3f pt outside the trim", l[0], dist)
		}
		// Outside the bleed box and inside the media box throughout.
		for _, k := range []int{0, 2} {
			x, y := v[k], v[k+1]
			in := x > m-bleed3mm+0.001 && x < m+pg.Width+bleed3mm-0.001 && y > m-bleed3mm+0.001 && y < m+pg.Height+bleed3mm-0.001
			if in || x < 0 || y < 0 || x > pg.Width+2*m || y > pg.Height+2*m {
				t.Errorf("mark %s crosses the bleed box or leaves the page", l[0])
			}
		}
	}

	// Everything else moved by the same amount: the text's positions
	// relative to the TrimBox are those of the file without marks.
	words := func(raw []byte) [][2]float64 {
		f := filepath.Join(t.TempDir(), "x.pdf")
		os.WriteFile(f, raw, 0o644)
		out := tool(t, "pdftotext", "-bbox", "-f", "1", "-l", "1", f, "-")
		re := regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)"`)
		var s [][2]float64
		for _, w := range re.FindAllStringSubmatch(out, -1) {
			x, _ := strconv.ParseFloat(w[1], 64)
			y, _ := strconv.ParseFloat(w[2], 64)
			s = append(s, [2]float64{x, y})
		}
		return s
	}
	a, bw := words(plain), words(raw)
	if len(a) == 0 || len(a) != len(bw) {
		t.Fatalf("%d words without marks, %d with", len(a), len(bw))
	}
	for i := range a {
		if d := m - bleed3mm; math.Abs(bw[i][0]-a[i][0]-d) > 0.01 || math.Abs(bw[i][1]-a[i][1]-d) > 0.01 {
			t.Errorf("word %d at %v without marks, %v with", i, a[i], bw[i])
		}
	}
	// Bookmarks move too (a print file has no links).
	h1 := pg.Height + 2*m
	if bytes.Contains(raw, []byte("/Subtype /Link")) {
		t.Errorf("a print file has link annotations")
	}
	if out := tool(t, "qpdf", "--json", "--json-key=outlines", path); !strings.Contains(space.ReplaceAllString(out, ""), fmt.Sprintf(`"dest":["30R","/XYZ",0,%.2f,null]`, h1-m-90)) {
		t.Errorf("bookmark not moved:\n%s", out)
	}

	// A preview has no marks.
	if pr := render(t, doc, Options{Profile: Preview, Marks: true}); bytes.Contains(pr, []byte("/Separation")) {
		t.Errorf("marks in a preview")
	}
}

// TestPreview checks the preview profile: RGB, pictures at 120 ppi, no
// PDF/X identification, a watermark that is an artifact and not text.
func TestPreview(t *testing.T) {
	dir := t.TempDir()
	doc := sampleDoc(t, dir)
	big := filepath.Join(dir, "big.jpg")
	writeJPEG(t, big, 1000, 750, 4) // 360 ppi in a 200 × 150 pt frame
	doc.Pages[1].Items = append(doc.Pages[1].Items, &display.Image{X: 100, Y: 400, W: 200, H: 150, Path: big})
	opt := Options{Profile: Preview, Compress: true, Watermark: "校样 PREVIEW"}
	raw := render(t, doc, opt)
	path := filepath.Join(dir, "preview.pdf")
	os.WriteFile(path, raw, 0o644)
	tool(t, "qpdf", "--check", path)
	info := tool(t, "pdfinfo", path) + tool(t, "pdfinfo", "-custom", path)
	if !regexp.MustCompile(`PDF version: +1\.[34]\n`).MatchString(info) || strings.Contains(info, "GTS_PDFX") || strings.Contains(info, "Trapped") {
		t.Errorf("pdfinfo:\n%s", info)
	}
	for _, no := range []string{"/OutputIntent", "/Metadata", "GTS_PDFX", "/Separation", "DeviceCMYK"} {
		if bytes.Contains(raw, []byte(no)) {
			t.Errorf("preview has %s", no)
		}
	}
	p := parse(t, raw)
	cs := contents(t, p)
	// Colours: DeviceRGB, converted through the profile.
	prof, _ := pcolor.FOGRA39()
	r, g, b := prof.CMYKToRGB(0, 0, 0, 1)
	black := string(appendNums(nil, float64(r)/255, float64(g)/255, float64(b)/255)) + " rg\n"
	for i, c := range cs {
		if !strings.Contains(c, black) || regexp.MustCompile(`(?m) [kK]$`).MatchString(c) {
			t.Errorf("page %d: CMYK colour or no %q", i+1, black)
		}
		// The watermark comes last, as an artifact of outlines.
		wm := regexp.MustCompile(`(?s)/Artifact BMC\nq\n/GS1 gs\n0.75 0.75 0.75 rg\n[-\d. ]+ cm\n[-\d. ]+ m\n.*\nh\nf\nQ\nEMC\n?$`)
		if !wm.MatchString(c) {
			t.Errorf("page %d: no watermark at the end:\n%s", i+1, c[max(0, len(c)-300):])
		}
	}
	if !regexp.MustCompile(`/Type /ExtGState /ca 0.500 /CA 0.500 /BM /Multiply`).Match(raw) {
		t.Errorf("no multiply transparency for the watermark")
	}
	text := tool(t, "pdftotext", "-enc", "UTF-8", path, "-")
	if strings.Contains(text, "PREVIEW") || strings.Contains(text, "校样") || !strings.Contains(text, "第二页𬭚（正文）") {
		t.Errorf("pdftotext:\n%s", text)
	}
	// Pictures: RGB, the big one downsampled to 120 ppi.
	list := tool(t, "pdfimages", "-list", path)
	re := regexp.MustCompile(`(?m)^ +2 +\d+ image +(\d+) +(\d+) +rgb .* (\d+) +(\d+) +\S+ +\S+ *$`)
	ms := re.FindAllStringSubmatch(list, -1)
	found := false
	for _, m := range ms {
		if m[1] == "333" && m[2] == "250" && m[3] == "120" && m[4] == "120" {
			found = true
		}
	}
	if !found || strings.Contains(list, "cmyk") {
		t.Errorf("want the big picture at 333×250, 120 ppi:\n%s", list)
	}
	// Render it to see it is a sane page.
	tool(t, "pdftoppm", "-r", "20", "-png", "-f", "1", "-l", "1", path, filepath.Join(dir, "pv"))

	// Unknown profiles and uncovered watermark characters are errors.
	if err := WritePDF(&bytes.Buffer{}, doc, sampledoc.Faces(t), Options{Profile: 7}); err == nil {
		t.Errorf("no error for an unknown profile")
	}
	err := WritePDF(&bytes.Buffer{}, doc, sampledoc.Faces(t), Options{Profile: Preview, Watermark: "ก"})
	if err == nil || !strings.Contains(err.Error(), "U+0E01") {
		t.Errorf("watermark with a character the font lacks: %v", err)
	}
}

// TestPrintReproducible builds the print file under different GOMAXPROCS,
// time zones, temporary folders and cache folders, with a cold and a warm
// cache, and expects the same bytes every time.
func TestPrintReproducible(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	defer func(l *time.Location) { time.Local = l }(time.Local)
	var first []byte
	zones := []*time.Location{time.UTC, time.FixedZone("CST", 8*3600), time.FixedZone("PST", -8*3600)}
	for i := 0; i < 3; i++ {
		runtime.GOMAXPROCS(1 + i)
		time.Local = zones[i]
		doc := sampleDoc(t, t.TempDir())
		cache, err := pcolor.NewCache(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		for _, opt := range []Options{
			{Compress: true},
			{Compress: true, Cache: cache}, // cold
			{Compress: true, Cache: cache}, // warm
		} {
			b := render(t, doc, opt)
			if first == nil {
				first = b
				continue
			}
			if !bytes.Equal(b, first) {
				t.Fatalf("run %d (GOMAXPROCS %d, zone %s, cache %v): %s", i, runtime.GOMAXPROCS(0), time.Local, opt.Cache != nil, firstDiff(first, b))
			}
		}
		entries, _ := filepath.Glob(filepath.Join(cache.Dir(), "cmyk", "*"))
		if len(entries) != 3 {
			t.Errorf("%d cache entries, want the 3 pictures", len(entries))
		}
		// Fitted pictures cached without their pixels (Options.Pixels)
		// and their conversions gone: fitted again, converted again.
		if err := os.RemoveAll(filepath.Join(cache.Dir(), "cmyk")); err != nil {
			t.Fatal(err)
		}
		if b := render(t, doc, Options{Compress: true, Cache: cache}); !bytes.Equal(b, first) {
			t.Fatalf("run %d without the conversions: %s", i, firstDiff(first, b))
		}
	}
	// Previews too.
	doc := sampleDoc(t, t.TempDir())
	opt := Options{Profile: Preview, Compress: true, Watermark: "校样 PREVIEW"}
	want := render(t, doc, opt)
	runtime.GOMAXPROCS(1)
	if b := render(t, sampleDoc(t, t.TempDir()), opt); !bytes.Equal(b, want) {
		t.Errorf("preview: %s", firstDiff(want, b))
	}
}

// TestPrintPixelsOnly: a print build fits a sharp colour photo to its
// frame without encoding it in RGB (images.Options.Pixels); the cache
// then keeps the fitting without pixels, and when the photo's conversion
// is gone from the cache the photo is fitted again and converts to the
// same bytes as with no cache at all.
func TestPrintPixelsOnly(t *testing.T) {
	dir := t.TempDir()
	jpg := filepath.Join(dir, "sharp.jpg")
	writeJPEG(t, jpg, 600, 400, 3) // 600 ppi in a 1-inch frame: downsampled
	doc := &display.Document{Title: "t", Pages: []*display.Page{{Width: 200, Height: 200, Bleed: bleed3mm, Items: []display.Item{
		&display.Image{X: 20, Y: 20, W: 72, H: 48, Path: jpg},
	}}}}
	cache, err := pcolor.NewCache(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	opt := Options{Profile: Print, Compress: true, Cache: cache}
	pics, wait, err := preparePictures(doc, opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := wait(); err != nil {
		t.Fatal(err)
	}
	for _, p := range pics {
		if p.prep.PassThrough || p.prep.Data != nil || p.prep.Image == nil || p.xobj == nil || len(p.xobj.data) == 0 {
			t.Fatalf("fitted for print: pass-through %v, %d bytes of data, image %v, converted %v", p.prep.PassThrough, len(p.prep.Data), p.prep.Image != nil, p.xobj != nil)
		}
	}
	want := render(t, doc, Options{Profile: Print, Compress: true})
	if err := os.RemoveAll(filepath.Join(cache.Dir(), "cmyk")); err != nil {
		t.Fatal(err)
	}
	pics, wait, err = preparePictures(doc, opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := wait(); err != nil {
		t.Fatalf("converting a fitting cached without pixels: %v", err)
	}
	for _, p := range pics {
		if p.prep.Data != nil || p.prep.Image != nil {
			t.Errorf("the fitting did not come from the cache without pixels")
		}
	}
	if err := os.RemoveAll(filepath.Join(cache.Dir(), "cmyk")); err != nil {
		t.Fatal(err)
	}
	if got := render(t, doc, opt); !bytes.Equal(got, want) {
		t.Errorf("fitted again from the cache: %s", firstDiff(want, got))
	}
}
