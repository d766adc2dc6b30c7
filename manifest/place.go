package manifest

import (
	"fmt"
	"regexp"
	"strings"
)

// focusHint says how to write a focus point, as example shows.
func focusHint(example string) string {
	return "write " + example + ": the point to keep in view, as percentages from the left and from the top"
}

// parseFocus reads a focus point "X%,Y%" (each 0% to 100%, from the left
// and from the top; blanks around the numbers are ignored) and returns it
// as offsets from the centre, −0.5 … 0.5.
func parseFocus(s string) (x, y float64, err error) {
	parts := strings.Split(strings.TrimSpace(s), ",")
	if len(parts) != 2 {
		return 0, 0, fmt.Errorf("%q is not two percentages separated by a comma", s)
	}
	var v [2]float64
	for i, p := range parts {
		p = strings.TrimSpace(p)
		num, ok := strings.CutSuffix(p, "%")
		if !ok {
			return 0, 0, fmt.Errorf("%q has no %% sign", p)
		}
		n, ok := decimal(strings.TrimSpace(num))
		if !ok {
			return 0, 0, fmt.Errorf("%q is not a percentage", p)
		}
		if n < 0 || n > 100 {
			return 0, 0, fmt.Errorf("%s is not from 0%% to 100%%", p)
		}
		v[i] = n/100 - 0.5
	}
	return v[0], v[1], nil
}

// The words of an image's title that place a figure.
var (
	spanWords  = map[string]Span{"column": SpanColumn, "wide": SpanWide, "page": SpanPage, "bleed": SpanBleed}
	whereWords = map[string]Where{"here": Here, "top": Top, "bottom": Bottom}
	placeWords = []string{"column", "wide", "page", "bleed", "here", "top", "bottom", "fill", "fit", "focus"}
)

const placeList = "column, wide, page or bleed; here, top or bottom; fill or fit; focus=X%,Y%"

// placeBlanks matches blanks around = and , in a title, so that
// "focus = 30%, 40%" is one word.
var placeBlanks = regexp.MustCompile(`\s*([=,])\s*`)

// parsePlacement reads the placement words of an image's title (see
// Placement) and returns the placement and a message for each problem.
func parsePlacement(title string) (Placement, []string) {
	var pl Placement
	var probs []string
	words := strings.Fields(placeBlanks.ReplaceAllString(title, "$1"))
	var span, where, fill, focus string // the word that set each
	var unknown []string
	for _, w := range words {
		lw := strings.ToLower(w)
		if s, ok := spanWords[lw]; ok {
			if span != "" {
				probs = append(probs, twice("spans", span, w, "column, wide, page or bleed"))
			} else {
				span, pl.Span = w, s
			}
			continue
		}
		if s, ok := whereWords[lw]; ok {
			if where != "" {
				probs = append(probs, twice("positions", where, w, "here, top or bottom"))
			} else {
				where, pl.Where = w, s
			}
			continue
		}
		switch {
		case lw == "fill" || lw == "fit":
			switch {
			case fill == "":
				fill, pl.Fit = w, lw == "fit"
			case strings.EqualFold(fill, w):
				probs = append(probs, fmt.Sprintf("%q twice in the image's title — write it once", w))
			default:
				probs = append(probs, `both "fill" and "fit" in the image's title — keep one: fill (the default) crops the picture to fill its frame, fit shows all of it`)
			}
		case strings.HasPrefix(lw, "focus="):
			x, y, err := parseFocus(w[len("focus="):])
			switch {
			case err != nil:
				probs = append(probs, fmt.Sprintf("bad %q in the image's title: %v — %s", w, err, focusHint("focus=30%,40%")))
			case focus != "":
				probs = append(probs, fmt.Sprintf("two focus points, %q and %q, in the image's title — keep one", focus, w))
			default:
				focus, pl.FocusX, pl.FocusY = w, x, y
			}
		case lw == "focus":
			probs = append(probs, `"focus" without its point in the image's title — `+focusHint("focus=30%,40%"))
		default:
			unknown = append(unknown, w)
		}
	}
	switch {
	case len(unknown) > 1 && len(unknown) == len(words):
		probs = append(probs, fmt.Sprintf("the image's title %q is not a placement (accepted words: %s) — put the caption between [ and ], and in the title only how to place the image, like \"wide top\"",
			strings.Join(words, " "), placeList))
	default:
		for _, w := range unknown {
			hint := didYouMean(w, placeWords)
			switch {
			case strings.HasPrefix(strings.ToLower(w), "focus"):
				hint = focusHint("focus=30%,40%")
			case closest(w, placeWords) == "" && !isASCII(w):
				hint = "put the caption between [ and ], and in the title only how to place the image"
			}
			probs = append(probs, fmt.Sprintf("unknown placement %q in the image's title (accepted: %s) — %s", w, placeList, hint))
		}
	}
	if (pl.Span == SpanPage || pl.Span == SpanBleed) && where != "" && pl.Where != Here {
		probs = append(probs, fmt.Sprintf("%q with %q in the image's title: a figure on a page of its own has no position on it — delete %q, or use \"wide\" to set it across the columns at the %s",
			span, where, where, strings.ToLower(where)))
	}
	return pl, probs
}

// twice is the message for a second word of a kind (spans, positions)
// in an image's title.
func twice(kind, first, second, list string) string {
	if strings.EqualFold(first, second) {
		return fmt.Sprintf("%q twice in the image's title — write it once", second)
	}
	return fmt.Sprintf("two %s, %q and %q, in the image's title — keep one of %s", kind, first, second, list)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
