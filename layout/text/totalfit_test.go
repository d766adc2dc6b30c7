package text

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"paiban/fonts"
)

func TestLoneCharacter(t *testing.T) {
	// R9: a paragraph's last line holds at least two Han characters; one
	// character with its punctuation still counts as one.
	han := "一二三四五六七八九十一二三四五六七八九十"
	tests := []struct {
		name, in string
		p        Params
		want     string
	}{
		{"cjk-r9-lone-han", han + "甲", Params{}, "一二三四五六七八九十|一二三四五六七八九|十甲"},
		{"cjk-r9-lone-han-with-stop", han + "甲。", Params{}, "一二三四五六七八九十|一二三四五六七八九|十甲。"},
		{"cjk-r9-lone-han-with-quote-and-stop", han + "甲”。", Params{}, "一二三四五六七八九十|一二三四五六七八九|十甲”。"},
		{"cjk-r9-two-han-stay", han + "甲乙", Params{}, "一二三四五六七八九十|一二三四五六七八九十|甲乙"},
		{"cjk-r9-indent", strings.Repeat("国", 19), Params{Indent: 2 * size}, strings.Repeat("国", 8) + "|" + strings.Repeat("国", 9) + "|国国"},
		{"cjk-r9-one-character-paragraph", "甲。", Params{}, "甲。"},
		{"cjk-r9-leading-dash-is-not-lone", "一二三四五六七八九——十", Params{}, "一二三四五六七八九|——十"},
	}
	for _, tc := range tests {
		for _, br := range breakers {
			t.Run(tc.name+"/"+br.String(), func(t *testing.T) {
				p := tc.p
				p.Breaker = br
				lines := set(t, tc.in, p)
				if got := joined(lines); got != tc.want {
					t.Fatalf("breaks\n got %s\nwant %s", got, tc.want)
				}
				for i, l := range lines {
					if !l.Last && !near(l.Width, 10*size) {
						t.Errorf("line %d width %.3f pt, want 100", i, l.Width)
					}
				}
			})
		}
	}
}

func TestLoneCharacterRespaced(t *testing.T) {
	// cjk-r9: the line that gives up a character is spaced out evenly: nine
	// characters over ten em, an eighth of an em between each two.
	for _, br := range breakers {
		lines := set(t, "一二三四五六七八九十一二三四五六七八九十甲", Params{Breaker: br})
		l := lines[1]
		for k, g := range l.Glyphs {
			if want := float64(k) * 9 / 8 * size; !near(g.X, want) {
				t.Errorf("%v: glyph %d at %.4f pt, want %.4f", br, k, g.X, want)
			}
		}
		if !near(l.Ratio, 0.5) || !near(l.ExtraPerGap, 0.125) {
			t.Errorf("%v: ratio %.4f, extra %.4f em; want 0.5 and 0.125", br, l.Ratio, l.ExtraPerGap)
		}
	}
}

func TestPushInRatio(t *testing.T) {
	// cjk-r2: the inner comma gives all of its blank half em: ratio −1.
	lines := set(t, "一二三，四五六七八九，十一", Params{})
	if !near(lines[0].Ratio, -1) || lines[0].ExtraPerGap != 0 {
		t.Errorf("ratio %.4f extra %.4f, want -1 and 0", lines[0].Ratio, lines[0].ExtraPerGap)
	}
	if s := Stats(lines); s.PushedIn != 1 || s.Inner != 1 || !near(s.WorstRatio, -1) {
		t.Errorf("stats %+v", s)
	}
}

func TestOpeningAtLineStartNotPushedIn(t *testing.T) {
	// cjk-r4: the line is pushed in at its two commas; the blank of 《 at
	// the line start stays, so its box starts at the line start.
	lines := set(t, "《一二三，四五六七，八九》十", Params{Breaker: Greedy})
	if got := joined(lines); got != "《一二三，四五六七，八|九》十" {
		t.Fatalf("got %s", got)
	}
	if x := lines[0].Glyphs[0].X; x != 0 {
		t.Errorf("《 at %.4f pt, want 0", x)
	}
	if !near(lines[0].Ratio, -1) {
		t.Errorf("ratio %.4f, want -1: both commas pushed in to half an em", lines[0].Ratio)
	}
}

func TestOpeningBlankComesBackAtLineStart(t *testing.T) {
	// cjk-r4: “ gives up its blank to ！ before it (！“ is 1.5 em), but
	// when the line breaks between them “ starts the line in its full box.
	for _, br := range breakers {
		lines := set(t, "一二三四五六七八九！“十一”", Params{Breaker: br})
		if got := joined(lines); got != "一二三四五六七八九！|“十一”" {
			t.Fatalf("%v: got %s", br, got)
		}
		if x := lines[1].Glyphs[0].X; x != 0 {
			t.Errorf("%v: “ at %.4f pt, want 0", br, x)
		}
		if x := lines[1].Glyphs[1].X; !near(x, size) {
			t.Errorf("%v: 十 at %.4f pt, want 10", br, x)
		}
	}
}

func TestOverlongWordFallsBack(t *testing.T) {
	// No set of breaks fits a word longer than the measure: total fit sets
	// the paragraph greedily and marks the line overfull.
	in := "一二三四 Pneumonoultramicroscopicsilicovolcanoconiosis 五六七八九十一二三"
	tf := set(t, in, Params{Measure: 10 * size})
	gr := set(t, in, Params{Measure: 10 * size, Breaker: Greedy})
	if joined(tf) != joined(gr) {
		t.Errorf("total fit %s\n   greedy %s", joined(tf), joined(gr))
	}
	if s := Stats(tf); s.Overfull != 1 {
		t.Errorf("%d overfull lines, want 1: %s", s.Overfull, joined(tf))
	}
}

func TestTotalFitKeepsRules(t *testing.T) {
	// Total fit on mixed paragraphs at many measures: no break against R1
	// or R6, no lone last character, no line wider than the measure or
	// pushed in beyond its shrink, and every inner line justified (but a
	// line of one Latin word).
	rng := rand.New(rand.NewPCG(1, 2))
	face := serif(t)
	for k := range 300 {
		in := randomParagraph(rng, 20+rng.IntN(300))
		m := 6 + rng.IntN(25)
		p := Params{Measure: float64(m) * size, Indent: float64(2*rng.IntN(2)) * size, Hanging: k%2 == 1, Style: Style(k / 2 % 2)}
		lines, err := Set([]Span{{Text: in, Faces: []*fonts.Face{face}, Size: size}}, p)
		if err != nil {
			t.Fatal(err)
		}
		s := Stats(lines)
		if s.Overfull > 0 {
			continue // greedy fallback: a word longer than the measure
		}
		if s.Prohibited != 0 || s.Lone != 0 {
			t.Errorf("paragraph %d at %d em: %d bad breaks, %d lone: %s", k, m, s.Prohibited, s.Lone, joined(lines))

		}
		for i, l := range lines {
			if g := l.Glyphs[0]; classOf(g.R) == Opening && g.X < -1e-9 {
				t.Errorf("paragraph %d at %d em line %d: %q at %.4f, pushed in at the line start", k, m, i, g.R, g.X)
			}
			if l.Width > p.Measure+1e-6 || l.Ratio < -1-1e-9 {
				t.Errorf("paragraph %d at %d em line %d: width %.4f ratio %.4f", k, m, i, l.Width, l.Ratio)
			}
			if !l.Last && !allLatin(l) && !near(l.Width, p.Measure) {
				t.Errorf("paragraph %d at %d em line %d: width %.4f, not justified", k, m, i, l.Width)
			}
		}
	}
}

func TestTotalFitNoWorseThanGreedy(t *testing.T) {
	// Whenever greedy's breaks are feasible for total fit, total fit's
	// demerits are no higher: it finds the optimum.
	rng := rand.New(rand.NewPCG(3, 4))
	face := serif(t)
	compared := 0
	for k := range 300 {
		in := randomParagraph(rng, 20+rng.IntN(300))
		p := Params{Measure: float64(6+rng.IntN(25)) * size, Indent: 2 * size, Hanging: k%2 == 1, Style: Style(k / 2 % 2)}
		par, err := prepare([]Span{{Text: in, Faces: []*fonts.Face{face}, Size: size}}, p.Style)
		if err != nil {
			t.Fatal(err)
		}
		gr, ok := par.demeritsOf(par.breakGreedy(p), p)
		if !ok {
			continue
		}
		tf, ok := par.demeritsOf(par.breakTotalFit(p), p)
		if !ok {
			t.Fatalf("total fit's breaks are infeasible where greedy's are not: %q", in)
		}
		if tf > gr*(1+1e-9)+1e-9 {
			t.Errorf("total fit %.1f demerits, greedy %.1f: %q", tf, gr, in)
		}
		compared++
	}
	if compared < 100 {
		t.Errorf("only %d paragraphs compared", compared)
	}
}

// allLatin reports whether a line is one Latin word (or number), which has
// no gap to justify at.
func allLatin(l Line) bool {
	for _, g := range l.Glyphs {
		if classOf(g.R) != Latin {
			return false
		}
	}
	return true
}

// demeritsOf returns the total demerits of a set of breaks, as totalFit
// counts them, and whether every line is feasible in its first pass.
func (par *paragraph) demeritsOf(rs []lineRange, p Params) (float64, bool) {
	c := par.sums(nil)
	total, prev := 0.0, decent
	for i, r := range rs {
		last := i == len(rs)-1
		if r.overfull || last && r.a == par.loneStart() {
			return 0, false
		}
		e := par.ends(c, r.b, p)
		m, _ := e.line(par.lineStart(c, r.a, p), r.a, p.Measure)
		if m.natural-m.blank-m.shrink > p.Measure+eps {
			return 0, false
		}
		bad, fit := badness(m, p.Measure, last)
		if bad > tolerance {
			return 0, false
		}
		total += demerits(bad, 0)
		if fit-prev > 1 || prev-fit > 1 {
			total += adjDemerits
		}
		prev = fit
	}
	return total, true
}

// randomParagraph returns about n characters of Chinese mixed with
// punctuation, two-em marks, numbers and Latin words.
func randomParagraph(rng *rand.Rand, n int) string {
	pieces := []string{
		"，", "。", "、", "：", "；", "！", "？", "“", "”", "（", "）", "《", "》",
		"——", "……", "·", "2023年", "5%", " API ", " Knuth ", "iPhone", "¥30",
	}
	han := []rune("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经")
	var b strings.Builder
	for k := 0; k < n; k++ {
		if rng.IntN(6) == 0 {
			b.WriteString(pieces[rng.IntN(len(pieces))])
			continue
		}
		b.WriteRune(han[rng.IntN(len(han))])
	}
	return b.String()
}

func TestStatsCountsBadBreaks(t *testing.T) {
	mk := func(s string, last bool) Line {
		var l Line
		for _, r := range s {
			l.Glyphs = append(l.Glyphs, Glyph{R: r})
		}
		l.Last = last
		return l
	}
	lines := []Line{
		mk("一二“", false), mk("三，", false), mk("四—", false), mk("—五", false), mk("甲。", true),
		mk("乙。", true), // a one-line paragraph may be one character
		mk("一二", false), mk("三四", true),
	}
	s := Stats(lines)
	// “ at a line end and ， at the next line's start, —— split: two bad
	// breaks.
	if s.Prohibited != 2 || s.Lone != 1 || s.Lines != 8 || s.Inner != 5 {
		t.Errorf("got %+v", s)
	}
	if math.IsNaN(s.MeanRatio) {
		t.Errorf("mean ratio NaN")
	}
}
