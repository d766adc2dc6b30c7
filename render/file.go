package render

import (
	"bufio"
	"io"
)

// File is a finished PDF kept as its parts, in order: the objects as the
// finishing step laid them out, with the pictures' streams shared with
// where they were made (the conversion cache, the encoder). Writing it
// out copies nothing; Bytes makes the one contiguous copy a caller may
// want.
type File struct {
	parts [][]byte
	n     int
}

// FileOf holds a PDF made in one piece (by another writer) as a File.
func FileOf(b []byte) *File {
	f := &File{}
	f.add(b)
	return f
}

func (f *File) add(b []byte) {
	if len(b) > 0 {
		f.parts = append(f.parts, b)
		f.n += len(b)
	}
}

// Len is the file's size in bytes.
func (f *File) Len() int { return f.n }

// Parts returns the file's bytes in pieces, in order, for a reader that
// scans it (every object is whole in one part, but a picture's stream
// is a part of its own). The caller must not change them.
func (f *File) Parts() [][]byte { return f.parts }

// Bytes returns the whole file in one slice.
func (f *File) Bytes() []byte {
	b := make([]byte, 0, f.n)
	for _, p := range f.parts {
		b = append(b, p...)
	}
	return b
}

// WriteTo writes the file to w.
func (f *File) WriteTo(w io.Writer) (int64, error) {
	bw := bufio.NewWriterSize(w, 256<<10)
	var n int64
	for _, p := range f.parts {
		m, err := bw.Write(p) // large parts go straight through
		n += int64(m)
		if err != nil {
			return n, err
		}
	}
	return n, bw.Flush()
}
