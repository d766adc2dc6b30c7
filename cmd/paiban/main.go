// Command paiban typesets a magazine issue into a print-ready PDF.
//
//	paiban build ISSUE.toml -o OUT.pdf
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"time"

	"paiban/build"
)

const usage = `usage: paiban build ISSUE.toml [-o OUT.pdf]
       paiban build ISSUE.toml ISSUE.toml … [-o DIR] [-j N]

Commands:
  build   lay out the issues described by the manifests and write their PDFs;
          several issues are built in parallel (-j, default the number of
          cores) into the folder -o, each named after its folder
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
	}
	fmt.Fprintf(stderr, "paiban: unknown command %q (known: build)\n%s", args[0], usage)
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
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) == 0 {
		fmt.Fprintf(stderr, "paiban build: name an ISSUE.toml\n%s", usage)
		return 2
	}
	if len(pos) > 1 {
		return runBatch(pos, *out, *jobs, stdout, stderr)
	}
	if *out == "" {
		*out = build.OutputName(pos[0])
	}
	rep, err := build.File(pos[0], *out)
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
func runBatch(manifests []string, dir string, jobs int, stdout, stderr io.Writer) int {
	if dir == "" {
		dir = "."
	}
	t0 := time.Now()
	results := build.Batch(manifests, dir, jobs)
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
