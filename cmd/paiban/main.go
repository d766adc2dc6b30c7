// Command paiban typesets a magazine issue into a print-ready PDF.
//
//	paiban build ISSUE.toml -o OUT.pdf
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"paiban/build"
)

const usage = `usage: paiban build ISSUE.toml -o OUT.pdf

Commands:
  build   lay out the issue described by ISSUE.toml and write its PDF
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
	out := fs.String("o", "", "output PDF `file`")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) != 1 {
		fmt.Fprintf(stderr, "paiban build: want one ISSUE.toml, got %d\n%s", len(pos), usage)
		return 2
	}
	if *out == "" {
		*out = strings.TrimSuffix(pos[0], ".toml") + ".pdf"
		if strings.HasSuffix(pos[0], "issue.toml") {
			*out = "issue.pdf"
		}
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
