// Package display is the contract between layout and render: a laid-out
// issue as plain data. Layout knows nothing about PDF; render knows nothing
// about paragraphs.
//
// Coordinates are PostScript points (1/72 in). The origin of every page is
// the top-left corner of its trim box and y grows downwards; a text run's Y
// is its baseline. Items may reach into the bleed (negative coordinates or
// beyond Width/Height) only when they are meant to be trimmed off.
package display

import "time"

// Document is a whole laid-out issue.
type Document struct {
	Title    string    // the PDF's Title
	Author   string    // the PDF's Author (the publisher)
	Subject  string    // the PDF's Subject
	Keywords string    // the PDF's Keywords
	Date     time.Time // creation and modification date (reproducible)
	Pages    []*Page
	Outline  []Bookmark // document outline, in page order
}

// Page is one trimmed page and what is drawn on it.
type Page struct {
	Width, Height float64 // trim size
	Bleed         float64 // bleed on every side, beyond the trim
	Folio         string  // the printed page number ("" when none is printed)
	Items         []Item
}

// Bookmark is an outline entry pointing at a place on a page.
type Bookmark struct {
	Title string
	Level int // 0 for a section, 1 for an article under it
	Page  int // index into Document.Pages
	Y     float64
}

// Item is one thing drawn on a page: *Text, *Rect, *Line, *Image or *Link.
type Item interface{ isItem() }

// Color is a process colour, each component 0..1. Body text is K=1 only.
type Color struct{ C, M, Y, K float64 }

// Black is 100% K, the colour of body text.
var Black = Color{K: 1}

// Glyph is one character placed on a baseline, X relative to its run.
// Y moves it off the baseline (down positive): CNS punctuation sits in
// the middle of its em box.
type Glyph struct {
	R rune
	X float64
	Y float64
}

// Text is a run of glyphs in one face, size and colour on one baseline.
type Text struct {
	X, Y   float64 // origin of the run (the baseline's left end)
	Font   string  // face name, resolved by the writer (see package fonts)
	Size   float64 // in pt
	Color  Color
	Glyphs []Glyph
	// Artifact marks page furniture (folios, running heads) that is not part
	// of the articles' text.
	Artifact bool
	Role     Role
}

// Role says where a text run's words come from.
type Role uint8

// Text roles.
const (
	// Content is the articles' own text: titles, bylines, body, quotes.
	Content Role = iota
	// Caption is a figure's caption.
	Caption
	// Generated is text the layout composes from the manifest: the
	// masthead, cover and back lines, contents and opener entries.
	Generated
	// Pull is a pull quote: words of the article's text set again, large.
	Pull
)

// String returns the run's text, in reading order.
func (t *Text) String() string {
	rs := make([]rune, len(t.Glyphs))
	for i, g := range t.Glyphs {
		rs[i] = g.R
	}
	return string(rs)
}

// Rect is a rectangle, filled and/or stroked.
type Rect struct {
	X, Y, W, H  float64
	Fill        *Color // nil: not filled
	Stroke      *Color // nil: not stroked
	StrokeWidth float64
	// Bleed marks art meant to run off the trim (a background to the edge).
	Bleed bool
}

// Line is a straight rule.
type Line struct {
	X1, Y1, X2, Y2 float64
	Width          float64
	Color          Color
}

// Fit tells how a picture fills its frame.
type Fit uint8

// How a picture fills its frame.
const (
	// Cover scales the picture to cover the whole frame and crops what
	// overflows, keeping the focus point in view.
	Cover Fit = iota
	// Contain scales the picture to fit inside the frame, centred; nothing
	// is cropped.
	Contain
)

// Image places a picture file in a frame.
type Image struct {
	X, Y, W, H float64 // the frame
	Path       string  // the image file
	Fit        Fit
	// FocusX and FocusY are the point that stays in view when Cover crops,
	// as an offset from the picture's centre in fractions of its width and
	// height (−0.5 … 0.5): zero is the centre, −0.5 the left or top edge.
	FocusX, FocusY float64
	// Bleed marks art meant to run off the trim (a full-bleed photo).
	Bleed bool
	// Src says where the picture was placed, for messages: an article's
	// file and line ("articles/a.md:12"), or a manifest key.
	Src string
}

// Link is a clickable area that jumps to a place on another page.
type Link struct {
	X, Y, W, H float64
	Page       int // index into Document.Pages
	DestY      float64
}

func (*Text) isItem()  {}
func (*Rect) isItem()  {}
func (*Line) isItem()  {}
func (*Image) isItem() {}
func (*Link) isItem()  {}

// Translate moves items by (dx, dy) in place and returns them.
func Translate(items []Item, dx, dy float64) []Item {
	for _, it := range items {
		switch v := it.(type) {
		case *Text:
			v.X += dx
			v.Y += dy
		case *Rect:
			v.X += dx
			v.Y += dy
		case *Line:
			v.X1 += dx
			v.Y1 += dy
			v.X2 += dx
			v.Y2 += dy
		case *Image:
			v.X += dx
			v.Y += dy
		case *Link:
			v.X += dx
			v.Y += dy
		}
	}
	return items
}

// Clone returns deep copies of items, to draw the same material again.
func Clone(items []Item) []Item {
	out := make([]Item, len(items))
	for i, it := range items {
		switch v := it.(type) {
		case *Text:
			c := *v
			c.Glyphs = append([]Glyph(nil), v.Glyphs...)
			out[i] = &c
		case *Rect:
			c := *v
			out[i] = &c
		case *Line:
			c := *v
			out[i] = &c
		case *Image:
			c := *v
			out[i] = &c
		case *Link:
			c := *v
			out[i] = &c
		default:
			out[i] = it
		}
	}
	return out
}
