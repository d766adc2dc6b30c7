package layout

import (
	"fmt"
	"testing"

	"paiban/display"
	"paiban/fonts"
	"paiban/manifest"
)

type box struct {
	x0, y0, x1, y1 float64
	what           string
}

func (a box) overlaps(b box, tol float64) bool {
	return a.x0+tol < b.x1 && b.x0+tol < a.x1 && a.y0+tol < b.y1 && b.y0+tol < a.y1
}

// TestNothingCollides lays out the test issue and the reference issue and
// checks, page by page, that no two lines of text overlap and that no text
// is set over a picture (but the full-bleed ones, whose captions sit on a
// band of their own). It guards the float and column logic of layout/page.
func TestNothingCollides(t *testing.T) {
	set, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"testdata/golden/issue.toml", "../samples/zhenjing-2023-05/issue.toml"} {
		iss, err := manifest.Parse(path)
		if err != nil {
			t.Fatal(err)
		}
		res, err := Typeset(iss, set)
		if err != nil {
			t.Fatal(err)
		}
		for pn, p := range res.Doc.Pages {
			var texts, pics []box
			for _, it := range p.Items {
				switch v := it.(type) {
				case *display.Text:
					if v.Role == display.Generated && v.Size > 100 {
						continue // an opener's ghost number: a texture
					}
					// The glyphs' ink: compressed punctuation overlaps its
					// neighbour's em box by design, never its ink.
					face := set.Face(v.Font)
					for _, g := range v.Glyphs {
						ink, ok := face.Ink(g.R)
						if !ok {
							continue // a space
						}
						x, y, s := v.X+g.X, v.Y+g.Y, v.Size
						texts = append(texts, box{x + ink.X0*s, y - ink.Y1*s, x + ink.X1*s, y - ink.Y0*s, fmt.Sprintf("%q in %q", g.R, v.String())})
					}
				case *display.Image:
					if !v.Bleed {
						pics = append(pics, box{v.X, v.Y, v.X + v.W, v.Y + v.H, "picture " + v.Path})
					}
				}
			}
			for i := range texts {
				for j := i + 1; j < len(texts); j++ {
					if texts[i].overlaps(texts[j], 0.6) {
						t.Errorf("%s page %d: %s overlaps %s", path, pn+1, texts[i].what, texts[j].what)
					}
				}
				for _, pic := range pics {
					if texts[i].overlaps(pic, 0.6) {
						t.Errorf("%s page %d: %s is set over the %s", path, pn+1, texts[i].what, pic.what)
					}
				}
			}
		}
	}
}
