package display

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"
)

// Dump writes the document as readable text, one item per line, lengths in
// hundredths of a point: the form of the golden tests. A text run is
// written with its string and the x of every glyph.
func Dump(w io.Writer, d *Document) error {
	var b strings.Builder
	fmt.Fprintf(&b, "document %q author=%q date=%s pages=%d\n", d.Title, d.Author, d.Date.UTC().Format("2006-01-02"), len(d.Pages))
	for _, o := range d.Outline {
		fmt.Fprintf(&b, "bookmark level=%d page=%d %q\n", o.Level, o.Page+1, o.Title)
	}
	for i, p := range d.Pages {
		fmt.Fprintf(&b, "page %d folio=%q trim=%s×%s bleed=%s\n", i+1, p.Folio, c(p.Width), c(p.Height), c(p.Bleed))
		for _, it := range p.Items {
			switch v := it.(type) {
			case *Text:
				xs := make([]string, len(v.Glyphs))
				for k, g := range v.Glyphs {
					xs[k] = c(g.X)
					if g.Y != 0 {
						xs[k] += "^" + c(g.Y)
					}
				}
				art := ""
				if v.Artifact {
					art = " artifact"
				}
				switch v.Role {
				case Caption:
					art += " caption"
				case Generated:
					art += " generated"
				case Pull:
					art += " pull"
				}
				fmt.Fprintf(&b, "  text %s,%s %s %s %s%s %q [%s]\n", c(v.X), c(v.Y), v.Font, c(v.Size), col(v.Color), art, v.String(), strings.Join(xs, " "))
			case *Rect:
				fmt.Fprintf(&b, "  rect %s,%s %s×%s", c(v.X), c(v.Y), c(v.W), c(v.H))
				if v.Fill != nil {
					fmt.Fprintf(&b, " fill=%s", col(*v.Fill))
				}
				if v.Stroke != nil {
					fmt.Fprintf(&b, " stroke=%s/%s", col(*v.Stroke), c(v.StrokeWidth))
				}
				b.WriteByte('\n')
			case *Line:
				fmt.Fprintf(&b, "  line %s,%s %s,%s w=%s %s\n", c(v.X1), c(v.Y1), c(v.X2), c(v.Y2), c(v.Width), col(v.Color))
			case *Image:
				fmt.Fprintf(&b, "  image %s,%s %s×%s %s\n", c(v.X), c(v.Y), c(v.W), c(v.H), filepath.Base(v.Path))
			case *Link:
				fmt.Fprintf(&b, "  link %s,%s %s×%s → page %d y=%s\n", c(v.X), c(v.Y), c(v.W), c(v.H), v.Page+1, c(v.DestY))
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// c formats a length in hundredths of a point.
func c(v float64) string {
	r := math.Round(v * 100)
	if r == 0 {
		r = 0 // no "-0"
	}
	return fmt.Sprintf("%d", int64(r))
}

func col(k Color) string {
	return fmt.Sprintf("cmyk(%s,%s,%s,%s)", pct(k.C), pct(k.M), pct(k.Y), pct(k.K))
}

func pct(v float64) string { return fmt.Sprintf("%d", int(math.Round(v*100))) }
