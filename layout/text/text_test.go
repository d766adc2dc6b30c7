package text

import (
	"math"
	"strings"
	"testing"

	"paiban/fonts"
)

// The convention of typography.md: 10 pt type, a measure of exactly 10 em,
// justified; `|` marks a line break.
const size = 10.0

func serif(t testing.TB) *fonts.Face {
	t.Helper()
	s, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	return s.Face(fonts.SerifRegular)
}

func set(t testing.TB, s string, p Params) []Line {
	t.Helper()
	if p.Measure == 0 {
		p.Measure = 10 * size
	}
	lines, err := Set([]Span{{Text: s, Faces: []*fonts.Face{serif(t)}, Size: size}}, p)
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

func joined(lines []Line) string {
	var parts []string
	for _, l := range lines {
		var b strings.Builder
		for _, g := range l.Glyphs {
			b.WriteRune(g.R)
		}
		parts = append(parts, b.String())
	}
	return strings.Join(parts, "|")
}

// xOf returns the x (in em) of the n-th occurrence (0-based) of r.
func xOf(t *testing.T, lines []Line, r rune, n int) float64 {
	t.Helper()
	for _, l := range lines {
		for _, g := range l.Glyphs {
			if g.R == r {
				if n == 0 {
					return g.X / size
				}
				n--
			}
		}
	}
	t.Fatalf("no %q", r)
	return 0
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

func TestBreaks(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		// R1 line-start and line-end prohibitions.
		{"cjk-r1-comma-not-at-line-start", "一二三四五六七八九十，一二三", "一二三四五六七八九|十，一二三"},
		{"cjk-r1-opening-quote-not-at-line-end", "一二三四五六七八九“十”", "一二三四五六七八九|“十”"},
		{"cjk-r1-interpunct-not-at-line-start", "一二三四五六七八九十·努尔", "一二三四五六七八九|十·努尔"},
		{"cjk-r1-closing-bracket", "一二三四五六七八九十）二", "一二三四五六七八九|十）二"},
		{"cjk-r1-halfwidth-comma-after-cjk", "一二三四五六七八九十,二", "一二三四五六七八九|十,二"},
		// R2 push in first.
		{"cjk-r2-push-in", "一二三，四五六七八九，十一", "一二三，四五六七八九，|十一"},
		// R4 a line-end stop shrinks to half an em.
		{"cjk-r4-line-end-stop", "一二三四五六七八九。一二三四五六七八九十", "一二三四五六七八九。|一二三四五六七八九十"},
		// R5 Latin words and numbers are not split.
		{"cjk-r5-number-unbroken", "一二三四五六七八九123456", "一二三四五六七八九|123456"},
		{"cjk-r5-percent-stays", "一二三四五六七八50%左右", "一二三四五六七八|50%左右"},
		{"cjk-r5-latin-word", "一二三四五六七八九API接口", "一二三四五六七八九|API接口"},
		// R6 two-em marks are never split.
		{"cjk-r6-dash", "一二三四五六七八九——十", "一二三四五六七八九|——十"},
		{"cjk-r6-ellipsis", "一二三四五六七八九……十", "一二三四五六七八九|……十"},
		// R7 35 Han characters make 3½ lines.
		{"cjk-r7-35-han", strings.Repeat("永", 35), strings.Repeat("永", 10) + "|" + strings.Repeat("永", 10) + "|" + strings.Repeat("永", 10) + "|" + strings.Repeat("永", 5)},
	}
	for _, tc := range tests {
		for _, br := range breakers {
			t.Run(tc.name+"/"+br.String(), func(t *testing.T) {
				lines := set(t, tc.in, Params{Breaker: br})
				if got := joined(lines); got != tc.want {
					t.Errorf("breaks\n got %s\nwant %s", got, tc.want)
				}
				for i, l := range lines {
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

// breakers are the line breakers every rule test runs with.
var breakers = []Breaker{TotalFit, Greedy}

func TestPositions(t *testing.T) {
	wide := Params{Measure: 30 * size}
	tests := []struct {
		name    string
		in      string
		p       Params
		a       rune // x(b) − x(a) must be want em
		an      int
		b       rune
		bn      int
		wantEm  float64
		comment string
	}{
		{"cjk-r4-adjacent-closing-and-exclamation", "原来，你也玩《原神》！？", wide, '》', 0, '？', 0, 1.5, "》 loses its right blank before ！"},
		{"cjk-r4-colon-before-quote", "他说：“你好。”", wide, '说', 0, '你', 0, 2.5, "：“ make 1.5 em"},
		{"cjk-r4-nested-closing", "《书名〈章节〉》", wide, '〉', 0, '》', 0, 0.5, "〉》: the first closes up"},
		{"cjk-r4-quotes-full-width", "他说“好”", wide, '说', 0, '好', 0, 2, "“ from the CJK font, one em"},
		{"cjk-r2-first-comma-half", "一二三，四五六七八九，十一", Params{}, '一', 0, '四', 0, 3.5, "the inner comma is pushed in to ½ em"},
		{"cjk-r2-last-comma", "一二三，四五六七八九，十一", Params{}, '一', 0, '，', 1, 9.5, "the line-end comma sits in the last half em"},
		{"cjk-r4-line-end-stop-spaced", "一二三四五六七八九。一二三四五六七八九十", Params{}, '一', 0, '。', 0, 9.5, "9.5 em natural, spaced out to 10 em"},
		{"cjk-r4-line-end-stop-gap", "一二三四五六七八九。一二三四五六七八九十", Params{}, '一', 0, '二', 0, 1 + 0.5/9, "the half em is spread over 9 gaps"},
		{"cjk-r5-quarter-em", "第4章介绍了基本的API。", wide, '第', 0, '4', 0, 1.25, "¼ em between Han and a digit"},
		{"cjk-r8-indent", "一二三四五六七八九十一二三", Params{Indent: 2 * size}, '一', 0, '二', 0, 1, ""},
	}
	for _, tc := range tests {
		for _, br := range breakers {
			t.Run(tc.name+"/"+br.String(), func(t *testing.T) {
				p := tc.p
				p.Breaker = br
				lines := set(t, tc.in, p)
				got := xOf(t, lines, tc.b, tc.bn) - xOf(t, lines, tc.a, tc.an)
				if !near(got, tc.wantEm) {
					t.Errorf("x(%c) − x(%c) = %.4f em, want %.4f (%s); lines %s", tc.b, tc.a, got, tc.wantEm, tc.comment, joined(lines))
				}
			})
		}
	}
}

func TestLatinTouchesPunctuation(t *testing.T) {
	// cjk-r5: no gap between I and 。
	lines := set(t, "第4章介绍了基本的API。", Params{Measure: 30 * size})
	f := serif(t)
	adv, _ := f.Advance('I')
	if got, want := xOf(t, lines, '。', 0), xOf(t, lines, 'I', 0)+adv; !near(got, want) {
		t.Errorf("x(。) = %.4f em, want %.4f (right after I)", got, want)
	}
}

func TestEveryGlyphOnTheEmGrid(t *testing.T) {
	// cjk-r7: 35 Han characters at a 10 em measure: every glyph at x = k·1 em.
	lines := set(t, strings.Repeat("国", 35), Params{})
	for i, l := range lines {
		for k, g := range l.Glyphs {
			if g.X != float64(k)*size {
				t.Errorf("line %d glyph %d at %.6f pt, want %v", i, k, g.X, float64(k)*size)
			}
		}
	}
	if last := lines[len(lines)-1]; !near(last.Width, 5*size) {
		t.Errorf("last line width %.3f, want 50 pt: the last line is not stretched", last.Width)
	}
}

func TestIndentFirstLine(t *testing.T) {
	// cjk-r8: a 2 em first-line indent; the first line holds 8 characters.
	lines := set(t, strings.Repeat("国", 20), Params{Indent: 2 * size})
	if got := joined(lines); got != strings.Repeat("国", 8)+"|"+strings.Repeat("国", 10)+"|国国" {
		t.Errorf("got %s", got)
	}
	if x := lines[0].Glyphs[0].X; x != 2*size {
		t.Errorf("first glyph at %v, want 20", x)
	}
}

func TestDashPairTouches(t *testing.T) {
	// —— is one unbroken line: the first dash's ink ends where the
	// second's begins, and the pair's ink is centred in its two em.
	lines := set(t, "一——二", Params{Measure: 30 * size})
	f := serif(t)
	ink, ok := f.Ink('—')
	if !ok {
		t.Fatal("no ink for —")
	}
	d1, d2 := xOf(t, lines, '—', 0), xOf(t, lines, '—', 1)
	if end1, start2 := d1+ink.X1, d2+ink.X0; !near(end1, start2) {
		t.Errorf("the first dash's ink ends at %.3f em, the second's starts at %.3f: not one line", end1, start2)
	}
	box := xOf(t, lines, '一', 0) + 1 // the two em after 一
	if mid := (d1 + ink.X0 + d2 + ink.X1) / 2; !near(mid, box+1) {
		t.Errorf("the pair's ink is centred at %.3f em, want %.3f", mid, box+1)
	}
	if !near(xOf(t, lines, '二', 0)-xOf(t, lines, '一', 0), 3) {
		t.Errorf("—— must take exactly two em")
	}
}

func TestOpeningTrimOption(t *testing.T) {
	in := "一二三四五六七八九十《书》"
	lines := set(t, in, Params{TrimOpeningAtLineStart: true})
	if joined(lines) != "一二三四五六七八九十|《书》" {
		t.Fatalf("got %s", joined(lines))
	}
	if x := lines[1].Glyphs[0].X; !near(x, -size/2) {
		// The ink of 《 sits in the right half of its em box; trimming the
		// blank half puts the box's origin half an em before the line start
		// and the ink flush with it.
		t.Errorf("《 at %.3f pt, want -5 (ink flush at the line start)", x)
	}
}

func TestMissingGlyph(t *testing.T) {
	_, err := Set([]Span{{Text: "一𠮷二", Faces: []*fonts.Face{serif(t)}, Size: size, Tag: 7}}, Params{Measure: 100})
	mg, ok := err.(*MissingGlyphError)
	if !ok {
		t.Fatalf("err = %v, want *MissingGlyphError", err)
	}
	if mg.R != 0x20BB7 || mg.Tag != 7 || mg.Offset != 3 {
		t.Errorf("got %+v", mg)
	}
	if !strings.Contains(mg.Error(), "U+20BB7") {
		t.Errorf("message %q does not name U+20BB7", mg.Error())
	}
}

func TestNoLineStartsOrEndsBadly(t *testing.T) {
	// A long mixed paragraph at several measures: no line may start with a
	// prohibited mark or end with an opening one.
	in := strings.Repeat("他说：“你好，世界。”《原神》（游戏）第4章介绍API——然后……好！", 20)
	for m := 8; m <= 25; m++ {
		for _, br := range breakers {
			noBadBreaks(t, set(t, in, Params{Measure: float64(m) * size, Indent: 2 * size, Breaker: br}), m, br)
		}
	}
}

// noBadBreaks checks lines set at a measure of m em against R1, and that
// every line but the last is justified to the measure.
func noBadBreaks(t *testing.T, lines []Line, m int, br Breaker) {
	t.Helper()
	for i, l := range lines {
		first, last := l.Glyphs[0].R, l.Glyphs[len(l.Glyphs)-1].R
		if i > 0 && noLineStart[first] {
			t.Errorf("%v: measure %d line %d starts with %q", br, m, i, first)
		}
		if noLineEnd[last] {
			t.Errorf("%v: measure %d line %d ends with %q", br, m, i, last)
		}
		if l.Overfull {
			t.Errorf("%v: measure %d line %d overfull", br, m, i)
		}
		if !l.Last && math.Abs(l.Width-float64(m)*size) > 1e-6 {
			t.Errorf("%v: measure %d line %d width %.3f", br, m, i, l.Width)
		}
	}
}
