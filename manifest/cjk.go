package manifest

import (
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"golang.org/x/text/width"
)

// Emphasis in CJK text.
//
// Under CommonMark's flanking rules `他读了**《三体》**三遍` keeps its
// asterisks: the opening ** is followed by punctuation (《) and preceded by
// a letter (了), so it cannot open. paiban implements the CJK-friendly
// amendment instead (https://github.com/tats-u/markdown-cjk-friendly,
// specification.md, proposed for CommonMark in commonmark-spec#650):
// punctuation that is itself a CJK character no longer stops a delimiter
// run from flanking, and a CJK character next to a delimiter run counts
// like whitespace or punctuation does. So the example above parses as
// Strong("《三体》"), while Latin text parses exactly as CommonMark says.
//
// cjkEmphasisParser replaces goldmark's emphasis parser with one that uses
// those rules; matching the delimiters is goldmark's own ProcessDelimiters.
// A `**` still left as text afterwards (unbalanced) is reported as an error,
// since a printed asterisk pair is never what the writer meant.

// isCJKChar reports whether r is a "CJK character" of the amendment: East
// Asian Width W, F or H and not an emoji shown as emoji by default, or
// Hangul. Emoji presentation is approximated by the emoji blocks, which is
// where every wide emoji outside U+2300–U+2BFF lies.
func isCJKChar(r rune) bool {
	if unicode.Is(unicode.Hangul, r) {
		return true
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth, width.EastAsianHalfwidth:
		return !isEmojiPresentation(r)
	}
	return false
}

// isEmojiPresentation approximates Emoji_Presentation=Yes for wide runes:
// the emoji planes, and the wide symbols of U+2300–U+2BFF except the CJK
// angle brackets U+2329 and U+232A.
func isEmojiPresentation(r rune) bool {
	switch {
	case r >= 0x1F000 && r <= 0x1FAFF:
		return true
	case r >= 0x2300 && r <= 0x2BFF:
		return r != 0x2329 && r != 0x232A
	}
	return false
}

// isVS reports whether r is a variation selector that may follow a CJK
// character or punctuation (U+FE00–U+FE0E; U+FE0F selects emoji).
func isVS(r rune) bool { return r >= 0xFE00 && r <= 0xFE0E }

// isIVS reports whether r is an ideographic variation selector.
func isIVS(r rune) bool { return r >= 0xE0100 && r <= 0xE01EF }

// cjkEmphasisParser parses * and _ delimiter runs with the CJK-friendly
// flanking rules.
type cjkEmphasisParser struct{}

func (cjkEmphasisParser) Trigger() []byte { return []byte{'*', '_'} }

func (cjkEmphasisParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	before := block.PrecendingCharacter()
	base := before // the character before any variation selector
	if isVS(before) {
		_, seg := block.Position()
		src := block.Source()
		end := seg.Start - utf8.RuneLen(before)
		if end > 0 && end <= len(src) {
			base, _ = utf8.DecodeLastRune(src[:end])
		}
	}
	line, segment := block.PeekLine()
	if len(line) == 0 {
		return nil
	}
	c := line[0]
	n := 0
	for n < len(line) && line[n] == c {
		n++
	}
	after := ' '
	if n < len(line) {
		after = util.ToRune(line, n)
	}

	beforeSpace := util.IsSpaceRune(before)
	afterSpace := util.IsSpaceRune(after)
	beforePunct := util.IsPunctRune(base) // a Unicode punctuation sequence
	afterPunct := util.IsPunctRune(after)
	beforeCJK := isCJKChar(base) // a CJK sequence
	afterCJK := isCJKChar(after)
	beforeNonCJKPunct := beforePunct && !beforeCJK
	afterNonCJKPunct := afterPunct && !afterCJK

	left := !afterSpace && (!afterNonCJKPunct || beforeSpace || beforeNonCJKPunct || beforeCJK || isIVS(before))
	right := !beforeSpace && (!beforeNonCJKPunct || afterSpace || afterNonCJKPunct || afterCJK)

	canOpen, canClose := left, right
	if c == '_' {
		canOpen = left && (!right || beforePunct)
		canClose = right && (!left || afterPunct)
	}
	d := parser.NewDelimiter(canOpen, canClose, n, c, emphasisProcessor{})
	d.Segment = segment.WithStop(segment.Start + n)
	block.Advance(n)
	pc.PushDelimiter(d)
	return d
}

// emphasisProcessor matches * with * and _ with _, like goldmark's own.
type emphasisProcessor struct{}

func (emphasisProcessor) IsDelimiter(b byte) bool { return b == '*' || b == '_' }

func (emphasisProcessor) CanOpenCloser(opener, closer *parser.Delimiter) bool {
	return opener.Char == closer.Char
}

func (emphasisProcessor) OnMatch(consumes int) ast.Node { return ast.NewEmphasis(consumes) }

// Soft line breaks.
//
// A line break inside a paragraph joins the two lines with nothing when
// the character on either side of it is CJK (isCJKJoin), and with one space
// otherwise: 第一行\n第二行 → 第一行第二行, hello\nworld → hello world,
// 中文\nEnglish → 中文English (the typesetter adds its own CJK–Latin
// space). Punctuation shared by both scripts (“ ” ‘ ’ … — ·) does not
// decide: the character beyond it does.

// isCJKJoin reports whether r is CJK for joining lines: Han, kana,
// bopomofo, CJK punctuation and symbols, full-width forms. Hangul is not:
// Korean separates words with spaces.
func isCJKJoin(r rune) bool {
	switch {
	case r < 0x2E80:
		return false
	case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Bopomofo):
		return true
	case r >= 0x2E80 && r <= 0x2FFF, // radicals, ideographic description
		r >= 0x3000 && r <= 0x303F, // CJK symbols and punctuation
		r >= 0x3190 && r <= 0x31FF, // kanbun, strokes, katakana extensions
		r >= 0x3200 && r <= 0x33FF, // enclosed CJK, CJK compatibility
		r >= 0xFE10 && r <= 0xFE1F, // vertical forms
		r >= 0xFE30 && r <= 0xFE6F, // CJK compatibility and small forms
		r >= 0xFF00 && r <= 0xFFEF: // half- and full-width forms
		return true
	}
	return false
}

// isSharedPunct reports whether r is punctuation both scripts use, which
// does not decide how lines join.
func isSharedPunct(r rune) bool {
	return r >= 0x2010 && r <= 0x205E || r == 0x00B7
}
