package manifest

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Error is one problem in an issue's input, located in a file.
//
// Line and Col are 1-based; Col counts bytes, like the Go tools. Either
// is 0 when the problem has no better place than the file (or the line).
type Error struct {
	File string // the file as the user would open it, e.g. "samples/x/issue.toml"
	Line int
	Col  int
	Msg  string // lowercase, no final period: what is wrong — what to do
	Err  error  // the underlying error, if any
}

// Error formats the error as "file:line:col: msg".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Col > 0 {
			fmt.Fprintf(&b, ":%d", e.Col)
		}
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Errors is every problem found in an issue, sorted by file (the manifest
// first, then the articles in the order the manifest lists them), then by
// line and column. Parse returns all problems it finds, not only the first.
type Errors []*Error

// Error returns one problem a line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the problems, for errors.Is and errors.As.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// collector gathers the problems of one parse.
type collector struct {
	errs  Errors
	files map[string]int // file → order of first mention, for sorting
}

func (c *collector) file(name string) {
	if c.files == nil {
		c.files = map[string]int{}
	}
	if _, ok := c.files[name]; !ok {
		c.files[name] = len(c.files)
	}
}

// oneLine keeps a message on its line: messages from other packages
// may quote a line end.
var oneLine = strings.NewReplacer("\n", `\n`, "\r", `\r`)

func (c *collector) add(e *Error) {
	e.Msg = oneLine.Replace(e.Msg)
	c.file(e.File)
	c.errs = append(c.errs, e)
}

// at records a problem at a position.
func (c *collector) at(file string, p pos, format string, args ...any) {
	c.add(&Error{File: file, Line: p.Line, Col: p.Col, Msg: fmt.Sprintf(format, args...)})
}

// wrap records a problem at a position with an underlying error.
func (c *collector) wrap(file string, p pos, err error, format string, args ...any) {
	c.add(&Error{File: file, Line: p.Line, Col: p.Col, Msg: fmt.Sprintf(format, args...), Err: err})
}

// result returns the sorted problems, or nil when there are none.
func (c *collector) result() error {
	if len(c.errs) == 0 {
		return nil
	}
	sort.SliceStable(c.errs, func(i, j int) bool {
		a, b := c.errs[i], c.errs[j]
		if a.File != b.File {
			return c.files[a.File] < c.files[b.File]
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	out := make(Errors, len(c.errs))
	copy(out, c.errs)
	return out
}

// pos is a 1-based line and byte column; 0 means unknown.
type pos struct{ Line, Col int }

// lineIndex maps byte offsets of a file to lines and columns.
type lineIndex []int // start offset of each line

func newLineIndex(src []byte) lineIndex {
	idx := lineIndex{0}
	for i, b := range src {
		if b == '\n' {
			idx = append(idx, i+1)
		}
	}
	return idx
}

// pos returns the 1-based line and column of byte offset off.
func (idx lineIndex) pos(off int) pos {
	if off < 0 {
		return pos{}
	}
	i := sort.Search(len(idx), func(i int) bool { return idx[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	return pos{Line: i + 1, Col: off - idx[i] + 1}
}

// checkUTF8 returns the position of the first byte that is not valid
// UTF-8, and that byte, or ok = true when src is valid.
func checkUTF8(src []byte) (p pos, bad byte, ok bool) {
	line, col := 1, 1
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && n <= 1 {
			return pos{line, col}, src[i], false
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col += n
		}
		i += n
	}
	return pos{}, 0, true
}

// lowerFirst lowercases the first letter of a message from another
// package, unless it starts an acronym ("TOML").
func lowerFirst(s string) string {
	if len(s) < 2 || s[0] < 'A' || s[0] > 'Z' || (s[1] >= 'A' && s[1] <= 'Z') {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}

// didYouMean returns a hint naming the known word closest to s, or
// "check the spelling" when none is close.
func didYouMean(s string, known []string) string {
	best := closest(s, known)
	if best == "" {
		return "check the spelling"
	}
	return fmt.Sprintf("did you mean %q?", best)
}

// closest returns the known word closest to s (fewer than three edits
// away, case ignored), or "".
func closest(s string, known []string) string {
	best, bestD := "", 3
	for _, k := range known {
		if d := editDistance(strings.ToLower(s), strings.ToLower(k)); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
