package manifest

import (
	"fmt"
	"strings"
	"testing"
)

// fm is a front matter of three lines; a body after it starts on line 4
// (line 5 after the usual blank line).
const fm = "+++\ntitle = \"标题\"\n+++\n"

func mustArticle(t *testing.T, src string) *Article {
	t.Helper()
	a, err := ParseArticle("a.md", []byte(src))
	if err != nil {
		t.Fatalf("ParseArticle:\n%v", err)
	}
	return a
}

// dump shows blocks one a line: kind, line, then the text with styles
// marked as in Markdown.
func dump(bs []Block) string {
	var lines []string
	for _, b := range bs {
		s := fmt.Sprintf("%s@%d", b.Kind, b.Line)
		if b.Kind == Heading {
			s += fmt.Sprintf("/h%d", b.Level)
		}
		if b.Kind == Figure {
			s += fmt.Sprintf("[%s]", b.Src)
		}
		lines = append(lines, s+" "+inlinesString(b.Inlines))
	}
	return strings.Join(lines, "\n")
}

func TestArticleText(t *testing.T) {
	for _, c := range []struct{ name, body, want string }{
		// soft line breaks
		{"cjk-soft-break", "第一行\n第二行", "第一行第二行"},
		{"latin-soft-break", "hello\nworld", "hello world"},
		{"cjk-latin-soft-break", "中文\nEnglish", "中文English"},
		{"latin-cjk-soft-break", "English\n中文", "English中文"},
		{"cjk-punct-soft-break", "他说：\n“走吧。”\n然后", "他说：“走吧。”然后"},
		{"shared-punct-soft-break", "下一行……\nEnglish", "下一行……English"},
		{"latin-quote-soft-break", "a “quote”\nand more", "a “quote” and more"},
		{"fullwidth-soft-break", "ＡＢＣ\nabc", "ＡＢＣabc"},
		{"kana-soft-break", "ひらがな\nカタカナ", "ひらがなカタカナ"},
		{"hangul-soft-break", "한국어\n문장", "한국어 문장"},
		{"number-soft-break", "2023\n5", "2023 5"},
		{"soft-break-trailing-spaces", "第一行 \n 第二行", "第一行第二行"},
		{"soft-break-in-strong", "**第一行\n第二行**", "**第一行****第二行**"},
		{"soft-break-before-strong", "第一行\n**第二行**", "第一行**第二行**"},
		// hard line breaks are joined like soft ones
		{"cjk-hard-break-spaces", "第一行  \n第二行", "第一行第二行"},
		{"cjk-hard-break-backslash", "第一行\\\n第二行", "第一行第二行"},
		{"latin-hard-break", "hello  \nworld", "hello world"},
		// whitespace
		{"collapse", "a   b\t\tc", "a b c"},
		{"collapse-cjk", "中文   中文", "中文 中文"},
		{"trim", "  文字  ", "文字"},
		{"ideographic-indent", "\u3000\u3000段落开头。\u3000", "段落开头。"},
		{"inner-ideographic-space", "客户为尊\u3000服务如意", "客户为尊\u3000服务如意"},
		// inline markup
		{"emph", "*斜体*和**粗体**", "*斜体*和**粗体**"},
		{"strong-emph", "***粗斜***", "***粗斜***"},
		{"code-span", "用`go test`测试", "用go test测试"},
		{"code-span-keeps-stars", "`**`号", "**号"},
		{"link", "见[网站](http://example.com)。", "见网站。"},
		{"autolink", "见<http://example.com>。", "见http://example.com。"},
		{"escape", `\*不是强调\*`, "*不是强调*"},
		{"entity", "A&amp;B&#20013;&copy;", "A&B中©"},
		{"html-comment", "文字<!-- 注释 -->文字", "文字文字"},
		// CJK-friendly emphasis
		{"cjk-strong-book-title", "他读了**《三体》**三遍", "他读了**《三体》**三遍"},
		{"cjk-strong-quotes", "这是**“重点”**内容", "这是**“重点”**内容"},
		{"cjk-strong-ends-in-punct", "**重要。**然后", "**重要。**然后"},
		{"cjk-strong-starts-with-punct", "看**（注）**吧", "看**（注）**吧"},
		{"cjk-emph-book-title", "读*《诗经》*吧", "读*《诗经》*吧"},
		{"cjk-strong-plain", "中**文**字", "中**文**字"},
		{"latin-strong", "a **b** c", "a **b** c"},
		{"latin-intraword", "foo**bar**baz", "foo**bar**baz"},
		{"underscore-intraword-cjk", "中文_强调_中文", "中文_强调_中文"},
		{"underscore", "_强调_", "*强调*"},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := mustArticle(t, fm+"\n"+c.body+"\n")
			if len(a.Blocks) != 1 {
				t.Fatalf("%d blocks:\n%s", len(a.Blocks), dump(a.Blocks))
			}
			if got := inlinesString(a.Blocks[0].Inlines); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

// The CommonMark case the amendment is for, with positions.
func TestCJKStrong(t *testing.T) {
	a := mustArticle(t, fm+"\n他读了**《三体》**三遍\n")
	want := []Inline{
		{Text: "他读了", Line: 5, Col: 1},
		{Text: "《三体》", Strong: true, Line: 5, Col: 12},
		{Text: "三遍", Line: 5, Col: 26},
	}
	if got := a.Blocks[0].Inlines; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestArticleBlocks(t *testing.T) {
	src := `+++
title = "分行建立服务体验官工作制度"
kicker = "【服务宣传分享】"
+++

第一段，
接着第一段。

## 小标题

小节
===

> 引语一
> 接着
>
> 引语二

![照片说明](images/photo.jpg)
![第二张](images/b.png)

1. 第一点
2) 第二点

- 甲
- 乙
  1. 嵌套

#### 四级标题 ####

> > 接着第一段。
`
	a := mustArticle(t, src)
	want := `paragraph@6 第一段，接着第一段。
heading@9/h2 小标题
heading@11/h1 小节
quote@14 引语一接着
quote@17 引语二
figure@19[images/photo.jpg] 照片说明
figure@20[images/b.png] 第二张
paragraph@22 1. 第一点
paragraph@23 2) 第二点
paragraph@25 甲
paragraph@26 乙
paragraph@27 1. 嵌套
heading@29/h4 四级标题
pull quote@31 接着第一段。`
	if got := dump(a.Blocks); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if a.Title != "分行建立服务体验官工作制度" || a.Kicker != "【服务宣传分享】" || a.TitleLine != 2 || a.Lang != "zh-Hans" {
		t.Errorf("front matter: %+v", a)
	}
	if a.File != "a.md" {
		t.Errorf("File = %q", a.File)
	}
	for _, b := range a.Blocks {
		if b.Kind == Figure && b.Image != "" {
			t.Errorf("ParseArticle resolved an image: %q", b.Image)
		}
	}
	// inline positions
	p := a.Blocks[0].Inlines
	if len(p) != 2 || p[0].Line != 6 || p[0].Col != 1 || p[1].Line != 7 || p[1].Col != 1 {
		t.Errorf("inlines of the first paragraph: %+v", p)
	}
	if h := a.Blocks[1].Inlines[0]; h.Line != 9 || h.Col != 4 {
		t.Errorf("heading inline at %d:%d, want 9:4", h.Line, h.Col)
	}
	if q := a.Blocks[4].Inlines[0]; q.Line != 17 || q.Col != 3 {
		t.Errorf("quote inline at %d:%d, want 17:3", q.Line, q.Col)
	}
	if f := a.Blocks[5].Inlines[0]; f.Line != 19 || f.Col != 3 {
		t.Errorf("caption at %d:%d, want 19:3", f.Line, f.Col)
	}
}

// Block lines count the front matter, however long it is.
func TestBlockLinesAfterFrontMatter(t *testing.T) {
	for _, n := range []int{0, 1, 5, 20} {
		var b strings.Builder
		b.WriteString("+++\ntitle = \"t\"\n")
		for i := 0; i < n; i++ {
			b.WriteString("# comment\n")
		}
		b.WriteString("+++\n\n\n段落一\n\n## 标题\n")
		a := mustArticle(t, b.String())
		if a.Blocks[0].Line != n+6 || a.Blocks[1].Line != n+8 {
			t.Errorf("%d comment lines: blocks on lines %d and %d, want %d and %d",
				n, a.Blocks[0].Line, a.Blocks[1].Line, n+6, n+8)
		}
	}
}

// Windows line ends and a byte order mark change nothing.
func TestArticleCRLFAndBOM(t *testing.T) {
	src := "\xEF\xBB\xBF+++\r\ntitle = \"t\"\r\n+++\r\n\r\n第一行\r\n第二行\r\nhello\r\nworld\r\n"
	a := mustArticle(t, src)
	if got := dump(a.Blocks); got != "paragraph@5 第一行第二行hello world" {
		t.Errorf("got %s", got)
	}
}

func TestArticleFrontMatter(t *testing.T) {
	a := mustArticle(t, `+++
# a comment
title = "  服務故事  "
author = "李楷"
affiliation = "工业支行"
source = "转《信息时报》"
credit = "（感谢第二支行的支持）"
lang = "zh-Hant"
+++

正文
`)
	if a.Title != "服務故事" || a.TitleLine != 3 || a.Author != "李楷" || a.Affiliation != "工业支行" ||
		a.Source != "转《信息时报》" || a.Credit != "（感谢第二支行的支持）" || a.Lang != "zh-Hant" {
		t.Errorf("%+v", a)
	}
}

func TestArticleErrors(t *testing.T) {
	for _, c := range []struct {
		name, src string
		want      []string
	}{
		{"invalid utf-8", fm + "\n中文\xe4\xb8\n", []string{"a.md:5:7: invalid UTF-8 (byte 0xe4)"}},
		{"invalid utf-8 in front matter", "+++\ntitle = \"\xff\"\n+++\n", []string{"a.md:2:10: invalid UTF-8 (byte 0xff)"}},
		{"empty", "", []string{"a.md:1:1: the article is empty"}},
		{"blank", " \n\n", []string{"a.md:1:1: the article is empty"}},
		{"no front matter", "正文\n", []string{"a.md:1:1: missing front matter"}},
		{"front matter not first", "\n+++\ntitle = \"t\"\n+++\n正文\n", []string{"a.md:1:1: missing front matter"}},
		{"unterminated front matter", "+++\ntitle = \"t\"\n正文\n", []string{"a.md:1:1: the front matter is not closed"}},
		{"no body", fm, []string{"a.md:4:1: the article has no text"}},
		{"only a comment", fm + "\n<!-- 待写 -->\n", []string{"a.md:4:1: the article has no text"}},
		{"front matter syntax", "+++\ntitle = \"t\"\nauthor = \n+++\n\n正文\n", []string{`a.md:3:10: front matter: expected value but found '\n' instead — fix the TOML syntax`}},
		{"front matter duplicate key", "+++\ntitle = \"t\"\ntitle = \"u\"\n+++\n\n正文\n", []string{"a.md:3:13: front matter: key 'title' has already been defined — fix the TOML syntax"}},
		{"front matter wrong type", "+++\ntitle = \"t\"\nauthor = 3\n+++\n\n正文\n", []string{`a.md:3:10: author in the front matter must be a string, not an integer — quote it: author = "3"`}},
		{"front matter table", "+++\ntitle = \"t\"\n[meta]\nx = 1\n+++\n\n正文\n", []string{`a.md:3:1: unknown key "meta" in the front matter`}},
		{"missing title", "+++\nauthor = \"x\"\n+++\n\n正文\n", []string{"a.md:1:1: the front matter has no title"}},
		{"empty title", "+++\ntitle = \"\"\n+++\n\n正文\n", []string{"a.md:2:9: title in the front matter is empty"}},
		{"raw html inline", fm + "\n第一段<span>红</span>\n", []string{"a.md:5:10: raw HTML is not supported", "a.md:5:19: raw HTML is not supported"}},
		{"raw html block", fm + "\n<div align=center>\n正文\n</div>\n", []string{"a.md:5:1: raw HTML is not supported — remove the tag, or write \\< for a literal <"}},
		{"code block", fm + "\n    缩进的段落\n", []string{"a.md:5:5: code blocks are not supported — remove the indentation"}},
		{"fenced code", fm + "\n```\ncode\n```\n", []string{"a.md:5:1: code blocks are not supported — remove the ``` or ~~~ fence"}},
		{"thematic break", fm + "\n正文\n\n***\n\n正文\n", []string{"a.md:7:1: thematic breaks (---, ***) are not supported"}},
		{"table", fm + "\n| a | b |\n|---|---|\n| 1 | 2 |\n", []string{"a.md:5:1: tables are not supported"}},
		{"image in text", fm + "\n文字![图](a.png)文字\n", []string{"a.md:5:7: an image must be a paragraph of its own"}},
		{"image without path", fm + "\n![图]()\n", []string{"a.md:5:1: image has no path"}},
		{"empty heading", fm + "\n正文\n\n##\n", []string{"a.md:7:1: empty heading"}},
		{"pull quote not in the text", fm + "\n客户为尊，服务如意。\n\n> > 客户为尊服务如意\n", []string{"a.md:7:1: the pull quote (> > …) is not in the article's text — a pull quote repeats the article's words"}},
		{"pull quote of a pull quote", fm + "\n正文\n\n> > 重复\n\n> > 重复\n", []string{"a.md:7:1: the pull quote", "a.md:9:1: the pull quote"}},
		{"unmatched strong", fm + "\n他读了**三体三遍\n", []string{"a.md:5:10: unmatched ** — close the bold text with **, or write \\*\\* for literal asterisks"}},
		{"unmatched strong in latin", fm + "\n" + `a**"b"**c` + "\n", []string{"a.md:5:2: unmatched **", "a.md:5:7: unmatched **"}},
		{
			"every problem, sorted",
			"+++\ntitle = 1\nfoo = \"x\"\n+++\n\n<b>x</b>\n\n---\n\n正文**\n",
			[]string{
				"a.md:2:9: title in the front matter must be a string",
				`a.md:3:1: unknown key "foo"`,
				"a.md:6:1: raw HTML",
				"a.md:6:5: raw HTML",
				"a.md:8:1: thematic breaks",
				"a.md:10:7: unmatched **",
			},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, err := ParseArticle("a.md", []byte(c.src))
			if err == nil {
				t.Fatalf("no error; blocks:\n%s", dump(a.Blocks))
			}
			if a != nil {
				t.Errorf("ParseArticle returned an article and an error")
			}
			checkErrors(t, err, c.want)
		})
	}
}

// BenchmarkParseArticle parses an article of 200 paragraphs.
func BenchmarkParseArticle(b *testing.B) {
	var s strings.Builder
	s.WriteString(fm)
	for i := 0; i < 200; i++ {
		s.WriteString("\n为进一步提升服务质量，分行建立**服务体验官**工作制度，\n由各级管理人员以客户身份体验网点服务。Latin text, too.\n")
	}
	src := []byte(s.String())
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := ParseArticle("a.md", src); err != nil {
			b.Fatal(err)
		}
	}
}

// A long line costs time in proportion to its length.
func TestLongLine(t *testing.T) {
	line := strings.Repeat("中文&amp;text **粗** ", 20000)
	a := mustArticle(t, fm+"\n"+line+"\n")
	if n := len(a.Blocks[0].Inlines); n != 40000 {
		t.Errorf("%d inlines, want 40000", n)
	}
}

func TestFigurePlacement(t *testing.T) {
	for _, c := range []struct {
		name, image string
		want        Placement
	}{
		{"no title", `![图](a.png)`, Placement{}},
		{"empty title", `![图](a.png "")`, Placement{}},
		{"defaults written", `![图](a.png "column here fill")`, Placement{}},
		{"wide", `![图](a.png "wide")`, Placement{Span: SpanWide}},
		{"page", `![图](a.png "page")`, Placement{Span: SpanPage}},
		{"page here", `![图](a.png "page here")`, Placement{Span: SpanPage}},
		{"bleed fit", `![图](a.png "bleed fit")`, Placement{Span: SpanBleed, Fit: true}},
		{"top", `![图](a.png "top")`, Placement{Where: Top}},
		{"any order, any case", `![图](a.png "BOTTOM Wide")`, Placement{Span: SpanWide, Where: Bottom}},
		{"focus corners", `![图](a.png "focus=0%,100%")`, Placement{FocusX: -0.5, FocusY: 0.5}},
		{"focus with blanks", `![图](a.png "focus = 30% , 40.5%")`, Placement{FocusX: -0.2, FocusY: -0.095}},
		{"everything", `![图](a.png "fit focus=50%,50% wide top")`, Placement{Span: SpanWide, Where: Top, Fit: true}},
		{"single quotes", `![图](a.png 'wide fit')`, Placement{Span: SpanWide, Fit: true}},
		{"parentheses", `![图](a.png (wide))`, Placement{Span: SpanWide}},
		{"escaped", `![图](a.png "focus=30\%,40%")`, Placement{FocusX: -0.2, FocusY: -0.1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := mustArticle(t, fm+"\n"+c.image+"\n")
			if len(a.Blocks) != 1 || a.Blocks[0].Kind != Figure {
				t.Fatalf("blocks:\n%s", dump(a.Blocks))
			}
			got := a.Blocks[0].Place
			if got.Span != c.want.Span || got.Where != c.want.Where || got.Fit != c.want.Fit ||
				!near(got.FocusX, c.want.FocusX) || !near(got.FocusY, c.want.FocusY) {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
		})
	}
}

// The lead image is recorded as written; ParseArticle checks no file.
func TestArticleLeadImage(t *testing.T) {
	for _, c := range []struct {
		name, front string
		src         string
		x, y        float64
	}{
		{"image", `image = "images/lead.jpg"`, "images/lead.jpg", 0, 0},
		{"image and focus", "image = \"images/lead.jpg\"\nimage_focus = \"50%,30%\"", "images/lead.jpg", 0, -0.2},
		{"focus first, with blanks", "image_focus = \" 100 % , 0% \"\nimage = \"../x.png\"", "../x.png", 0.5, -0.5},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := mustArticle(t, "+++\ntitle = \"t\"\n"+c.front+"\n+++\n\n正文\n")
			if a.ImageSrc != c.src || a.Image != "" || !near(a.ImageFocusX, c.x) || !near(a.ImageFocusY, c.y) {
				t.Errorf("ImageSrc %q, Image %q, focus %v, %v; want %q, \"\", %v, %v",
					a.ImageSrc, a.Image, a.ImageFocusX, a.ImageFocusY, c.src, c.x, c.y)
			}
		})
	}
}

func TestPlacementErrors(t *testing.T) {
	const accepted = "(accepted: column, wide, page or bleed; here, top or bottom; fill or fit; focus=X%,Y%)"
	for _, c := range []struct {
		name, src string
		want      []string
	}{
		{"unknown word", fm + "\n![图](a.png \"wdie\")\n", []string{`a.md:5:1: unknown placement "wdie" in the image's title ` + accepted + ` — did you mean "wide"?`}},
		{"caption in the title", fm + "\n![图](a.png \"现场照片\")\n", []string{`a.md:5:1: unknown placement "现场照片" in the image's title ` + accepted + ` — put the caption between [ and ]`}},
		{"sentence in the title", fm + "\n![图](a.png \"a photo of the branch\")\n", []string{`a.md:5:1: the image's title "a photo of the branch" is not a placement`}},
		{"unknown and known", fm + "\n![图](a.png \"wide topp\")\n", []string{`a.md:5:1: unknown placement "topp" in the image's title ` + accepted + ` — did you mean "top"?`}},
		{"second image on the line", fm + "\n![一](a.png) ![二](b.png \"wdie\")\n", []string{`a.md:5:15: unknown placement "wdie"`}},
		{"two spans", fm + "\n![图](a.png \"wide page\")\n", []string{`a.md:5:1: two spans, "wide" and "page", in the image's title — keep one of column, wide, page or bleed`}},
		{"span twice", fm + "\n![图](a.png \"wide wide\")\n", []string{`a.md:5:1: "wide" twice in the image's title — write it once`}},
		{"two positions", fm + "\n![图](a.png \"top bottom\")\n", []string{`a.md:5:1: two positions, "top" and "bottom", in the image's title — keep one of here, top or bottom`}},
		{"fill and fit", fm + "\n![图](a.png \"fit fill\")\n", []string{`a.md:5:1: both "fill" and "fit" in the image's title — keep one`}},
		{"bad focus", fm + "\n![图](a.png \"focus=30%\")\n", []string{`a.md:5:1: bad "focus=30%" in the image's title: "30%" is not two percentages separated by a comma — write focus=30%,40%`}},
		{"focus out of range", fm + "\n![图](a.png \"focus=130%,0%\")\n", []string{`a.md:5:1: bad "focus=130%,0%" in the image's title: 130% is not from 0% to 100%`}},
		{"focus without %", fm + "\n![图](a.png \"focus=0.3,0.4\")\n", []string{`a.md:5:1: bad "focus=0.3,0.4" in the image's title: "0.3" has no % sign`}},
		{"focus not a number", fm + "\n![图](a.png \"focus=NaN%,1e1%\")\n", []string{`a.md:5:1: bad "focus=NaN%,1e1%" in the image's title: "NaN%" is not a percentage`}},
		{"focus without point", fm + "\n![图](a.png \"wide focus\")\n", []string{`a.md:5:1: "focus" without its point in the image's title — write focus=30%,40%`}},
		{"focus misspelt", fm + "\n![图](a.png \"focus:30%,40%\")\n", []string{`a.md:5:1: unknown placement "focus:30%,40%" in the image's title ` + accepted + ` — write focus=30%,40%`}},
		{"two focus points", fm + "\n![图](a.png \"focus=1%,1% focus=2%,2%\")\n", []string{`a.md:5:1: two focus points, "focus=1%,1%" and "focus=2%,2%", in the image's title — keep one`}},
		{"page at the top", fm + "\n![图](a.png \"page top\")\n", []string{`a.md:5:1: "page" with "top" in the image's title: a figure on a page of its own has no position on it — delete "top", or use "wide"`}},
		{"bleed at the bottom", fm + "\n![图](a.png \"bottom bleed\")\n", []string{`a.md:5:1: "bleed" with "bottom" in the image's title: a figure on a page of its own has no position on it — delete "bottom", or use "wide" to set it across the columns at the bottom`}},
		{"every problem of a title", fm + "\n\n![图](a.png \"page wide top bottom fill fit\")\n", []string{
			`a.md:6:1: two spans, "page" and "wide"`,
			`a.md:6:1: two positions, "top" and "bottom"`,
			`a.md:6:1: both "fill" and "fit"`,
			`a.md:6:1: "page" with "top" in the image's title: a figure on a page of its own`,
		}},
		// the lead image in the front matter
		{"empty image", "+++\ntitle = \"t\"\nimage = \" \"\n+++\n\n正文\n", []string{`a.md:3:9: image in the front matter is empty — give the lead photo's path`}},
		{"image not a string", "+++\ntitle = \"t\"\nimage = 1\n+++\n\n正文\n", []string{`a.md:3:9: image in the front matter must be a string, not an integer`}},
		{"bad image_focus", "+++\ntitle = \"t\"\nimage = \"a.jpg\"\nimage_focus = \"50%;30%\"\n+++\n\n正文\n", []string{`a.md:4:15: bad image_focus in the front matter: "50%;30%" is not two percentages separated by a comma — write image_focus = "50%,30%"`}},
		{"image_focus without image", "+++\ntitle = \"t\"\nimage_focus = \"50%,30%\"\n+++\n\n正文\n", []string{`a.md:3:15: image_focus in the front matter without an image — add image = "images/lead.jpg", or delete image_focus`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, err := ParseArticle("a.md", []byte(c.src))
			if err == nil {
				t.Fatalf("no error; blocks:\n%s", dump(a.Blocks))
			}
			t.Log(err)
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(c.want) {
				t.Fatalf("got %d errors, want %d:\n%v", len(lines), len(c.want), err)
			}
			for i, w := range c.want {
				if !strings.HasPrefix(lines[i], w) {
					t.Errorf("error %d:\n got  %s\n want %s…", i+1, lines[i], w)
				}
				checkStyle(t, lines[i])
			}
		})
	}
}
