package build

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

//go:embed skeleton
var skeleton embed.FS

// Init writes a new issue folder at dir — issue.toml, one article and an
// empty images folder — that builds as it is. It refuses to overwrite.
func Init(dir string) error {
	if _, err := os.Stat(filepath.Join(dir, "issue.toml")); err == nil {
		return fmt.Errorf("%s already holds an issue.toml — choose an empty folder", dir)
	}
	err := fs.WalkDir(skeleton, "skeleton", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("skeleton", p)
		dst := filepath.Join(dir, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := skeleton.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		return err
	}
	return os.MkdirAll(filepath.Join(dir, "images"), 0o755)
}
