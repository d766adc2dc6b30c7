// Package sampledoc lays out an issue for the writers' tests and
// benchmarks, without going through package build (which imports the
// writers, so their tests cannot import it).
package sampledoc

import (
	"paiban/fonts"
	"paiban/layout"
	"paiban/manifest"
)

// Layout parses the manifest at path and lays the issue out with the
// bundled fonts.
func Layout(path string) (*layout.Result, *fonts.Set, error) {
	iss, err := manifest.Parse(path)
	if err != nil {
		return nil, nil, err
	}
	base, err := fonts.Default()
	if err != nil {
		return nil, nil, err
	}
	set := fonts.NewSet()
	for _, n := range base.Names() {
		set.Add(base.Face(n))
	}
	res, err := layout.Typeset(iss, set)
	if err != nil {
		return nil, nil, err
	}
	return res, set, nil
}
