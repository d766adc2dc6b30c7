package jpegcmyk

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"testing"
)

// TestEncodeRows: a picture handed over eight rows at a time encodes to
// Encode's bytes, whatever its size (partial MCUs at the right and the
// bottom, one MCU flushing the scan buffer several times) and quality.
func TestEncodeRows(t *testing.T) {
	for _, sz := range []image.Point{{1, 1}, {8, 8}, {13, 9}, {64, 17}, {100, 8}, {7, 100}, {600, 203}} {
		for _, q := range []int{1, 75, 92, 100} {
			m := photoCMYK(image.Rect(0, 0, sz.X, sz.Y), uint64(sz.X*1000+sz.Y))
			want := encode(t, m, q)
			var got bytes.Buffer
			var asked []string
			err := EncodeRows(&got, sz.X, sz.Y, q, func(y0, y1 int, dst []byte) error {
				asked = append(asked, fmt.Sprint(y0, y1))
				if len(dst) != 4*sz.X*(y1-y0) {
					t.Fatalf("%v: rows %d..%d given %d bytes", sz, y0, y1, len(dst))
				}
				copy(dst, m.Pix[m.PixOffset(0, y0):m.PixOffset(0, y1)])
				return nil
			})
			if err != nil {
				t.Fatalf("%v q%d: %v", sz, q, err)
			}
			if n := (sz.Y + 7) / 8; len(asked) != n || asked[n-1] != fmt.Sprint(8*(n-1), sz.Y) {
				t.Errorf("%v: asked for %v", sz, asked)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("%v q%d: %d bytes, Encode gives %d; they differ", sz, q, got.Len(), len(want))
			}
		}
	}
}

// TestEncodeRowsErrors: bad sizes are refused and an error from rows is
// returned as it is, with nothing asked for after it.
func TestEncodeRowsErrors(t *testing.T) {
	var b bytes.Buffer
	for _, sz := range []image.Point{{0, 5}, {5, 0}, {-1, 3}, {1 << 16, 1}} {
		if err := EncodeRows(&b, sz.X, sz.Y, 90, func(int, int, []byte) error { return nil }); err == nil {
			t.Errorf("%v: no error", sz)
		}
	}
	boom := errors.New("boom")
	calls := 0
	err := EncodeRows(&b, 16, 40, 90, func(y0, y1 int, dst []byte) error {
		calls++
		if y0 == 16 {
			return boom
		}
		return nil
	})
	if err != boom || calls != 3 {
		t.Errorf("got %v after %d calls, want boom after 3", err, calls)
	}
}
