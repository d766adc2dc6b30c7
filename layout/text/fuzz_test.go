package text

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"paiban/fonts"
)

// FuzzSet feeds arbitrary text and measures to both line breakers, with
// hanging punctuation on or off and each punctuation style (mode: bit 0
// Hanging, bit 1 CNS): they must never panic, never lose or reorder a
// character, never start a line with a prohibited mark (unless the line is
// overfull), never make a justified line wider or narrower than the
// measure, never push a line in beyond its shrink, and hang only a single
// 、，。 (or ．｡､) at a line end, in GB, when Hanging is on, just past the
// line's end.
func FuzzSet(f *testing.F) {
	for _, s := range []string{
		"一二三四五六七八九十，一二三", "他说：“你好。”", "第4章介绍了基本的API。",
		"一二三四五六七八九——十", "hello world 中文 English", "（《》）！？", "a", "",
		"一二三四五六七八九十一二三四五六七八九十甲。", "好！“你”说？（笑）", "《一二三，四五六七，八九》十",
		"为积极贯彻党的二十大会议精神，践行以人民为中心的发展思想，截至2023年4月13日，该网点总兑换纪念币13918枚。",
	} {
		for mode := range uint8(4) {
			f.Add(s, 10.0, mode)
		}
	}
	f.Add("一二三四五六七八九十，一二三", 10.0, uint8(1))
	f.Add("一二三四五六七八九十。”一", 10.0, uint8(1))
	f.Add("一二三四五六七八九——一", 10.0, uint8(1))
	f.Add("他說：「你好。」", 3.0, uint8(2))
	face := serif(f)
	f.Fuzz(func(t *testing.T, s string, em float64, mode uint8) {
		if math.IsNaN(em) || em < 1 || em > 60 || !utf8.ValidString(s) {
			return
		}
		p := Params{Measure: em * 10, Indent: 20, Hanging: mode&1 != 0, Style: Style(mode >> 1 & 1)}
		for _, br := range []Breaker{TotalFit, Greedy} {
			p.Breaker = br
			checkFuzz(t, s, p, face)
		}
	})
}

func checkFuzz(t *testing.T, s string, p Params, face *fonts.Face) {
	br, em := p.Breaker, p.Measure/10
	var lines []Line
	var err error
	done := make(chan struct{})
	go func() {
		defer close(done)
		lines, err = Set([]Span{{Text: s, Faces: []*fonts.Face{face}, Size: 10}}, p)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		panic(fmt.Sprintf("%v: Set hangs on %q at %v em, %+v", br, s, em, p))
	}
	var mg *MissingGlyphError
	if errors.As(err, &mg) {
		return
	}
	if err != nil {
		t.Fatalf("%v: error %v", br, err)
	}
	var got strings.Builder
	for i, l := range lines {
		for _, g := range l.Glyphs {
			got.WriteRune(g.R)
		}
		if len(l.Glyphs) == 0 {
			t.Fatalf("%v: line %d empty", br, i)
		}
		if i > 0 && !l.Overfull && !lines[i-1].Overfull && noLineStart[l.Glyphs[0].R] && classOf(lines[i-1].Glyphs[len(lines[i-1].Glyphs)-1].R) != Latin {
			t.Errorf("%v: line %d starts with %q", br, i, l.Glyphs[0].R)
		}
		if i > 0 && !l.Overfull && !lines[i-1].Overfull && badBreak(lines[i-1], l) && classOf(lines[i-1].Glyphs[len(lines[i-1].Glyphs)-1].R) != Latin {
			t.Errorf("%v: lines %d and %d break against R1/R6", br, i-1, i)
		}
		inside := l.Glyphs // the glyphs in the measure
		if l.Hung {
			inside = inside[:len(inside)-1]
		}
		allLatin, rigid := true, true
		for k, g := range inside {
			c := classOf(g.R)
			allLatin = allLatin && c == Latin
			rigid = rigid && (k == 0 || c == classOf(inside[k-1].R) && (c == Dash || c == Ellipsis))
		}
		// A line of one Latin word, of one character (and a hung mark) or
		// of one —— or …… has no gap to justify at; every other line is
		// exactly the measure.
		if !l.Last && !l.Overfull && !allLatin && !rigid && math.Abs(l.Width-em*10) > 1e-6 {
			t.Errorf("%v: line %d width %.4f, measure %.4f", br, i, l.Width, em*10)
		}
		if !l.Overfull && (l.Width > em*10+1e-6 || l.Ratio < -1-1e-9) {
			t.Errorf("%v: line %d width %.4f ratio %.4f: pushed in beyond its shrink (measure %.4f)", br, i, l.Width, l.Ratio, em*10)
		}
		if l.Hung {
			n := len(l.Glyphs)
			g := l.Glyphs[n-1]
			switch {
			case !p.Hanging || p.Style != GB:
				t.Errorf("%v: line %d hangs %q, Hanging %v, style %v", br, i, g.R, p.Hanging, p.Style)
			case n < 2 || classOf(g.R) != PauseStop || classOf(l.Glyphs[n-2].R).isPunct():
				t.Errorf("%v: line %d hangs %q after %q", br, i, g.R, l.Glyphs[max(n-2, 0)].R)
			case math.Abs(g.X-l.Width) > 1e-6:
				t.Errorf("%v: line %d hangs %q at %.4f, its end is %.4f", br, i, g.R, g.X, l.Width)
			}
		}
	}
	want := strings.Map(func(r rune) rune {
		if classOf(r) == Space {
			return -1
		}
		return r
	}, s)
	if got.String() != want {
		t.Fatalf("%v: text changed:\n got %q\nwant %q", br, got.String(), want)
	}
}

var benchText = strings.Repeat("为积极贯彻党的二十大会议精神，践行以人民为中心的发展思想，持续巩固深化人民满意银行建设成果，按照总行服务管理工作意见，分行积极建立服务体验官工作制度，通过构建“沉浸式体验、对比式分析、创新式应用”机制，截至2023年4月13日，该网点总兑换纪念币13918枚，为分行业务发展及服务品质持续提升提供新思路。", 200)

// BenchmarkSet30k sets 30,000 characters in 23-em lines, in paragraphs of
// about 150 characters, as a magazine column, with each breaker.
func BenchmarkSet30k(b *testing.B) {
	face := serif(b)
	rs := []rune(benchText)[:30000]
	var paras []string
	for i := 0; i < len(rs); i += 150 {
		paras = append(paras, string(rs[i:min(i+150, len(rs))]))
	}
	for _, br := range []Breaker{Greedy, TotalFit} {
		b.Run(br.String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, p := range paras {
					if _, err := Set([]Span{{Text: p, Faces: []*fonts.Face{face}, Size: 10}}, Params{Measure: 230, Indent: 20, Breaker: br}); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
