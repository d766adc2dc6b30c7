package fonts

import (
	"encoding/binary"
	"fmt"
	"slices"

	"golang.org/x/image/font/sfnt"
)

// Tables a subset keeps. The first group is what fpdf's UTF-8 font code
// (utf8fontfile.go) reads without checking that the table is there: it
// parses name, head, hhea, OS/2, post, cmap, maxp and hmtx when a font is
// added, and loca, glyf, head, hhea, maxp, hmtx, post and name again when it
// cuts its own subset at output. The second group is optional: fpdf reads
// OS/2 only if present and copies the hinting tables (cvt, fpgm, prep, gasp)
// into its output when the font has them; glyph instructions may call into
// fpgm, so the hinting tables stay together with the glyphs.
var (
	subsetRequired = []string{"cmap", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name", "post"}
	subsetOptional = []string{"OS/2", "cvt ", "fpgm", "gasp", "prep"}
)

// Flags of a component of a composite glyph.
const (
	compArgWords = 0x0001
	compScale    = 0x0008
	compMore     = 0x0020
	compXYScale  = 0x0040
	compTwoByTwo = 0x0080
)

// maxFormat4Bytes is the most a format 4 cmap subtable can hold: its
// length is a uint16.
const maxFormat4Bytes = 0xFFFF

// Subset returns a TrueType font holding only what the runes need, for
// handing to a PDF writer in place of the whole face (fpdf parses every
// table of the font it is given, which for a 15 MB CJK face costs far more
// than the subset does).
//
// The subset is sparse: glyph IDs are unchanged, so numGlyphs, hmtx and
// every glyph reference stay valid. It keeps the outlines of .notdef
// (glyph 0), of the glyphs the runes map to and of the components of
// composite glyphs among them; every other glyph is empty. Its cmap has a
// single format 4 subtable (Windows, Unicode BMP) mapping exactly the runes
// asked for (those mapped to true) that the face covers and that are in
// the Basic Multilingual Plane; runes beyond U+FFFF are left out, as the
// renderer draws them as outlines. Layout tables (GSUB, GPOS, vertical
// metrics, …) are dropped, a post table with glyph names loses them
// (format 3), and glyph data is written with a long loca.
//
// The face must have TrueType (glyf) outlines. The same runes always give
// the same bytes. Subset is safe to call concurrently with other methods.
// It fails when the runes need a format 4 cmap larger than 64 KB (about
// 8,000 characters with scattered glyph IDs); the caller can then embed the
// whole face instead.
func (f *Face) Subset(runes map[rune]bool) ([]byte, error) {
	out, err := f.subset(runes)
	if err != nil {
		return nil, fmt.Errorf("font %s: subset: %w", f.Name, err)
	}
	return out, nil
}

func (f *Face) subset(runes map[rune]bool) ([]byte, error) {
	tables, err := readTableDir(f.data)
	if err != nil {
		return nil, err
	}
	for _, tag := range subsetRequired {
		if _, ok := tables[tag]; !ok {
			return nil, fmt.Errorf("no %q table", tag)
		}
	}
	head, maxp := tables["head"], tables["maxp"]
	if len(head) < 54 || len(maxp) < 6 {
		return nil, fmt.Errorf("head or maxp table too short")
	}
	numGlyphs := int(be16(maxp[4:]))
	if numGlyphs == 0 {
		return nil, fmt.Errorf("no glyphs")
	}
	glyphs, err := newGlyphTable(tables["loca"], tables["glyf"], numGlyphs, be16(head[50:]))
	if err != nil {
		return nil, err
	}

	// The characters, in order, and their glyphs. Each call gets its own
	// sfnt.Buffer, so the face's lock is not needed.
	var buf sfnt.Buffer
	rs := make([]rune, 0, len(runes))
	for r, ok := range runes {
		if ok && r >= 0 && r < 0xFFFF {
			rs = append(rs, r)
		}
	}
	slices.Sort(rs)
	maps := make([]cmapPair, 0, len(rs))
	keep := make([]bool, numGlyphs)
	todo := []uint16{0}
	keep[0] = true
	for _, r := range rs {
		gi, err := f.sf.GlyphIndex(&buf, r)
		if err != nil {
			return nil, fmt.Errorf("U+%04X: %w", r, err)
		}
		if gi == 0 {
			continue
		}
		if int(gi) >= numGlyphs {
			return nil, fmt.Errorf("U+%04X maps to glyph %d of %d", r, gi, numGlyphs)
		}
		maps = append(maps, cmapPair{uint16(r), uint16(gi)})
		if !keep[gi] {
			keep[gi] = true
			todo = append(todo, uint16(gi))
		}
	}
	// Components of composite glyphs, recursively; keep marks each glyph
	// once, so a cycle in a broken font ends too.
	for len(todo) > 0 {
		g := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		comps, err := glyphs.components(int(g))
		if err != nil {
			return nil, err
		}
		for _, c := range comps {
			if int(c) >= numGlyphs {
				return nil, fmt.Errorf("glyph %d has component %d of %d glyphs", g, c, numGlyphs)
			}
			if !keep[c] {
				keep[c] = true
				todo = append(todo, c)
			}
		}
	}

	// glyf and a long loca: kept glyphs copied and padded to 4 bytes,
	// the others empty.
	size := 0
	for g, k := range keep {
		if k {
			size += (len(glyphs.glyph(g)) + 3) &^ 3
		}
	}
	glyf := make([]byte, 0, size)
	loca := make([]byte, 4*(numGlyphs+1))
	for g, k := range keep {
		binary.BigEndian.PutUint32(loca[4*g:], uint32(len(glyf)))
		if k {
			d := glyphs.glyph(g)
			glyf = append(glyf, d...)
			glyf = append(glyf, make([]byte, (4-len(d)%4)%4)...)
		}
	}
	binary.BigEndian.PutUint32(loca[4*numGlyphs:], uint32(len(glyf)))

	cmap, err := buildCmap4(maps)
	if err != nil {
		return nil, err
	}

	newHead := slices.Clone(head)
	binary.BigEndian.PutUint32(newHead[8:], 0)  // checkSumAdjustment, set below
	binary.BigEndian.PutUint16(newHead[50:], 1) // indexToLocFormat: long

	post := tables["post"]
	if len(post) < 32 {
		return nil, fmt.Errorf("post table too short")
	}
	if be32(post) != 0x00030000 {
		// Drop the glyph names: the same header as format 3.
		post = slices.Clone(post[:32])
		binary.BigEndian.PutUint32(post, 0x00030000)
	}

	out := map[string][]byte{
		"cmap": cmap,
		"glyf": glyf,
		"head": newHead,
		"loca": loca,
		"post": post,
	}
	for _, tag := range append(slices.Clone(subsetRequired), subsetOptional...) {
		if _, ok := out[tag]; !ok {
			if d, ok := tables[tag]; ok {
				out[tag] = d
			}
		}
	}
	return assembleFont(out), nil
}

// readTableDir returns a TrueType font's tables by tag, as slices of data.
func readTableDir(data []byte) (map[string][]byte, error) {
	if len(data) < 12 {
		return nil, fmt.Errorf("font file too short")
	}
	switch v := be32(data); v {
	case 0x00010000, 0x74727565: // TrueType, "true"
	case 0x4F54544F: // "OTTO"
		return nil, fmt.Errorf("PostScript (CFF) outlines: only TrueType fonts can be subset")
	default:
		return nil, fmt.Errorf("not a single TrueType font (version %#08x)", v)
	}
	n := int(be16(data[4:]))
	if len(data) < 12+16*n {
		return nil, fmt.Errorf("table directory truncated")
	}
	tables := make(map[string][]byte, n)
	for i := range n {
		rec := data[12+16*i:]
		off, length := uint64(be32(rec[8:])), uint64(be32(rec[12:]))
		if off+length > uint64(len(data)) {
			return nil, fmt.Errorf("table %q out of the file", rec[:4])
		}
		tables[string(rec[:4])] = data[off : off+length : off+length]
	}
	return tables, nil
}

// glyphTable reads glyphs from glyf through loca.
type glyphTable struct {
	loca, glyf []byte
	long       bool
	n          int
}

func newGlyphTable(loca, glyf []byte, numGlyphs int, format uint16) (*glyphTable, error) {
	t := &glyphTable{loca: loca, glyf: glyf, long: format == 1, n: numGlyphs}
	if format > 1 {
		return nil, fmt.Errorf("unknown loca format %d", format)
	}
	entry := 2
	if t.long {
		entry = 4
	}
	if len(loca) < entry*(numGlyphs+1) {
		return nil, fmt.Errorf("loca table too short for %d glyphs", numGlyphs)
	}
	// Check every glyph's range once, so glyph cannot fail.
	prev := 0
	for g := 0; g <= numGlyphs; g++ {
		o := t.offset(g)
		if o < prev || o > len(glyf) {
			return nil, fmt.Errorf("loca entry %d (%d) out of order or beyond glyf (%d bytes)", g, o, len(glyf))
		}
		prev = o
	}
	return t, nil
}

func (t *glyphTable) offset(g int) int {
	if t.long {
		return int(be32(t.loca[4*g:]))
	}
	return 2 * int(be16(t.loca[2*g:]))
}

// glyph returns glyph g's data; empty glyphs have none.
func (t *glyphTable) glyph(g int) []byte { return t.glyf[t.offset(g):t.offset(g+1)] }

// components returns the glyphs a composite glyph is made of, and nothing
// for a simple or empty glyph.
func (t *glyphTable) components(g int) ([]uint16, error) {
	d := t.glyph(g)
	if len(d) < 10 || int16(be16(d)) >= 0 {
		return nil, nil
	}
	var comps []uint16
	for p := 10; ; {
		if p+4 > len(d) {
			return nil, fmt.Errorf("composite glyph %d truncated", g)
		}
		flags := be16(d[p:])
		comps = append(comps, be16(d[p+2:]))
		p += 4
		if flags&compArgWords != 0 {
			p += 4
		} else {
			p += 2
		}
		switch {
		case flags&compScale != 0:
			p += 2
		case flags&compXYScale != 0:
			p += 4
		case flags&compTwoByTwo != 0:
			p += 8
		}
		if flags&compMore == 0 {
			if p > len(d) {
				return nil, fmt.Errorf("composite glyph %d truncated", g)
			}
			return comps, nil
		}
	}
}

// cmapPair maps a BMP character to a glyph.
type cmapPair struct{ r, g uint16 }

// buildCmap4 writes a cmap table with one subtable, platform 3 (Windows)
// encoding 1 (Unicode BMP), format 4, mapping exactly pairs (sorted by
// character, none U+FFFF). Each run of consecutive characters becomes
// segments with a constant glyph delta, or one segment with its glyph IDs
// in glyphIdArray when that is shorter.
func buildCmap4(pairs []cmapPair) ([]byte, error) {
	type segment struct {
		start, end, delta uint16
		ids               []uint16 // nil: delta segment
	}
	var segs []segment
	arrayLen := 0
	for i := 0; i < len(pairs); {
		j := i + 1
		for j < len(pairs) && pairs[j].r == pairs[j-1].r+1 {
			j++
		}
		run := pairs[i:j]
		// Split the run where the delta changes.
		var pieces []segment
		for a := 0; a < len(run); {
			d := run[a].g - run[a].r
			b := a + 1
			for b < len(run) && run[b].g-run[b].r == d {
				b++
			}
			pieces = append(pieces, segment{start: run[a].r, end: run[b-1].r, delta: d})
			a = b
		}
		if len(pieces) > 1 && 8+2*len(run) < 8*len(pieces) {
			ids := make([]uint16, len(run))
			for k, p := range run {
				ids[k] = p.g
			}
			segs = append(segs, segment{start: run[0].r, end: run[len(run)-1].r, ids: ids})
			arrayLen += len(ids)
		} else {
			segs = append(segs, pieces...)
		}
		i = j
	}
	// The required last segment maps U+FFFF to glyph 0.
	segs = append(segs, segment{start: 0xFFFF, end: 0xFFFF, delta: 1})

	n := len(segs)
	length := 16 + 8*n + 2*arrayLen
	if length > maxFormat4Bytes {
		return nil, fmt.Errorf("%d characters need a format 4 cmap of %d bytes, more than it can hold", len(pairs), length)
	}
	b := make([]byte, 12+length)
	put := func(off int, v uint16) { binary.BigEndian.PutUint16(b[off:], v) }
	// cmap header and its one encoding record.
	put(0, 0)
	put(2, 1)
	put(4, 3)
	put(6, 1)
	binary.BigEndian.PutUint32(b[8:], 12)
	s := b[12:]
	put = func(off int, v uint16) { binary.BigEndian.PutUint16(s[off:], v) }
	sr, es := searchParams(n)
	put(0, 4)
	put(2, uint16(length))
	put(4, 0) // language
	put(6, uint16(2*n))
	put(8, uint16(2*sr))
	put(10, uint16(es))
	put(12, uint16(2*n-2*sr))
	ends, starts, deltas, offsets := 14, 16+2*n, 16+4*n, 16+6*n
	array := 16 + 8*n
	for i, sg := range segs {
		put(ends+2*i, sg.end)
		put(starts+2*i, sg.start)
		put(deltas+2*i, sg.delta)
		if sg.ids != nil {
			// From this idRangeOffset entry to the segment's first ID.
			put(offsets+2*i, uint16(array-(offsets+2*i)))
			for _, id := range sg.ids {
				put(array, id)
				array += 2
			}
		}
	}
	return b, nil
}

// searchParams returns the largest power of two not above n and its
// logarithm, for the binary search fields of the table directory and of a
// format 4 cmap.
func searchParams(n int) (pow, log int) {
	pow = 1
	for pow*2 <= n {
		pow *= 2
		log++
	}
	return pow, log
}

// assembleFont writes tables into a TrueType font file: the directory sorted
// by tag, each table 4-byte aligned and padded with zeros, checksums and
// head.checkSumAdjustment computed (head's must be zero on entry).
func assembleFont(tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	size := 12 + 16*len(tables)
	for tag, d := range tables {
		tags = append(tags, tag)
		size += (len(d) + 3) &^ 3
	}
	slices.Sort(tags)
	out := make([]byte, size)
	n := len(tags)
	sr, es := searchParams(n)
	binary.BigEndian.PutUint32(out, 0x00010000)
	binary.BigEndian.PutUint16(out[4:], uint16(n))
	binary.BigEndian.PutUint16(out[6:], uint16(16*sr))
	binary.BigEndian.PutUint16(out[8:], uint16(es))
	binary.BigEndian.PutUint16(out[10:], uint16(16*n-16*sr))
	off, headOff := 12+16*n, -1
	for i, tag := range tags {
		d := tables[tag]
		rec := out[12+16*i:]
		copy(rec, tag)
		binary.BigEndian.PutUint32(rec[4:], checksum(d))
		binary.BigEndian.PutUint32(rec[8:], uint32(off))
		binary.BigEndian.PutUint32(rec[12:], uint32(len(d)))
		copy(out[off:], d)
		if tag == "head" {
			headOff = off
		}
		off += (len(d) + 3) &^ 3
	}
	if headOff >= 0 {
		binary.BigEndian.PutUint32(out[headOff+8:], 0xB1B0AFBA-checksum(out))
	}
	return out
}

// checksum is the TrueType table checksum: the sum of the data as big-endian
// uint32s, the last one padded with zeros.
func checksum(d []byte) uint32 {
	var sum uint32
	for len(d) >= 4 {
		sum += be32(d)
		d = d[4:]
	}
	if len(d) > 0 {
		var last [4]byte
		copy(last[:], d)
		sum += be32(last[:])
	}
	return sum
}

func be16(b []byte) uint16 { return binary.BigEndian.Uint16(b) }
func be32(b []byte) uint32 { return binary.BigEndian.Uint32(b) }
