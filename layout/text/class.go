package text

import "unicode"

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
	PauseStop              // 、，。．: glyph bottom-left, blank right half (GB style)
	Colon                  // ：；: glyph left half in GB style
	ExclQues               // ！？: full width, not compressed inside the line
	Middle                 // ·・: glyph centred, a quarter em blank each side
	Dash                   // — (two make the 2-em dash ——)
	Ellipsis               // … (two make ……)
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

// Style selects a punctuation convention. Only GB (mainland) is built now.
type Style uint8

// Punctuation styles.
const (
	GB Style = iota // glyphs of ，。：；！？ in the left half (GB/T 15834)
)

// blanks returns a full-width mark's compressible blank on its left and
// right side, in em, for the GB style (clreq §3.1.6, GB/T 15834 §5).
func blanks(c Class) (left, right float64) {
	switch c {
	case Opening:
		return 0.5, 0
	case Closing, PauseStop, Colon:
		return 0, 0.5
	case Middle:
		return 0.25, 0.25
	}
	return 0, 0
}
