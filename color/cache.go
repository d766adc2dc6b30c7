package color

import (
	"sync"

	"bytes"
	"compress/zlib"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"paiban/internal/atomicfile"
	"paiban/internal/jpegcmyk"
)

// Cache keeps converted images on disk, so that rebuilding an issue does
// not convert and compress every photo again. An entry is the raw CMYK
// pixels (4 bytes a pixel, rows top to bottom, no padding) as a zlib
// stream: exactly the data of a PDF image XObject with /ColorSpace
// /DeviceCMYK /BitsPerComponent 8 /Filter /FlateDecode, which the PDF
// writer can copy as it is.
//
// A nil *Cache is valid and caches nothing. Entries are written atomically
// (a temporary file renamed into place), so concurrent builds sharing the
// folder see whole entries or none. Within one process, builds that miss
// the same entry at once (a batch of issues sharing photos) make it once:
// the others wait for it. Separate processes that miss it at once both do
// the work.
type Cache struct {
	dir string
}

// inflight holds the entries being made in this process, by file path.
var inflight = struct {
	sync.Mutex
	m map[string]*making
}{m: map[string]*making{}}

// making is an entry being made: done closes when the results are in.
type making struct {
	done chan struct{}
	w, h int
	data []byte
	err  error
}

// once makes the entry at path with build, or waits for the call already
// making it and returns its results.
func once(path string, build func() (w, h int, data []byte, err error)) (int, int, []byte, error) {
	inflight.Lock()
	if m := inflight.m[path]; m != nil {
		inflight.Unlock()
		<-m.done
		return m.w, m.h, m.data, m.err
	}
	m := &making{done: make(chan struct{})}
	inflight.m[path] = m
	inflight.Unlock()
	defer func() {
		inflight.Lock()
		delete(inflight.m, path)
		inflight.Unlock()
		close(m.done)
	}()
	m.w, m.h, m.data, m.err = build()
	return m.w, m.h, m.data, m.err
}

// cacheFormat names the entry format and the conversion behind it; a
// change to either must change it, so that old entries are not reused.
const cacheFormat = "paiban-cmyk-flate-1"

// NewCache returns a cache in dir, or in os.UserCacheDir()/paiban when dir
// is "". The folder is created on the first store.
func NewCache(dir string) (*Cache, error) {
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return nil, fmt.Errorf("color: no cache folder: %w", err)
		}
		dir = filepath.Join(base, "paiban")
	}
	return &Cache{dir: dir}, nil
}

// Dir returns the folder the cache was made with.
func (c *Cache) Dir() string { return c.dir }

// CacheKey is the cache key for converting the image file src (its bytes
// as read from disk) with intent to w×h pixels through profile p (its
// bytes and ink limit).
func (p *Profile) CacheKey(src []byte, intent Intent, w, h int) string {
	s := sha256.Sum256(src)
	k := sha256.New()
	k.Write([]byte(cacheFormat + "\x00"))
	k.Write(p.sum[:])
	k.Write(s[:])
	k.Write([]byte("\x00" + intent.String() + "\x00" + strconv.Itoa(w) + "x" + strconv.Itoa(h) +
		"\x00ink" + strconv.FormatFloat(p.inkLimit, 'g', -1, 64)))
	return hex.EncodeToString(k.Sum(nil))
}

// ErrNotStored is wrapped by the error CMYKFlate returns when it has the
// image but could not write it to the cache; the results are valid then.
var ErrNotStored = errors.New("color: converted image not stored in the cache")

// Entry layout: magic, width, height, zlib length (uint32, uint32, uint64,
// big-endian), CRC-32 (IEEE) of the zlib data, then the zlib data.
const (
	entryMagic  = "PBCMYK\x00\x01"
	entryHeader = len(entryMagic) + 4 + 4 + 8 + 4
)

// CMYKFlate returns the image stored under key, or calls convert, stores
// its result and returns that: its size and its pixels as a zlib stream
// (see Cache). An error from convert is returned as it is. When the entry
// cannot be written the results are returned with an error wrapping
// ErrNotStored; a damaged entry is made again.
func (c *Cache) CMYKFlate(key string, convert func() (*image.CMYK, error)) (w, h int, zlibData []byte, err error) {
	return c.entry(cacheFormat, key, func() (int, int, []byte, error) {
		return makeEntry(convert, deflateCMYK)
	})
}

// ConvertJPEG is CMYKFlate for the picture decode returns, converted with
// p and intent and stored as a baseline CMYK JPEG at quality q (package
// internal/jpegcmyk, Encode): the data of an image XObject with
// /ColorSpace /DeviceCMYK /Filter /DCTDecode and no /Decode. A photo
// takes a quarter of the room it takes as Flate. The picture is converted
// eight rows at a time as the encoder asks for them, so the converted
// picture is never held whole.
func (c *Cache) ConvertJPEG(key string, q int, p *Profile, intent Intent, decode func() (image.Image, error)) (w, h int, jpegData []byte, err error) {
	return c.entry(jpegFormat(q), key, func() (int, int, []byte, error) {
		img, err := decode()
		if err != nil {
			return 0, 0, nil, err
		}
		b := img.Bounds()
		w, h := b.Dx(), b.Dy()
		rc := p.Rows(img, intent)
		var out bytes.Buffer
		out.Grow(w * h / 2) // photos take 0.1 to 0.5 byte a pixel at q 92
		err = jpegcmyk.EncodeRows(&out, w, h, q, func(y0, y1 int, dst []byte) error {
			rc.Convert(y0, y1, dst)
			return nil
		})
		if err != nil {
			return 0, 0, nil, err
		}
		return w, h, out.Bytes(), nil
	})
}

func jpegFormat(q int) string { return fmt.Sprintf("paiban-cmyk-jpeg-1/q%d", q) }

// entry returns the entry stored under format and key, or makes it and
// stores it.
func (c *Cache) entry(format, key string, make func() (w, h int, data []byte, err error)) (w, h int, data []byte, err error) {
	if c == nil {
		return make()
	}
	name := sha256.Sum256([]byte(format + "\x00" + key))
	path := filepath.Join(c.dir, "cmyk", hex.EncodeToString(name[:])+".zcmyk")
	read := func() (int, int, []byte, bool) {
		data, err := os.ReadFile(path)
		if err != nil {
			return 0, 0, nil, false
		}
		return decodeEntry(data)
	}
	if w, h, z, ok := read(); ok {
		return w, h, z, nil
	}
	return once(path, func() (int, int, []byte, error) {
		if w, h, z, ok := read(); ok { // made while this call was on its way
			return w, h, z, nil
		}
		w, h, z, err := make()
		if err != nil {
			return 0, 0, nil, err
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
			return w, h, z, fmt.Errorf("%w: %w", ErrNotStored, err)
		}
		err = atomicfile.WriteUnsynced(path, func(f io.Writer) error {
			if _, err := f.Write(entryHead(w, h, z)); err != nil {
				return err
			}
			_, err := f.Write(z)
			return err
		})
		if err != nil {
			return w, h, z, fmt.Errorf("%w: %w", ErrNotStored, err)
		}
		return w, h, z, nil
	})
}

// makeEntry converts and encodes.
func makeEntry(convert func() (*image.CMYK, error), encode func(*image.CMYK) ([]byte, error)) (w, h int, data []byte, err error) {
	img, err := convert()
	if err != nil {
		return 0, 0, nil, err
	}
	if img == nil {
		return 0, 0, nil, errors.New("color: cache: convert returned no image")
	}
	w, h = img.Bounds().Dx(), img.Bounds().Dy()
	z, err := encode(img)
	if err != nil {
		return 0, 0, nil, err
	}
	return w, h, z, nil
}

// deflateCMYK compresses img's pixels, row after row, with zlib at the
// default level. The output depends only on the pixels (and the Go
// version's compress/flate), which keeps PDFs reproducible.
func deflateCMYK(img *image.CMYK) ([]byte, error) {
	b := img.Bounds()
	var buf bytes.Buffer
	zw, err := zlib.NewWriterLevel(&buf, zlib.DefaultCompression)
	if err != nil {
		return nil, err
	}
	if img.Stride == 4*b.Dx() {
		if _, err := zw.Write(img.Pix[img.PixOffset(b.Min.X, b.Min.Y):][:4*b.Dx()*b.Dy()]); err != nil {
			return nil, err
		}
	} else {
		for y := b.Min.Y; y < b.Max.Y; y++ {
			if _, err := zw.Write(img.Pix[img.PixOffset(b.Min.X, y):][:4*b.Dx()]); err != nil {
				return nil, err
			}
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func entryHead(w, h int, z []byte) []byte {
	b := make([]byte, 0, entryHeader)
	b = append(b, entryMagic...)
	b = binary.BigEndian.AppendUint32(b, uint32(w))
	b = binary.BigEndian.AppendUint32(b, uint32(h))
	b = binary.BigEndian.AppendUint64(b, uint64(len(z)))
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(z))
}

// decodeEntry checks a cache entry and returns its contents.
func decodeEntry(data []byte) (w, h int, z []byte, ok bool) {
	if len(data) < entryHeader || string(data[:len(entryMagic)]) != entryMagic {
		return 0, 0, nil, false
	}
	d := data[len(entryMagic):]
	w, h = int(binary.BigEndian.Uint32(d)), int(binary.BigEndian.Uint32(d[4:]))
	n := binary.BigEndian.Uint64(d[8:])
	sum := binary.BigEndian.Uint32(d[16:])
	z = data[entryHeader:]
	if w <= 0 || h <= 0 || n != uint64(len(z)) || crc32.ChecksumIEEE(z) != sum {
		return 0, 0, nil, false
	}
	return w, h, z, true
}

// Blob returns the bytes stored under key, or calls make, stores its
// result and returns that: for other derived data of a picture (a
// downsampled preview). Like CMYKFlate, a nil *Cache stores nothing, and
// an entry that cannot be written is returned with an error wrapping
// ErrNotStored.
func (c *Cache) Blob(key string, make func() ([]byte, error)) ([]byte, error) {
	if c == nil {
		return make()
	}
	name := sha256.Sum256([]byte("paiban-blob-1\x00" + key))
	path := filepath.Join(c.dir, "blob", hex.EncodeToString(name[:]))
	read := func() ([]byte, bool) {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, false
		}
		_, _, z, ok := decodeEntry(data)
		return z, ok
	}
	if z, ok := read(); ok {
		return z, nil
	}
	_, _, data, err := once(path, func() (int, int, []byte, error) {
		if z, ok := read(); ok {
			return 1, 1, z, nil
		}
		data, err := make()
		if err != nil {
			return 0, 0, data, err
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
			return 1, 1, data, fmt.Errorf("%w: %w", ErrNotStored, err)
		}
		err = atomicfile.WriteUnsynced(path, func(f io.Writer) error {
			if _, err := f.Write(entryHead(1, 1, data)); err != nil { // no size: 1×1
				return err
			}
			_, err := f.Write(data)
			return err
		})
		if err != nil {
			return 1, 1, data, fmt.Errorf("%w: %w", ErrNotStored, err)
		}
		return 1, 1, data, nil
	})
	return data, err
}
