package layout

import (
	"paiban/display"
	"paiban/fonts"
)

// mm converts millimetres to points.
func mm(v float64) float64 { return v * 72 / 25.4 }

// Style is the look of an issue: faces, sizes and colours of each element.
// Issue 2 fixes it to these defaults; the manifest's page table overrides
// body size and leading.
type Style struct {
	BodySize, Lead float64
	Body           []*fonts.Face // body text, first face first, then fallbacks
	BodyBold       []*fonts.Face
	Heading        []*fonts.Face // titles, subheads (sans bold)
	Sans           []*fonts.Face // kickers, captions, folios (sans regular)

	TitleSize, TitleLead float64
	KickerSize           float64
	MetaSize             float64 // source, credit, byline
	SubheadSize          float64
	QuoteSize            float64
	CaptionSize          float64
	FolioSize            float64

	Text    display.Color // body text: K only
	Accent  display.Color // kicker, subheads, rules
	Quiet   display.Color // meta lines, captions, folios
	RuleW   float64
	Margins struct{ Top, Bottom, Inside, Outside float64 }
	Gutter  float64 // in em of body size
}

// defaultStyle returns the house style for a set of faces and fallbacks.
func defaultStyle(set *fonts.Set, fallback []*fonts.Face) Style {
	with := func(name string) []*fonts.Face {
		return append([]*fonts.Face{set.Face(name)}, fallback...)
	}
	s := Style{
		BodySize: 10, Lead: 17,
		Body: with(fonts.SerifRegular), BodyBold: with(fonts.SerifBold),
		Heading: with(fonts.SansBold), Sans: with(fonts.SansRegular),
		TitleSize: 20, TitleLead: 28,
		KickerSize: 11, MetaSize: 9, SubheadSize: 11.5,
		QuoteSize: 10.5, CaptionSize: 8.5, FolioSize: 9,
		Text:   display.Black,
		Accent: display.Color{M: 1, Y: 0.85, K: 0.15},
		Quiet:  display.Color{K: 0.7},
		RuleW:  0.5,
		Gutter: 2,
	}
	s.Margins.Top, s.Margins.Bottom = mm(20), mm(22)
	s.Margins.Inside, s.Margins.Outside = mm(20), mm(17)
	return s
}
