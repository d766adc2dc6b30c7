package render

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"paiban/display"
	"paiban/fonts"
	"paiban/internal/sampledoc"
)

// bleed3mm is 3 mm in pt.
const bleed3mm = 3 / 25.4 * 72

// writeJPEG writes a w×h JPEG with a gradient seeded by seed.
func writeJPEG(t testing.TB, path string, w, h, seed int) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x*255/w + seed), uint8(y*255/h + 3*seed), uint8(seed * 40), 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// writePNG writes a w×h PNG with an alpha gradient.
func writePNG(t testing.TB, path string, w, h int) {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.NRGBA{200, uint8(y * 255 / h), 50, uint8(x * 255 / w)})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// sampleDoc is a small issue: an A4 page with Chinese text in two faces,
// a rule, a rectangle, a JPEG, a link and bookmarks; a second page of
// another size with a PNG with alpha and a second JPEG of the same width
// (fpdf would order those two at random).
func sampleDoc(t testing.TB, dir string) *display.Document {
	t.Helper()
	faces := sampledoc.Faces(t)
	jpg := filepath.Join(dir, "photo.jpg")
	jpg2 := filepath.Join(dir, "photo2.jpg")
	pngPath := filepath.Join(dir, "logo.png")
	writeJPEG(t, jpg, 64, 48, 1)
	writeJPEG(t, jpg2, 64, 32, 7)
	writePNG(t, pngPath, 64, 40)
	p1 := &display.Page{Width: 595.276, Height: 841.89, Bleed: bleed3mm, Folio: "1", Items: []display.Item{
		sampledoc.MustRun(t, faces, fonts.SansBold, 24, 56.7, 90, 0, "排版测试，中文。"),
		sampledoc.MustRun(t, faces, fonts.SerifRegular, 10.5, 56.7, 130, 0, "排版测试，中文。Latin words 2023"),
		sampledoc.MustRun(t, faces, fonts.SerifRegular, 10.5, 56.7, 150, 3.25, "排版测试中文"),
		&display.Line{X1: 56.7, Y1: 160, X2: 538.6, Y2: 160, Width: 0.5, Color: display.Color{C: 0.2, M: 1}},
		&display.Rect{X: 56.7, Y: 180, W: 200, H: 100, Fill: &display.Color{Y: 0.1}, Stroke: &display.Color{K: 0.5}, StrokeWidth: 0.25},
		&display.Image{X: 300, Y: 180, W: 200, H: 150, Path: jpg},
		&display.Link{X: 56.7, Y: 400, W: 100, H: 20, Page: 1, DestY: 100},
		sampledoc.MustRun(t, faces, fonts.SerifRegular, 9, 300, 820, 0, "1"),
	}}
	p1.Items[len(p1.Items)-1].(*display.Text).Artifact = true
	p2 := &display.Page{Width: 420, Height: 595, Bleed: bleed3mm, Folio: "2", Items: []display.Item{
		&display.Image{X: -bleed3mm, Y: -bleed3mm, W: 210 + bleed3mm, H: 130, Path: pngPath},
		&display.Image{X: 210, Y: 0, W: 210, H: 105, Path: jpg2},
		// 𬭚 (U+2CB5A, Extension E) is drawn as an outline.
		sampledoc.MustRun(t, faces, fonts.SerifRegular, 12, 50, 200, 0, "第二页𬭚（正文）"),
		&display.Rect{X: 50, Y: 300, W: 100, H: 50, Fill: &display.Color{C: 1, M: 0.5}},
	}}
	return &display.Document{
		Title:    "臻境 2023年第5期",
		Author:   "广州分行",
		Subject:  "测试 (render)",
		Keywords: "排版, PDF, 𠀀",
		Date:     time.Date(2023, 5, 1, 8, 30, 0, 0, time.FixedZone("CST", 8*3600)),
		Pages:    []*display.Page{p1, p2},
		Outline: []display.Bookmark{
			{Title: "服务动态", Level: 0, Page: 0, Y: 90},
			{Title: "分行建立服务体验官工作制度", Level: 1, Page: 0, Y: 130},
			{Title: "第二页", Level: 0, Page: 1, Y: 200},
			{Title: "扩展B：𠀀", Level: 1, Page: 1, Y: 300},
		},
	}
}

func render(t testing.TB, doc *display.Document, opt Options) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WritePDF(&b, doc, sampledoc.Faces(t), opt); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// tool runs a command-line tool, skipping the test when it is missing.
func tool(t *testing.T, name string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s not installed", name)
	}
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// writeSample renders the sample document into a temporary file.
func writeSample(t *testing.T, opt Options) (string, *display.Document) {
	t.Helper()
	dir := t.TempDir()
	doc := sampleDoc(t, dir)
	path := filepath.Join(dir, "out.pdf")
	if err := os.WriteFile(path, render(t, doc, opt), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, doc
}
