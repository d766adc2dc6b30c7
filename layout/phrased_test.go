package layout

import (
	"strings"
	"testing"

	"paiban/fonts"
	"paiban/layout/text"
)

// TestPhrased: pull quotes break where clauses end, in as few lines as a
// plain setting, the longest line as short as it can be; when a clause is
// longer than the measure there is no such breaking.
func TestPhrased(t *testing.T) {
	set, err := fonts.NewDefaultSet()
	if err != nil {
		t.Fatal(err)
	}
	fs := &faceSet{set: set}
	st := defaultStyle(fs)
	el := st.Pull // 17 pt
	em := el.Size
	s := setter{}
	for _, c := range []struct {
		text  string
		chars float64 // measure, in characters
		want  []string
	}{
		{"流水不腐，户枢不蠹。客户的满意度和信任度始终是云山支行服务工作最重要的衡量标准。", 34,
			[]string{"流水不腐，户枢不蠹。", "客户的满意度和信任度始终是云山支行服务工作最重要的衡量标准。"}},
		// Two breaks would do; the evener pair wins.
		{"为民服务，始于足下。云山支行一直将服务客户作为首要使命，聚焦“一老一小”客户群体。", 20,
			[]string{"为民服务，始于足下。", "云山支行一直将服务客户作为首要使命，", "聚焦“一老一小”客户群体。"}},
		// A closing quote stays with the clause it closes.
		{"他说：“走吧。”我们就走了，一直走到天黑。", 12,
			[]string{"他说：“走吧。”", "我们就走了，一直走到天黑。"}},
		// One line when it fits.
		{"服务就是用服务者的脚去穿顾客的鞋子", 20, []string{"服务就是用服务者的脚去穿顾客的鞋子"}},
		// A clause longer than the measure: no phrased breaking.
		{"为周边百姓提供有温度的金融服务，致力打造百姓满意的银行。", 12, nil},
	} {
		lines, ok, err := s.phrased(c.text, el, source{file: "t.md"}, c.chars*em)
		if err != nil {
			t.Fatal(err)
		}
		if c.want == nil {
			if ok {
				t.Errorf("%s: phrased %q, want none", c.text, lineTexts(lines))
			}
			continue
		}
		if got := lineTexts(lines); !ok || strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("%s at %g em:\n got %q (ok %v)\nwant %q", c.text, c.chars, got, ok, c.want)
		}
	}
}

func lineTexts(lines []text.Line) []string {
	var out []string
	for _, l := range lines {
		rs := make([]rune, 0, len(l.Glyphs))
		for _, g := range l.Glyphs {
			rs = append(rs, g.R)
		}
		out = append(out, string(rs))
	}
	return out
}
