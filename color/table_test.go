package color

import (
	"image"
	imgcolor "image/color"
	"math/rand/v2"
	"sync"
	"testing"
)

// TestYCbCrTable: what the shared table gives is convert's value, from
// several goroutines at once (run with -race), and a full table hands
// pixels back to the caller without changing any value.
func TestYCbCrTable(t *testing.T) {
	p, err := FOGRA39()
	if err != nil {
		t.Fatal(err)
	}
	f := p.WithInkLimit(2.85).frontEnd(Perceptual)
	tab := newYCbCrTable(f)
	tab.limit = 300 // blocks: the random triples below need far more
	want := func(y, cb, cr uint8) uint32 {
		var px [4]byte
		r, g, b := imgcolor.YCbCrToRGB(y, cb, cr)
		f.convert(r, g, b, px[:])
		return uint32(px[0]) | uint32(px[1])<<8 | uint32(px[2])<<16 | uint32(px[3])<<24
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	hits, refused := 0, 0
	for w := range 4 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(1, 7)) // the same triples on every goroutine
			if w%2 == 1 {
				rng = rand.New(rand.NewPCG(uint64(w), 9))
			}
			h, r := 0, 0
			for range 20000 {
				y, cb, cr := uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256))
				v, ok := tab.get(y, cb, cr)
				if !ok {
					r++
					continue
				}
				h++
				if w := want(y, cb, cr); v != w {
					t.Errorf("table(%d, %d, %d) = %08x, convert gives %08x", y, cb, cr, v, w)
					return
				}
			}
			mu.Lock()
			hits, refused = hits+h, refused+r
			mu.Unlock()
		})
	}
	wg.Wait()
	if tab.blocks != tab.limit || !tab.full.Load() {
		t.Errorf("%d blocks handed out, full %v; want the limit %d, full", tab.blocks, tab.full.Load(), tab.limit)
	}
	if hits == 0 || refused == 0 {
		t.Errorf("%d answered, %d refused: the test should see both", hits, refused)
	}
}

// TestConvertImageTableFull: with the shared table full, ConvertImage
// gives the same pixels.
func TestConvertImageTableFull(t *testing.T) {
	p, err := FOGRA39()
	if err != nil {
		t.Fatal(err)
	}
	img := photo(300, 200, true).(*image.YCbCr)
	a := p.WithInkLimit(2.85)
	want := a.ConvertImage(img, Perceptual)
	b := p.WithInkLimit(2.85)
	tab := b.frontEnd(Perceptual).table()
	tab.limit = 10
	got := b.ConvertImage(img, Perceptual)
	if !tab.full.Load() {
		t.Fatal("the table did not fill up")
	}
	for i := range want.Pix {
		if got.Pix[i] != want.Pix[i] {
			t.Fatalf("byte %d: %d with the table full, %d without", i, got.Pix[i], want.Pix[i])
		}
	}
}
