// Command paiban typesets a magazine issue into a print-ready PDF.
//
//	paiban build ISSUE.toml -o OUT.pdf
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"paiban/build"
	"paiban/layout/text"
)

const usage = `usage: paiban build ISSUE.toml [-o OUT.pdf] [--marks] [--force] [--cache DIR|off] [--breaker total-fit|greedy] [--hanging]
       paiban build ISSUE.toml [-o OUT.pdf] --preview [--watermark TEXT] [--writer fpdf|gopdf]
       paiban build ISSUE.toml ISSUE.toml … [-o DIR] [-j N]
       paiban check ISSUE.toml [--json] [--strict]
       paiban init DIR

Commands:
  build   lay out the issues described by the manifests and write their PDFs:
          print-ready by default (refused when preflight finds errors, unless
          --force), or a small RGB preview with --preview; several issues are
          built in parallel (-j, default the number of cores) into the
          folder -o, each named after its folder
  check   lay out the issue and report what a printer would reject, as text
          or JSON; exit 1 on errors (and on warnings with --strict)
  init    write a new issue folder (issue.toml, an article) to start from
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, usage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	switch args[0] {
	case "build":
		return runBuild(args[1:], stdout, stderr)
	case "check":
		return runCheck(args[1:], stdout, stderr)
	case "init":
		if len(args) != 2 {
			fmt.Fprintf(stderr, "paiban init: name the folder for the new issue\n%s", usage)
			return 2
		}
		if err := build.Init(args[1]); err != nil {
			fmt.Fprintf(stderr, "paiban: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "%s: a new issue; build it with paiban build %s\n", args[1], filepath.Join(args[1], "issue.toml"))
		return 0
	}
	fmt.Fprintf(stderr, "paiban: unknown command %q (known: build, check, init)\n%s", args[0], usage)
	return 2
}

// parseInterleaved parses flags that may stand before or after the
// positional arguments (paiban build issue.toml -o out.pdf).
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func runBuild(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "output PDF `file`, or the output folder when building several issues")
	jobs := fs.Int("j", runtime.NumCPU(), "issues built at once")
	var opt build.Options
	fs.BoolVar(&opt.Preview, "preview", false, "write the small RGB preview instead of the print PDF")
	fs.BoolVar(&opt.Force, "force", false, "write the print PDF even when preflight finds errors")
	fs.StringVar(&opt.Writer, "writer", "fpdf", "PDF `writer`: fpdf, or gopdf (previews only)")
	fs.BoolVar(&opt.Marks, "marks", false, "add crop and bleed marks (print)")
	breaker := fs.String("breaker", "total-fit", "line `breaking`: total-fit (Knuth–Plass) or greedy")
	fs.BoolVar(&opt.Layout.Hanging, "hanging", false, "let one of 、，。 hang past the line end")
	fs.StringVar(&opt.Watermark, "watermark", "", "`text` across every page of a preview, e.g. 校样")
	fs.StringVar(&opt.CacheDir, "cache", "", "`folder` for photos converted to CMYK (default: the user cache folder; off: none)")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) == 0 {
		fmt.Fprintf(stderr, "paiban build: name an ISSUE.toml\n%s", usage)
		return 2
	}
	switch *breaker {
	case "total-fit":
		opt.Layout.Breaker = text.TotalFit
	case "greedy":
		opt.Layout.Breaker = text.Greedy
	default:
		fmt.Fprintf(stderr, "paiban build: unknown line breaking %q (known: total-fit, greedy)\n", *breaker)
		return 2
	}
	if len(pos) > 1 {
		return runBatch(pos, *out, *jobs, opt, stdout, stderr)
	}
	if *out == "" {
		*out = build.OutputName(pos[0])
	}
	rep, err := build.File(pos[0], *out, opt)
	if err != nil {
		fmt.Fprintf(stderr, "paiban: %v\n", err)
		return 1
	}
	for _, w := range rep.Warnings {
		fmt.Fprintf(stderr, "warning: %s\n", w)
	}
	fmt.Fprintf(stdout, "%s: %d pages in %s, %d warnings\n", *out, rep.Pages, rep.Elapsed.Round(time.Millisecond), len(rep.Warnings))
	return 0
}

// runBatch builds several issues in parallel into the folder dir.
func runBatch(manifests []string, dir string, jobs int, opt build.Options, stdout, stderr io.Writer) int {
	if dir == "" {
		dir = "."
	}
	t0 := time.Now()
	results := build.Batch(manifests, dir, jobs, opt)
	failed, pages := 0, 0
	for _, r := range results {
		if r.Err != nil {
			failed++
			fmt.Fprintf(stderr, "paiban: %v\n", r.Err)
			continue
		}
		for _, w := range r.Report.Warnings {
			fmt.Fprintf(stderr, "warning: %s\n", w)
		}
		pages += r.Report.Pages
		fmt.Fprintf(stdout, "%s: %d pages in %s, %d warnings\n", r.Out, r.Report.Pages, r.Report.Elapsed.Round(time.Millisecond), len(r.Report.Warnings))
	}
	fmt.Fprintf(stdout, "%d issues built, %d failed, %d pages in %s\n", len(results)-failed, failed, pages, time.Since(t0).Round(time.Millisecond))
	if failed > 0 {
		return 1
	}
	return 0
}

// runCheck lays an issue out and prints the preflight report.
func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the report as JSON")
	strict := fs.Bool("strict", false, "fail on warnings too")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) != 1 {
		fmt.Fprintf(stderr, "paiban check: name one ISSUE.toml\n%s", usage)
		return 2
	}
	rep, err := build.Check(pos[0])
	if err != nil {
		fmt.Fprintf(stderr, "paiban: %v\n", err)
		return 1
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintf(stderr, "paiban: %v\n", err)
			return 1
		}
	} else {
		for _, f := range rep.Findings {
			fmt.Fprintln(stdout, f)
		}
		fmt.Fprintf(stdout, "%s: %d pages, %d errors, %d warnings\n", pos[0], rep.Pages, rep.Errors, rep.Warnings)
	}
	if rep.Errors > 0 || *strict && rep.Warnings > 0 {
		return 1
	}
	return 0
}
