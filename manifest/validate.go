package manifest

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// validator checks decoded TOML against what paiban expects, reporting
// each problem at the key or value it is about.
type validator struct {
	c    *collector
	file string
	pos  *tomlPos
}

// decodeTOML decodes src, reporting a syntax error at its position (with
// firstLine, the line src starts on in its file), the message prefixed
// with what. ok is false when src is not valid TOML.
func decodeTOML(c *collector, file, src string, firstLine int, what string) (map[string]any, *tomlPos, bool) {
	var m map[string]any
	_, err := toml.Decode(src, &m)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			p := pos{Line: pe.Position.Line + firstLine - 1, Col: pe.Position.Col}
			if pe.Position.Line == 0 {
				p = pos{}
			}
			c.wrap(file, p, err, "%s%s — fix the TOML syntax", what, lowerFirst(strings.TrimSuffix(pe.Message, ".")))
		} else {
			c.wrap(file, pos{}, err, "%s%v — fix the TOML syntax", what, err)
		}
		return nil, nil, false
	}
	return m, tomlPositions(src, firstLine), true
}

// typeName names the TOML type of a decoded value, with an article.
func typeName(v any) string {
	switch t := v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a boolean"
	case time.Time:
		if t.Location().String() == "time-local" {
			return "a time"
		}
		return "a date"
	case []any, []map[string]any:
		return "an array"
	case map[string]any:
		return "a table"
	}
	return fmt.Sprintf("a %T", v)
}

// keys checks that table m at path, described as where, has only known
// keys.
func (v *validator) keys(m map[string]any, at tomlPath, where string, known []string) {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if contains(known, k) {
			continue
		}
		v.c.at(v.file, v.pos.key(at.key(k)), "unknown key %q in %s (known: %s) — %s",
			k, where, strings.Join(known, ", "), didYouMean(k, known))
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// table returns m[key] as a table, reporting a value of another type.
func (v *validator) table(m map[string]any, key string, at tomlPath, hint string) (map[string]any, bool) {
	x, ok := m[key]
	if !ok {
		return nil, false
	}
	t, ok := x.(map[string]any)
	if !ok {
		v.c.at(v.file, v.pos.key(at.key(key)), "%s must be a table, not %s — %s", key, typeName(x), hint)
		return nil, false
	}
	return t, true
}

// str returns m[key] as a string. ok is false when the key is missing
// or has another type (which is reported).
func (v *validator) str(m map[string]any, key string, at tomlPath, where string) (string, bool) {
	x, ok := m[key]
	if !ok {
		return "", false
	}
	s, ok := x.(string)
	if !ok {
		v.c.at(v.file, v.pos.value(at.key(key)), "%s in %s must be a string, not %s — quote it: %s = \"%v\"",
			key, where, typeName(x), key, plain(x))
		return "", false
	}
	return s, true
}

// required returns m[key] as a non-blank string, reporting it missing at
// the table's header (or the top of the file).
func (v *validator) required(m map[string]any, key string, at tomlPath, where, example string) (string, bool) {
	s, ok := v.str(m, key, at, where)
	if !ok {
		if _, present := m[key]; !present {
			p := v.pos.key(at)
			if p.Line == 0 {
				p = pos{Line: 1, Col: 1}
			}
			v.c.at(v.file, p, "%s has no %s — add %s = %q", where, key, key, example)
		}
		return "", false
	}
	if strings.TrimSpace(s) == "" {
		v.c.at(v.file, v.pos.value(at.key(key)), "%s in %s is empty — write it, e.g. %s = %q", key, where, key, example)
		return "", false
	}
	return s, true
}

// strings returns m[key] as an array of strings with the position of
// each element.
func (v *validator) strings(m map[string]any, key string, at tomlPath, where string) ([]string, []pos, bool) {
	x, ok := m[key]
	if !ok {
		return nil, nil, false
	}
	arr, ok := x.([]any)
	if !ok {
		v.c.at(v.file, v.pos.value(at.key(key)), "%s in %s must be an array of strings, not %s — write %s = [\"…\", \"…\"]",
			key, where, typeName(x), key)
		return nil, nil, false
	}
	var out []string
	var ps []pos
	good := true
	for i, e := range arr {
		p := v.pos.value(at.key(key).index(i))
		s, ok := e.(string)
		if !ok {
			v.c.at(v.file, p, "%s in %s must hold only strings, but item %d is %s — quote it", key, where, i+1, typeName(e))
			good = false
			continue
		}
		out = append(out, s)
		ps = append(ps, p)
	}
	return out, ps, good
}

// length returns m[key] as a length in points.
func (v *validator) length(m map[string]any, key string, at tomlPath, where, example string) (float64, bool) {
	x, ok := m[key]
	if !ok {
		return 0, false
	}
	p := v.pos.value(at.key(key))
	s, ok := x.(string)
	if !ok {
		v.c.at(v.file, p, "%s in %s must be a length with a unit, not %s — write %s = %q (units: %s)",
			key, where, typeName(x), key, example, unitList)
		return 0, false
	}
	l, err := ParseLength(s)
	if err != nil {
		v.c.wrap(v.file, p, err, "bad %s in %s: %v — write it like %q (units: %s)", key, where, err, example, unitList)
		return 0, false
	}
	return l, true
}

// plain formats a decoded TOML value for a hint.
func plain(x any) string {
	switch t := x.(type) {
	case time.Time:
		if t.Location().String() == "date-local" {
			return t.Format("2006-01-02")
		}
		return t.Format(time.RFC3339)
	case []any, []map[string]any, map[string]any:
		return "…"
	}
	return fmt.Sprint(x)
}
