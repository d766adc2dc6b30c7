package manifest

import "time"

// Issue is one magazine issue: the manifest with its articles read and
// checked. Lengths are in PostScript points.
type Issue struct {
	File string // path of issue.toml as given on the command line
	Dir  string // the folder issue.toml is in; every path is inside it

	Title     string    // [issue] title: the masthead
	Number    string    // [issue] number, e.g. "2023年第5期"
	Subtitle  string    // [issue] subtitle
	Date      time.Time // [issue] date (UTC midnight); also the PDF's dates
	Publisher string    // [issue] publisher

	Page     Page
	Fonts    Fonts
	Style    Style
	Cover    Cover
	Contents Contents
	Back     Back

	Sections []*Section
}

// Page is the page geometry from [page].
type Page struct {
	Width, Height float64 // trim size
	Bleed         float64
	Columns       int     // 1 to 3
	Gutter        float64 // space between columns; 0 = layout's default
	// Margins of the type area from the trim; 0 = layout's default.
	Top, Bottom, Inside, Outside float64
	BodySize                     float64 // body type size; 0 = default
	Leading                      float64 // baseline-to-baseline distance; 0 = default
}

// Fonts lists font files (absolute paths) from [fonts] that extend the
// bundled faces: a rune no earlier face covers is taken from the first
// fallback that has it.
type Fonts struct {
	Fallback []string
}

// Cover is the [cover] table.
type Cover struct {
	Image string // absolute path, "" when none
	Lines []string
	// Focus is the point of the cover photo kept in view when it is
	// cropped to the page (cover key focus = "50%,30%", from the left and
	// top), as offsets from the centre: −0.5 … 0.5.
	FocusX, FocusY float64
}

// Contents is the [contents] table: a photo for the contents page.
type Contents struct {
	Image          string // absolute path, "" when none
	FocusX, FocusY float64
}

// Color is a CMYK process colour, each component 0..1. In the manifest it
// is written as percentages "C/M/Y/K", e.g. "0/100/85/15".
type Color struct{ C, M, Y, K float64 }

// Style is the [style] table: the accent colour and, per element, its
// font, size, leading and colour. A zero field means the layout's default.
type Style struct {
	Accent   *Color                  // [style] accent = "0/100/85/15"
	Elements map[string]ElementStyle // [style.NAME], NAME one of StyleElements
}

// ElementStyle is one [style.NAME] table.
type ElementStyle struct {
	// Font is "serif", "serif-bold", "sans", "sans-bold", or the absolute
	// path of a font file inside the issue folder: the first of Fonts.
	Font string
	// Fonts lists the faces tried in order for every character (font =
	// ["serif", "fonts/kai.ttf"] in the manifest); a character none has
	// falls back to [fonts] fallback.
	Fonts         []string
	Size, Leading float64 // pt
	Color         *Color
}

// StyleElements are the elements [style] can set, each a [style.NAME] table.
var StyleElements = []string{
	"body", "title", "kicker", "meta", "byline", "subhead", "quote", "pull", "caption",
	"folio", "running_head", "masthead", "issue_number", "cover_lines",
	"contents_title", "contents_section", "contents_entry",
	"opener_number", "opener_title", "opener_entry", "back",
}

// Span is how wide a figure is set.
type Span int

// Figure spans.
const (
	SpanColumn Span = iota // one column (the default)
	SpanWide               // across all columns
	SpanPage               // a page of its own, inside the margins
	SpanBleed              // a page of its own, to the trimmed edge and beyond
)

// Where is where a figure goes on its page.
type Where int

// Figure positions.
const (
	Here   Where = iota // in the flow of text (the default)
	Top                 // at the top of the column or page
	Bottom              // at the foot of the column or page
)

// Placement is how a figure is placed, from the image's title in
// Markdown: ![说明](images/a.jpg "wide top fit focus=30%,40%").
type Placement struct {
	Span  Span
	Where Where
	// Fit sets the whole picture inside its frame; the default, fill,
	// crops it to fill the frame around the focus point.
	Fit            bool
	FocusX, FocusY float64 // offsets from the centre, −0.5 … 0.5
}

// Back is the [back] table.
type Back struct {
	Lines []string
}

// Section is one [[section]]: a numbered group of articles.
type Section struct {
	Number   string
	Title    string
	Articles []*Article
}

// Article is one article file: front matter and body.
type Article struct {
	File string // path relative to the issue folder, as written in issue.toml
	Path string // absolute path

	Title       string // required
	Kicker      string // e.g. "【服务宣传分享】"
	Author      string
	Affiliation string
	Source      string // e.g. "转《信息时报》"
	Credit      string // e.g. "（感谢第二支行、新塘支行的支持）"
	Lang        string // "zh-Hans" (default) or "zh-Hant"

	// Image is the article's lead photo (front matter image = "images/x.jpg"),
	// set across the columns above the title; "" when none. ImageSrc is the
	// path as written.
	Image, ImageSrc string
	// ImageFocusX/Y: front matter image_focus = "50%,30%", as offsets
	// from the centre (−0.5 … 0.5).
	ImageFocusX, ImageFocusY float64

	// TitleLine is the line of the title key in the file, for messages.
	TitleLine int
	Blocks    []Block
}

// BlockKind tells what a Block is.
type BlockKind int

// The kinds of block an article body is made of.
const (
	Paragraph BlockKind = iota
	Heading             // a subhead (## in Markdown); Level says which
	Quote               // a block quote (> in Markdown): a lead quote
	Figure              // an image with its caption
	PullQuote           // a quote in a quote (> > in Markdown): the article's words repeated large
)

func (k BlockKind) String() string {
	switch k {
	case Paragraph:
		return "paragraph"
	case Heading:
		return "heading"
	case Quote:
		return "quote"
	case Figure:
		return "figure"
	case PullQuote:
		return "pull quote"
	}
	return "block?"
}

// Block is one paragraph, subhead, quote or figure.
type Block struct {
	Kind    BlockKind
	Level   int       // heading level (2 for ##)
	Inlines []Inline  // the text; for a Figure, its caption
	Line    int       // 1-based line in the article file where the block starts
	Image   string    // Figure only: absolute path of the image file
	Src     string    // Figure only: the path as written in the article
	Place   Placement // Figure only
}

// Text returns the block's text with styles dropped.
func (b *Block) Text() string {
	n := 0
	for _, in := range b.Inlines {
		n += len(in.Text)
	}
	buf := make([]byte, 0, n)
	for _, in := range b.Inlines {
		buf = append(buf, in.Text...)
	}
	return string(buf)
}

// Inline is a stretch of text in one style, all from one source line.
type Inline struct {
	Text   string
	Strong bool // **bold**
	Emph   bool // *emphasis*
	Line   int  // 1-based line in the article file
	Col    int  // 1-based column (in bytes) where the text starts
}
