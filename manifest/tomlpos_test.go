package manifest

import (
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

func TestTOMLPositions(t *testing.T) {
	src := `# comment with key = "x"
[issue]
title = """
fake = "not a key"
"""
"quoted.key" = 1
a.b . c = 2
arr = [
  1, # x = 2
  [2, 3],
  { k = 'v' },
]
[[section]]
title = "s"
[section.sub]
x = 1
[[section]]
title = 't'
lit = '''
y = 1
'''
dt = 1979-05-27 07:32:00
  z = "a\"b" # after a datetime with a space
`
	var m map[string]any
	if _, err := toml.Decode(src, &m); err != nil {
		t.Fatal(err)
	}
	tp := tomlPositions(src, 10) // as if the document started on line 10
	path := func(parts ...string) tomlPath {
		var p tomlPath
		for _, s := range parts {
			p = p.key(s)
		}
		return p
	}
	for _, c := range []struct {
		p    tomlPath
		want pos
	}{
		{path("issue"), pos{11, 1}},
		{path("issue", "title"), pos{12, 1}},
		{path("issue", "quoted.key"), pos{15, 1}},
		{path("issue", "a"), pos{16, 1}},
		{path("issue", "a", "b", "c"), pos{16, 1}},
		{path("issue", "arr"), pos{17, 1}},
		{path("issue", "arr").index(2).key("k"), pos{20, 5}},
		{path("section").index(0), pos{22, 1}},
		{path("section").index(0).key("title"), pos{23, 1}},
		{path("section").index(0).key("sub"), pos{24, 1}},
		{path("section").index(0).key("sub").key("x"), pos{25, 1}},
		{path("section").index(1).key("title"), pos{27, 1}},
		{path("section").index(1).key("lit"), pos{28, 1}},
		{path("section").index(1).key("dt"), pos{31, 1}},
		{path("section").index(1).key("z"), pos{32, 3}},
	} {
		if got, ok := tp.keys[c.p]; !ok || got != c.want {
			t.Errorf("key %q at %v (found %v), want %v", strings.ReplaceAll(string(c.p), pathSep, "."), got, ok, c.want)
		}
	}
	for _, c := range []struct {
		p    tomlPath
		want pos
	}{
		{path("issue", "title"), pos{12, 9}},
		{path("issue", "arr").index(0), pos{18, 3}},
		{path("issue", "arr").index(1).index(1), pos{19, 7}},
		{path("issue", "arr").index(2), pos{20, 3}},
		{path("section").index(1).key("z"), pos{32, 7}},
	} {
		if got := tp.value(c.p); got != c.want {
			t.Errorf("value %q at %v, want %v", strings.ReplaceAll(string(c.p), pathSep, "."), got, c.want)
		}
	}
	for _, k := range []string{"fake", "x", "y"} {
		if _, ok := tp.keys[path("issue", k)]; ok {
			t.Errorf("found key %q inside a string or comment", k)
		}
	}
	if _, ok := tp.keys[path("section").index(1).key("y")]; ok {
		t.Errorf("found key y inside a literal string")
	}
}
