package manifest

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// The tables and keys issue.toml may have.
var (
	topKeys      = []string{"issue", "page", "fonts", "style", "cover", "contents", "section", "back"}
	topTables    = "[issue], [page], [fonts], [style], [cover], [contents], [[section]], [back]"
	issueKeys    = []string{"title", "number", "subtitle", "date", "publisher"}
	pageKeys     = []string{"size", "bleed", "columns", "gutter", "margin_top", "margin_bottom", "margin_inside", "margin_outside", "body_size", "leading"}
	fontsKeys    = []string{"fallback"}
	coverKeys    = []string{"image", "lines", "focus"}
	contentsKeys = []string{"image", "focus"}
	sectionKeys  = []string{"number", "title", "articles"}
	backKeys     = []string{"lines"}
)

// Defaults of [page].
const (
	DefaultBleed   = 3 * PointsPerMM
	DefaultColumns = 2
)

// Parse reads an issue: issue.toml at path (or path/issue.toml when path
// is a folder), and every article it lists, which ParseArticle parses.
// It checks that every file the issue names exists inside the issue
// folder — no absolute paths, no .., no symlink out — and reports
// every problem it finds, as an Errors sorted by file, line and column.
// Each message names file:line:col (or the file alone), says what is
// wrong and what to do. On error the *Issue is nil.
//
// issue.toml:
//
//	[issue]    title (required), number, subtitle, date (a TOML date or
//	           datetime; stored in UTC, the wall clock of a local one),
//	           publisher
//	[page]     size (required: A4, A5, B5 = ISO 176×250mm, 16K = 185×260mm,
//	           Letter, or "W x H" with units like "210mm x 285mm"),
//	           bleed ("3mm"), columns (1–3, default 2), gutter,
//	           margin_top, margin_bottom, margin_inside, margin_outside,
//	           body_size, leading — lengths are strings with a unit
//	           (mm, cm, in, pt)
//	[fonts]    fallback = ["fonts/x.ttf", …]
//	[style]    accent = "0/100/85/15": a CMYK colour (see ParseColor)
//	[style.NAME] for NAME in StyleElements: font ("serif", "serif-bold",
//	           "sans", "sans-bold", or the path of a .ttf or .otf file),
//	           size and leading (lengths above 0, at most 200pt), color
//	           (CMYK, as accent). The body's size and leading are set
//	           either here in [style.body] or in [page], not both.
//	[cover]    image, lines, focus = "50%,30%" (the point of the image
//	           kept in view when it is cropped: percentages from the left
//	           and from the top; needs image)
//	[[section]] number, title (required), articles (required, paths)
//	[back]     lines
//
// A figure's image path, and an article's lead image (front matter
// image), is relative to the issue folder; when no file is there, a path
// relative to the article's own folder is accepted too.
func Parse(p string) (*Issue, error) {
	c := &collector{}
	if st, err := os.Stat(p); err == nil && st.IsDir() {
		p = filepath.Join(p, "issue.toml")
	}
	file := p
	c.file(file)
	src, err := os.ReadFile(p)
	if err != nil {
		hint := "check the path"
		if errors.Is(err, fs.ErrNotExist) {
			hint = "give the path of an issue.toml, or of the folder it is in"
		}
		c.wrap(file, pos{}, err, "cannot read the manifest (%v) — %s", unwrapPathErr(err), hint)
		return nil, c.result()
	}
	dir, err := newFolder(filepath.Dir(p))
	if err != nil {
		c.wrap(file, pos{}, err, "cannot find the issue folder (%v) — check the path", err)
		return nil, c.result()
	}
	if q, b, ok := checkUTF8(src); !ok {
		c.at(file, q, "invalid UTF-8 (byte 0x%02x) — save the file as UTF-8", b)
		return nil, c.result()
	}
	m, tp, ok := decodeTOML(c, file, strings.TrimPrefix(string(src), "\uFEFF"), 1, "")
	if !ok {
		return nil, c.result()
	}
	ip := &issueParser{
		validator: validator{c: c, file: file, pos: tp},
		dir:       dir,
		shownDir:  filepath.Dir(file),
		seen:      map[string]pos{},
	}
	iss := ip.issue(m)
	iss.File, iss.Dir = file, dir.abs
	if err := c.result(); err != nil {
		return nil, err
	}
	return iss, nil
}

type issueParser struct {
	validator
	dir      folder
	shownDir string         // the issue folder as the user named it, for messages
	seen     map[string]pos // article path → where first listed
}

func (ip *issueParser) issue(m map[string]any) *Issue {
	iss := &Issue{}
	for _, k := range sortedKeys(m, nil) {
		if contains(topKeys, k) {
			continue
		}
		p := ip.pos.key(tomlPath(k))
		if _, isTable := m[k].(map[string]any); isTable {
			hint := "check the spelling"
			if h := didYouMean(k, topKeys); strings.HasPrefix(h, "did") {
				hint = strings.Replace(h, `"`, "[", 1)
				hint = strings.Replace(hint, `"`, "]", 1)
			}
			ip.c.at(ip.file, p, "unknown table [%s] (known: %s) — %s", k, topTables, hint)
		} else {
			ip.c.at(ip.file, p, "unknown key %q outside any table (known tables: %s) — put it under its table, or check the spelling", k, topTables)
		}
	}
	for _, k := range sortedKeys(m, topKeys) {
		// every top-level key but section must be a table
		if _, ok := m[k].(map[string]any); !ok && k != "section" {
			ip.c.at(ip.file, ip.pos.key(tomlPath(k)), "%s must be a table, not %s — write [%s] on a line of its own and its keys below it",
				k, typeName(m[k]), k)
		}
	}

	// [issue]
	if t, ok := m["issue"].(map[string]any); ok {
		ip.keys(t, "issue", "[issue]", issueKeys)
		iss.Title, _ = ip.required(t, "title", "issue", "[issue]", "刊名")
		iss.Number, _ = ip.str(t, "number", "issue", "[issue]")
		iss.Subtitle, _ = ip.str(t, "subtitle", "issue", "[issue]")
		iss.Publisher, _ = ip.str(t, "publisher", "issue", "[issue]")
		iss.Date = ip.date(t)
	} else if _, present := m["issue"]; !present {
		ip.c.at(ip.file, pos{1, 1}, "missing [issue] table — add [issue] with title = \"刊名\"")
	}

	// [page]
	if t, ok := m["page"].(map[string]any); ok {
		iss.Page = ip.page(t)
	} else if _, present := m["page"]; !present {
		ip.c.at(ip.file, pos{1, 1}, "missing [page] table — add [page] with size = \"A4\" (or \"210mm x 285mm\")")
	}

	// [fonts]
	if t, ok := m["fonts"].(map[string]any); ok {
		ip.keys(t, "fonts", "[fonts]", fontsKeys)
		list, ps, _ := ip.strings(t, "fallback", "fonts", "[fonts]")
		for i, s := range list {
			if abs := ip.checkFile(s, ps[i], "fallback font", fontExts, "ttf, otf, ttc"); abs != "" {
				iss.Fonts.Fallback = append(iss.Fonts.Fallback, abs)
			}
		}
	}

	// [style]
	if t, ok := m["style"].(map[string]any); ok {
		pg, _ := m["page"].(map[string]any)
		iss.Style = ip.style(t, pg)
	}

	// [cover] and [contents]: a photo each, with its focus.
	if t, ok := m["cover"].(map[string]any); ok {
		ip.keys(t, "cover", "[cover]", coverKeys)
		iss.Cover.Image, iss.Cover.FocusX, iss.Cover.FocusY = ip.photo(t, "cover", "images/cover.jpg")
		iss.Cover.Lines, _, _ = ip.strings(t, "lines", "cover", "[cover]")
	}
	if t, ok := m["contents"].(map[string]any); ok {
		ip.keys(t, "contents", "[contents]", contentsKeys)
		iss.Contents.Image, iss.Contents.FocusX, iss.Contents.FocusY = ip.photo(t, "contents", "images/contents.jpg")
	}

	// [back]
	if t, ok := m["back"].(map[string]any); ok {
		ip.keys(t, "back", "[back]", backKeys)
		iss.Back.Lines, _, _ = ip.strings(t, "lines", "back", "[back]")
	}

	// [[section]]
	if x, ok := m["section"]; ok {
		var tables []map[string]any
		switch t := x.(type) {
		case []map[string]any:
			tables = t
		case []any:
			for _, e := range t {
				if tt, ok := e.(map[string]any); ok {
					tables = append(tables, tt)
				} else {
					tables = nil
					break
				}
			}
		}
		if tables == nil {
			ip.c.at(ip.file, ip.pos.key("section"), "section must be an array of tables, not %s — write [[section]] (two brackets) before each section's keys",
				typeName(x))
		}
		for i, t := range tables {
			iss.Sections = append(iss.Sections, ip.section(t, tomlPath("section").index(i), i+1))
		}
	}
	return iss
}

// sortedKeys returns the keys of m that are in only (all keys when only
// is nil), sorted.
func sortedKeys(m map[string]any, only []string) []string {
	var out []string
	for k := range m {
		if only == nil || contains(only, k) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// date reads [issue] date.
func (ip *issueParser) date(t map[string]any) time.Time {
	x, ok := t["date"]
	if !ok {
		return time.Time{}
	}
	p := ip.pos.value(tomlPath("issue").key("date"))
	d, ok := x.(time.Time)
	if !ok {
		hint := "write it without quotes, like date = 2023-05-01"
		if _, isStr := x.(string); !isStr {
			hint = "write a TOML date, like date = 2023-05-01"
		}
		ip.c.at(ip.file, p, "date in [issue] must be a date, not %s — %s", typeName(x), hint)
		return time.Time{}
	}
	switch d.Location().String() {
	case "time-local":
		ip.c.at(ip.file, p, "date in [issue] is a time of day without a date — write a date, like date = 2023-05-01")
		return time.Time{}
	case "date-local", "datetime-local":
		return time.Date(d.Year(), d.Month(), d.Day(), d.Hour(), d.Minute(), d.Second(), d.Nanosecond(), time.UTC)
	}
	return d.UTC()
}

// page reads [page].
func (ip *issueParser) page(t map[string]any) Page {
	const where = "[page]"
	at := tomlPath("page")
	ip.keys(t, at, where, pageKeys)
	pg := Page{Bleed: DefaultBleed, Columns: DefaultColumns}
	sizeOK := false
	if s, ok := ip.required(t, "size", at, where, "A4"); ok {
		w, h, err := ParsePageSize(s)
		if err != nil {
			ip.c.wrap(ip.file, ip.pos.value(at.key("size")), err, "bad size in [page]: %v — use %s", err, pageSizeList)
		} else {
			pg.Width, pg.Height, sizeOK = w, h, true
		}
	}
	if l, ok := ip.length(t, "bleed", at, where, "3mm"); ok {
		if l > 25.4*PointsPerMM {
			ip.c.at(ip.file, ip.pos.value(at.key("bleed")), "bleed in [page] is more than 25.4mm — printers ask for about 3mm; write bleed = \"3mm\"")
		} else {
			pg.Bleed = l
		}
	}
	if x, ok := t["columns"]; ok {
		p := ip.pos.value(at.key("columns"))
		switch n := x.(type) {
		case int64:
			if n < 1 || n > 3 {
				ip.c.at(ip.file, p, "columns = %d in [page] is out of range — use 1, 2 or 3", n)
			} else {
				pg.Columns = int(n)
			}
		default:
			ip.c.at(ip.file, p, "columns in [page] must be an integer, not %s — write columns = 2", typeName(x))
		}
	}
	for _, f := range []struct {
		key, example string
		dst          *float64
	}{
		{"gutter", "5mm", &pg.Gutter},
		{"margin_top", "20mm", &pg.Top},
		{"margin_bottom", "20mm", &pg.Bottom},
		{"margin_inside", "20mm", &pg.Inside},
		{"margin_outside", "15mm", &pg.Outside},
		{"leading", "17pt", &pg.Leading},
	} {
		if l, ok := ip.length(t, f.key, at, where, f.example); ok {
			*f.dst = l
		}
	}
	if l, ok := ip.length(t, "body_size", at, where, "10pt"); ok {
		if l < 4 || l > 72 {
			ip.c.at(ip.file, ip.pos.value(at.key("body_size")), "body_size in [page] is %.4gpt — use a size from 4pt to 72pt, like body_size = \"10pt\"", l)
		} else {
			pg.BodySize = l
		}
	}
	if sizeOK {
		if pg.Inside+pg.Outside >= pg.Width {
			ip.c.at(ip.file, ip.pos.key(at.key("margin_inside")), "margin_inside and margin_outside in [page] leave no room on a %s wide page — make them smaller", mm(pg.Width))
		}
		if pg.Top+pg.Bottom >= pg.Height {
			ip.c.at(ip.file, ip.pos.key(at.key("margin_top")), "margin_top and margin_bottom in [page] leave no room on a %s high page — make them smaller", mm(pg.Height))
		}
	}
	return pg
}

// mm formats a length in points as millimetres.
func mm(pt float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.1f", pt/PointsPerMM), "0"), ".") + "mm"
}

// section reads one [[section]], the n-th, and its articles.
func (ip *issueParser) section(t map[string]any, at tomlPath, n int) *Section {
	where := fmt.Sprintf("[[section]] %d", n)
	ip.keys(t, at, where, sectionKeys)
	s := &Section{}
	if x, ok := t["number"]; ok {
		if i, isInt := x.(int64); isInt {
			ip.c.at(ip.file, ip.pos.value(at.key("number")), "number in %s must be a string, not an integer — quote it: number = \"%02d\"", where, i)
		} else {
			s.Number, _ = ip.str(t, "number", at, where)
		}
	}
	s.Title, _ = ip.required(t, "title", at, where, "栏目名")
	list, ps, _ := ip.strings(t, "articles", at, where)
	if _, ok := t["articles"]; !ok {
		ip.c.at(ip.file, ip.pos.key(at), "%s has no articles — add articles = [\"articles/name.md\"]", where)
	} else if len(list) == 0 && len(ps) == 0 {
		if arr, ok := t["articles"].([]any); ok && len(arr) == 0 {
			ip.c.at(ip.file, ip.pos.value(at.key("articles")), "%s lists no articles — add at least one path, like \"articles/name.md\"", where)
		}
	}
	for i, written := range list {
		if a := ip.article(written, ps[i]); a != nil {
			s.Articles = append(s.Articles, a)
		}
	}
	return s
}

// article reads one article listed at p.
func (ip *issueParser) article(written string, p pos) *Article {
	abs := ip.checkFile(written, p, "article", []string{".md", ".markdown"}, "md")
	if abs == "" {
		return nil
	}
	key := filepath.Clean(filepath.FromSlash(written))
	if first, dup := ip.seen[key]; dup {
		ip.c.at(ip.file, p, "article %q is listed twice (first on line %d) — list each article once", written, first.Line)
		return nil
	}
	ip.seen[key] = p
	shown := filepath.Join(ip.shownDir, key)
	ip.c.file(shown)
	data, err := os.ReadFile(abs)
	if err != nil {
		ip.c.wrap(ip.file, p, err, "cannot read article %q (%v) — check the file's permissions", written, unwrapPathErr(err))
		return nil
	}
	artDir := path.Dir(filepath.ToSlash(key))
	a := parseArticle(ip.c, shown, data, func(img string, q pos) string {
		return ip.image(shown, img, q, artDir)
	})
	a.File, a.Path = written, abs
	return a
}

// image checks a figure's image path, written in article shown at q.
func (ip *issueParser) image(shown, written string, q pos, artDir string) string {
	abs, perr := ip.dir.resolve(written)
	if perr != nil && artDir != "." && !strings.HasPrefix(written, "/") && !strings.Contains(written, "://") {
		// a path relative to the article, as Markdown editors preview it
		if abs2, perr2 := ip.dir.resolve(path.Join(artDir, filepath.ToSlash(written))); perr2 == nil {
			abs, perr = abs2, nil
		}
	}
	if perr != nil {
		ip.c.wrap(shown, q, perr, "image %s", perr.msg)
		return ""
	}
	if !hasExt(abs, imageExts...) {
		ip.c.at(shown, q, "image %q is not a supported image file — use %s", written, imageExtList)
		return ""
	}
	return abs
}

// checkFile checks a path written in issue.toml at p, for what, and returns
// its absolute path, or "" after reporting a problem.
func (ip *issueParser) checkFile(written string, p pos, what string, exts []string, extList string) string {
	abs, perr := ip.dir.resolve(written)
	if perr != nil {
		ip.c.wrap(ip.file, p, perr, "%s %s", what, perr.msg)
		return ""
	}
	if !hasExt(abs, exts...) {
		ip.c.at(ip.file, p, "%s %q has an unexpected extension — use a %s file", what, written, extList)
		return ""
	}
	return abs
}

// photo reads the image and focus keys of [table].
func (ip *issueParser) photo(t map[string]any, table, example string) (path string, fx, fy float64) {
	where := "[" + table + "]"
	if s, ok := ip.str(t, "image", tomlPath(table), where); ok {
		path = ip.checkFile(s, ip.pos.value(tomlPath(table).key("image")), table+" image", imageExts, imageExtList)
	}
	if s, ok := ip.str(t, "focus", tomlPath(table), where); ok {
		p := ip.pos.value(tomlPath(table).key("focus"))
		if x, y, err := parseFocus(s); err != nil {
			ip.c.wrap(ip.file, p, err, "bad focus in %s: %v — %s", where, err, focusHint(`focus = "50%,30%"`))
		} else if _, img := t["image"]; !img {
			ip.c.at(ip.file, p, "focus in %s without an image — add image = %q, or delete focus", where, example)
		} else {
			fx, fy = x, y
		}
	}
	return path, fx, fy
}
