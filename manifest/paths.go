package manifest

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// folder is an issue folder: every file an issue uses must be inside it.
type folder struct {
	abs  string // absolute path
	real string // abs with symlinks resolved
}

func newFolder(dir string) (folder, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return folder{}, err
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return folder{}, err
	}
	return folder{abs: abs, real: real}, nil
}

// pathError is a problem with a path as written; its message is complete
// but for the position and the name of what the path is for.
type pathError struct {
	msg string
	err error
}

func (e *pathError) Error() string { return e.msg }
func (e *pathError) Unwrap() error { return e.err }

// resolve checks a path written in the issue (relative to the issue
// folder, with / or the system separator) and returns its absolute path.
// The file must exist, be a regular file (after symlinks) and lie inside
// the folder, symlinks resolved.
func (f folder) resolve(written string) (string, *pathError) {
	if strings.TrimSpace(written) == "" {
		return "", &pathError{msg: "path is empty — give a path relative to the issue folder"}
	}
	if strings.ContainsRune(written, 0) {
		return "", &pathError{msg: fmt.Sprintf("%q contains a NUL byte — fix the path", written)}
	}
	if i := strings.Index(written, "://"); i > 0 && !strings.ContainsAny(written[:i], `/\.`) {
		return "", &pathError{msg: fmt.Sprintf("%q is a URL — download the file into the issue folder and give its relative path", written)}
	}
	p := filepath.FromSlash(written)
	if filepath.IsAbs(p) || strings.HasPrefix(written, "/") || strings.HasPrefix(written, `\`) || filepath.VolumeName(p) != "" {
		return "", &pathError{msg: fmt.Sprintf("%q is an absolute path — give a path relative to the issue folder", written)}
	}
	clean := filepath.Clean(p)
	if clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) {
		return "", &pathError{msg: fmt.Sprintf("%q leaves the issue folder — move the file into the issue folder and give its path from there", written)}
	}
	abs := filepath.Join(f.abs, clean)
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", &pathError{msg: fmt.Sprintf("%q not found — paths are relative to the issue folder %s", written, f.abs), err: err}
		}
		return "", &pathError{msg: fmt.Sprintf("%q cannot be read (%v) — check the file's permissions", written, unwrapPathErr(err)), err: err}
	}
	if rel, err := filepath.Rel(f.real, real); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", &pathError{msg: fmt.Sprintf("%q is a symlink to %s, outside the issue folder — copy the file into the folder", written, real)}
	}
	st, err := os.Stat(real)
	if err != nil {
		return "", &pathError{msg: fmt.Sprintf("%q cannot be read (%v) — check the file's permissions", written, unwrapPathErr(err)), err: err}
	}
	if !st.Mode().IsRegular() {
		return "", &pathError{msg: fmt.Sprintf("%q is not a file — give the path of a file", written)}
	}
	return abs, nil
}

// unwrapPathErr drops the path from an *fs.PathError, which the message
// already names.
func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// hasExt reports whether name ends in one of exts (lowercase, with dot).
func hasExt(name string, exts ...string) bool {
	e := strings.ToLower(filepath.Ext(name))
	for _, x := range exts {
		if e == x {
			return true
		}
	}
	return false
}

var imageExts = []string{".jpg", ".jpeg", ".png", ".gif", ".tif", ".tiff", ".bmp"}

const imageExtList = "jpg, png, gif, tiff, bmp"

var fontExts = []string{".ttf", ".otf", ".ttc", ".otc"}
