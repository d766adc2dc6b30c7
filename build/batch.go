package build

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
)

// Job is one issue of a batch and what became of it.
type Job struct {
	Manifest string // the issue.toml
	Out      string // the PDF written
	Report   *Report
	Err      error
}

// OutputName is the PDF file name for an issue: its folder's name, or the
// manifest's base name when it is not called issue.toml.
func OutputName(manifest string) string {
	base := filepath.Base(manifest)
	if base != "issue.toml" && strings.HasSuffix(base, ".toml") {
		return strings.TrimSuffix(base, ".toml") + ".pdf"
	}
	dir := manifest
	if base == "issue.toml" {
		dir = filepath.Dir(manifest)
	}
	abs, err := filepath.Abs(dir)
	if err != nil || filepath.Dir(abs) == abs {
		return "issue.pdf"
	}
	return filepath.Base(abs) + ".pdf"
}

// Batch builds several issues into the folder dir, jobs at a time (the
// number of cores when jobs < 1). The fonts are loaded once and shared. An
// issue that fails does not stop the others; each Job says how it went.
func Batch(manifests []string, dir string, jobs int, opt Options) []Job {
	if jobs < 1 {
		jobs = runtime.NumCPU()
	}
	out := make([]Job, len(manifests))
	seen := map[string]int{}
	for i, m := range manifests {
		name := OutputName(m)
		if n := seen[name]; n > 0 {
			name = fmt.Sprintf("%s-%d.pdf", strings.TrimSuffix(name, ".pdf"), n+1)
		}
		seen[OutputName(m)]++
		out[i] = Job{Manifest: m, Out: filepath.Join(dir, name)}
	}
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(jobs, len(manifests)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				out[i].Report, out[i].Err = File(out[i].Manifest, out[i].Out, opt)
			}
		}()
	}
	for i := range manifests {
		work <- i
	}
	close(work)
	wg.Wait()
	return out
}
