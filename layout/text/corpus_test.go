package text

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"paiban/fonts"
)

// corpusDir holds the articles of the reference issue.
const corpusDir = "../../samples/zhenjing-2023-05/articles"

// corpus returns the body paragraphs of the reference issue's articles:
// front matter, headings, quotes and images left out.
func corpus(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(corpusDir, "*.md"))
	if err != nil || len(files) == 0 {
		t.Skipf("no articles in %s", corpusDir)
	}
	var paras []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		body := string(data)
		if rest, ok := strings.CutPrefix(body, "+++\n"); ok {
			if _, after, ok := strings.Cut(rest, "\n+++\n"); ok {
				body = after
			}
		}
		for _, block := range strings.Split(body, "\n\n") {
			block = strings.TrimSpace(block)
			if block == "" || strings.HasPrefix(block, "#") || strings.HasPrefix(block, ">") || strings.HasPrefix(block, "![") {
				continue
			}
			paras = append(paras, joinLines(block))
		}
	}
	return paras
}

// joinLines joins a paragraph's source lines: no space between two Chinese
// characters, a space otherwise.
func joinLines(block string) string {
	lines := strings.Split(block, "\n")
	var b strings.Builder
	for i, l := range lines {
		l = strings.TrimSpace(l)
		if i > 0 && b.Len() > 0 && l != "" {
			prev, _ := utf8.DecodeLastRuneInString(b.String())
			next, _ := utf8.DecodeRuneInString(l)
			if !classOf(prev).isCJK() || !classOf(next).isCJK() {
				b.WriteByte(' ')
			}
		}
		b.WriteString(l)
	}
	return b.String()
}

// setCorpus sets every paragraph as the sample does: 10 pt Noto Serif SC,
// 23 em measure, 2 em first-line indent.
func setCorpus(t testing.TB, paras []string, br Breaker) []Line {
	t.Helper()
	return setCorpusWith(t, paras, Params{Breaker: br})
}

// setCorpusWith sets every paragraph as the sample does, with the other
// settings of p.
func setCorpusWith(t testing.TB, paras []string, p Params) []Line {
	t.Helper()
	face := serif(t)
	p.Measure, p.Indent = 230, 20
	var all []Line
	for _, s := range paras {
		lines, err := Set([]Span{{Text: s, Faces: []*fonts.Face{face}, Size: 10}}, p)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, lines...)
	}
	return all
}

// TestCorpusStats sets the reference issue with both breakers and logs how
// evenly the lines are spaced (go test -run TestCorpusStats -v). Total fit
// must leave no lone character on a last line (R9); neither breaker may
// break against R1 or R6 or overfill a line.
func TestCorpusStats(t *testing.T) {
	paras := corpus(t)
	chars := 0
	for _, p := range paras {
		chars += utf8.RuneCountInString(p)
	}
	t.Logf("%d paragraphs, %d characters, 10 pt at 23 em, indent 2 em", len(paras), chars)
	t.Logf("%-9s %5s %5s %7s %7s %7s %7s %5s %5s %4s %4s %4s", "breaker", "lines", "inner", "meanR", "worstR", "meanX", "maxX", "loose", "push", "lone", "R1R6", "over")
	stats := map[Breaker]Summary{}
	for _, br := range []Breaker{Greedy, TotalFit} {
		s := Stats(setCorpus(t, paras, br))
		stats[br] = s
		t.Logf("%-9v %5d %5d %7.3f %7.3f %7.3f %7.3f %5d %5d %4d %4d %4d", br, s.Lines, s.Inner, s.MeanRatio, s.WorstRatio, s.MeanExtra, s.MaxExtra, s.Loose, s.PushedIn, s.Lone, s.Prohibited, s.Overfull)
		if s.Prohibited != 0 {
			t.Errorf("%v: %d breaks against R1/R6", br, s.Prohibited)
		}
		if s.Overfull != 0 {
			t.Errorf("%v: %d overfull lines", br, s.Overfull)
		}
	}
	// The options: hanging punctuation (R3) and the CNS style.
	for _, o := range []struct {
		name string
		p    Params
	}{
		{"tf+hang", Params{Hanging: true}},
		{"gr+hang", Params{Breaker: Greedy, Hanging: true}},
		{"tf CNS", Params{Style: CNS}},
		{"gr CNS", Params{Breaker: Greedy, Style: CNS}},
	} {
		s := Stats(setCorpusWith(t, paras, o.p))
		t.Logf("%-9s %5d %5d %7.3f %7.3f %7.3f %7.3f %5d %5d %4d %4d %4d  hung %d", o.name, s.Lines, s.Inner, s.MeanRatio, s.WorstRatio, s.MeanExtra, s.MaxExtra, s.Loose, s.PushedIn, s.Lone, s.Prohibited, s.Overfull, s.Hung)
		if s.Prohibited != 0 || s.Overfull != 0 || s.Lone != 0 {
			t.Errorf("%s: %d breaks against R1/R6, %d overfull, %d lone", o.name, s.Prohibited, s.Overfull, s.Lone)
		}
		if !o.p.Hanging && s.Hung != 0 {
			t.Errorf("%s: %d lines hung", o.name, s.Hung)
		}
	}
	tf, gr := stats[TotalFit], stats[Greedy]
	if tf.Lone != 0 {
		t.Errorf("total fit: %d last lines with a lone character (R9)", tf.Lone)
	}
	if gr.Lone != 0 {
		t.Errorf("greedy: %d last lines with a lone character (R9)", gr.Lone)
	}
	if tf.Loose > gr.Loose {
		t.Errorf("total fit has %d loose lines, greedy %d", tf.Loose, gr.Loose)
	}
}
