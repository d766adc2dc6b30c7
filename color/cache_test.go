package color

import (
	"bytes"
	"compress/zlib"
	"errors"
	"image"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"paiban/internal/jpegcmyk"
)

func inflate(t *testing.T, z []byte) []byte {
	t.Helper()
	r, err := zlib.NewReader(bytes.NewReader(z))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCache(t *testing.T) {
	p := fogra39(t)
	dir := t.TempDir()
	c, err := NewCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	src := gradient(40, 30)
	// A sub-image, so rows are not contiguous.
	sub := src.SubImage(image.Rect(5, 5, 37, 29))
	calls := 0
	convert := func() (*image.CMYK, error) {
		calls++
		return p.ConvertImage(sub, Perceptual), nil
	}
	want := p.ConvertImage(sub, Perceptual)
	var wantPix []byte
	for y := 5; y < 29; y++ {
		wantPix = append(wantPix, want.Pix[want.PixOffset(5, y):want.PixOffset(37, y)]...)
	}
	key := p.CacheKey([]byte("photo.jpg bytes"), Perceptual, 32, 24)

	w, h, z, err := c.CMYKFlate(key, convert)
	if err != nil || w != 32 || h != 24 || calls != 1 {
		t.Fatalf("miss: %d×%d, %v, %d calls", w, h, err, calls)
	}
	if !bytes.Equal(inflate(t, z), wantPix) {
		t.Fatal("the zlib stream is not the image's CMYK pixels")
	}
	w2, h2, z2, err := c.CMYKFlate(key, convert)
	if err != nil || w2 != w || h2 != h || !bytes.Equal(z2, z) || calls != 1 {
		t.Fatalf("hit: %d×%d, %v, %d calls, same data %v", w2, h2, err, calls, bytes.Equal(z2, z))
	}
	entries, _ := filepath.Glob(filepath.Join(dir, "cmyk", "*"))
	if len(entries) != 1 || filepath.Ext(entries[0]) != ".zcmyk" {
		t.Fatalf("cache folder holds %v", entries)
	}

	// A damaged entry is made again and repaired.
	data, _ := os.ReadFile(entries[0])
	data[len(data)-3] ^= 0xff
	if err := os.WriteFile(entries[0], data, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, z3, err := c.CMYKFlate(key, convert); err != nil || calls != 2 || !bytes.Equal(z3, z) {
		t.Fatalf("damaged entry: %v, %d calls", err, calls)
	}
	if _, _, _, err := c.CMYKFlate(key, convert); err != nil || calls != 2 {
		t.Fatalf("repaired entry not used: %v, %d calls", err, calls)
	}
	if err := os.WriteFile(entries[0], data[:10], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := c.CMYKFlate(key, convert); err != nil || calls != 3 {
		t.Fatalf("truncated entry: %v, %d calls", err, calls)
	}

	// Errors from convert come back as they are, and nothing is stored.
	boom := errors.New("boom")
	if _, _, _, err := c.CMYKFlate("other", func() (*image.CMYK, error) { return nil, boom }); err != boom {
		t.Errorf("convert error: %v", err)
	}
	if _, _, _, err := c.CMYKFlate("other", func() (*image.CMYK, error) { return nil, nil }); err == nil {
		t.Error("nil image accepted")
	}
	// No temporary files are left behind.
	if all, _ := os.ReadDir(filepath.Join(dir, "cmyk")); len(all) != 1 {
		t.Errorf("cache folder holds %d files", len(all))
	}

	// A nil cache converts every time.
	var none *Cache
	if _, _, z4, err := none.CMYKFlate(key, convert); err != nil || calls != 4 || !bytes.Equal(z4, z) {
		t.Errorf("nil cache: %v, %d calls", err, calls)
	}

	// A cache that cannot store still gives the image.
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	bad, _ := NewCache(file)
	if _, _, z5, err := bad.CMYKFlate(key, convert); !errors.Is(err, ErrNotStored) || !bytes.Equal(z5, z) {
		t.Errorf("unwritable cache: %v", err)
	}
}

func TestCacheKey(t *testing.T) {
	p := fogra39(t)
	k := p.CacheKey([]byte("a"), Perceptual, 10, 20)
	if len(k) != 64 || k != p.CacheKey([]byte("a"), Perceptual, 10, 20) {
		t.Fatalf("key %q not stable", k)
	}
	for _, other := range []string{
		p.CacheKey([]byte("b"), Perceptual, 10, 20),
		p.CacheKey([]byte("a"), RelativeColorimetric, 10, 20),
		p.CacheKey([]byte("a"), Perceptual, 20, 10),
		p.CacheKey([]byte("a"), Perceptual, 102, 0),
	} {
		if other == k {
			t.Error("different inputs share a key")
		}
	}
}

func TestNewCacheDefault(t *testing.T) {
	base := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", base)
	t.Setenv("HOME", base)
	c, err := NewCache("")
	if err != nil {
		t.Skip("no user cache folder here:", err)
	}
	if want, _ := os.UserCacheDir(); c.Dir() != filepath.Join(want, "paiban") {
		t.Errorf("default cache folder %s", c.Dir())
	}
}

func TestBlob(t *testing.T) {
	c, err := NewCache(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	make := func() ([]byte, error) { calls++; return []byte("derived"), nil }
	for i := 0; i < 3; i++ {
		b, err := c.Blob("k", make)
		if err != nil || string(b) != "derived" {
			t.Fatalf("Blob = %q, %v", b, err)
		}
	}
	if calls != 1 {
		t.Errorf("made %d times, want once (then read from the cache)", calls)
	}
	var nilCache *Cache
	if b, err := nilCache.Blob("k", make); err != nil || string(b) != "derived" || calls != 2 {
		t.Errorf("nil cache: %q %v, %d calls", b, err, calls)
	}
}

// TestCacheOnce: builds in one process that miss the same entry at once
// (a batch whose issues share a photo, each with its own Cache on the
// same folder) make it once; the others wait and get the same bytes.
func TestCacheOnce(t *testing.T) {
	p := fogra39(t)
	dir := t.TempDir()
	src := gradient(40, 30)
	var calls atomic.Int32
	decode := func() (image.Image, error) {
		calls.Add(1)
		time.Sleep(50 * time.Millisecond)
		return src, nil
	}
	key := p.CacheKey([]byte("shared.jpg bytes"), Perceptual, 40, 30)
	const n = 6
	out := make([][]byte, n)
	blobs := make([][]byte, n)
	var blobCalls atomic.Int32
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			c, err := NewCache(dir)
			if err != nil {
				t.Error(err)
				return
			}
			if _, _, out[i], err = c.ConvertJPEG(key, 90, p, Perceptual, decode); err != nil {
				t.Error(err)
			}
			blobs[i], err = c.Blob("blob "+key, func() ([]byte, error) {
				blobCalls.Add(1)
				time.Sleep(50 * time.Millisecond)
				return []byte("prepared"), nil
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if calls.Load() != 1 || blobCalls.Load() != 1 {
		t.Errorf("converted %d times, made the blob %d times; want once each", calls.Load(), blobCalls.Load())
	}
	for i := range n {
		if !bytes.Equal(out[i], out[0]) || string(blobs[i]) != "prepared" {
			t.Errorf("caller %d got other bytes", i)
		}
	}
}

// TestConvertJPEG: the entry ConvertJPEG makes, strip by strip, is
// jpegcmyk.Encode of ConvertImage's picture; a second call reads it back;
// a decoding error is returned as it is and stores nothing.
func TestConvertJPEG(t *testing.T) {
	p := fogra39(t).WithInkLimit(2.85)
	src := gradient(45, 30).SubImage(image.Rect(3, 2, 44, 29)) // 41×27: partial MCUs
	var want bytes.Buffer
	if err := jpegcmyk.Encode(&want, p.ConvertImage(src, Perceptual), 92); err != nil {
		t.Fatal(err)
	}
	c, err := NewCache(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	decode := func() (image.Image, error) { calls++; return src, nil }
	for range 2 {
		w, h, data, err := c.ConvertJPEG("k", 92, p, Perceptual, decode)
		if err != nil || w != 41 || h != 27 || !bytes.Equal(data, want.Bytes()) {
			t.Fatalf("%d×%d, %d bytes, %v; want 41×27, Encode's %d bytes", w, h, len(data), err, want.Len())
		}
	}
	if calls != 1 {
		t.Errorf("decoded %d times, want once", calls)
	}
	boom := errors.New("boom")
	for range 2 {
		if _, _, _, err := c.ConvertJPEG("other", 92, p, Perceptual, func() (image.Image, error) { return nil, boom }); err != boom {
			t.Errorf("got %v, want boom", err)
		}
	}
}
