// Package atomicfile writes a file so that readers see either the old file
// or the complete new one, never a half-written file.
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
)

// Write calls fill with a temporary file in path's folder, flushes it to
// disk and renames it over path. When fill returns an error or panics, or
// anything else fails, the temporary file is removed, path is left as it
// was and the error is returned (a panic is passed on after cleaning up).
//
// A new file gets mode 0666 less the umask, like os.Create; a file that is
// replaced keeps its permission bits.
func Write(path string, fill func(io.Writer) error) error {
	return write(path, fill, true)
}

// WriteUnsynced is Write without flushing to disk: readers still see the
// old file or the whole new one, but after a power loss the new file may
// be empty or torn. It is for data that can be made again and is checked
// when read (a cache entry with a checksum); it saves a disk flush per
// file.
func WriteUnsynced(path string, fill func(io.Writer) error) error {
	return write(path, fill, false)
}

func write(path string, fill func(io.Writer) error, sync bool) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if base == "" || base == "." || base == ".." {
		return fmt.Errorf("atomicfile: %q is not a file name", path)
	}
	var keep fs.FileMode
	if fi, err := os.Stat(path); err == nil {
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("atomicfile: %s is not a regular file", path)
		}
		keep = fi.Mode().Perm()
	}

	f, tmp, err := create(dir, base)
	if err != nil {
		return fmt.Errorf("atomicfile: %w", err)
	}
	renamed := false
	defer func() {
		if !renamed {
			f.Close()
			os.Remove(tmp)
		}
	}()

	if keep != 0 {
		if err := f.Chmod(keep); err != nil {
			return fmt.Errorf("atomicfile: %w", err)
		}
	}
	if err := fill(f); err != nil {
		return err
	}
	if sync {
		if err := f.Sync(); err != nil {
			return fmt.Errorf("atomicfile: %w", err)
		}
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("atomicfile: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("atomicfile: %w", err)
	}
	renamed = true
	if !sync {
		return nil
	}
	// Make the rename durable too; not every system can sync a folder, and
	// the file is in place either way.
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// create makes a new, hidden temporary file next to the target. Unlike
// os.CreateTemp (mode 0600) it asks for 0666, so the umask applies as for
// any new file.
func create(dir, base string) (*os.File, string, error) {
	for range 100 {
		name := filepath.Join(dir, "."+base+".tmp-"+strconv.FormatUint(rand.Uint64()%1e12, 10))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return f, name, err
	}
	return nil, "", errors.New("cannot find a free temporary file name in " + dir)
}
