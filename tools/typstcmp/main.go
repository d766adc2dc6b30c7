// Command typstcmp sets one article of the reference issue with paiban's
// two line breakers and with Typst at the same settings, and measures the
// three PDFs the same way (docs/typography.md).
//
//	go run . set     [-article FILE] [-out DIR]  # DIR/paiban-{totalfit,greedy}.pdf, DIR/article.typ, DIR/paras.txt
//	node typst.mjs   DIR/article.typ DIR/typst.pdf
//	go run . measure [-out DIR] [-img DIR] [-crops NAME:FROM-TO,…]  # figures from the PDFs (Ghostscript txtwrite); PNG crops
//
// run.sh does all three. The settings are those of the reference issue and
// of layout/text's corpus test: Noto Serif SC Regular (the bundled file),
// 10 pt, a measure of 230 pt (23 em), justified, first-line indent 2 em,
// baselines 17 pt apart, no space between paragraphs.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"paiban/display"
	"paiban/fonts"
	"paiban/layout/text"
	"paiban/render"
)

// The settings both engines use.
const (
	size    = 10.0  // pt, one em
	measure = 230.0 // pt, 23 em
	indent  = 20.0  // pt, 2 em
	lead    = 17.0  // baseline to baseline, pt
	ascent  = 0.88  // first baseline below the top of the text block, em
	margin  = 10.0  // paiban's page margin, pt (Typst's page has none)
)

// The PDFs, in the order of the tables.
var engines = []struct{ name, file string }{
	{"Typst", "typst.pdf"},
	{"paiban total-fit", "paiban-totalfit.pdf"},
	{"paiban greedy", "paiban-greedy.pdf"},
}

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "set":
		err = cmdSet(os.Args[2:])
	case "measure":
		err = cmdMeasure(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "typstcmp:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: typstcmp set [-article FILE] [-out DIR] | typstcmp measure [-out DIR] [-img DIR]")
	os.Exit(2)
}

// ---------------------------------------------------------------- set

func cmdSet(args []string) error {
	fs := flag.NewFlagSet("set", flag.ExitOnError)
	article := fs.String("article", "../../samples/zhenjing-2023-05/articles/tiyanguan.md", "the article (Markdown); a glob pattern sets several in a row")
	out := fs.String("out", "out", "output folder")
	fs.Parse(args)

	files, err := filepath.Glob(*article)
	if err != nil || len(files) == 0 {
		return fmt.Errorf("no article %s", *article)
	}
	var paras []string
	for _, file := range files {
		ps, err := bodyParagraphs(file)
		if err != nil {
			return err
		}
		paras = append(paras, ps...)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(*out, "paras.txt"), []byte(strings.Join(paras, "\n")+"\n"), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(*out, "article.typ"), []byte(typstSource(paras)), 0o644); err != nil {
		return err
	}
	set, err := fonts.Default()
	if err != nil {
		return err
	}
	face := set.Face(fonts.SerifRegular)
	fmt.Printf("%d paragraphs; 10 pt Noto Serif SC, measure 230 pt, indent 2 em, lead 17 pt\n", len(paras))
	fmt.Printf("%-17s %5s %5s %7s %7s %7s %7s %5s %5s %4s %4s\n", "engine data", "lines", "inner", "meanR", "worstR", "meanX", "maxX", "loose", "push", "lone", "R1R6")
	for _, br := range []text.Breaker{text.TotalFit, text.Greedy} {
		var lines []text.Line
		for _, p := range paras {
			ls, err := text.Set([]text.Span{{Text: p, Faces: []*fonts.Face{face}, Size: size}}, text.Params{Measure: measure, Indent: indent, Breaker: br})
			if err != nil {
				return err
			}
			lines = append(lines, ls...)
		}
		s := text.Stats(lines)
		fmt.Printf("%-17s %5d %5d %7.3f %7.3f %7.3f %7.3f %5d %5d %4d %4d\n", "paiban "+br.String(), s.Lines, s.Inner, s.MeanRatio, s.WorstRatio, s.MeanExtra, s.MaxExtra, s.Loose, s.PushedIn, s.Lone, s.Prohibited)
		name := "paiban-totalfit.pdf"
		if br == text.Greedy {
			name = "paiban-greedy.pdf"
		}
		if err := writePDF(filepath.Join(*out, name), lines, set); err != nil {
			return err
		}
	}
	return nil
}

// bodyParagraphs reads an article's body paragraphs as the corpus test
// does: front matter, headings, quotes and images left out; a paragraph's
// source lines joined without a space between two Chinese characters.
func bodyParagraphs(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	body := string(data)
	if rest, ok := strings.CutPrefix(body, "+++\n"); ok {
		if _, after, ok := strings.Cut(rest, "\n+++\n"); ok {
			body = after
		}
	}
	var paras []string
	for _, block := range strings.Split(body, "\n\n") {
		block = strings.TrimSpace(block)
		if block == "" || strings.HasPrefix(block, "#") || strings.HasPrefix(block, ">") || strings.HasPrefix(block, "![") {
			continue
		}
		var b strings.Builder
		for _, l := range strings.Split(block, "\n") {
			l = strings.TrimSpace(l)
			if l == "" {
				continue
			}
			if b.Len() > 0 {
				prev, _ := utf8.DecodeLastRuneInString(b.String())
				next, _ := utf8.DecodeRuneInString(l)
				if !isCJK(prev) || !isCJK(next) {
					b.WriteByte(' ')
				}
			}
			b.WriteString(l)
		}
		paras = append(paras, b.String())
	}
	if len(paras) == 0 {
		return nil, fmt.Errorf("%s: no body paragraphs", path)
	}
	return paras, nil
}

// isCJK reports whether r is set in an em box (Han, CJK punctuation and
// the curly quotes, dashes and ellipses of Chinese text).
func isCJK(r rune) bool {
	return isHan(r) || r >= 0x3000 && r <= 0x303F || r >= 0xFF00 && r <= 0xFFEF ||
		strings.ContainsRune("“”‘’—…·", r)
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// typstSource is the Typst document: the paragraphs at the same settings.
// The line box is exactly 1 em (top edge 0.88 em, bottom edge −0.12 em,
// so the first baseline is where paiban puts it) and the leading 7 pt, so
// baselines are 17 pt apart; no space between paragraphs.
func typstSource(paras []string) string {
	var b strings.Builder
	b.WriteString(`// Generated by tools/typstcmp (go run . set). Typst's version of the
// paragraphs paiban sets in paiban-totalfit.pdf and paiban-greedy.pdf.
#set page(width: 230pt, height: auto, margin: 0pt)
#set text(lang: "zh", region: "cn", font: "Noto Serif SC", size: 10pt, fallback: false,
  top-edge: 0.88em, bottom-edge: -0.12em)
#set par(justify: true, first-line-indent: (amount: 2em, all: true), leading: 7pt, spacing: 7pt)

`)
	for _, p := range paras {
		b.WriteString(escapeTypst(p))
		b.WriteString("\n\n")
	}
	return b.String()
}

// escapeTypst escapes the characters that mean markup in Typst.
func escapeTypst(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\#*_`$<>@[]~=-+/'\"", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// writePDF draws the lines in one column, as layout's runs() does: a run
// per line at the line's left end, glyph x as set, baselines 17 pt apart.
func writePDF(path string, lines []text.Line, set *fonts.Set) error {
	top := margin + ascent*size
	pg := &display.Page{Width: measure + 2*margin, Height: 2*margin + float64(len(lines)-1)*lead + size}
	for i, l := range lines {
		var cur *display.Text
		for _, g := range l.Glyphs {
			if cur == nil || cur.Font != g.Face.Name || cur.Size != g.Size {
				cur = &display.Text{X: margin, Y: top + float64(i)*lead, Font: g.Face.Name, Size: g.Size, Color: display.Black}
				pg.Items = append(pg.Items, cur)
			}
			cur.Glyphs = append(cur.Glyphs, display.Glyph{R: g.R, X: g.X})
		}
	}
	doc := &display.Document{Title: "paiban: " + filepath.Base(path), Date: time.Date(2023, 5, 1, 0, 0, 0, 0, time.UTC), Pages: []*display.Page{pg}}
	var buf bytes.Buffer
	if err := render.WritePDF(&buf, doc, set, render.Options{Profile: render.Preview, Compress: true}); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// ---------------------------------------------------------------- measure

// glyph is one character as Ghostscript's txtwrite reports it: x0 is the
// glyph origin, x1 the origin plus the font's advance (1 em for every CJK
// glyph in Noto Serif SC, also for marks the engine set half width) or
// the next glyph's origin, whichever comes first.
type glyph struct {
	r      rune
	x0, x1 float64
	y      float64 // baseline, from the top of the page
}

type pline struct {
	gs   []glyph
	last bool // ends its paragraph
}

// figures are one PDF's measurements.
type figures struct {
	Engine      string    `json:"engine"`
	Lines       int       `json:"lines"`
	Inner       int       `json:"inner_lines"`
	Loose       int       `json:"loose_lines"`     // some Han–Han gap opened by more than ¼ em
	MeanExtra   float64   `json:"mean_extra_em"`   // mean extra space per Han–Han gap, inner lines, em
	MaxExtra    float64   `json:"max_extra_em"`    // largest
	PushedIn    int       `json:"pushed_in_lines"` // inner lines set tighter than natural (先挤进)
	MaxPush     float64   `json:"max_push_in_em"`  // the most taken out of one line
	Pushed      []string  `json:"pushed_in"`
	Stretched   int       `json:"stretched_lines"`    // inner lines set looser than natural
	Lone        int       `json:"lone_last_lines"`    // 孤字: a last line with one Han character
	EndPunct    int       `json:"lines_end_in_punct"` // inner lines ending in a full-width mark
	EndComp     int       `json:"end_compressed"`     // of which the mark is set half width
	Compressed  []string  `json:"end_compressed_lines"`
	NotComp     []string  `json:"end_full_width_lines"`
	OpenClose   []string  `json:"adjacent_marks"` // spacing between neighbouring marks, in em
	HanLatin    []string  `json:"han_latin_gaps"` // spacing around Latin/digits, in em
	ParaLines   []int     `json:"lines_per_paragraph"`
	paraTop     []float64 // first baseline of each paragraph
	paraBottom  []float64 // last baseline
	left, right float64
}

func cmdMeasure(args []string) error {
	fs := flag.NewFlagSet("measure", flag.ExitOnError)
	out := fs.String("out", "out", "folder with the three PDFs")
	img := fs.String("img", "", "write PNG crops here (needs pdftoppm and ImageMagick convert)")
	cropList := fs.String("crops", "para1:1-2,para4:4-4", "the crops, NAME:FROM-TO,… (paragraphs from 1); ENGINE-NAME.png")
	fs.Parse(args)
	crops, err := parseCrops(*cropList)
	if err != nil {
		return err
	}

	paras, err := os.ReadFile(filepath.Join(*out, "paras.txt"))
	if err != nil {
		return fmt.Errorf("%w (run `go run . set` first)", err)
	}
	var ref []int // characters (not spaces) per paragraph, to find paragraph ends
	for _, p := range strings.Split(strings.TrimSpace(string(paras)), "\n") {
		n := 0
		for _, r := range p {
			if !unicode.IsSpace(r) {
				n++
			}
		}
		ref = append(ref, n)
	}
	var all []*figures
	for _, e := range engines {
		path := filepath.Join(*out, e.file)
		lines, err := readLines(path)
		if err != nil {
			return err
		}
		f, err := measureLines(e.name, lines, ref)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		// The lines as read back, one a line, a blank line after each
		// paragraph: diff them to see where the engines break differently.
		var b strings.Builder
		for _, l := range lines {
			b.WriteString(lineText(l.gs) + "\n")
			if l.last {
				b.WriteString("\n")
			}
		}
		if err := os.WriteFile(filepath.Join(*out, strings.TrimSuffix(e.file, ".pdf")+".lines.txt"), []byte(b.String()), 0o644); err != nil {
			return err
		}
		all = append(all, f)
		if *img != "" {
			for _, c := range crops {
				png := filepath.Join(*img, strings.TrimSuffix(e.file, ".pdf")+"-"+c.name+".png")
				if err := crop(path, f, png, c.from, c.to); err != nil {
					return err
				}
			}
		}
	}
	fmt.Println("| figure (from the PDFs, gs txtwrite) | " + join(all, func(f *figures) string { return f.Engine }) + " |")
	fmt.Println("|---|" + strings.Repeat("---|", len(all)))
	row := func(name string, v func(f *figures) string) {
		fmt.Printf("| %s | %s |\n", name, join(all, v))
	}
	row("lines", func(f *figures) string { return strconv.Itoa(f.Lines) })
	row("lines per paragraph", func(f *figures) string { return fmt.Sprint(f.ParaLines) })
	row("justified (inner) lines", func(f *figures) string { return strconv.Itoa(f.Inner) })
	row("lines with a Han–Han gap > ¼ em extra", func(f *figures) string { return strconv.Itoa(f.Loose) })
	row("mean extra per Han–Han gap (em)", func(f *figures) string { return fmt.Sprintf("%.3f", f.MeanExtra) })
	row("max extra per Han–Han gap (em)", func(f *figures) string { return fmt.Sprintf("%.3f", f.MaxExtra) })
	row("inner lines pushed in (set tighter than natural)", func(f *figures) string { return strconv.Itoa(f.PushedIn) })
	row("most pushed in, one line (em)", func(f *figures) string { return fmt.Sprintf("%.2f", f.MaxPush) })
	row("inner lines spaced out (looser than natural)", func(f *figures) string { return strconv.Itoa(f.Stretched) })
	row("孤字 last lines", func(f *figures) string { return strconv.Itoa(f.Lone) })
	row("inner lines ending in a mark", func(f *figures) string { return strconv.Itoa(f.EndPunct) })
	row("… of which set half width", func(f *figures) string { return strconv.Itoa(f.EndComp) })
	fmt.Println()
	for _, f := range all {
		fmt.Printf("%s\n  pushed in (em): %s\n", f.Engine, strings.Join(f.Pushed, "  "))
	}
	for _, f := range all {
		fmt.Printf("%s\n  line-end marks set half width: %s\n  line-end marks set full width: %s\n  neighbouring marks: %s\n  Han–Latin gaps: %s\n",
			f.Engine, strings.Join(f.Compressed, "  "), strings.Join(f.NotComp, "  "), strings.Join(f.OpenClose, "  "), strings.Join(f.HanLatin, "  "))
	}
	j, _ := json.MarshalIndent(all, "", "  ")
	return os.WriteFile(filepath.Join(*out, "measure.json"), j, 0o644)
}

func join(fs []*figures, v func(f *figures) string) string {
	s := make([]string, len(fs))
	for i, f := range fs {
		s[i] = v(f)
	}
	return strings.Join(s, " | ")
}

// cropSpec is a PNG that measure -img writes for each PDF, as
// ENGINE-NAME.png: paragraphs from and to (0-based).
type cropSpec struct {
	name     string
	from, to int
}

// parseCrops reads NAME:FROM-TO,… (paragraphs counted from 1).
func parseCrops(s string) ([]cropSpec, error) {
	var cs []cropSpec
	for _, item := range strings.Split(s, ",") {
		name, rng, ok := strings.Cut(item, ":")
		a, b, ok2 := strings.Cut(rng, "-")
		from, err1 := strconv.Atoi(a)
		to, err2 := strconv.Atoi(b)
		if !ok || !ok2 || err1 != nil || err2 != nil || from < 1 || to < from {
			return nil, fmt.Errorf("bad crop %q: want NAME:FROM-TO", item)
		}
		cs = append(cs, cropSpec{name, from - 1, to - 1})
	}
	return cs, nil
}

var charRE = regexp.MustCompile(`<char bbox="([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+)" c="([^"]*)"/>`)

// gsRes is the resolution of Ghostscript's txtwrite device: it reports
// whole device units, so 7200 dpi gives positions to 0.01 pt.
const gsRes = 7200.0

// readLines reads the characters of page 1 with Ghostscript's txtwrite
// device (pdftotext -bbox merges a justified line of Chinese into one
// word, so it cannot show the gaps) and groups them into lines by
// baseline.
func readLines(path string) ([]pline, error) {
	out, err := exec.Command("gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-dFirstPage=1", "-dLastPage=1",
		"-sDEVICE=txtwrite", "-dTextFormat=0", fmt.Sprintf("-r%g", gsRes), "-sOutputFile=-", path).Output()
	if err != nil {
		return nil, fmt.Errorf("gs -sDEVICE=txtwrite %s: %w", path, err)
	}
	var gs []glyph
	for _, m := range charRE.FindAllStringSubmatch(string(out), -1) {
		var v [4]float64
		for k := range v {
			v[k], _ = strconv.ParseFloat(m[k+1], 64)
			v[k] *= 72 / gsRes
		}
		for _, r := range html.UnescapeString(m[5]) {
			g := glyph{r: r, x0: v[0], x1: v[2], y: v[1]}
			// Typst sets —— as one 2-em glyph that maps to two
			// characters; txtwrite reports the second as a zero-width
			// character of its own (and decodes it wrongly): split the
			// glyph in two.
			if n := len(gs); n > 0 && (gs[n-1].r == '—' || gs[n-1].r == '…') && g.r != gs[n-1].r && g.x1-g.x0 < 0.5 && math.Abs(g.x0-gs[n-1].x1) < 0.05 && math.Abs(g.y-gs[n-1].y) < 0.05 {
				prev := &gs[n-1]
				mid := (prev.x0 + prev.x1) / 2
				g = glyph{r: prev.r, x0: mid, x1: prev.x1, y: g.y}
				prev.x1 = mid
			}
			gs = append(gs, g)
		}
	}
	sort.SliceStable(gs, func(i, j int) bool {
		if math.Abs(gs[i].y-gs[j].y) > 2 {
			return gs[i].y < gs[j].y
		}
		return gs[i].x0 < gs[j].x0
	})
	var lines []pline
	for _, g := range gs {
		if n := len(lines); n > 0 && math.Abs(lines[n-1].gs[0].y-g.y) <= 2 {
			lines[n-1].gs = append(lines[n-1].gs, g)
			continue
		}
		lines = append(lines, pline{gs: []glyph{g}})
	}
	if len(lines) == 0 {
		return nil, fmt.Errorf("%s: no text", path)
	}
	return lines, nil
}

func lineText(gs []glyph) string {
	var b strings.Builder
	for _, g := range gs {
		b.WriteRune(g.r)
	}
	return b.String()
}

func isMark(r rune) bool { return isCJK(r) && !isHan(r) }

// measureLines takes the figures of one PDF. Paragraph ends come from the
// source: a paragraph's characters are counted off line by line.
func measureLines(engine string, lines []pline, ref []int) (*figures, error) {
	f := &figures{Engine: engine, Lines: len(lines)}
	// The text block's left edge is the most common line start; its
	// right edge the left edge plus the measure.
	f.left = mode(lines, func(l pline) float64 { return l.gs[0].x0 })
	f.right = f.left + measure
	p, left, n := 0, 0, 0
	if len(ref) > 0 {
		left = ref[0]
	}
	for i := range lines {
		left -= len(lines[i].gs)
		n++
		if left <= 0 {
			if left < 0 {
				return nil, fmt.Errorf("line %d: paragraph %d has more characters than the source", i+1, p+1)
			}
			lines[i].last = true
			f.ParaLines = append(f.ParaLines, n)
			f.paraTop = append(f.paraTop, lines[i-n+1].gs[0].y)
			f.paraBottom = append(f.paraBottom, lines[i].gs[0].y)
			p, n = p+1, 0
			if p < len(ref) {
				left = ref[p]
			}
		}
	}
	if p != len(ref) {
		return nil, fmt.Errorf("found %d of %d paragraphs", p, len(ref))
	}

	var sum float64
	for i, l := range lines {
		gs := l.gs
		if !l.last {
			first := i == 0 || lines[i-1].last
			d := (measure - natural(gs, first)) / size
			switch {
			case d < -0.01:
				f.PushedIn++
				f.Pushed = append(f.Pushed, fmt.Sprintf("%s(%.2f)", lineText(gs), d))
				f.MaxPush = max(f.MaxPush, -d)
			case d > 0.01:
				f.Stretched++
			}
		}
		if l.last {
			han := 0
			for _, g := range gs {
				if isHan(g.r) {
					han++
				} else if !isMark(g.r) {
					han = 2 // Latin counts as more than a lone character
				}
			}
			if han == 1 && len(lines) > 1 {
				f.Lone++
			}
			continue
		}
		f.Inner++
		// Extra space per gap: between two Han characters the pitch is
		// 1 em at natural width, so what is beyond it is justification.
		var ext []float64
		for k := 0; k+1 < len(gs); k++ {
			if isHan(gs[k].r) && isHan(gs[k+1].r) {
				ext = append(ext, (gs[k+1].x0-gs[k].x0)/size-1)
			}
		}
		if len(ext) > 0 {
			e, mx := 0.0, 0.0
			for _, x := range ext {
				e += x
				mx = max(mx, x)
			}
			e /= float64(len(ext))
			sum += e
			f.MaxExtra = max(f.MaxExtra, mx)
			if mx > 0.25+1e-3 {
				f.Loose++
			}
		}
		end := gs[len(gs)-1]
		if isMark(end.r) {
			f.EndPunct++
			// The glyph's advance is 1 em; a mark set half width
			// sticks out of the measure by ½ em.
			over := end.x0 + size - f.right
			desc := fmt.Sprintf("%s…%s(+%.1f)", string(gs[max(0, len(gs)-4)].r)+string(gs[max(0, len(gs)-3)].r), string(gs[len(gs)-2].r)+string(end.r), over)
			if over > 1 {
				f.EndComp++
				f.Compressed = append(f.Compressed, desc)
			} else {
				f.NotComp = append(f.NotComp, desc)
			}
		}
	}
	if f.Inner > 0 {
		f.MeanExtra = sum / float64(f.Inner)
	}
	// Neighbouring marks and Han–Latin spacing, anywhere: the distance
	// from one glyph's origin to the next minus the first's width.
	for _, l := range lines {
		gs := l.gs
		for k := 0; k+1 < len(gs); k++ {
			a, b := gs[k], gs[k+1]
			pitch := (b.x0 - a.x0) / size
			switch {
			case isMark(a.r) && isMark(b.r):
				f.OpenClose = append(f.OpenClose, fmt.Sprintf("%c%c %.2f", a.r, b.r, pitch))
			case isHan(a.r) && !isCJK(b.r) && !unicode.IsSpace(b.r):
				f.HanLatin = append(f.HanLatin, fmt.Sprintf("%c|%c %.2f", a.r, b.r, pitch-1))
			case !isCJK(a.r) && isHan(b.r):
				f.HanLatin = append(f.HanLatin, fmt.Sprintf("%c|%c %.2f", a.r, b.r, (b.x0-a.x0)/size-advance(a.r)))
			}
		}
	}
	return f, nil
}

// natural is a line's width at the natural GB widths (layout/text's
// model, which Typst shares here): Han and marks 1 em, of two neighbouring
// marks' facing blanks only ½ em stays, a closing mark, pause or stop at
// the line end loses its blank half, ¼ em between Han and Latin, Latin at
// its advance. Every engine's line is measured against this one model.
func natural(gs []glyph, first bool) float64 {
	w := 0.0
	if first {
		w = indent
	}
	for k, g := range gs {
		switch {
		case !isCJK(g.r):
			w += advance(g.r) * size
		case k == len(gs)-1 && rightBlank(g.r):
			w += size / 2
		default:
			w += size
		}
		if k+1 < len(gs) {
			n := gs[k+1]
			switch {
			case isMark(g.r) && isMark(n.r) && (rightBlank(g.r) || leftBlank(n.r)):
				w -= size / 2
			case isHan(g.r) && !isCJK(n.r) || !isCJK(g.r) && isHan(n.r):
				w += size / 4
			}
		}
	}
	return w
}

// advance is a Latin character's advance in em in the bundled Noto Serif SC
// (Ghostscript's txtwrite cuts a glyph's box off where the next glyph
// starts, so the box is not the advance).
func advance(r rune) float64 {
	set, err := fonts.Default()
	if err != nil {
		panic(err)
	}
	a, _ := set.Face(fonts.SerifRegular).Advance(r)
	return a
}

// rightBlank and leftBlank report the marks whose em box has a blank half
// on that side in GB style (clreq §3.1.6).
func rightBlank(r rune) bool {
	return strings.ContainsRune("”’）》〉」』】〕〗］｝、，。．：；", r)
}
func leftBlank(r rune) bool { return strings.ContainsRune("“‘（《〈「『【〔〖［｛", r) }

// mode returns the most common value of v over the lines, to 0.1 pt.
func mode(lines []pline, v func(pline) float64) float64 {
	count := map[float64]int{}
	best, bestN := 0.0, 0
	for _, l := range lines {
		x := math.Round(v(l)*10) / 10
		count[x]++
		if count[x] > bestN {
			best, bestN = x, count[x]
		}
	}
	return best
}

// crop renders page 1 at 150 dpi and cuts out paragraphs from..to with the
// same white border around the text block for every engine (x: the
// measure; y: the first line's em box top to the last line's descent).
func crop(pdf string, f *figures, png string, from, to int) error {
	const dpi = 150.0
	px := func(pt float64) int { return int(math.Round(pt * dpi / 72)) }
	tmp, err := os.MkdirTemp("", "typstcmp")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if out, err := exec.Command("pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile", pdf, filepath.Join(tmp, "p")).CombinedOutput(); err != nil {
		return fmt.Errorf("pdftoppm %s: %v\n%s", pdf, err, out)
	}
	if err := os.MkdirAll(filepath.Dir(png), 0o755); err != nil {
		return err
	}
	if to >= len(f.paraTop) {
		return fmt.Errorf("%s: no paragraph %d", pdf, to+1)
	}
	top := f.paraTop[from] - ascent*size - 1 // the em box top, less a hair
	bottom := f.paraBottom[to] + 0.12*size + 2
	// The same box for every engine: the measure plus ½ em on the right,
	// where line-end marks set full width would stick out.
	x0, x1 := f.left, f.right+size/2
	// Typst's page has no margin: pad the page first so that the box
	// may reach beyond it.
	const pad = 20.0
	geom := fmt.Sprintf("%dx%d+%d+%d", px(x1-x0), px(bottom-top), px(x0+pad), px(top+pad))
	args := []string{filepath.Join(tmp, "p.png"), "-bordercolor", "white", "-border", strconv.Itoa(px(pad)), "-crop", geom, "+repage",
		"-bordercolor", "white", "-border", "12",
		"-strip", "-colorspace", "Gray", "-depth", "4", "-define", "png:bit-depth=4", "-define", "png:compression-level=9", png}
	if out, err := exec.Command("convert", args...).CombinedOutput(); err != nil {
		return fmt.Errorf("convert %s: %v\n%s", png, err, out)
	}
	if _, err := os.Stat(png); err != nil {
		return errors.New("no PNG written: " + png)
	}
	return nil
}
