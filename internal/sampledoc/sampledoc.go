// Package sampledoc lays out an issue for the writers' tests and
// benchmarks, without going through package build (which imports the
// writers, so their tests cannot import it).
package sampledoc

import (
	"fmt"
	"testing"

	"paiban/display"
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
	set, err := fonts.NewDefaultSet()
	if err != nil {
		return nil, nil, err
	}
	res, err := layout.Typeset(iss, set)
	if err != nil {
		return nil, nil, err
	}
	return res, set, nil
}

// Run lays s out from (x, y) in the face named font at natural advances
// plus extra after each glyph: a text run for the writers' tests.
func Run(faces *fonts.Set, font string, size, x, y, extra float64, s string) (*display.Text, error) {
	face := faces.Face(font)
	if face == nil {
		return nil, fmt.Errorf("no face %s", font)
	}
	var gs []display.Glyph
	pos := 0.0
	for _, r := range s {
		gs = append(gs, display.Glyph{R: r, X: pos})
		a, ok := face.Advance(r)
		if !ok {
			return nil, fmt.Errorf("%s has no U+%04X", font, r)
		}
		pos += a*size + extra
	}
	return &display.Text{X: x, Y: y, Font: font, Size: size, Color: display.Black, Glyphs: gs}, nil
}

// Faces returns the bundled faces, failing tb when they cannot be had.
func Faces(tb testing.TB) *fonts.Set {
	tb.Helper()
	fs, err := fonts.Default()
	if err != nil {
		tb.Fatal(err)
	}
	return fs
}

// MustRun is Run failing tb on an error.
func MustRun(tb testing.TB, faces *fonts.Set, font string, size, x, y, extra float64, s string) *display.Text {
	tb.Helper()
	r, err := Run(faces, font, size, x, y, extra, s)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}
