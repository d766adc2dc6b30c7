package text

import (
	"fmt"
	"unicode"
)

// Class is what a character is to Chinese line composition. The classes
// follow clreq §3.1 (punctuation) and §3.2 (Latin in Chinese text); GB/T
// 15834-2011 decides where each mark's glyph sits in its em box.
type Class uint8

// Character classes.
const (
	Latin     Class = iota // letters, digits and symbols set proportionally
	Space                  // a breaking space
	Han                    // ideographs, kana, the ideographic space: one em, no blanks
	Opening                // “‘（《〈「『【〔〖［｛: glyph in the right half (clreq §3.1.6)
	Closing                // ”’）》〉」』】〕〗］｝: glyph in the left half
	PauseStop              // 、，。．｡､: bottom-left, blank right half (GB); centred (CNS)
	Colon                  // ：；: left half (GB); centred (CNS)
	ExclQues               // ！？: full width, not compressed inside the line
	Middle                 // ·・: glyph centred, a quarter em blank each side (GB)
	Dash                   // — (two make the 2-em dash ——)
	Ellipsis               // … (two make ……)
	numClasses
)

// classOf returns the class of r.
func classOf(r rune) Class {
	switch r {
	case ' ', '\t', '\n':
		return Space
	case '“', '‘', '（', '《', '〈', '「', '『', '【', '〔', '〖', '［', '｛', '｟', '〘', '〚':
		return Opening
	case '”', '’', '）', '》', '〉', '」', '』', '】', '〕', '〗', '］', '｝', '｠', '〙', '〛':
		return Closing
	case '、', '，', '。', '．', '｡', '､':
		return PauseStop
	case '：', '；':
		return Colon
	case '！', '？':
		return ExclQues
	case '·', '・', '‧':
		return Middle
	case '—', '―', '─':
		return Dash
	case '…', '⋯':
		return Ellipsis
	case '\u3000':
		return Han // the ideographic space is one em, like a character
	}
	if unicode.IsSpace(r) {
		return Space
	}
	if isWide(r) {
		return Han
	}
	return Latin
}

// isWide reports whether r is set in an em box: Han (including the
// extension blocks), kana, Hangul, Bopomofo, CJK symbols and full-width forms.
func isWide(r rune) bool {
	switch {
	case unicode.Is(unicode.Han, r),
		unicode.Is(unicode.Hiragana, r),
		unicode.Is(unicode.Katakana, r),
		unicode.Is(unicode.Hangul, r),
		unicode.Is(unicode.Bopomofo, r),
		r >= 0x3000 && r <= 0x303F, // CJK symbols and punctuation
		r >= 0xFF01 && r <= 0xFF60, // full-width forms
		r >= 0xFFE0 && r <= 0xFFE6:
		return true
	}
	return false
}

// isCJK reports whether c belongs to the Chinese side of CJK–Latin spacing.
func (c Class) isCJK() bool { return c != Latin && c != Space }

// isPunct reports whether c is a full-width punctuation mark.
func (c Class) isPunct() bool { return c >= Opening }

// noLineStart holds the characters that never begin a line (clreq §3.1.4,
// 行首禁则): pause and stop marks, closing brackets and quotes, the
// interpunct, and the symbols that stay with the number before them.
var noLineStart = setOf("、，。．：；？！”’）》〉」』】〕〗］｝｠〙〛·・‧%‰℃°′″々〻ゝゞヽヾー" +
	"ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ｡､")

// noLineStartAfterCJK holds half-width marks that may not begin a line when
// they follow Chinese text (a source error, but never made worse; clreq §3.1.4).
var noLineStartAfterCJK = setOf(",.:;?!)]}")

// noLineEnd holds the characters that never end a line (clreq §3.1.4,
// 行尾禁则): opening brackets and quotes, and currency signs that stay with
// the number after them.
var noLineEnd = setOf("“‘（《〈「『【〔〖［｛｟〘〚¥$￥£€")

func setOf(s string) map[rune]bool {
	m := make(map[rune]bool)
	for _, r := range s {
		m[r] = true
	}
	return m
}

// Style selects a punctuation convention: where the marks' glyphs sit in
// their em boxes, which of their blanks can be pushed in or trimmed, and
// which marks may hang (clreq §3.1.5–3.1.8). The zero value is GB.
type Style uint8

// Punctuation styles.
const (
	// GB is the mainland convention (GB/T 15834-2011): ，。、 in the
	// bottom-left quarter of the em box and ：；！？ in its left half; the
	// blank half em after ，。、：； can be pushed in, next to another mark
	// and to fit a line (R2, R4), and is trimmed at the line end; ！？ keep
	// their full em. 、，。 may hang (R3).
	GB Style = iota
	// CNS is the convention of Taiwan and Hong Kong (the Taiwan Ministry of
	// Education's Punctuation Guidance): ，。、：；！？ centred in the em box,
	// about a quarter em each side of the ink, and never compressed: not
	// next to another mark, not to fit a line, not at the line end. The
	// interpunct takes a full em. Brackets and quotes close up to
	// neighbouring marks as in GB (clreq §3.1.6.2: "regardless of the
	// style"); 「」『』 are its quotes, but the engine sets whatever quotes
	// the text has. Nothing hangs: Traditional Chinese does not hang
	// punctuation in horizontal text (clreq §3.1.8).
	CNS
	numStyles
)

func (s Style) String() string {
	switch s {
	case GB:
		return "GB"
	case CNS:
		return "CNS"
	}
	return fmt.Sprintf("Style(%d)", uint8(s))
}

// place says where a character's glyph sits in its em box.
type place uint8

const (
	centred    place = iota // the advance centred in the box
	left                    // the glyph origin on the box's left edge
	right                   // the advance flush with the box's right edge
	inkCentred              // the ink centred in the box, wherever the font put it
	dashPair                // —: the two halves of —— touch, centred as a pair
)

// setting is how a style sets one class of characters in their em boxes.
type setting struct {
	// left and right are the compressible blanks on either side of the
	// glyph, in em (clreq §3.1.6.1): what adjacent marks give up to each
	// other, what a line pushes in, and what is trimmed at a line's edge.
	left, right float64
	place       place
	hang        bool // may hang past the line end when Params.Hanging is set (R3)
}

// styles holds each style's settings, by class. Latin characters are set
// at their own advance and take none.
//
// A CNS mark is drawn with whatever glyph the font has: a Simplified
// Chinese font's ，。 sit bottom-left, and inkCentred moves them to the
// middle of the box (a Traditional Chinese font's are centred already and
// stay put). The font cannot raise them to the middle of the line, so with
// a GB-shaped font ，。、 stay on the baseline.
var styles = [numStyles][numClasses]setting{
	GB: {
		Han:       {place: centred},
		Opening:   {left: 0.5, place: right},
		Closing:   {right: 0.5, place: left},
		PauseStop: {right: 0.5, place: left, hang: true},
		Colon:     {right: 0.5, place: left},
		ExclQues:  {place: left},
		Middle:    {left: 0.25, right: 0.25, place: centred},
		Dash:      {place: dashPair},
		Ellipsis:  {place: centred},
	},
	CNS: {
		Han:       {place: centred},
		Opening:   {left: 0.5, place: right},
		Closing:   {right: 0.5, place: left},
		PauseStop: {place: inkCentred},
		Colon:     {place: inkCentred},
		ExclQues:  {place: inkCentred},
		Middle:    {place: centred},
		Dash:      {place: dashPair},
		Ellipsis:  {place: centred},
	},
}

// settingOf returns how style s sets characters of class c.
func settingOf(s Style, c Class) setting {
	if s >= numStyles {
		s = GB
	}
	return styles[s][c]
}
