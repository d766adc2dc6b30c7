package fonts

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// A TrueType font with composite glyphs among the system fonts (hinted,
// with a post table of format 2); tests using it skip when it is missing.
const dejaVuPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

// Runes the subset tests ask for: ASCII letters and digits, common
// ideographs, full-width punctuation, accented letters (composite glyphs in
// the fixture and in DejaVu Sans), runes no test face has (Thai, private
// use, U+20BB7) and one beyond the BMP that the bundled faces do have.
var sampleRunes = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789" +
	"永服务客户“”《》，。、éêǍ\u0E01\uE000\U00020BB7\U0002CB5A"

// Runes no test asks for that the faces have (those a face lacks are
// left out per face).
var controlRunes = "字体排版!?@~ñ"

func runeSet(s string) map[rune]bool {
	m := make(map[rune]bool)
	for _, r := range s {
		m[r] = true
	}
	return m
}

// commonRunes returns printable ASCII, the full-width punctuation of Chinese
// text and the first of the 3,755 common hanzi of GB 2312 (level 1, ordered
// by pinyin), n runes in all.
func commonRunes(t testing.TB, n int) map[rune]bool {
	m := make(map[rune]bool, n)
	for r := rune(0x20); r < 0x7F; r++ {
		m[r] = true
	}
	for _, r := range "“”‘’《》〈〉「」『』（）【】，。、：；！？…—·" {
		m[r] = true
	}
	dec := simplifiedchinese.GBK.NewDecoder()
	for hi := byte(0xB0); hi <= 0xD7 && len(m) < n; hi++ {
		for lo := byte(0xA1); lo <= 0xFE && len(m) < n; lo++ {
			b, err := dec.Bytes([]byte{hi, lo})
			if err != nil {
				t.Fatal(err)
			}
			if rs := []rune(string(b)); len(rs) == 1 && rs[0] >= 0x4E00 {
				m[rs[0]] = true
			}
		}
	}
	if len(m) != n {
		t.Fatalf("%d common runes, want %d", len(m), n)
	}
	return m
}

// testFace is a face for the subset tests with the glyphs it must keep
// composite: at least one rune of sampleRunes whose glyph is composite.
type testFace struct {
	face      *Face
	composite []rune
}

// testFaces returns the four bundled faces (TrueType, without composite
// glyphs), the composite fixture and DejaVu Sans when it is installed.
func testFaces(t testing.TB) []testFace {
	set, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	var faces []testFace
	for _, n := range set.Names() {
		faces = append(faces, testFace{face: set.Face(n)})
	}
	faces = append(faces, testFace{face: compositeFixture(t), composite: []rune("éêǍ")})
	if dv, err := Load("DejaVuSans", dejaVuPath); err == nil {
		faces = append(faces, testFace{face: dv, composite: []rune("éêǍ")})
	} else {
		t.Logf("no DejaVu Sans (%v): composite glyphs tested on the fixture only", err)
	}
	return faces
}

var (
	fixtureOnce sync.Once
	fixture     *Face
	fixtureErr  error
)

// compositeFixture returns a font with composite glyphs, as the bundled
// faces have none: Noto Serif SC with only the glyphs of sampleRunes and
// controlRunes (the rest empty, so that a short loca suffices), where é is
// e plus ´ (composite), ê is é plus ^ (a composite of a composite), and Ǎ
// is A, ˇ and ˇ again with the three kinds of scale and byte offsets.
func compositeFixture(t testing.TB) *Face {
	fixtureOnce.Do(func() { fixture, fixtureErr = makeCompositeFixture() })
	if fixtureErr != nil {
		t.Fatal(fixtureErr)
	}
	return fixture
}

func makeCompositeFixture() (*Face, error) {
	set, err := Default()
	if err != nil {
		return nil, err
	}
	base := set.Face(SerifRegular)
	tables, err := readTableDir(base.data)
	if err != nil {
		return nil, err
	}
	numGlyphs := int(be16(tables["maxp"][4:]))
	orig, err := newGlyphTable(tables["loca"], tables["glyf"], numGlyphs, be16(tables["head"][50:]))
	if err != nil {
		return nil, err
	}
	var buf sfnt.Buffer
	gid := func(r rune) uint16 {
		g, _ := base.sf.GlyphIndex(&buf, r)
		return uint16(g)
	}
	glyphs := map[uint16][]byte{0: orig.glyph(0)}
	for _, r := range sampleRunes + controlRunes + "´^ˇ" {
		if g := gid(r); g != 0 {
			glyphs[g] = orig.glyph(int(g))
		}
	}
	for _, r := range "eAéêǍ´^ˇ" {
		if gid(r) == 0 {
			return nil, fmt.Errorf("%s lacks %q", base.Name, r)
		}
	}
	// A component: flags, glyph, offsets (words or bytes) and a transform.
	const (
		words, xy, more, scale, xyScale, twoByTwo = 0x1, 0x2, 0x20, 0x8, 0x40, 0x80
	)
	comp := func(flags uint16, g uint16, dx, dy int, transform ...uint16) []byte {
		b := binary.BigEndian.AppendUint16(nil, flags|xy)
		b = binary.BigEndian.AppendUint16(b, g)
		if flags&words != 0 {
			b = binary.BigEndian.AppendUint16(b, uint16(int16(dx)))
			b = binary.BigEndian.AppendUint16(b, uint16(int16(dy)))
		} else {
			b = append(b, byte(int8(dx)), byte(int8(dy)))
		}
		for _, v := range transform {
			b = binary.BigEndian.AppendUint16(b, v)
		}
		return b
	}
	composite := func(bboxOf rune, comps ...[]byte) []byte {
		b := []byte{0xFF, 0xFF} // numberOfContours -1
		b = append(b, orig.glyph(int(gid(bboxOf)))[2:10]...)
		for _, c := range comps {
			b = append(b, c...)
		}
		return b
	}
	glyphs[gid('é')] = composite('e', comp(words|more, gid('e'), 0, 0), comp(words, gid('´'), 20, 0))
	glyphs[gid('ê')] = composite('e', comp(words|more, gid('é'), 0, 0), comp(words, gid('^'), 0, 150))
	glyphs[gid('Ǎ')] = composite('A',
		comp(words|more|scale, gid('A'), 0, 0, 0x4000),
		comp(words|more|xyScale, gid('ˇ'), 100, 200, 0x4000, 0x2000),
		comp(twoByTwo, gid('ˇ'), 5, -3, 0x4000, 0, 0x1000, 0x4000))

	var glyf []byte
	loca := make([]byte, 2*(numGlyphs+1))
	for g := range numGlyphs {
		binary.BigEndian.PutUint16(loca[2*g:], uint16(len(glyf)/2))
		if d, ok := glyphs[uint16(g)]; ok {
			glyf = append(glyf, d...)
			for len(glyf)%4 != 0 {
				glyf = append(glyf, 0)
			}
		}
	}
	if len(glyf) >= 1<<17 {
		return nil, fmt.Errorf("fixture glyf of %d bytes too large for a short loca", len(glyf))
	}
	binary.BigEndian.PutUint16(loca[2*numGlyphs:], uint16(len(glyf)/2))
	head := slices.Clone(tables["head"])
	binary.BigEndian.PutUint32(head[8:], 0)
	binary.BigEndian.PutUint16(head[50:], 0)
	maxp := slices.Clone(tables["maxp"])
	binary.BigEndian.PutUint16(maxp[28:], 3) // maxComponentElements
	binary.BigEndian.PutUint16(maxp[30:], 2) // maxComponentDepth
	out := make(map[string][]byte)
	for tag, d := range tables {
		out[tag] = d
	}
	out["glyf"], out["loca"], out["head"], out["maxp"] = glyf, loca, head, maxp
	return Parse("CompositeFixture", assembleFont(out))
}

// TestCompositeFixture checks that the fixture's composite glyphs are what
// the subset tests need: composite, and drawn from their components.
func TestCompositeFixture(t *testing.T) {
	f := compositeFixture(t)
	segs := func(r rune) int {
		s, err := f.Outline(r)
		if err != nil {
			t.Fatal(err)
		}
		return len(s)
	}
	if got, want := segs('é'), segs('e')+segs('´'); got != want || want == 0 {
		t.Errorf("é: %d segments, want %d", got, want)
	}
	if got, want := segs('ê'), segs('é')+segs('^'); got != want {
		t.Errorf("ê: %d segments, want %d", got, want)
	}
	if got, want := segs('Ǎ'), segs('A')+2*segs('ˇ'); got != want {
		t.Errorf("Ǎ: %d segments, want %d", got, want)
	}
}

// parsedGlyphs returns the glyph table of a font file.
func parsedGlyphs(t testing.TB, data []byte) (*glyphTable, map[string][]byte) {
	t.Helper()
	tables, err := readTableDir(data)
	if err != nil {
		t.Fatal(err)
	}
	g, err := newGlyphTable(tables["loca"], tables["glyf"], int(be16(tables["maxp"][4:])), be16(tables["head"][50:]))
	if err != nil {
		t.Fatal(err)
	}
	return g, tables
}

// TestSubsetGlyphs checks, for every test face, that the subset maps every
// rune asked for to the original glyph index, with the same outline and
// advance, that it maps no other rune, and that it keeps no other glyph
// than .notdef, those glyphs and their components.
func TestSubsetGlyphs(t *testing.T) {
	for _, tf := range testFaces(t) {
		f := tf.face
		t.Run(f.Name, func(t *testing.T) {
			req := runeSet(sampleRunes)
			data, err := f.Subset(req)
			if err != nil {
				t.Fatal(err)
			}
			sub, err := sfnt.Parse(data)
			if err != nil {
				t.Fatalf("subset does not parse: %v", err)
			}
			if sub.NumGlyphs() != f.sf.NumGlyphs() || sub.UnitsPerEm() != f.sf.UnitsPerEm() {
				t.Errorf("subset has %d glyphs, %d units per em; the face %d, %d",
					sub.NumGlyphs(), sub.UnitsPerEm(), f.sf.NumGlyphs(), f.sf.UnitsPerEm())
			}
			ppem := fixed.I(int(f.sf.UnitsPerEm()))
			var ob, sb sfnt.Buffer
			mapped := 0
			for r := range req {
				og, err := f.sf.GlyphIndex(&ob, r)
				if err != nil {
					t.Fatal(err)
				}
				sg, err := sub.GlyphIndex(&sb, r)
				if err != nil {
					t.Fatalf("U+%04X: %v", r, err)
				}
				if r > 0xFFFF {
					if sg != 0 {
						t.Errorf("U+%04X beyond the BMP mapped to glyph %d", r, sg)
					}
					continue
				}
				if sg != og {
					t.Errorf("%q (U+%04X): glyph %d in the subset, %d in the face", r, r, sg, og)
					continue
				}
				if og == 0 {
					continue
				}
				mapped++
				oseg, err := f.sf.LoadGlyph(&ob, og, ppem, nil)
				if err != nil {
					t.Fatal(err)
				}
				sseg, err := sub.LoadGlyph(&sb, sg, ppem, nil)
				if err != nil {
					t.Fatalf("%q: %v", r, err)
				}
				if !slices.Equal(oseg, sseg) || len(oseg) == 0 {
					t.Errorf("%q: outline of %d segments in the subset, %d in the face", r, len(sseg), len(oseg))
				}
				oa, err1 := f.sf.GlyphAdvance(&ob, og, ppem, font.HintingNone)
				sa, err2 := sub.GlyphAdvance(&sb, sg, ppem, font.HintingNone)
				if oa != sa || err1 != nil || err2 != nil {
					t.Errorf("%q: advance %v (%v) in the subset, %v (%v) in the face", r, sa, err2, oa, err1)
				}
			}
			if mapped < 20 {
				t.Errorf("only %d of the sample runes mapped", mapped)
			}
			control := 0
			for _, r := range controlRunes {
				if og, _ := f.sf.GlyphIndex(&ob, r); og == 0 {
					continue
				}
				control++
				if sg, _ := sub.GlyphIndex(&sb, r); sg != 0 {
					t.Errorf("%q, not asked for, mapped to glyph %d", r, sg)
				}
			}
			if control < 4 {
				t.Errorf("the face has only %d of the control runes", control)
			}

			// Exactly the glyphs needed have data.
			og, _ := parsedGlyphs(t, f.data)
			sgt, _ := parsedGlyphs(t, data)
			want := map[int]bool{0: true}
			var todo []int
			for r := range req {
				if g, _ := f.sf.GlyphIndex(&ob, r); g != 0 && r <= 0xFFFF {
					todo = append(todo, int(g))
				}
			}
			for len(todo) > 0 {
				g := todo[0]
				todo = todo[1:]
				want[g] = true
				comps, err := og.components(g)
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range comps {
					todo = append(todo, int(c))
				}
			}
			for g := range f.sf.NumGlyphs() {
				o, s := og.glyph(g), sgt.glyph(g)
				switch {
				case want[g] && !bytes.Equal(s[:min(len(s), len(o))], o):
					t.Errorf("glyph %d: %d bytes in the subset differ from the face's %d", g, len(s), len(o))
				case want[g] && len(s)-len(o) >= 4:
					t.Errorf("glyph %d: %d bytes in the subset, %d in the face", g, len(s), len(o))
				case !want[g] && len(s) != 0:
					t.Errorf("glyph %d not needed but kept (%d bytes)", g, len(s))
				}
				if len(s)%4 != 0 {
					t.Errorf("glyph %d: %d bytes, not 4-byte aligned", g, len(s))
				}
			}
		})
	}
}

// TestSubsetComposite asks for composite glyphs alone: the subset must
// keep their components (ê: é, and é's e and ´) though it maps none of
// their characters.
func TestSubsetComposite(t *testing.T) {
	n := 0
	for _, tf := range testFaces(t) {
		if len(tf.composite) == 0 {
			continue
		}
		f := tf.face
		og, _ := parsedGlyphs(t, f.data)
		for _, r := range tf.composite {
			n++
			t.Run(fmt.Sprintf("%s/%c", f.Name, r), func(t *testing.T) {
				var ob, sb sfnt.Buffer
				g, _ := f.sf.GlyphIndex(&ob, r)
				comps, err := og.components(int(g))
				if g == 0 || err != nil || len(comps) == 0 {
					t.Fatalf("%q: glyph %d is not composite (%v)", r, g, err)
				}
				data, err := f.Subset(map[rune]bool{r: true})
				if err != nil {
					t.Fatal(err)
				}
				sub, err := sfnt.Parse(data)
				if err != nil {
					t.Fatal(err)
				}
				sgt, _ := parsedGlyphs(t, data)
				for _, c := range comps {
					if len(sgt.glyph(int(c))) == 0 {
						t.Errorf("component %d of %q dropped", c, r)
					}
				}
				ppem := fixed.I(int(f.sf.UnitsPerEm()))
				oseg, _ := f.sf.LoadGlyph(&ob, g, ppem, nil)
				sseg, err := sub.LoadGlyph(&sb, g, ppem, nil)
				if err != nil || len(oseg) == 0 || !slices.Equal(oseg, sseg) {
					t.Errorf("%q: outline of %d segments (%v), want %d", r, len(sseg), err, len(oseg))
				}
			})
		}
	}
	if n == 0 {
		t.Fatal("no composite glyph tested")
	}
}

// TestSubsetTables checks the font file itself: the directory, checksums,
// which tables are kept and how.
func TestSubsetTables(t *testing.T) {
	for _, tf := range testFaces(t) {
		f := tf.face
		t.Run(f.Name, func(t *testing.T) {
			data, err := f.Subset(runeSet(sampleRunes))
			if err != nil {
				t.Fatal(err)
			}
			orig, _ := readTableDir(f.data)
			if v := be32(data); v != 0x00010000 {
				t.Errorf("sfnt version %#x", v)
			}
			n := int(be16(data[4:]))
			sr, es, rs := be16(data[6:]), be16(data[8:]), be16(data[10:])
			pow := 1
			for pow*2 <= n {
				pow *= 2
			}
			if int(sr) != 16*pow || 1<<es != pow || int(rs) != 16*n-16*pow {
				t.Errorf("%d tables: searchRange %d entrySelector %d rangeShift %d", n, sr, es, rs)
			}
			var tags []string
			end := 12 + 16*n
			for i := range n {
				rec := data[12+16*i:]
				tag, sum, off, length := string(rec[:4]), be32(rec[4:]), int(be32(rec[8:])), int(be32(rec[12:]))
				tags = append(tags, tag)
				if off%4 != 0 || off < end || off+length > len(data) {
					t.Errorf("%q at %d, %d bytes: misplaced (previous table ends at %d)", tag, off, length, end)
					continue
				}
				end = off + (length+3)&^3
				d := data[off : off+length]
				if tag == "head" {
					d = slices.Clone(d)
					binary.BigEndian.PutUint32(d[8:], 0)
				}
				if want := checksum(d); sum != want {
					t.Errorf("%q: checksum %#x, want %#x", tag, sum, want)
				}
			}
			if end != len(data) {
				t.Errorf("tables end at %d, the file at %d", end, len(data))
			}
			if sum := checksum(data); sum != 0xB1B0AFBA {
				t.Errorf("file checksum %#x: checkSumAdjustment wrong", sum)
			}
			if !slices.IsSorted(tags) {
				t.Errorf("tables not sorted: %q", tags)
			}
			// What fpdf reads, among the tables the face has.
			var want []string
			for _, tag := range []string{"OS/2", "cmap", "cvt ", "fpgm", "gasp", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name", "post", "prep"} {
				if _, ok := orig[tag]; ok {
					want = append(want, tag)
				}
			}
			if !slices.Equal(tags, want) {
				t.Errorf("tables %q, want %q", tags, want)
			}

			tables, _ := readTableDir(data)
			for _, tag := range []string{"OS/2", "cvt ", "fpgm", "gasp", "hhea", "hmtx", "maxp", "name", "prep"} {
				if !bytes.Equal(tables[tag], orig[tag]) {
					t.Errorf("%q changed", tag)
				}
			}
			head, oh := tables["head"], orig["head"]
			if be16(head[50:]) != 1 || !bytes.Equal(head[:8], oh[:8]) || !bytes.Equal(head[12:50], oh[12:50]) || !bytes.Equal(head[52:], oh[52:]) {
				t.Errorf("head: % x\nface's % x", head, oh)
			}
			if len(tables["loca"]) != 4*(f.sf.NumGlyphs()+1) {
				t.Errorf("loca of %d bytes for %d glyphs", len(tables["loca"]), f.sf.NumGlyphs())
			}
			post, op := tables["post"], orig["post"]
			if be32(post) != 0x00030000 || len(post) != 32 || !bytes.Equal(post[4:], op[4:32]) {
				t.Errorf("post: % x\nface's % x", post, op[:32])
			}
			cmap := tables["cmap"]
			if be16(cmap[2:]) != 1 || be16(cmap[4:]) != 3 || be16(cmap[6:]) != 1 || be16(cmap[12:]) != 4 {
				t.Errorf("cmap is not one format 4 subtable for platform 3 encoding 1: % x", cmap[:16])
			}
			if be32(orig["post"]) == 0x00020000 {
				t.Logf("post of format 2 (%d bytes) made format 3", len(orig["post"]))
			}
		})
	}
}

// decodeCmap4 returns the glyph of every BMP code in a cmap table's
// format 4 subtable for platform 3, encoding 1, following the OpenType
// specification.
func decodeCmap4(t *testing.T, cmap []byte) []uint16 {
	gids := make([]uint16, 0x10000)
	for i := range int(be16(cmap[2:])) {
		rec := cmap[4+8*i:]
		if be16(rec) != 3 || be16(rec[2:]) != 1 {
			continue
		}
		s := cmap[be32(rec[4:]):]
		if be16(s) != 4 {
			t.Fatalf("format %d", be16(s))
		}
		s = s[:be16(s[2:])]
		n := int(be16(s[6:])) / 2
		for k := range n {
			end, start := int(be16(s[14+2*k:])), int(be16(s[16+2*n+2*k:]))
			delta, ro := be16(s[16+4*n+2*k:]), int(be16(s[16+6*n+2*k:]))
			for c := start; c <= end; c++ {
				if gids[c] != 0 {
					t.Fatalf("U+%04X in two segments", c)
				}
				if ro == 0 {
					gids[c] = uint16(c) + delta
				} else if at := 16 + 6*n + 2*k + ro + 2*(c-start); at+2 > len(s) {
					t.Fatalf("U+%04X: glyph ID at %d beyond the subtable's %d bytes", c, at, len(s))
				} else if g := be16(s[at:]); g != 0 {
					gids[c] = g + delta
				}
			}
		}
		return gids
	}
	t.Fatal("no subtable for platform 3 encoding 1")
	return nil
}

// TestBuildCmap4 checks the cmap for sets of mappings: every BMP code maps
// as it should, delta segments where glyph IDs run with the codes, one array
// segment where they are scattered, and an error when the table would be
// too large.
func TestBuildCmap4(t *testing.T) {
	seq := func(from, n int, gid func(i int) int) []cmapPair {
		var p []cmapPair
		for i := range n {
			p = append(p, cmapPair{uint16(from + i), uint16(gid(i))})
		}
		return p
	}
	scattered := func(i int) int { return 1 + (i*7919)%30000 }
	for _, c := range []struct {
		name    string
		pairs   []cmapPair
		maxSegs int // including the final U+FFFF segment
		maxLen  int // of the subtable; 0: no limit
		fail    bool
	}{
		{"empty", nil, 1, 24, false},
		{"one", seq(0x41, 1, func(int) int { return 36 }), 2, 32, false},
		{"run", seq(0x41, 26, func(i int) int { return 36 + i }), 2, 32, false},
		{"scattered run", seq(0x4E00, 100, scattered), 2, 32 + 200, false},
		{"two deltas", seq(0x30, 10, func(i int) int { return 10 + i + i/5*100 }), 3, 40, false},
		{"isolated", func() []cmapPair {
			var p []cmapPair
			for i := range 3000 {
				p = append(p, cmapPair{uint16(3 * i), uint16(1 + (i*31)%5000)})
			}
			return p
		}(), 3001, 0, false},
		{"ends at U+FFFE", seq(0xFFF0, 15, func(i int) int { return 500 - i }), 2, 32 + 30, false},
		{"too many", func() []cmapPair {
			var p []cmapPair
			for i := range 9000 {
				p = append(p, cmapPair{uint16(2 * i), uint16(i + 1)})
			}
			return p
		}(), 0, 0, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			cmap, err := buildCmap4(c.pairs)
			if c.fail {
				if err == nil {
					t.Fatal("no error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			s := cmap[12:]
			n := int(be16(s[6:])) / 2
			if int(be16(s[2:])) != len(s) || n > c.maxSegs || be16(s[14+2*(n-1):]) != 0xFFFF {
				t.Errorf("length %d of %d, %d segments (at most %d)", be16(s[2:]), len(s), n, c.maxSegs)
			}
			if c.maxLen > 0 && len(s) > c.maxLen {
				t.Errorf("subtable of %d bytes, want at most %d", len(s), c.maxLen)
			}
			pow := 1
			for pow*2 <= n {
				pow *= 2
			}
			if int(be16(s[8:])) != 2*pow || 1<<be16(s[10:]) != pow || int(be16(s[12:])) != 2*n-2*pow {
				t.Errorf("%d segments: searchRange %d entrySelector %d rangeShift %d", n, be16(s[8:]), be16(s[10:]), be16(s[12:]))
			}
			want := make(map[uint16]uint16)
			for _, p := range c.pairs {
				want[p.r] = p.g
			}
			for code, got := range decodeCmap4(t, cmap) {
				if got != want[uint16(code)] {
					t.Fatalf("U+%04X maps to %d, want %d", code, got, want[uint16(code)])
				}
			}
		})
	}
}

// TestSubsetSize reports the sizes for 1,500 common characters.
func TestSubsetSize(t *testing.T) {
	runes := commonRunes(t, 1500)
	set, _ := Default()
	for _, n := range set.Names() {
		f := set.Face(n)
		data, err := f.Subset(runes)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d bytes, subset for %d runes %d bytes (%.1f%%)", n, len(f.data), len(runes), len(data), 100*float64(len(data))/float64(len(f.data)))
		if len(data) > len(f.data)/5 {
			t.Errorf("%s: subset of %d bytes, the face %d", n, len(data), len(f.data))
		}
	}
}

// TestSubsetFpdf hands subsets to fpdf: it must accept them, cut from them
// the same font program it cuts from the whole face, and write a PDF whose
// text pdftotext reads back.
func TestSubsetFpdf(t *testing.T) {
	const text = "永服务客户 Hello, World 2024 “出版”《排版》，。、"
	set, _ := Default()
	for _, n := range set.Names() {
		f := set.Face(n)
		t.Run(n, func(t *testing.T) {
			sub, err := f.Subset(runeSet(text))
			if err != nil {
				t.Fatal(err)
			}
			if want, got := fpdf.UTF8CutFont(f.data, text), fpdf.UTF8CutFont(sub, text); len(want) == 0 || !bytes.Equal(got, want) {
				t.Errorf("fpdf cuts a font of %d bytes from the subset, of %d from the face, or they differ", len(got), len(want))
			}
			pdf := fpdf.New("P", "pt", "A4", "")
			pdf.SetCompression(false)
			pdf.AddUTF8FontFromBytes("sub", "", sub)
			pdf.AddPage()
			pdf.SetFont("sub", "", 14)
			pdf.Text(40, 80, text)
			var out bytes.Buffer
			if err := pdf.Output(&out); err != nil {
				t.Fatal(err)
			}
			if pdf.Error() != nil {
				t.Fatal(pdf.Error())
			}
			if _, err := exec.LookPath("pdftotext"); err != nil {
				t.Skip("no pdftotext")
			}
			path := filepath.Join(t.TempDir(), "subset.pdf")
			if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			// The text would come back through fpdf's ToUnicode map even
			// from a broken font; poppler complains about one on stderr.
			var stderr bytes.Buffer
			cmd := exec.Command("pdftotext", "-enc", "UTF-8", path, "-")
			cmd.Stderr = &stderr
			got, err := cmd.Output()
			if err != nil || stderr.Len() > 0 {
				t.Fatalf("pdftotext: %v\n%s", err, stderr.Bytes())
			}
			squeeze := func(s string) string { return strings.Join(strings.Fields(s), "") }
			if squeeze(string(got)) != squeeze(text) {
				t.Errorf("pdftotext reads %q, want %q", got, text)
			}
		})
	}
}

// TestSubsetDeterministic asks twice for the same runes, in maps built in
// different orders, and once for other runes.
func TestSubsetDeterministic(t *testing.T) {
	f := compositeFixture(t)
	set, _ := Default()
	for _, f := range []*Face{f, set.Face(SansBold)} {
		a, err := f.Subset(runeSet(sampleRunes))
		if err != nil {
			t.Fatal(err)
		}
		rs := []rune(sampleRunes)
		slices.Reverse(rs)
		m := make(map[rune]bool)
		for _, r := range rs {
			m[r] = true
		}
		m['字'] = false // false: not asked for
		b, _ := f.Subset(m)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: the same runes give different subsets", f.Name)
		}
		c, _ := f.Subset(runeSet(sampleRunes + "字"))
		if bytes.Equal(a, c) {
			t.Errorf("%s: different runes give the same subset", f.Name)
		}
	}
}

// TestSubsetEmptyAndErrors: no runes give a font with .notdef alone;
// fonts that are not TrueType are refused.
func TestSubsetEmptyAndErrors(t *testing.T) {
	set, _ := Default()
	f := set.Face(SerifRegular)
	data, err := f.Subset(nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sfnt.Parse(data); err != nil {
		t.Errorf("empty subset: %v", err)
	}
	g, _ := parsedGlyphs(t, data)
	if len(g.glyph(0)) == 0 || len(g.glyph(1)) != 0 {
		t.Errorf("empty subset: .notdef %d bytes, glyph 1 %d", len(g.glyph(0)), len(g.glyph(1)))
	}
	if len(data) > 300_000 { // loca and hmtx: 4 + 4 bytes a glyph
		t.Errorf("empty subset of %d bytes", len(data))
	}

	bad := &Face{Name: "garbage", data: []byte("not a font at all"), sf: f.sf}
	if _, err := bad.Subset(runeSet("a")); err == nil {
		t.Error("garbage subset")
	}
	short := slices.Clone(f.data[:4096])
	if _, err := (&Face{Name: "short", data: short, sf: f.sf}).Subset(runeSet("a")); err == nil {
		t.Error("truncated font subset")
	}
	const cff = "/usr/share/fonts/opentype/urw-base35/NimbusRoman-Regular.otf"
	if c, err := Load("NimbusRoman", cff); err == nil {
		if _, err := c.Subset(runeSet("a")); err == nil || !strings.Contains(err.Error(), "CFF") {
			t.Errorf("CFF font: %v", err)
		}
	}
}

// BenchmarkSubset subsets Noto Serif SC for 1,500 common characters.
func BenchmarkSubset(b *testing.B) {
	set, _ := Default()
	f := set.Face(SerifRegular)
	runes := commonRunes(b, 1500)
	var n int
	for b.Loop() {
		data, err := f.Subset(runes)
		if err != nil {
			b.Fatal(err)
		}
		n = len(data)
	}
	b.ReportMetric(float64(n), "subset-bytes")
}

// BenchmarkFpdfOutput has fpdf add Noto Serif SC and write a page setting
// 1,500 common characters: with the whole face, with a subset made
// beforehand, and with the subset made in the loop.
func BenchmarkFpdfOutput(b *testing.B) {
	set, _ := Default()
	f := set.Face(SerifRegular)
	runes := commonRunes(b, 1500)
	rs := make([]rune, 0, len(runes))
	for r := range runes {
		rs = append(rs, r)
	}
	slices.Sort(rs)
	sub, err := f.Subset(runes)
	if err != nil {
		b.Fatal(err)
	}
	page := func(b *testing.B, data []byte) {
		pdf := fpdf.New("P", "pt", "A4", "")
		pdf.AddUTF8FontFromBytes("f0", "", data)
		pdf.AddPage()
		pdf.SetFont("f0", "", 8)
		for i := 0; i < len(rs); i += 50 {
			pdf.Text(10, float64(10+i/5), string(rs[i:min(i+50, len(rs))]))
		}
		if err := pdf.Output(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("full", func(b *testing.B) {
		for b.Loop() {
			page(b, f.data)
		}
	})
	b.Run("subset", func(b *testing.B) {
		for b.Loop() {
			page(b, sub)
		}
	})
	b.Run("Subset+subset", func(b *testing.B) {
		for b.Loop() {
			data, err := f.Subset(runes)
			if err != nil {
				b.Fatal(err)
			}
			page(b, data)
		}
	})
}

// TestSubsetConcurrent subsets one face from several goroutines at once,
// along with the face's other methods.
func TestSubsetConcurrent(t *testing.T) {
	set, _ := Default()
	f := set.Face(SansRegular)
	want, err := f.Subset(runeSet(sampleRunes))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for _, r := range sampleRunes {
				f.Advance(r)
			}
			if got, err := f.Subset(runeSet(sampleRunes)); err != nil || !bytes.Equal(got, want) {
				t.Errorf("concurrent subset differs (%v)", err)
			}
		})
	}
	wg.Wait()
}

// TestSubsetWholeBMP asks for every BMP character of a bundled face: its
// glyph IDs mostly follow the code points, so the cmap stays small.
func TestSubsetWholeBMP(t *testing.T) {
	set, _ := Default()
	f := set.Face(SerifRegular)
	all := make(map[rune]bool)
	for r := rune(0); r < 0xFFFF; r++ {
		if f.Has(r) {
			all[r] = true
		}
	}
	data, err := f.Subset(all)
	if err != nil {
		t.Fatal(err)
	}
	tables, _ := readTableDir(data)
	t.Logf("%d BMP runes: subset of %d bytes, cmap %d bytes", len(all), len(data), len(tables["cmap"]))
	sub, err := sfnt.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	var ob, sb sfnt.Buffer
	for r := range all {
		og, _ := f.sf.GlyphIndex(&ob, r)
		if sg, err := sub.GlyphIndex(&sb, r); sg != og || err != nil {
			t.Fatalf("%q: glyph %d in the subset (%v), %d in the face", r, sg, err, og)
		}
	}
}
