package manifest

import (
	"fmt"
	"path/filepath"
	"strings"
)

// The keys of [style] and of each [style.NAME].
var (
	styleKeys   = []string{"accent"}
	elementKeys = []string{"font", "size", "leading", "color"}
)

// StyleFonts are the bundled faces a [style.NAME] font may name; any other
// font is the path of a .ttf or .otf file in the issue folder.
var StyleFonts = []string{"serif", "serif-bold", "sans", "sans-bold"}

// styleFontExts are the font files a [style.NAME] font may be: one face
// per file, so no collections.
var styleFontExts = []string{".ttf", ".otf"}

// maxStyleSize is the largest size or leading [style] accepts, in points.
const maxStyleSize = 200

const colorHint = `give CMYK percentages C/M/Y/K (cyan, magenta, yellow, black, each 0 to 100), like %s = "0/100/85/15"`

// ParseColor reads a CMYK colour written as percentages "C/M/Y/K", such as
// "0/100/85/15" (each number 0 to 100, optionally followed by %; blanks
// around the numbers are ignored), and returns it with components 0..1.
func ParseColor(s string) (Color, error) {
	t := strings.TrimSpace(s)
	if strings.HasPrefix(t, "#") || strings.HasPrefix(strings.ToLower(t), "rgb") {
		return Color{}, fmt.Errorf("%q is an RGB colour, and print needs CMYK", s)
	}
	parts := strings.Split(t, "/")
	if len(parts) != 4 {
		return Color{}, fmt.Errorf("%q is not four numbers separated by /", s)
	}
	var v [4]float64
	for i, p := range parts {
		p = strings.TrimSpace(p)
		n, ok := decimal(strings.TrimSpace(strings.TrimSuffix(p, "%")))
		if !ok {
			return Color{}, fmt.Errorf("%q in %q is not a number", p, s)
		}
		if n < 0 || n > 100 {
			return Color{}, fmt.Errorf("%s in %q is not from 0 to 100", p, s)
		}
		v[i] = n / 100
	}
	return Color{C: v[0], M: v[1], Y: v[2], K: v[3]}, nil
}

// decimal reads an unsigned or negative decimal number without exponent:
// "12", "12.5", ".5", "-3". It accepts nothing strconv would read as
// infinite, NaN, hexadecimal or with underscores.
func decimal(s string) (float64, bool) {
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	if s == "" || len(s) > 32 {
		return 0, false
	}
	v, scale, digits, dot := 0.0, 1.0, 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
			if dot {
				scale /= 10
				v += float64(c-'0') * scale
			} else {
				v = v*10 + float64(c-'0')
			}
		case c == '.' && !dot:
			dot = true
		default:
			return 0, false
		}
	}
	if digits == 0 {
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}

// style reads [style].
func (ip *issueParser) style(t map[string]any, pg map[string]any) Style {
	at := tomlPath("style")
	var st Style
	for _, k := range sortedKeys(t, nil) {
		p := ip.pos.key(at.key(k))
		x := t[k]
		sub, isTable := x.(map[string]any)
		switch {
		case k == "accent":
			if s, ok := ip.str(t, k, at, "[style]"); ok {
				if c, ok := ip.color(s, at.key(k), "accent", "[style]"); ok {
					st.Accent = &c
				}
			}
		case contains(StyleElements, k) && isTable:
			if st.Elements == nil {
				st.Elements = map[string]ElementStyle{}
			}
			st.Elements[k] = ip.element(sub, k, pg)
		case contains(StyleElements, k):
			ip.c.at(ip.file, p, "%s in [style] must be a table, not %s — write [style.%s] on a line of its own and its keys (%s) below it",
				k, typeName(x), k, strings.Join(elementKeys, ", "))
		case isTable:
			hint := "check the spelling"
			if best := closest(k, StyleElements); best != "" {
				hint = fmt.Sprintf("did you mean [style.%s]?", best)
			}
			ip.c.at(ip.file, p, "unknown table [style.%s] (known: %s) — %s", k, strings.Join(StyleElements, ", "), hint)
		default:
			hint := didYouMean(k, styleKeys)
			if best := closest(k, StyleElements); best != "" && closest(k, styleKeys) == "" {
				hint = fmt.Sprintf("did you mean the table [style.%s]?", best)
			}
			ip.c.at(ip.file, p, "unknown key %q in [style] (known: accent, and the tables [style.NAME] for NAME in %s) — %s",
				k, strings.Join(StyleElements, ", "), hint)
		}
	}
	return st
}

// element reads [style.name]; pg is [page], for the body's size.
func (ip *issueParser) element(t map[string]any, name string, pg map[string]any) ElementStyle {
	at := tomlPath("style").key(name)
	where := "[style." + name + "]"
	ip.keys(t, at, where, elementKeys)
	var es ElementStyle
	// font is one face, or a list tried in order for every character
	// (per-character fallback): font = ["serif", "fonts/kai.ttf"].
	if x, ok := t["font"]; ok {
		if _, isList := x.([]any); isList {
			if list, ps, ok := ip.strings(t, "font", at, where); ok {
				for i, s := range list {
					if f := ip.fontAt(s, ps[i], at.key("font"), where); f != "" {
						es.Fonts = append(es.Fonts, f)
					}
				}
			}
		} else if s, ok := ip.str(t, "font", at, where); ok {
			if f := ip.font(s, at.key("font"), where); f != "" {
				es.Fonts = []string{f}
			}
		}
		if len(es.Fonts) > 0 {
			es.Font = es.Fonts[0]
		}
	}
	for _, f := range []struct {
		key, example string
		dst          *float64
	}{
		{"size", "10pt", &es.Size},
		{"leading", "17pt", &es.Leading},
	} {
		l, ok := ip.length(t, f.key, at, where, f.example)
		if !ok {
			continue
		}
		p := ip.pos.value(at.key(f.key))
		switch {
		case l <= 0:
			ip.c.at(ip.file, p, "%s in %s is 0 — give a length above 0, like %s = %q, or delete the line for the default", f.key, where, f.key, f.example)
		case l > maxStyleSize:
			ip.c.at(ip.file, p, "%s in %s is %.4gpt, more than %dpt — use a smaller length, like %s = %q", f.key, where, l, maxStyleSize, f.key, f.example)
		default:
			*f.dst = l
		}
	}
	if s, ok := ip.str(t, "color", at, where); ok {
		if c, ok := ip.color(s, at.key("color"), "color", where); ok {
			es.Color = &c
		}
	}
	if name == "body" && pg != nil {
		for _, f := range []struct{ key, pageKey, what string }{
			{"size", "body_size", "size"},
			{"leading", "leading", "leading"},
		} {
			_, here := t[f.key]
			_, there := pg[f.pageKey]
			if here && there {
				ip.c.at(ip.file, ip.pos.key(at.key(f.key)), "%s in [style.body] and %s in [page] (line %d) both set the body %s — set the body %s in one place: delete one of the two",
					f.key, f.pageKey, ip.pos.key(tomlPath("page").key(f.pageKey)).Line, f.what, f.what)
			}
		}
	}
	return es
}

// font reads a [style.NAME] font: a bundled face or a font file.
func (ip *issueParser) font(s string, at tomlPath, where string) string {
	return ip.fontAt(s, ip.pos.value(at), at, where)
}

// fontAt reads a font named at position p (an element of a list).
func (ip *issueParser) fontAt(s string, p pos, at tomlPath, where string) string {
	if strings.ContainsAny(s, `/\`) || filepath.Ext(s) != "" {
		return ip.checkFile(s, p, "font", styleFontExts, "ttf or otf")
	}
	name := strings.ToLower(strings.TrimSpace(s))
	if contains(StyleFonts, name) {
		return name
	}
	hint := fmt.Sprintf(`check the spelling, or give the path of a font file in the issue folder, like font = "fonts/%s.ttf"`, s)
	if best := closest(name, StyleFonts); best != "" {
		hint = fmt.Sprintf("did you mean %q?", best)
	}
	if strings.TrimSpace(s) == "" {
		hint = `write font = "serif", or delete the line for the default`
	}
	ip.c.at(ip.file, p, "unknown font %q in %s (known: %s, or the path of a .ttf or .otf file) — %s",
		s, where, strings.Join(StyleFonts, ", "), hint)
	return ""
}

// color reads a colour written at path at, the value of key in where.
func (ip *issueParser) color(s string, at tomlPath, key, where string) (Color, bool) {
	c, err := ParseColor(s)
	if err != nil {
		ip.c.wrap(ip.file, ip.pos.value(at), err, "bad %s in %s: %v — "+colorHint, key, where, err, key)
		return Color{}, false
	}
	return c, true
}
