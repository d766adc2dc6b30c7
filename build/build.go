// Package build runs the pipeline for one issue: parse the manifest, lay
// the issue out, write the PDF, check it. It is what the command line calls.
package build

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"paiban/color"
	"paiban/display"
	"paiban/fonts"
	"paiban/internal/atomicfile"
	"paiban/layout"
	"paiban/manifest"
	"paiban/preflight"
	"paiban/render"
	"paiban/render/gopdf"
)

// Options choose what a build writes.
type Options struct {
	// Preview writes the fast, small RGB preview instead of the print PDF.
	Preview bool
	// Force writes a print PDF even when preflight finds errors.
	Force bool
	// Writer picks the PDF writer: "fpdf" (the default) or "gopdf" (an
	// independent second writer, previews only).
	Writer string
	// Marks adds crop and bleed marks to a print PDF.
	Marks bool
	// Watermark is drawn across every page of a preview.
	Watermark string
	// CacheDir keeps photos converted to CMYK between builds; "" is the
	// user's cache folder, "off" turns the cache off.
	CacheDir string
	// Layout holds the typesetting choices (line breaker, hanging
	// punctuation).
	Layout layout.Options
}

// renderOptions turns build options into the writer's.
func (o Options) renderOptions() (render.Options, error) {
	ro := render.DefaultOptions()
	if o.Preview {
		ro = render.Options{Profile: render.Preview, Compress: true, Watermark: o.Watermark}
	}
	ro.Marks = o.Marks && !o.Preview
	if o.CacheDir != "off" {
		// No user cache folder (no $HOME): build without a cache, only slower.
		if c, err := color.NewCache(o.CacheDir); err == nil {
			ro.Cache = c
		}
	}
	return ro, nil
}

// Report tells what a build made.
type Report struct {
	Pages     int
	Warnings  []string
	Elapsed   time.Duration
	Bytes     int
	Doc       *display.Document // the display list that was written
	Preflight *preflight.Report
}

// Layout parses the manifest at path and lays the issue out.
func Layout(path string) (*layout.Result, *fonts.Set, error) {
	return LayoutWith(path, layout.Options{})
}

// LayoutWith is Layout with typesetting choices.
func LayoutWith(path string, opt layout.Options) (*layout.Result, *fonts.Set, error) {
	iss, err := manifest.Parse(path)
	if err != nil {
		return nil, nil, err
	}
	if iss.Date.IsZero() {
		// No [issue] date: the PDF's dates come from SOURCE_DATE_EPOCH
		// (reproducible builds), else stay at the epoch — never the clock.
		if v := os.Getenv("SOURCE_DATE_EPOCH"); v != "" {
			sec, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return nil, nil, fmt.Errorf("SOURCE_DATE_EPOCH=%q is not a number of seconds — unset it or give seconds since 1970", v)
			}
			iss.Date = time.Unix(sec, 0).UTC()
		}
	}
	set, err := fonts.NewDefaultSet()
	if err != nil {
		return nil, nil, err
	}
	res, err := layout.TypesetWith(iss, set, opt)
	if err != nil {
		return nil, nil, err
	}
	return res, set, nil
}

// Check lays out the issue at path, writes its print PDF in memory and
// runs preflight on both.
func Check(path string) (*preflight.Report, error) {
	res, set, err := Layout(path)
	if err != nil {
		return nil, err
	}
	ropt, err := Options{}.renderOptions()
	if err != nil {
		return nil, err
	}
	f, err := render.Render(res.Doc, set, ropt)
	if err != nil {
		return nil, fmt.Errorf("%s: writing the PDF: %w", path, err)
	}
	return preflight.Check(res, f.Parts(), preflight.Options{Print: true, Faces: set}), nil
}

// Write lays out the issue at path and writes its PDF to w. A print build
// with preflight errors is refused unless opt.Force is set.
func Write(w io.Writer, path string, opt Options) (*Report, error) {
	return write(w, path, opt, false)
}

// write is Write. With early, it writes the PDF to w while preflight runs
// and reports preflight's errors afterwards, for a w that is thrown away
// on error (File's temporary file).
func write(w io.Writer, path string, opt Options, early bool) (*Report, error) {
	t0 := time.Now()
	res, set, err := LayoutWith(path, opt.Layout)
	if err != nil {
		return nil, err
	}
	ropt, err := opt.renderOptions()
	if err != nil {
		return nil, err
	}
	var pdf *render.File
	switch opt.Writer {
	case "", "fpdf":
		pdf, err = render.Render(res.Doc, set, ropt)
	case "gopdf":
		if !opt.Preview {
			return nil, fmt.Errorf("the gopdf writer makes previews only — add --preview, or use the default writer")
		}
		var buf bytes.Buffer
		err = gopdf.WritePDF(&buf, res.Doc, set)
		pdf = render.FileOf(buf.Bytes())
	default:
		return nil, fmt.Errorf("unknown PDF writer %q (known: fpdf, gopdf)", opt.Writer)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: writing the PDF: %w", path, err)
	}
	check := func() *preflight.Report {
		return preflight.Check(res, pdf.Parts(), preflight.Options{Print: !opt.Preview, Faces: set})
	}
	var pf *preflight.Report
	if early {
		done := make(chan struct{})
		go func() {
			defer close(done)
			pf = check()
		}()
		_, werr := pdf.WriteTo(w)
		<-done
		if werr != nil {
			return nil, werr
		}
	} else {
		pf = check()
	}
	if pf.Errors > 0 && !opt.Preview && !opt.Force {
		var b bytes.Buffer
		for _, f := range pf.Findings {
			if f.Severity == preflight.Error {
				fmt.Fprintf(&b, "\n  %s", f)
			}
		}
		return nil, fmt.Errorf("%s: preflight found %d errors, so no print PDF was written (use --force to write it anyway):%s", path, pf.Errors, b.String())
	}
	if !early {
		if _, err := pdf.WriteTo(w); err != nil {
			return nil, err
		}
	}
	r := &Report{Pages: len(res.Doc.Pages), Doc: res.Doc, Elapsed: time.Since(t0), Bytes: pdf.Len(), Preflight: pf}
	for _, w := range res.Warnings {
		r.Warnings = append(r.Warnings, w.String())
	}
	if res.Padding > 0 {
		r.Warnings = append(r.Warnings, fmt.Sprintf("%s: added %d notes pages to make %d pages, a multiple of 4 for saddle stitching", path, res.Padding, r.Pages))
	}
	return r, nil
}

// File builds the issue at path into the PDF file out, making its folder
// when there is none. The PDF is written to a temporary file and renamed,
// so a failed build leaves no broken file.
func File(path, out string, opt Options) (*Report, error) {
	if dir := filepath.Dir(out); dir != "" {
		if err := os.MkdirAll(dir, 0o777); err != nil {
			return nil, fmt.Errorf("%s: cannot make the output folder (%v) — check the -o path", out, err)
		}
	}
	var rep *Report
	err := atomicfile.Write(out, func(w io.Writer) error {
		var err error
		rep, err = write(w, path, opt, true) // the temporary file goes on error
		return err
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}
