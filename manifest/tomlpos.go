package manifest

import (
	"strconv"
	"strings"
)

// BurntSushi/toml v1.6 keeps the position of each key private, so
// tomlPositions finds them with a small scanner of its own. It only ever
// sees documents the toml package has already accepted, so it can be
// simple: it needs to understand strings, comments, arrays and inline
// tables well enough to skip values, nothing more.

// tomlPath names a key or value: table names, keys and array indices
// joined by a separator that cannot occur in TOML text.
type tomlPath string

const pathSep = "\x00"

func (p tomlPath) key(k string) tomlPath {
	if p == "" {
		return tomlPath(k)
	}
	return p + pathSep + tomlPath(k)
}

func (p tomlPath) index(i int) tomlPath {
	return p.key("#" + strconv.Itoa(i))
}

func (p tomlPath) parent() (tomlPath, bool) {
	i := strings.LastIndex(string(p), pathSep)
	if i < 0 {
		return "", p != ""
	}
	return p[:i], true
}

// tomlPos holds where each key, table header and value of a TOML
// document is. Lines are shifted by the line the document starts on.
type tomlPos struct {
	keys   map[tomlPath]pos // key (or table header) → where its name starts
	values map[tomlPath]pos // value → where it starts
}

// key returns where the key at p is written, or where its nearest
// enclosing table is, or the zero pos.
func (t *tomlPos) key(p tomlPath) pos {
	for {
		if q, ok := t.keys[p]; ok {
			return q
		}
		var ok bool
		if p, ok = p.parent(); !ok {
			return pos{}
		}
	}
}

// value returns where the value at p starts, falling back to its key.
func (t *tomlPos) value(p tomlPath) pos {
	if q, ok := t.values[p]; ok {
		return q
	}
	return t.key(p)
}

// tomlScanner walks a valid TOML document.
type tomlScanner struct {
	src    string
	i      int
	line   int // line of src[i], already shifted
	lstart int // offset of the start of the current line
	out    *tomlPos
	arrays map[tomlPath]int // [[array]] → tables seen so far
}

// tomlPositions scans src, a document toml has accepted, whose first line
// is line firstLine of its file.
func tomlPositions(src string, firstLine int) (out *tomlPos) {
	out = &tomlPos{keys: map[tomlPath]pos{}, values: map[tomlPath]pos{}}
	s := &tomlScanner{src: src, line: firstLine, out: out, arrays: map[tomlPath]int{}}
	defer func() {
		// The scanner trusts the toml package to have rejected bad
		// input; should the two ever disagree, positions are only
		// missing, never wrong enough to matter.
		_ = recover()
	}()
	s.document()
	return out
}

func (s *tomlScanner) pos() pos { return pos{Line: s.line, Col: s.i - s.lstart + 1} }

func (s *tomlScanner) eof() bool { return s.i >= len(s.src) }

func (s *tomlScanner) peek() byte {
	if s.eof() {
		return 0
	}
	return s.src[s.i]
}

// advance moves over one byte, counting lines.
func (s *tomlScanner) advance() {
	if s.src[s.i] == '\n' {
		s.line++
		s.lstart = s.i + 1
	}
	s.i++
}

func (s *tomlScanner) skipBlanks() {
	for !s.eof() && (s.peek() == ' ' || s.peek() == '\t') {
		s.i++
	}
}

// skipSpace skips blanks, newlines and comments (inside arrays).
func (s *tomlScanner) skipSpace() {
	for !s.eof() {
		switch s.peek() {
		case ' ', '\t', '\r', '\n':
			s.advance()
		case '#':
			s.skipComment()
		default:
			return
		}
	}
}

func (s *tomlScanner) skipComment() {
	for !s.eof() && s.peek() != '\n' {
		s.i++
	}
}

func (s *tomlScanner) document() {
	table := tomlPath("")
	for last := -1; !s.eof() && s.i > last; {
		last = s.i
		s.skipSpace()
		if s.eof() {
			return
		}
		if s.peek() == '[' {
			at := s.pos()
			s.i++
			array := s.peek() == '['
			if array {
				s.i++
			}
			s.skipBlanks()
			parts := s.keyParts()
			s.skipBlanks()
			s.i++ // ']'
			if array {
				s.i++
			}
			table = ""
			for i, k := range parts {
				table = table.key(k)
				if i < len(parts)-1 {
					// [a.b] where a is an array of tables means the
					// last table of a.
					if n, ok := s.arrays[table]; ok {
						table = table.index(n - 1)
					}
				}
				s.record(s.out.keys, table, at)
			}
			if array {
				n := s.arrays[table]
				s.arrays[table] = n + 1
				table = table.index(n)
				s.record(s.out.keys, table, at)
			}
			continue
		}
		s.keyValue(table)
	}
}

func (s *tomlScanner) record(m map[tomlPath]pos, p tomlPath, at pos) {
	if _, ok := m[p]; !ok {
		m[p] = at
	}
}

// keyValue reads "a.b = value" in table.
func (s *tomlScanner) keyValue(table tomlPath) {
	at := s.pos()
	parts := s.keyParts()
	p := table
	for _, k := range parts {
		p = p.key(k)
		s.record(s.out.keys, p, at)
	}
	s.skipBlanks()
	s.i++ // '='
	s.skipBlanks()
	s.value(p)
}

// keyParts reads a dotted key and returns its parts, unquoted.
func (s *tomlScanner) keyParts() []string {
	var parts []string
	for {
		s.skipBlanks()
		switch s.peek() {
		case '"':
			parts = append(parts, s.basicString())
		case '\'':
			start := s.i + 1
			s.i = start + strings.IndexByte(s.src[start:], '\'') + 1
			parts = append(parts, s.src[start:s.i-1])
		default:
			start := s.i
			for !s.eof() && isBareKeyByte(s.peek()) {
				s.i++
			}
			parts = append(parts, s.src[start:s.i])
		}
		s.skipBlanks()
		if s.peek() != '.' {
			return parts
		}
		s.i++
	}
}

func isBareKeyByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// basicString reads a one-line "…" string and returns its value.
func (s *tomlScanner) basicString() string {
	start := s.i
	s.i++
	for !s.eof() && s.peek() != '"' {
		if s.peek() == '\\' {
			s.i++
		}
		s.i++
	}
	s.i++
	if v, err := strconv.Unquote(s.src[start:s.i]); err == nil {
		return v
	}
	return s.src[start+1 : s.i-1]
}

// value skips one value at p, recording where it and its parts start.
func (s *tomlScanner) value(p tomlPath) {
	s.record(s.out.values, p, s.pos())
	switch {
	case strings.HasPrefix(s.src[s.i:], `"""`), strings.HasPrefix(s.src[s.i:], `'''`):
		q := s.src[s.i : s.i+3]
		s.i += 3
		for !s.eof() && !strings.HasPrefix(s.src[s.i:], q) {
			if q[0] == '"' && s.peek() == '\\' {
				s.advance()
			}
			s.advance()
		}
		s.i += 3
		for !s.eof() && s.peek() == q[0] { // """a"""" ends with a quote
			s.i++
		}
	case s.peek() == '"':
		s.basicString()
	case s.peek() == '\'':
		s.i++
		s.i += strings.IndexByte(s.src[s.i:], '\'') + 1
	case s.peek() == '[':
		s.i++
		for n, last := 0, -1; s.i > last; n++ {
			last = s.i
			s.skipSpace()
			if s.eof() || s.peek() == ']' {
				s.i++
				return
			}
			s.value(p.index(n))
			s.skipSpace()
			if s.peek() == ',' {
				s.i++
			}
		}
	case s.peek() == '{':
		s.i++
		for last := -1; s.i > last; {
			last = s.i
			s.skipSpace()
			if s.eof() || s.peek() == '}' {
				s.i++
				return
			}
			s.keyValue(p)
			s.skipSpace()
			if s.peek() == ',' {
				s.i++
			}
		}
	default: // number, boolean, date
		for !s.eof() {
			switch s.peek() {
			case ',', ']', '}', '#', '\n', '\r':
				return
			case ' ', '\t':
				// a datetime may have a space between date and time
				if s.i+1 < len(s.src) && s.src[s.i+1] >= '0' && s.src[s.i+1] <= '9' {
					s.i++
					continue
				}
				return
			}
			s.i++
		}
	}
}
