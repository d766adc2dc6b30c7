package layout

import (
	"fmt"

	"paiban/display"
	"paiban/fonts"
	"paiban/manifest"
)

// mm converts millimetres to points.
func mm(v float64) float64 { return v * 72 / 25.4 }

// Elem is the look of one element: faces (the first that has a character
// sets it), size, leading and colour.
type Elem struct {
	Faces []*fonts.Face
	Size  float64
	Lead  float64
	Color display.Color
}

// Style is the look of an issue. Defaults come from defaultStyle; the
// manifest's [style] table overrides them element by element.
type Style struct {
	Body, BodyBold, Title, Kicker, Meta, Byline, Subhead, Quote, Pull, Caption Elem
	Folio, RunningHead                                                         Elem
	Masthead, IssueNumber, CoverLines                                          Elem
	ContentsTitle, ContentsSection, ContentsEntry                              Elem
	OpenerNumber, OpenerTitle, OpenerEntry                                     Elem
	Back                                                                       Elem

	Accent display.Color // kickers, subheads, rules, openers
	Tint   display.Color // the pale panel of the contents page
	White  display.Color
	RuleW  float64

	Margins struct{ Top, Bottom, Inside, Outside float64 }
	Gutter  float64 // in em of body size
}

func (s *Style) elems() map[string]*Elem {
	return map[string]*Elem{
		"body": &s.Body, "title": &s.Title, "kicker": &s.Kicker, "meta": &s.Meta,
		"byline": &s.Byline, "subhead": &s.Subhead, "quote": &s.Quote, "pull": &s.Pull, "caption": &s.Caption,
		"folio": &s.Folio, "running_head": &s.RunningHead, "masthead": &s.Masthead,
		"issue_number": &s.IssueNumber, "cover_lines": &s.CoverLines,
		"contents_title": &s.ContentsTitle, "contents_section": &s.ContentsSection,
		"contents_entry": &s.ContentsEntry, "opener_number": &s.OpenerNumber,
		"opener_title": &s.OpenerTitle, "opener_entry": &s.OpenerEntry, "back": &s.Back,
	}
}

// faceSet resolves font names of [style] and holds the fallbacks.
type faceSet struct {
	set      *fonts.Set
	fallback []*fonts.Face
}

var builtin = map[string]string{
	"serif": fonts.SerifRegular, "serif-bold": fonts.SerifBold,
	"sans": fonts.SansRegular, "sans-bold": fonts.SansBold,
}

// faces returns the face named (a builtin name or a font file) followed by
// the fallbacks.
func (fs *faceSet) faces(name string) ([]*fonts.Face, error) {
	var f *fonts.Face
	if b, ok := builtin[name]; ok {
		f = fs.set.Face(b)
	} else if f = fs.set.Face(name); f == nil {
		var err error
		if f, err = fonts.Load(name, name); err != nil {
			return nil, err
		}
		fs.set.Add(f)
	}
	return append([]*fonts.Face{f}, fs.fallback...), nil
}

func (fs *faceSet) must(name string) []*fonts.Face {
	f, err := fs.faces(name)
	if err != nil {
		panic(err) // builtin faces are always there
	}
	return f
}

// defaultStyle returns the house style.
func defaultStyle(fs *faceSet) Style {
	s := Style{
		Accent: display.Color{M: 1, Y: 0.9, K: 0.1},
		Tint:   display.Color{M: 0.05, Y: 0.08, K: 0.02},
		RuleW:  0.5,
		Gutter: 2,
	}
	quiet := display.Color{K: 0.65}
	e := func(font string, size, lead float64, c display.Color) Elem {
		return Elem{Faces: fs.must(font), Size: size, Lead: lead, Color: c}
	}
	s.Body = e("serif", 10, 17, display.Black)
	s.BodyBold = e("serif-bold", 10, 17, display.Black)
	s.Title = e("sans-bold", 22, 30, display.Black)
	s.Kicker = e("sans", 11, 15, s.Accent)
	s.Meta = e("sans", 9, 13.5, quiet)
	s.Byline = e("sans", 9.5, 14, display.Black)
	s.Subhead = e("sans-bold", 11.5, 17, s.Accent)
	s.Quote = e("serif", 10.5, 17, display.Color{K: 0.85})
	s.Pull = e("serif-bold", 17, 28, s.Accent)
	s.Caption = e("sans", 8, 12, quiet)
	s.Folio = e("sans-bold", 9, 12, s.Accent)
	s.RunningHead = e("sans", 8, 11, quiet)
	s.Masthead = e("serif-bold", 66, 80, s.White)
	s.IssueNumber = e("sans-bold", 13, 18, s.Accent)
	s.CoverLines = e("serif-bold", 19, 30, s.White)
	s.ContentsTitle = e("sans-bold", 42, 50, s.Accent)
	s.ContentsSection = e("sans-bold", 14, 20, display.Black)
	s.ContentsEntry = e("serif", 10.5, 24, display.Black)
	s.OpenerNumber = e("sans-bold", 64, 70, s.White)
	s.OpenerTitle = e("sans-bold", 30, 40, s.White)
	s.OpenerEntry = e("sans", 11.5, 30, s.White)
	s.Back = e("sans", 12, 26, display.Black)
	s.Margins.Top, s.Margins.Bottom = mm(22), mm(20)
	s.Margins.Inside, s.Margins.Outside = mm(20), mm(16)
	return s
}

func color(c manifest.Color) display.Color { return display.Color{C: c.C, M: c.M, Y: c.Y, K: c.K} }

// applyStyle overrides the defaults with the manifest's [style] and
// [page] body settings.
func applyStyle(s *Style, fs *faceSet, iss *manifest.Issue) error {
	if a := iss.Style.Accent; a != nil {
		old := s.Accent
		s.Accent = color(*a)
		for _, el := range s.elems() {
			if el.Color == old {
				el.Color = s.Accent
			}
		}
	}
	if iss.Page.BodySize > 0 {
		s.Body.Size = iss.Page.BodySize
		s.Body.Lead = 1.7 * s.Body.Size
	}
	if iss.Page.Leading > 0 {
		s.Body.Lead = iss.Page.Leading
	}
	els := s.elems()
	for _, name := range manifest.StyleElements {
		es, ok := iss.Style.Elements[name]
		if !ok {
			continue
		}
		el := els[name]
		if el == nil {
			continue
		}
		if len(es.Fonts) > 0 {
			// A list: every character takes the first face that has it,
			// then the [fonts] fallbacks.
			var faces []*fonts.Face
			for _, font := range es.Fonts {
				f, err := fs.faces(font)
				if err != nil {
					return fmt.Errorf("%s: [style.%s] font: %w", iss.File, name, err)
				}
				faces = append(faces, f[0])
			}
			el.Faces = append(faces, fs.fallback...)
		}
		if es.Size > 0 {
			if es.Leading == 0 {
				el.Lead *= es.Size / el.Size
			}
			el.Size = es.Size
		}
		if es.Leading > 0 {
			el.Lead = es.Leading
		}
		if es.Color != nil {
			el.Color = color(*es.Color)
		}
	}
	// Bold body text follows the body unless the body is the bundled serif.
	s.BodyBold.Size, s.BodyBold.Lead, s.BodyBold.Color = s.Body.Size, s.Body.Lead, s.Body.Color
	if s.Body.Faces[0].Name != fonts.SerifRegular {
		s.BodyBold.Faces = s.Body.Faces
	}
	return nil
}
