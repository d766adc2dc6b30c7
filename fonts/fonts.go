// Package fonts holds the bundled default typefaces (Noto Serif SC and
// Noto Sans SC, Regular and Bold, under the SIL Open Font License) and
// answers the questions layout and render ask of a font: does it cover a
// rune, how wide is a glyph, and what bytes to embed.
//
// A Face is parsed once with golang.org/x/image/font/sfnt (a fraction of a
// millisecond even for a 15 MB font: sfnt reads tables lazily) and caches
// the advances it has looked up, so it is cheap to share between goroutines.
package fonts

import (
	"crypto/sha256"
	_ "embed"
	"fmt"
	"os"
	"slices"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// The bundled faces. go:embed keeps them inside the binary, so a build never
// depends on system fonts or on the working directory.
var (
	//go:embed NotoSerifSC-Regular.ttf
	serifRegular []byte
	//go:embed NotoSerifSC-Bold.ttf
	serifBold []byte
	//go:embed NotoSansSC-Regular.ttf
	sansRegular []byte
	//go:embed NotoSansSC-Bold.ttf
	sansBold []byte
)

// Names of the bundled faces, as used in display lists.
const (
	SerifRegular = "NotoSerifSC-Regular"
	SerifBold    = "NotoSerifSC-Bold"
	SansRegular  = "NotoSansSC-Regular"
	SansBold     = "NotoSansSC-Bold"
)

// Face is one font file: its name, its bytes and parsed metrics.
type Face struct {
	// Name identifies the face in a display list and in the PDF.
	Name string
	data []byte
	sf   *sfnt.Font
	upem float64

	// Ascent and Descent are in em (Descent is positive, below the baseline).
	Ascent, Descent float64

	mu  sync.Mutex
	buf sfnt.Buffer
	adv map[rune]float64 // advance in em; <0 means not covered
	ink map[rune]Box     // ink bounds in em, looked up on demand
}

// Box is a rectangle in em: X to the right of the glyph origin, Y up from
// the baseline.
type Box struct{ X0, Y0, X1, Y1 float64 }

// Parse reads a TrueType/OpenType font from data and names it name.
func Parse(name string, data []byte) (*Face, error) {
	sf, err := sfnt.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("font %s: %w", name, err)
	}
	f := &Face{Name: name, data: data, sf: sf, upem: float64(sf.UnitsPerEm()), adv: make(map[rune]float64, 4096)}
	m, err := sf.Metrics(&f.buf, fixed.I(int(sf.UnitsPerEm())), font.HintingNone)
	if err != nil {
		return nil, fmt.Errorf("font %s: reading metrics: %w", name, err)
	}
	f.Ascent = float64(m.Ascent) / 64 / f.upem
	f.Descent = float64(m.Descent) / 64 / f.upem
	return f, nil
}

// Load reads a font file from disk; name defaults to the file name.
func Load(name, path string) (*Face, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("font %s: %w", name, err)
	}
	return Parse(name, data)
}

// Data returns the font file's bytes, for embedding.
func (f *Face) Data() []byte { return f.data }

// Has reports whether the face has a glyph for r.
func (f *Face) Has(r rune) bool {
	_, ok := f.Advance(r)
	return ok
}

// Advance returns the horizontal advance of r's glyph in em, and whether the
// face covers r at all.
func (f *Face) Advance(r rune) (float64, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if a, ok := f.adv[r]; ok {
		return a, a >= 0
	}
	a := -1.0
	if gi, err := f.sf.GlyphIndex(&f.buf, r); err == nil && gi != 0 {
		if x, err := f.sf.GlyphAdvance(&f.buf, gi, fixed.I(int(f.upem)), font.HintingNone); err == nil {
			a = float64(x) / 64 / f.upem
		}
	}
	f.adv[r] = a
	return a, a >= 0
}

// Ink returns the bounds of the outline of r's glyph (its ink, from the
// outline's points, so a curve's box may be a little generous), and
// whether the face has a glyph for r with any ink at all.
func (f *Face) Ink(r rune) (Box, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if b, ok := f.ink[r]; ok {
		return b, b.X1 > b.X0
	}
	var b Box
	if gi, err := f.sf.GlyphIndex(&f.buf, r); err == nil && gi != 0 {
		if rect, _, err := f.sf.GlyphBounds(&f.buf, gi, fixed.I(int(f.upem)), font.HintingNone); err == nil && rect.Max.X > rect.Min.X {
			// sfnt's y axis points down.
			u := 64 * f.upem
			b = Box{X0: float64(rect.Min.X) / u, Y0: -float64(rect.Max.Y) / u, X1: float64(rect.Max.X) / u, Y1: -float64(rect.Min.Y) / u}
		}
	}
	if f.ink == nil {
		f.ink = make(map[rune]Box)
	}
	f.ink[r] = b
	return b, b.X1 > b.X0
}

// Set is the collection of faces an issue is set in, looked up by name.
type Set struct {
	faces map[string]*Face
	order []string
}

// NewSet makes a set from faces; their names must differ.
func NewSet(faces ...*Face) *Set {
	s := &Set{faces: make(map[string]*Face)}
	for _, f := range faces {
		s.Add(f)
	}
	return s
}

// Add puts f into the set, replacing a face of the same name.
func (s *Set) Add(f *Face) {
	if _, ok := s.faces[f.Name]; !ok {
		s.order = append(s.order, f.Name)
	}
	s.faces[f.Name] = f
}

// Face returns the face named name, or nil.
func (s *Set) Face(name string) *Face { return s.faces[name] }

// Names lists the faces in the order they were added.
func (s *Set) Names() []string { return append([]string(nil), s.order...) }

var (
	defaultOnce sync.Once
	defaultSet  *Set
	defaultErr  error
)

// Default returns the four bundled faces. They are parsed once per process
// and shared: a batch build of many issues loads each font once.
func Default() (*Set, error) {
	defaultOnce.Do(func() {
		var faces []*Face
		for _, b := range []struct {
			name string
			data []byte
		}{{SerifRegular, serifRegular}, {SerifBold, serifBold}, {SansRegular, sansRegular}, {SansBold, sansBold}} {
			f, err := Parse(b.name, b.data)
			if err != nil {
				defaultErr = err
				return
			}
			faces = append(faces, f)
		}
		defaultSet = NewSet(faces...)
	})
	return defaultSet, defaultErr
}

// SubsetTag derives the six capital letters that prefix a subset font's
// name in a PDF (“ABCDEF+Name”) from the face's name and the characters
// in the subset: the same subset always gets the same tag, different
// subsets almost surely different ones, so output stays reproducible.
func SubsetTag(name string, runes map[rune]bool) string {
	rs := make([]rune, 0, len(runes))
	for r := range runes {
		rs = append(rs, r)
	}
	slices.Sort(rs)
	h := sha256.New()
	h.Write([]byte(name))
	h.Write([]byte(string(rs)))
	sum := h.Sum(nil)
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + sum[i]%26
	}
	return string(tag)
}

// NewDefaultSet returns a set of its own holding the bundled faces (parsed
// once, shared): an issue's fallback fonts added to it do not leak into
// another issue built in the same process.
func NewDefaultSet() (*Set, error) {
	base, err := Default()
	if err != nil {
		return nil, err
	}
	set := NewSet()
	for _, n := range base.order {
		set.Add(base.faces[n])
	}
	return set, nil
}
