// Package build runs the pipeline for one issue: parse the manifest, lay
// the issue out, write the PDF. It is what the command line calls.
package build

import (
	"fmt"
	"io"
	"time"

	"paiban/display"
	"paiban/fonts"
	"paiban/internal/atomicfile"
	"paiban/layout"
	"paiban/manifest"
	"paiban/render"
)

// Report tells what a build made.
type Report struct {
	Pages    int
	Warnings []string
	Elapsed  time.Duration
	Doc      *display.Document // the display list that was written
}

// Layout parses the manifest at path and lays the issue out.
func Layout(path string) (*layout.Result, *fonts.Set, error) {
	iss, err := manifest.Parse(path)
	if err != nil {
		return nil, nil, err
	}
	base, err := fonts.Default()
	if err != nil {
		return nil, nil, err
	}
	// A set of its own per issue: an issue's fallback fonts do not leak
	// into another built in the same process.
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

// Write lays out the issue at path and writes its PDF to w.
func Write(w io.Writer, path string) (*Report, error) {
	t0 := time.Now()
	res, set, err := Layout(path)
	if err != nil {
		return nil, err
	}
	if err := render.WritePDF(w, res.Doc, set, render.DefaultOptions()); err != nil {
		return nil, fmt.Errorf("%s: writing the PDF: %w", path, err)
	}
	return report(res, t0), nil
}

// File builds the issue at path into the PDF file out. The PDF is written
// to a temporary file and renamed, so a failed build leaves no broken file.
func File(path, out string) (*Report, error) {
	var rep *Report
	err := atomicfile.Write(out, func(w io.Writer) error {
		var err error
		rep, err = Write(w, path)
		return err
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

func report(res *layout.Result, t0 time.Time) *Report {
	r := &Report{Pages: len(res.Doc.Pages), Doc: res.Doc, Elapsed: time.Since(t0)}
	for _, w := range res.Warnings {
		r.Warnings = append(r.Warnings, w.String())
	}
	return r
}
