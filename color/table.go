package color

import (
	imgcolor "image/color"
	"sync"
	"sync/atomic"
)

// ycbcrTable is frontEnd.convert of every YCbCr triple met so far (through
// image/color.YCbCrToRGB), filled in as triples are met and shared by every
// conversion through the same frontEnd, on every goroutine: the 20 photos
// of the sample issue have 61 million pixels but only 1.05 million distinct
// triples, against 3.6 million misses of a per-picture cache of recent
// colours (pixCache), which the table replaces for YCbCr pixels. A look-up
// is slower than a pixCache hit (the table's 12 MB do not fit a core's
// cache), so 4:2:0 pictures are looked up four pixels at a time, the four
// that share a chroma sample and mostly a block (quad). The sample's
// photos convert in 46% less time than through a pixCache
// (BenchmarkConvertSample, 545 → 295 ms on one core).
//
// The 2^24 triples are cut into blocks of 64 Y values with the same Cb and
// Cr; a block's storage is handed out when a triple in it is first met
// (the sample's photos use 18 000 chroma pairs in 43 000 blocks), from
// chunks of blockChunk blocks. Entries are
// read and written atomically: two goroutines that meet a new triple at
// once both compute it and store the same value, so the table never
// changes what a conversion gives, only how soon.
type ycbcrTable struct {
	f *frontEnd

	// top[cb<<10 | cr<<2 | y>>6] is the number of the triple's block + 1,
	// 0 while it has none.
	top [1 << 18]atomic.Uint32

	mu     sync.Mutex // serialises handing out blocks
	blocks uint32     // blocks handed out
	limit  uint32     // most blocks to hand out: maxChunks × blockChunk (tests lower it)
	full   atomic.Bool
	chunks [maxChunks]atomic.Pointer[tableChunk]
}

const (
	blockChunk = 1024
	// maxChunks caps the table at 32 MB (maxChunks × 1024 blocks × 256 B;
	// the sample issue takes 43 000 blocks, 11 MB). Beyond it, pixels go
	// through a pixCache.
	maxChunks = 128
	// emptyEntry marks an entry not computed yet. convert cannot give it
	// (C = M = Y = K = 255 is 1020% ink, above any profile's limit); if it
	// ever did, the entry would just be computed again each time.
	emptyEntry = ^uint32(0)
)

type tableChunk [blockChunk][64]atomic.Uint32

func newYCbCrTable(f *frontEnd) *ycbcrTable {
	return &ycbcrTable{f: f, limit: maxChunks * blockChunk}
}

// get returns convert's CMYK bytes of YCbCrToRGB(y, cb, cr), C in the low
// byte, and false when the table is full and has no block for the triple.
// (Small enough to be inlined: the rest is in fill.)
func (t *ycbcrTable) get(y, cb, cr uint8) (uint32, bool) {
	ti := uint32(cb)<<10 | uint32(cr)<<2 | uint32(y)>>6
	if b := t.top[ti].Load(); b != 0 {
		b--
		if v := t.chunks[b/blockChunk].Load()[b%blockChunk][y&63].Load(); v != emptyEntry {
			return v, true
		}
	}
	return t.fill(ti, y, cb, cr)
}

// pair is get of two pixels with the same chroma, which are mostly in the
// same block; false when either is not in the table yet (or the table is
// full): then get each.
func (t *ycbcrTable) pair(y0, y1, cb, cr uint8) (v0, v1 uint32, ok bool) {
	b := t.top[uint32(cb)<<10|uint32(cr)<<2|uint32(y0)>>6].Load()
	if b == 0 || y0>>6 != y1>>6 {
		return 0, 0, false
	}
	b--
	blk := t.chunks[b/blockChunk].Load()[b%blockChunk][:]
	v0, v1 = blk[y0&63].Load(), blk[y1&63].Load()
	return v0, v1, v0 != emptyEntry && v1 != emptyEntry
}

// quad is pair for four pixels with the same chroma.
func (t *ycbcrTable) quad(y0, y1, y2, y3, cb, cr uint8) (v0, v1, v2, v3 uint32, ok bool) {
	b := t.top[uint32(cb)<<10|uint32(cr)<<2|uint32(y0)>>6].Load()
	if b == 0 || (y0^y1)|(y0^y2)|(y0^y3) >= 64 {
		return 0, 0, 0, 0, false
	}
	b--
	blk := t.chunks[b/blockChunk].Load()[b%blockChunk][:]
	v0, v1, v2, v3 = blk[y0&63].Load(), blk[y1&63].Load(), blk[y2&63].Load(), blk[y3&63].Load()
	return v0, v1, v2, v3, v0 != emptyEntry && v1 != emptyEntry && v2 != emptyEntry && v3 != emptyEntry
}

// fill is get for a triple not in the table yet.
func (t *ycbcrTable) fill(ti uint32, y, cb, cr uint8) (uint32, bool) {
	b := t.top[ti].Load()
	if b == 0 {
		if t.full.Load() {
			return 0, false
		}
		if b = t.newBlock(ti); b == 0 {
			return 0, false
		}
	}
	b--
	r, g, bl := imgcolor.YCbCrToRGB(y, cb, cr)
	var px [4]byte
	t.f.convert(r, g, bl, px[:])
	v := uint32(px[0]) | uint32(px[1])<<8 | uint32(px[2])<<16 | uint32(px[3])<<24
	t.chunks[b/blockChunk].Load()[b%blockChunk][y&63].Store(v)
	return v, true
}

// newBlock gives top[ti] a block and returns its number + 1, or 0 when the
// table is full.
func (t *ycbcrTable) newBlock(ti uint32) uint32 {
	t.mu.Lock()
	defer t.mu.Unlock()
	if b := t.top[ti].Load(); b != 0 {
		return b // another goroutine was first
	}
	n := t.blocks
	c := n / blockChunk
	if n >= t.limit {
		t.full.Store(true)
		return 0
	}
	if n%blockChunk == 0 {
		ch := new(tableChunk)
		for i := range ch {
			for j := range ch[i] {
				ch[i][j].Store(emptyEntry)
			}
		}
		// Published before any top entry that points into it.
		t.chunks[c].Store(ch)
	}
	t.blocks++
	t.top[ti].Store(n + 1)
	return n + 1
}

// tableOnce makes a frontEnd's ycbcrTable when it is first needed.
type tableOnce struct {
	once sync.Once
	t    *ycbcrTable
}

func (f *frontEnd) table() *ycbcrTable {
	f.tab.once.Do(func() { f.tab.t = newYCbCrTable(f) })
	return f.tab.t
}
