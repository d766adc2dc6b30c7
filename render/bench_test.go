package render

import (
	"paiban/internal/sampledoc"

	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/go-pdf/fpdf"

	"paiban/display"
	"paiban/fonts"
)

// benchDoc is a 24-page issue set solid in Chinese: per page two columns of
// 40 justified lines of 13 characters in Noto Serif SC (about 1000 glyphs),
// a heading in Noto Sans SC Bold, a rule and a folio. The characters cycle
// through 2500 ideographs, about what a 24-page issue uses, so the subsets
// are of magazine size.
func benchDoc(tb testing.TB) *display.Document {
	faces := sampledoc.Faces(tb)
	serif := faces.Face(fonts.SerifRegular)
	var pool []rune
	for i := 0; len(pool) < 2500; i++ {
		r := rune(0x4E00 + (i*7919)%20000)
		if serif.Has(r) && faces.Face(fonts.SansBold).Has(r) {
			pool = append(pool, r)
		}
	}
	pool = append(pool, '，', '。', '、', '“', '”')
	k := 0
	next := func() rune { k++; return pool[(k*7)%len(pool)] }
	doc := &display.Document{Title: "基准测试", Author: "paiban", Date: time.Date(2023, 5, 1, 0, 0, 0, 0, time.UTC)}
	const size, lead, colW = 10.5, 15.75, 240.0
	for p := 0; p < 24; p++ {
		pg := &display.Page{Width: 595.276, Height: 841.89, Bleed: bleed3mm}
		head := make([]rune, 12)
		for i := range head {
			head[i] = next()
		}
		pg.Items = append(pg.Items, sampledoc.MustRun(tb, faces, fonts.SansBold, 20, 56.7, 80, 0, string(head)))
		pg.Items = append(pg.Items, &display.Line{X1: 56.7, Y1: 92, X2: 538.6, Y2: 92, Width: 0.5, Color: display.Black})
		for col := 0; col < 2; col++ {
			for l := 0; l < 40; l++ {
				line := make([]rune, 13)
				for i := range line {
					line[i] = next()
				}
				extra := (colW - 13*size) / 12
				pg.Items = append(pg.Items, sampledoc.MustRun(tb, faces, fonts.SerifRegular, size, 56.7+float64(col)*(colW+1*size), 120+float64(l)*lead, extra, string(line)))
			}
		}
		f := sampledoc.MustRun(tb, faces, fonts.SerifRegular, 9, 290, 810, 0, string(rune('1'+p%9)))
		f.Artifact = true
		pg.Items = append(pg.Items, f)
		doc.Pages = append(doc.Pages, pg)
		doc.Outline = append(doc.Outline, display.Bookmark{Title: string(head), Page: p, Y: 80})
	}
	return doc
}

func BenchmarkWritePDF(b *testing.B) {
	doc := benchDoc(b)
	faces := sampledoc.Faces(b)
	var buf bytes.Buffer
	glyphs := 0
	for _, pg := range doc.Pages {
		for _, it := range pg.Items {
			if t, ok := it.(*display.Text); ok {
				glyphs += len(t.Glyphs)
			}
		}
	}
	b.ResetTimer()
	for b.Loop() {
		buf.Reset()
		if err := WritePDF(&buf, doc, faces, DefaultOptions()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "pdf-bytes")
	b.ReportMetric(float64(glyphs)/24, "glyphs/page")
}

// BenchmarkFpdfAddFont is fpdf parsing a 15 MB Noto font
// (AddUTF8FontFromBytes), which happens once per face per document.
func BenchmarkFpdfAddFont(b *testing.B) {
	face := sampledoc.Faces(b).Face(fonts.SerifRegular)
	for b.Loop() {
		pdf := fpdf.New("P", "pt", "A4", "")
		pdf.AddUTF8FontFromBytes("f0", "", face.Data())
		if err := pdf.Error(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFpdfAddFontAndSubset adds the same font, draws 3000 distinct
// ideographs and writes the document: adding plus subsetting and output.
func BenchmarkFpdfAddFontAndSubset(b *testing.B) {
	face := sampledoc.Faces(b).Face(fonts.SerifRegular)
	var rs []rune
	for i := 0; len(rs) < 3000; i++ {
		if r := rune(0x4E00 + (i*7919)%20000); face.Has(r) {
			rs = append(rs, r)
		}
	}
	for b.Loop() {
		pdf := fpdf.New("P", "pt", "A4", "")
		pdf.AddUTF8FontFromBytes("f0", "", face.Data())
		pdf.AddPage()
		pdf.SetFont("f0", "", 10)
		for i := 0; i+50 <= len(rs); i += 50 {
			pdf.Text(10, float64(10+i/5), string(rs[i:i+50]))
		}
		if err := pdf.Output(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// TestLargeDocument checks the benchmark's issue end to end: a valid file
// whose text comes back as drawn.
func TestLargeDocument(t *testing.T) {
	doc := benchDoc(t)
	path := writeDoc(t, doc)
	tool(t, "qpdf", "--check", path)
	out := tool(t, "pdftotext", "-raw", "-enc", "UTF-8", path, "-")
	var want strings.Builder
	for _, pg := range doc.Pages {
		for _, it := range pg.Items {
			if tx, ok := it.(*display.Text); ok {
				want.WriteString(tx.String())
			}
		}
	}
	if g, w := space.ReplaceAllString(out, ""), space.ReplaceAllString(want.String(), ""); g != w {
		t.Errorf("text differs (%d vs %d bytes)", len(g), len(w))
	}
}
