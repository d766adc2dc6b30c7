package manifest

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Front matter keys of an article.
var articleKeys = []string{"title", "kicker", "author", "affiliation", "source", "credit", "lang", "image", "image_focus"}

// Langs are the values the front matter's lang accepts.
var Langs = []string{"zh-Hans", "zh-Hant"}

// ParseArticle parses one article: TOML front matter between "+++" lines,
// then CommonMark. name is the file's name for messages (and Article.File).
// It reads no other file: a Figure gets its Src, not its Image, and the
// article its ImageSrc, not its Image.
//
// The front matter's keys are title (required), kicker, author,
// affiliation, source, credit, lang ("zh-Hans", the default, or
// "zh-Hant"), image (the lead photo, a path like a figure's) and
// image_focus ("50%,30%": the point of the lead photo kept in view when
// it is cropped, percentages from the left and from the top; needs image).
//
// The body maps to blocks like this:
//   - a paragraph is a Paragraph; a paragraph of nothing but images is one
//     Figure per image, the alt text its caption and the title its
//     Placement: words separated by blanks, in any order, case ignored,
//     each at most once — a span, column (the default), wide, page or bleed; a
//     position, here (the default), top or bottom, which page and bleed
//     do not take; fill (the default) or fit; focus=X%,Y%, the point kept
//     in view, as percentages from the left and from the top. For example
//     ![说明](images/a.jpg "wide top fit focus=30%,40%");
//   - an ATX or setext heading is a Heading of its level;
//   - every paragraph inside a block quote is a Quote (headings and
//     figures in a quote stay what they are), and inside a quote in a
//     quote (> > …) a PullQuote: words of the article repeated large,
//     which must be found, as written, in its paragraphs, quotes or
//     subheads;
//   - every list item is a Paragraph: an ordered item keeps its marker as
//     written ("1." or "2)") and a space before its text, a bullet item
//     loses its marker; items of nested lists follow in document order;
//   - emphasis is Inline.Emph, strong emphasis Inline.Strong (both, for
//     ***…***); a code span is plain text; a link is its text; an
//     autolink is its address;
//   - HTML comments are dropped; other raw HTML, code blocks, tables,
//     thematic breaks and images inside text are errors.
//
// Text is normalised: a run of spaces, tabs and line ends is one space;
// a block's text is trimmed (including U+3000 indents, which the
// typesetter makes itself). A line break — soft, or hard (two trailing
// spaces or a backslash; the model has no forced line break) — joins the
// lines with nothing when the character on either side is CJK and with a
// space otherwise; see isCJKJoin. Emphasis follows the CJK-friendly
// amendment of CommonMark; see cjkEmphasisParser.
//
// Lines are 1-based lines of the file (front matter included); columns
// count bytes. On error the result is nil and the error is an Errors.
func ParseArticle(name string, src []byte) (*Article, error) {
	c := &collector{}
	c.file(name)
	a := parseArticle(c, name, src, nil)
	if err := c.result(); err != nil {
		return nil, err
	}
	return a, nil
}

// figureFunc checks a figure's image path, as written, found at p, and
// returns its absolute path ("" after reporting a problem).
type figureFunc func(written string, p pos) string

func parseArticle(c *collector, name string, src []byte, figure figureFunc) *Article {
	a := &Article{File: name, Lang: "zh-Hans"}
	if p, b, ok := checkUTF8(src); !ok {
		c.at(name, p, "invalid UTF-8 (byte 0x%02x) — save the file as UTF-8", b)
		return a
	}
	if len(bytes.TrimSpace(bytes.TrimPrefix(src, bom))) == 0 {
		c.at(name, pos{1, 1}, "the article is empty — start it with front matter (+++, title = \"…\", +++) and add its text")
		return a
	}
	idx := newLineIndex(src)
	bodyStart := frontMatter(c, name, src, idx, a, figure)
	if bodyStart < 0 {
		return a
	}

	// goldmark sees the whole file with the front matter blanked out, so
	// its offsets are the file's.
	md := make([]byte, len(src))
	copy(md, src)
	for i := 0; i < bodyStart; i++ {
		if md[i] != '\n' && md[i] != '\r' {
			md[i] = ' '
		}
	}
	doc := markdown.Parse(text.NewReader(md))
	w := &walker{c: c, name: name, src: md, idx: idx, figure: figure}
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		w.block(n, 0, nil)
	}
	a.Blocks = w.blocks
	checkPullQuotes(c, name, a)
	if len(a.Blocks) == 0 && !w.failed {
		c.at(name, idx.pos(min(bodyStart, len(src))), "the article has no text — add paragraphs after the front matter")
	}
	return a
}

var bom = []byte("\xEF\xBB\xBF")

// checkPullQuotes reports every pull quote whose words are not the
// article's own: a pull quote repeats, it never adds.
func checkPullQuotes(c *collector, name string, a *Article) {
	var body strings.Builder
	for i := range a.Blocks {
		if k := a.Blocks[i].Kind; k == Paragraph || k == Quote || k == Heading {
			body.WriteString(a.Blocks[i].Text())
			body.WriteByte('\n')
		}
	}
	for i := range a.Blocks {
		b := &a.Blocks[i]
		if b.Kind == PullQuote && !strings.Contains(body.String(), b.Text()) {
			c.at(name, pos{b.Line, 1}, "the pull quote (> > …) is not in the article's text — a pull quote repeats the article's words: copy them from a paragraph exactly, or make it a lead quote with a single >")
		}
	}
}

// frontMatter reads the front matter into a and returns the offset where
// the body starts, or -1 when there is no body to parse.
func frontMatter(c *collector, name string, src []byte, idx lineIndex, a *Article, figure figureFunc) int {
	start := 0
	if bytes.HasPrefix(src, bom) {
		start = len(bom)
	}
	first, next := lineAt(src, start)
	switch first {
	case "+++":
	case "---":
		c.at(name, pos{1, 1}, "front matter must be TOML between +++ lines, not YAML between --- lines — replace the --- lines with +++ and write keys as title = \"…\"")
		for off := next; off < len(src); {
			line, nxt := lineAt(src, off)
			if line == "---" {
				return nxt // check the body all the same
			}
			off = nxt
		}
		return -1
	default:
		c.at(name, pos{1, 1}, "missing front matter — start the file with a line +++, then title = \"…\", then another line +++")
		return 0
	}
	fmStart := next
	for off := next; off < len(src); {
		line, nxt := lineAt(src, off)
		if line == "+++" {
			fm := string(src[fmStart:off])
			m, tp, ok := decodeTOML(c, name, fm, 2, "front matter: ")
			if ok {
				readFrontMatter(&validator{c: c, file: name, pos: tp}, m, a, figure)
			}
			return nxt
		}
		off = nxt
	}
	c.at(name, pos{1, 1}, "the front matter is not closed — add a line +++ after its last key")
	return -1
}

// lineAt returns the line starting at off, without its line end and
// trailing blanks, and the offset of the next line.
func lineAt(src []byte, off int) (string, int) {
	end := bytes.IndexByte(src[off:], '\n')
	next := len(src)
	if end < 0 {
		end = len(src)
	} else {
		end += off
		next = end + 1
	}
	return strings.TrimRight(string(src[off:end]), " \t\r"), next
}

// readFrontMatter reads the decoded front matter m into a; figure, when
// not nil, checks the lead image's path.
func readFrontMatter(v *validator, m map[string]any, a *Article, figure figureFunc) {
	const where = "the front matter"
	v.keys(m, "", where, articleKeys)
	if s, ok := v.required(m, "title", "", where, "文章标题"); ok {
		a.Title = strings.TrimSpace(s)
	}
	a.TitleLine = v.pos.key("title").Line
	for _, f := range []struct {
		key string
		dst *string
	}{
		{"kicker", &a.Kicker}, {"author", &a.Author}, {"affiliation", &a.Affiliation},
		{"source", &a.Source}, {"credit", &a.Credit},
	} {
		if s, ok := v.str(m, f.key, "", where); ok {
			*f.dst = strings.TrimSpace(s)
		}
	}
	if s, ok := v.str(m, "lang", "", where); ok {
		if contains(Langs, s) {
			a.Lang = s
		} else {
			v.c.at(v.file, v.pos.value("lang"), "unknown lang %q (known: %s) — write lang = \"zh-Hans\" for simplified or \"zh-Hant\" for traditional Chinese",
				s, strings.Join(Langs, ", "))
		}
	}
	if s, ok := v.str(m, "image", "", where); ok {
		p := v.pos.value("image")
		switch {
		case strings.TrimSpace(s) == "":
			v.c.at(v.file, p, "image in the front matter is empty — give the lead photo's path, like image = \"images/lead.jpg\", or delete the line")
		case figure != nil:
			a.ImageSrc = s
			a.Image = figure(s, p)
		default:
			a.ImageSrc = s
		}
	}
	if s, ok := v.str(m, "image_focus", "", where); ok {
		p := v.pos.value("image_focus")
		if x, y, err := parseFocus(s); err != nil {
			v.c.wrap(v.file, p, err, "bad image_focus in the front matter: %v — %s", err, focusHint(`image_focus = "50%,30%"`))
		} else if _, img := m["image"]; !img {
			v.c.at(v.file, p, "image_focus in the front matter without an image — add image = \"images/lead.jpg\", or delete image_focus")
		} else {
			a.ImageFocusX, a.ImageFocusY = x, y
		}
	}
}

// markdown is the CommonMark parser: goldmark's defaults with the
// CJK-friendly emphasis parser, and tables recognised so that they can
// be reported.
var markdown = parser.NewParser(
	parser.WithBlockParsers(parser.DefaultBlockParsers()...),
	parser.WithInlineParsers(inlineParsers()...),
	parser.WithParagraphTransformers(append(parser.DefaultParagraphTransformers(),
		util.Prioritized(extension.NewTableParagraphTransformer(), 200))...),
	parser.WithASTTransformers(util.Prioritized(extension.NewTableASTTransformer(), 0)),
)

func inlineParsers() []util.PrioritizedValue {
	var out []util.PrioritizedValue
	for _, p := range parser.DefaultInlineParsers() {
		if isEmphasisParser(p.Value) {
			p = util.Prioritized(cjkEmphasisParser{}, p.Priority)
		}
		out = append(out, p)
	}
	return out
}

func isEmphasisParser(v any) bool {
	t, ok := v.(parser.InlineParser)
	return ok && bytes.Equal(t.Trigger(), []byte{'*', '_'})
}

// walker turns goldmark's AST into Blocks.
type walker struct {
	c      *collector
	name   string
	src    []byte
	idx    lineIndex
	figure figureFunc
	blocks []Block
	failed bool // a problem was reported
}

func (w *walker) errorf(off int, format string, args ...any) {
	w.failed = true
	w.c.at(w.name, w.idx.pos(off), format, args...)
}

// nodePos returns the source offset of a node, or -1.
func nodePos(n ast.Node) int {
	if p := n.Pos(); p >= 0 {
		return p
	}
	if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
		return n.Lines().At(0).Start
	}
	if t, ok := n.(*ast.Text); ok {
		return t.Segment.Start
	}
	for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
		if p := nodePos(ch); p >= 0 {
			return p
		}
	}
	return -1
}

// block maps one block node; marker is an ordered list item's marker, to
// put before the first text of the item.
func (w *walker) block(n ast.Node, quote int, marker *piece) {
	switch n := n.(type) {
	case *ast.Paragraph, *ast.TextBlock:
		if w.figures(n) {
			return
		}
		kind := Paragraph
		switch {
		case quote == 1:
			kind = Quote
		case quote > 1:
			kind = PullQuote
		}
		w.text(n, kind, 0, marker)
	case *ast.Heading:
		if !w.text(n, Heading, n.Level, marker) {
			w.errorf(nodePos(n), "empty heading — write its text after the #s or delete the line")
		}
	case *ast.Blockquote:
		for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
			w.block(ch, quote+1, marker)
			marker = nil
		}
	case *ast.List:
		for item := n.FirstChild(); item != nil; item = item.NextSibling() {
			var m *piece
			if n.IsOrdered() {
				m = w.marker(item)
			}
			for ch := item.FirstChild(); ch != nil; ch = ch.NextSibling() {
				w.block(ch, quote, m)
				m = nil
			}
		}
	case *ast.ThematicBreak:
		w.errorf(nodePos(n), "thematic breaks (---, ***) are not supported — delete the line, or use a ## subhead to divide the article")
	case *ast.CodeBlock:
		w.errorf(nodePos(n), "code blocks are not supported — remove the indentation (four spaces start a code block); the typesetter indents paragraphs itself")
	case *ast.FencedCodeBlock:
		w.errorf(nodePos(n), "code blocks are not supported — remove the ``` or ~~~ fence")
	case *ast.HTMLBlock:
		if n.HTMLBlockType == ast.HTMLBlockType2 { // <!-- comment -->
			return
		}
		w.errorf(nodePos(n), "raw HTML is not supported — remove the tag, or write \\< for a literal <")
	case *extast.Table:
		w.errorf(nodePos(n), "tables are not supported — set the table as an image, or write it as paragraphs")
	default:
		w.errorf(nodePos(n), "%s is not supported — rewrite it as paragraphs", n.Kind())
	}
}

// marker returns the marker of an ordered list item as written.
func (w *walker) marker(item ast.Node) *piece {
	off := item.Pos()
	if off < 0 || off >= len(w.src) {
		return nil
	}
	for off < len(w.src) && (w.src[off] == ' ' || w.src[off] == '\t') {
		off++
	}
	end := off
	for end < len(w.src) && w.src[end] >= '0' && w.src[end] <= '9' {
		end++
	}
	if end == off || end >= len(w.src) || (w.src[end] != '.' && w.src[end] != ')') {
		return nil
	}
	return &piece{text: string(w.src[off:end+1]) + " ", off: off}
}

// text adds a text block of kind made from n's inlines, and reports
// whether it had any text.
func (w *walker) text(n ast.Node, kind BlockKind, level int, marker *piece) bool {
	var ps []piece
	if marker != nil {
		ps = append(ps, *marker)
	}
	ps = w.inlines(n, ps, style{})
	ins := buildInlines(ps, w.idx)
	if len(ins) == 0 {
		return false
	}
	line := w.idx.pos(nodePos(n)).Line
	if marker != nil {
		line = w.idx.pos(marker.off).Line
	}
	w.blocks = append(w.blocks, Block{Kind: kind, Level: level, Inlines: ins, Line: line})
	return true
}

// figures adds a Figure for each image of a paragraph made only of
// images, and reports whether it was one.
func (w *walker) figures(n ast.Node) bool {
	var imgs []*ast.Image
	for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
		switch ch := ch.(type) {
		case *ast.Image:
			imgs = append(imgs, ch)
		case *ast.Text:
			if len(bytes.TrimSpace(ch.Segment.Value(w.src))) != 0 {
				return false
			}
		default:
			return false
		}
	}
	if len(imgs) == 0 {
		return false
	}
	for _, img := range imgs {
		off := nodePos(img)
		p := w.idx.pos(off)
		b := Block{
			Kind:    Figure,
			Inlines: buildInlines(w.inlines(img, nil, style{}), w.idx),
			Line:    p.Line,
			Src:     string(img.Destination),
		}
		var probs []string
		b.Place, probs = parsePlacement(unescape(img.Title))
		for _, msg := range probs {
			w.errorf(off, "%s", msg)
		}
		dest := unescape(img.Destination)
		if strings.TrimSpace(dest) == "" {
			w.errorf(off, "image has no path — write ![caption](images/photo.jpg)")
		} else if w.figure != nil {
			b.Image = w.figure(dest, p)
			if b.Image == "" {
				w.failed = true
			}
		}
		w.blocks = append(w.blocks, b)
	}
	return true
}

type style struct{ strong, emph bool }

// piece is a stretch of inline text from one source line.
type piece struct {
	text  string
	style style
	off   int  // source offset of text[0]
	brk   bool // a line break follows
}

// inlines appends the text of n's inline children to ps.
func (w *walker) inlines(n ast.Node, ps []piece, st style) []piece {
	for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
		switch ch := ch.(type) {
		case *ast.Text:
			v := ch.Segment.Value(w.src)
			var t string
			if ch.IsRaw() { // code span: line ends are spaces
				t = strings.ReplaceAll(string(v), "\n", " ")
			} else {
				w.checkStars(v, ch.Segment.Start)
				t = unescape(v)
			}
			ps = append(ps, piece{text: t, style: st, off: ch.Segment.Start,
				brk: ch.SoftLineBreak() || ch.HardLineBreak()})
		case *ast.String:
			off := -1
			if len(ps) > 0 {
				off = ps[len(ps)-1].off
			}
			ps = append(ps, piece{text: string(ch.Value), style: st, off: off})
		case *ast.Emphasis:
			s := st
			if ch.Level >= 2 {
				s.strong = true
			} else {
				s.emph = true
			}
			ps = w.inlines(ch, ps, s)
		case *ast.AutoLink:
			ps = append(ps, piece{text: string(ch.Label(w.src)), style: st, off: nodePos(ch)})
		case *ast.Image:
			w.errorf(nodePos(ch), "an image must be a paragraph of its own — put a blank line before and after ![…](…)")
		case *ast.RawHTML:
			off := nodePos(ch)
			if ch.Segments.Len() > 0 {
				seg := ch.Segments.At(0)
				off = seg.Start
				if bytes.HasPrefix(seg.Value(w.src), []byte("<!--")) {
					continue
				}
			}
			w.errorf(off, "raw HTML is not supported — remove the tag, or write \\< for a literal <")
		default: // code spans, links
			ps = w.inlines(ch, ps, st)
		}
	}
	return ps
}

// checkStars reports "**" left as text: an unmatched strong delimiter.
func (w *walker) checkStars(v []byte, off int) {
	for i := 0; i+1 < len(v); i++ {
		switch {
		case v[i] == '\\':
			i++
		case v[i] == '*' && v[i+1] == '*':
			w.errorf(off+i, "unmatched ** — close the bold text with **, or write \\*\\* for literal asterisks")
			return
		}
	}
}

// unescape resolves backslash escapes and entity references, as
// CommonMark does in text.
func unescape(v []byte) string {
	if bytes.IndexByte(v, '\\') < 0 && bytes.IndexByte(v, '&') < 0 {
		return string(v)
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		switch {
		case v[i] == '\\' && i+1 < len(v) && util.IsPunct(v[i+1]):
			b.WriteByte(v[i+1])
			i++
		case v[i] == '&':
			end := bytes.IndexByte(v[i:min(i+41, len(v))], ';')
			if end > 0 {
				ref := v[i : i+end+1]
				r := util.ResolveEntityNames(util.ResolveNumericReferences(ref))
				if !bytes.Equal(r, ref) {
					b.Write(r)
					i += end
					continue
				}
			}
			b.WriteByte('&')
		default:
			b.WriteByte(v[i])
		}
	}
	return b.String()
}

func isBlank(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\f', '\v':
		return true
	}
	return false
}

// buildInlines joins pieces into Inlines: one per style and line, with
// blank runs collapsed, line breaks joined (see ParseArticle) and the
// ends trimmed.
func buildInlines(ps []piece, idx lineIndex) []Inline {
	var out []Inline
	var texts [][]byte // the text of out[i]
	var (
		emitted   bool // some text is out
		pendSpace bool // blanks since the last rune out
		pendBreak bool // a line break since the last rune out
		lastRune  rune // the last rune out
		decisive  rune // the last rune out that is not shared punctuation
		lastLine  int  // line of the last inline
	)
	for _, p := range ps {
		p0 := idx.pos(p.off)
		cur := -1  // index in out of this piece's inline
		wsAt := -1 // offset in p.text of the first blank of a run
		for i, r := range p.text {
			if isBlank(r) || (!emitted && isLeadingBlank(r)) {
				if wsAt < 0 {
					wsAt = i
				}
				pendSpace = true
				continue
			}
			sep, sepHere := "", false
			if emitted {
				switch {
				case pendBreak:
					left := decisive
					if left == 0 {
						left = lastRune
					}
					right := r
					if isSharedPunct(r) {
						for _, q := range p.text[i:] {
							if !isSharedPunct(q) && !isBlank(q) {
								right = q
								break
							}
						}
					}
					if !isCJKJoin(left) && !isCJKJoin(right) {
						sep = " "
					}
				case pendSpace:
					sep, sepHere = " ", wsAt >= 0
				}
			}
			if sep != "" && !sepHere {
				texts[len(texts)-1] = append(texts[len(texts)-1], sep...)
			}
			if cur < 0 {
				last := len(out) - 1
				if last >= 0 && !pendBreak && out[last].Strong == p.style.strong &&
					out[last].Emph == p.style.emph && lastLine == p0.Line {
					cur = last
				} else {
					col := p0.Col + i
					if sepHere {
						col = p0.Col + wsAt
					}
					if p.off < 0 {
						col = 0
					}
					out = append(out, Inline{Strong: p.style.strong, Emph: p.style.emph, Line: p0.Line, Col: col})
					texts = append(texts, nil)
					cur = len(out) - 1
					lastLine = p0.Line
				}
			}
			if sep != "" && sepHere {
				texts[cur] = append(texts[cur], sep...)
			}
			texts[cur] = utf8.AppendRune(texts[cur], r)
			emitted, pendSpace, pendBreak = true, false, false
			wsAt = -1
			lastRune = r
			if !isSharedPunct(r) {
				decisive = r
			}
		}
		if p.brk && emitted {
			pendBreak = true
		}
	}
	for i := range out {
		out[i].Text = string(texts[i])
	}
	// a trailing ideographic or no-break space is trimmed too
	for len(out) > 0 {
		last := &out[len(out)-1]
		last.Text = strings.TrimRight(last.Text, "\u3000\u00a0 ")
		if last.Text != "" {
			break
		}
		out = out[:len(out)-1]
	}
	return out
}

// isLeadingBlank reports whether r is blank at the start of a block:
// also an ideographic space or no-break space, used to indent.
func isLeadingBlank(r rune) bool { return r == '\u3000' || r == '\u00A0' }

// inlinesString returns the inlines' text with styles marked as in
// Markdown, for tests and debugging.
func inlinesString(ins []Inline) string {
	var b strings.Builder
	for _, in := range ins {
		switch {
		case in.Strong && in.Emph:
			fmt.Fprintf(&b, "***%s***", in.Text)
		case in.Strong:
			fmt.Fprintf(&b, "**%s**", in.Text)
		case in.Emph:
			fmt.Fprintf(&b, "*%s*", in.Text)
		default:
			b.WriteString(in.Text)
		}
	}
	return b.String()
}
