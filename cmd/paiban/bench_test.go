//go:build linux

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// TestMain lets the test binary stand in for paiban in a child process
// (BenchmarkFirstBuild): with PAIBAN_TEST_CHILD=1 it runs the command
// line it was given instead of the tests.
func TestMain(m *testing.M) {
	if os.Getenv("PAIBAN_TEST_CHILD") == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// BenchmarkFirstBuild is the speed target as a user meets it: a whole
// `paiban build` of the reference issue in a new process with an empty
// picture cache (every photo decoded, fitted, separated to CMYK and
// encoded), print and preview. It reports the child's peak memory as
// maxRSS-MB. (BenchmarkBuildSample in package build measures builds
// inside one process, where fonts and the colour table stay loaded.)
func BenchmarkFirstBuild(b *testing.B) {
	sample, err := filepath.Abs("../../samples/zhenjing-2023-05/issue.toml")
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		extra []string
	}{{"print", nil}, {"preview", []string{"--preview"}}} {
		b.Run(tc.name, func(b *testing.B) {
			dir := b.TempDir()
			out := filepath.Join(dir, "out.pdf")
			var maxRSS int64
			for b.Loop() {
				cache := filepath.Join(dir, "cache")
				if err := os.RemoveAll(cache); err != nil {
					b.Fatal(err)
				}
				cmd := exec.Command(os.Args[0], append([]string{"build", sample, "-o", out, "--cache", cache}, tc.extra...)...)
				cmd.Env = append(os.Environ(), "PAIBAN_TEST_CHILD=1")
				if msg, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("%v: %s", err, msg)
				}
				if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
					maxRSS = max(maxRSS, int64(ru.Maxrss)) // KB on Linux
				}
			}
			if maxRSS > 0 {
				b.ReportMetric(float64(maxRSS)/1024, "maxRSS-MB")
			}
		})
	}
}
