package text

import (
	"math"
	"strings"
	"testing"

	"paiban/fonts"
)

// R3: hanging punctuation, an option.
func TestHanging(t *testing.T) {
	hang := Params{Hanging: true}
	tests := []struct {
		name, in string
		p        Params
		want     string
		hung     []bool // per line; nil: no line hangs
	}{
		// The comma that R1 would push to the next line's start hangs.
		{"cjk-r3-hanging-comma", "一二三四五六七八九十，一二三", hang, "一二三四五六七八九十，|一二三", []bool{true, false}},
		{"cjk-r3-hanging-stop", "一二三四五六七八九十。一二三", hang, "一二三四五六七八九十。|一二三", []bool{true, false}},
		{"cjk-r3-hanging-pause", "一二三四五六七八九十、一二三", hang, "一二三四五六七八九十、|一二三", []bool{true, false}},
		{"cjk-r3-hanging-off-by-default", "一二三四五六七八九十，一二三", Params{}, "一二三四五六七八九|十，一二三", nil},
		// Never a run of marks, never a closing quote, bracket or ——.
		{"cjk-r3-hanging-not-a-run", "一二三四五六七八九十。”一", hang, "一二三四五六七八九|十。”一", nil},
		{"cjk-r3-hanging-not-after-quote", "一二三四五六七八九十”，一二", hang, "一二三四五六七八九|十”，一二", nil},
		{"cjk-r3-hanging-not-after-bracket", "一二三四五六七八九十》，一二", hang, "一二三四五六七八九|十》，一二", nil},
		{"cjk-r3-hanging-not-a-closing-quote", "一二三四五六七八九十”一二", hang, "一二三四五六七八九|十”一二", nil},
		{"cjk-r3-hanging-not-a-dash", "一二三四五六七八九——一", hang, "一二三四五六七八九|——一", nil},
		{"cjk-r3-hanging-not-an-ellipsis", "一二三四五六七八九……一", hang, "一二三四五六七八九|……一", nil},
		{"cjk-r3-hanging-not-a-colon", "一二三四五六七八九十：一二", hang, "一二三四五六七八九|十：一二", nil},
		{"cjk-r3-hanging-not-a-question-mark", "一二三四五六七八九十？一二", hang, "一二三四五六七八九|十？一二", nil},
		// Push in first, then hang: a mark that fits pushed in stays in.
		{"cjk-r3-hanging-after-push-in", "一二三，四五六七八九，十一", hang, "一二三，四五六七八九，|十一", nil},
		// A line that fits with its mark in the measure does not hang it.
		{"cjk-r3-hanging-only-when-needed", "一二三四五六七八九。一二三四五六七八九十", hang, "一二三四五六七八九。|一二三四五六七八九十", nil},
		// The paragraph's last mark hangs too: no lone 十。 on a last line.
		{"cjk-r3-hanging-paragraph-end", "一二三四五六七八九十。", hang, "一二三四五六七八九十。", []bool{true}},
		// The first line with its indent.
		{"cjk-r3-hanging-indent", "一二三四五六七八，一二三", Params{Hanging: true, Indent: 2 * size}, "一二三四五六七八，|一二三", []bool{true, false}},
		// Traditional Chinese does not hang in horizontal text (clreq §3.1.8).
		{"cjk-r3-hanging-cns-never", "一二三四五六七八九十，一二三", Params{Hanging: true, Style: CNS}, "一二三四五六七八九|十，一二三", nil},
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
					want := tc.hung != nil && tc.hung[i]
					if l.Hung != want {
						t.Errorf("line %d hung %v, want %v", i, l.Hung, want)
					}
					if l.Overfull {
						t.Errorf("line %d overfull", i)
					}
					if !l.Last && !near(l.Width, 10*size) {
						t.Errorf("line %d width %.3f pt, want justified to 100 pt", i, l.Width)
					}
				}
			})
		}
	}
}

func TestHangingPositions(t *testing.T) {
	// cjk-r3: the ten characters on the em grid, the comma just past the
	// measure with its ink in the half em after it.
	face := serif(t)
	for _, in := range []string{"一二三四五六七八九十，一二三", "一二三四五六七八九十。一二三", "一二三四五六七八九十、一二三", "一二三四五六七八九十．一二三"} {
		for _, br := range breakers {
			lines := set(t, in, Params{Hanging: true, Breaker: br})
			l := lines[0]
			if len(l.Glyphs) != 11 || !l.Hung {
				t.Fatalf("%v: %s, hung %v", br, joined(lines), l.Hung)
			}
			for k, g := range l.Glyphs[:10] {
				if !near(g.X, float64(k)*size) {
					t.Errorf("%v %s: glyph %d at %.4f pt, want %v", br, in, k, g.X, float64(k)*size)
				}
			}
			g := l.Glyphs[10]
			if !near(g.X, 10*size) {
				t.Errorf("%v %s: %c at %.4f em, want 10", br, in, g.R, g.X/size)
			}
			ink, ok := face.Ink(g.R)
			if !ok {
				t.Fatalf("no ink for %c", g.R)
			}
			if x0, x1 := g.X+ink.X0*size, g.X+ink.X1*size; x0 < 10*size || x1 > 10.5*size {
				t.Errorf("%v %s: ink of %c from %.3f to %.3f em, want within 10..10.5", br, in, g.R, x0/size, x1/size)
			}
			if !near(l.Natural, 10*size) || !near(l.Width, 10*size) || l.Ratio != 0 || l.ExtraPerGap != 0 {
				t.Errorf("%v %s: natural %.3f width %.3f ratio %.3f extra %.3f: the hung mark takes no room", br, in, l.Natural, l.Width, l.Ratio, l.ExtraPerGap)
			}
		}
	}
}

func TestHangingLastLine(t *testing.T) {
	// cjk-r3: a hung mark on the last line, which is not stretched,
	// follows its character directly.
	lines := set(t, "一二三四五六七八九十一二三四五六七八九十。", Params{Hanging: true})
	if got := joined(lines); got != "一二三四五六七八九十|一二三四五六七八九十。" {
		t.Fatalf("got %s", got)
	}
	l := lines[1]
	if !l.Hung || !l.Last || !near(l.Glyphs[10].X, 10*size) || !near(l.Width, 10*size) {
		t.Errorf("hung %v last %v 。 at %.3f em width %.3f", l.Hung, l.Last, l.Glyphs[10].X/size, l.Width)
	}
}

func TestHangingStats(t *testing.T) {
	lines := set(t, strings.Repeat("一二三四五六七八九十，", 5), Params{Hanging: true})
	s := Stats(lines)
	if s.Hung != 5 || s.Lines != 5 || s.Prohibited != 0 {
		t.Errorf("stats %+v, want 5 lines, 5 hung", s)
	}
}

// inkMid returns the x of the middle of the ink of the n-th r, in em.
func inkMid(t *testing.T, lines []Line, r rune, n int) float64 {
	t.Helper()
	ink, ok := serif(t).Ink(r)
	if !ok {
		t.Fatalf("no ink for %c", r)
	}
	return xOf(t, lines, r, n) + (ink.X0+ink.X1)/2
}

// CNS: Taiwan and Hong Kong punctuation, centred and not compressed.
func TestCNSPositions(t *testing.T) {
	wide := Params{Measure: 30 * size, Style: CNS}
	type at struct {
		r    rune
		n    int
		ink  bool    // the middle of the glyph's ink, not its origin
		want float64 // em from the line's left edge
	}
	tests := []struct {
		name string
		in   string
		p    Params
		at   []at
	}{
		// ： centred in its box; 「 gives up its blank half em to it (brackets
		// close up to other marks in every style); 。 centred and kept whole
		// before 」.
		{"cjk-cns-colon-quote", "他說：「你好。」", wide, []at{
			{'他', 0, false, 0}, {'說', 0, false, 1}, {'：', 0, true, 2.5}, {'「', 0, false, 2.5},
			{'你', 0, false, 3.5}, {'好', 0, false, 4.5}, {'。', 0, true, 6}, {'」', 0, false, 6.5},
		}},
		{"cjk-cns-comma-centred", "一，二、三；四！五？六", wide, []at{
			{'，', 0, true, 1.5}, {'二', 0, false, 2}, {'、', 0, true, 3.5}, {'三', 0, false, 4},
			{'；', 0, true, 5.5}, {'四', 0, false, 6}, {'！', 0, true, 7.5}, {'五', 0, false, 8},
			{'？', 0, true, 9.5}, {'六', 0, false, 10},
		}},
		// Two centred marks keep a full em each.
		{"cjk-cns-adjacent-marks", "好！？」一", wide, []at{{'！', 0, true, 1.5}, {'？', 0, true, 2.5}, {'」', 0, false, 3}, {'一', 0, false, 4}}},
		// A closing bracket still gives up its blank to the mark after it.
		{"cjk-cns-closing-then-comma", "「好」，一", wide, []at{{'」', 0, false, 2}, {'，', 0, true, 3}, {'一', 0, false, 3.5}}},
		// The interpunct takes a full em and is centred.
		{"cjk-cns-interpunct", "甲·乙", wide, []at{{'·', 0, true, 1.5}, {'乙', 0, false, 2}}},
	}
	for _, tc := range tests {
		for _, br := range breakers {
			t.Run(tc.name+"/"+br.String(), func(t *testing.T) {
				p := tc.p
				p.Breaker = br
				lines := set(t, tc.in, p)
				if len(lines) != 1 {
					t.Fatalf("%d lines: %s", len(lines), joined(lines))
				}
				for _, a := range tc.at {
					got := xOf(t, lines, a.r, a.n)
					what := "origin"
					if a.ink {
						got, what = inkMid(t, lines, a.r, a.n), "ink middle"
					}
					if !near(got, a.want) {
						t.Errorf("%s of %c at %.4f em, want %.4f", what, a.r, got, a.want)
					}
				}
			})
		}
	}
}

func TestCNSBreaks(t *testing.T) {
	cns := Params{Style: CNS}
	tests := []struct {
		name, in string
		p        Params
		want     string
	}{
		// The line-end comma keeps its full em (GB trims it to half): nine
		// characters and the comma fill the line exactly.
		{"cjk-cns-line-end-comma", "一二三四五六七八九，一二三", cns, "一二三四五六七八九，|一二三"},
		{"cjk-cns-comma-not-at-line-start", "一二三四五六七八九十，一二三", cns, "一二三四五六七八九|十，一二三"},
		// The commas are not pushed in: R2's line does not fit in CNS.
		{"cjk-cns-no-push-in", "一二三，四五六七八九，十一", cns, "一二三，四五六七八|九，十一"},
		// A line-end stop is not trimmed: the next character goes down.
		{"cjk-cns-line-end-stop", "一二三四五六七八九。一二三四五六七八九十", cns, "一二三四五六七八九。|一二三四五六七八九十"},
		// Brackets are set as in GB.
		{"cjk-cns-opening-bracket-not-at-line-end", "一二三四五六七八九「十」", cns, "一二三四五六七八九|「十」"},
		{"cjk-cns-closing-bracket-at-line-end", "一二三四五六七八九」一二", cns, "一二三四五六七八九」|一二"},
		{"cjk-cns-bracket-then-stop", "一二三四五六七八九」。一", cns, "一二三四五六七八|九」。一"},
		{"cjk-cns-dash", "一二三四五六七八九——十", cns, "一二三四五六七八九|——十"},
		{"cjk-cns-lone-han", "一二三四五六七八九十一二三四五六七八九十甲。", cns, "一二三四五六七八九十|一二三四五六七八九|十甲。"},
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
					if l.Overfull || l.Hung {
						t.Errorf("line %d overfull %v hung %v", i, l.Overfull, l.Hung)
					}
					if !l.Last && !near(l.Width, 10*size) {
						t.Errorf("line %d width %.3f pt, want justified to 100 pt", i, l.Width)
					}
				}
			})
		}
	}
}

func TestCNSLineEndCommaNotTrimmed(t *testing.T) {
	// cjk-cns: the comma at the line end keeps its em: the line is 10 em
	// at its natural width, every character on the em grid, the comma's
	// ink in the middle of the last em. In GB the same line is 9.5 em and
	// is spaced out.
	for _, br := range breakers {
		lines := set(t, "一二三四五六七八九，一二三", Params{Style: CNS, Breaker: br})
		l := lines[0]
		if !near(l.Natural, 10*size) || l.Ratio != 0 || l.ExtraPerGap != 0 {
			t.Errorf("%v: natural %.3f ratio %.3f extra %.3f, want 100, 0, 0", br, l.Natural, l.Ratio, l.ExtraPerGap)
		}
		for k, g := range l.Glyphs[:9] {
			if !near(g.X, float64(k)*size) {
				t.Errorf("%v: glyph %d at %.4f pt", br, k, g.X)
			}
		}
		if x := inkMid(t, lines, '，', 0); !near(x, 9.5) {
			t.Errorf("%v: ink of ， centred at %.4f em, want 9.5", br, x)
		}
		gb := set(t, "一二三四五六七八九，一二三", Params{Breaker: br})
		if !near(gb[0].Natural, 9.5*size) {
			t.Errorf("%v: GB natural %.3f, want 95", br, gb[0].Natural)
		}
	}
}

func TestGBGlyphsUnmoved(t *testing.T) {
	// cjk-cns: the style table leaves GB as it was: ，。：！ at their box's
	// left edge, “ at its right.
	lines := set(t, "一，二。三：四！五“六”", Params{Measure: 30 * size})
	for _, c := range []struct {
		r    rune
		want float64
	}{{'，', 1}, {'二', 2}, {'。', 3}, {'三', 4}, {'：', 5}, {'四', 6}, {'！', 7}, {'五', 8}, {'“', 9}, {'六', 10}, {'”', 11}} {
		if got := xOf(t, lines, c.r, 0); !near(got, c.want) {
			t.Errorf("%c at %.4f em, want %.4f", c.r, got, c.want)
		}
	}
}

// TestCNSStopsRaised: in CNS the ink of ，。、 is centred in the em box
// vertically too (the box's middle is 0.38 em above the baseline); GB
// leaves them on the baseline.
func TestCNSStopsRaised(t *testing.T) {
	face := serif(t)
	for _, st := range []Style{GB, CNS} {
		lines, err := Set([]Span{{Text: "你好，世界。", Faces: []*fonts.Face{face}, Size: size}}, Params{Measure: 30 * size, Style: st})
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range lines[0].Glyphs {
			if g.R != '，' && g.R != '。' {
				if g.Y != 0 {
					t.Errorf("%v: %q moved off the baseline by %.2f", st, g.R, g.Y)
				}
				continue
			}
			ink, ok := face.Ink(g.R)
			if !ok {
				t.Fatalf("no ink for %q", g.R)
			}
			mid := -g.Y/size + (ink.Y0+ink.Y1)/2 // ink middle above the baseline, in em
			switch {
			case st == GB && g.Y != 0:
				t.Errorf("GB %q moved off the baseline by %.2f", g.R, g.Y)
			case st == CNS && math.Abs(mid-0.38) > 1e-9:
				t.Errorf("CNS %q ink middle %.3f em above the baseline, want 0.38", g.R, mid)
			}
		}
	}
}
