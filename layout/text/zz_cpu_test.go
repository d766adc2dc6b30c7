package text

import (
	"syscall"
	"testing"
	"time"
	"paiban/fonts"
)

func cpuNow() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func TestZZCPU(t *testing.T) {
	face := serif(t)
	rs := []rune(benchText)[:30000]
	var paras []string
	for i := 0; i < len(rs); i += 150 {
		paras = append(paras, string(rs[i:min(i+150, len(rs))]))
	}
	var pars []*paragraph
	for _, s := range paras {
		par, _ := prepare([]Span{{Text: s, Faces: []*fonts.Face{face}, Size: 10}})
		pars = append(pars, par)
	}
	p := Params{Measure: 230, Indent: 20}
	best := map[string]time.Duration{}
	run := func(name string, f func()) {
		c0 := cpuNow()
		for range 20 {
			f()
		}
		d := (cpuNow() - c0) / 20
		if best[name] == 0 || d < best[name] {
			best[name] = d
		}
	}
	for range 15 {
		for _, br := range []Breaker{Greedy, TotalFit} {
			run("set-"+br.String(), func() {
				for _, s := range paras {
					Set([]Span{{Text: s, Faces: []*fonts.Face{face}, Size: 10}}, Params{Measure: 230, Indent: 20, Breaker: br})
				}
			})
		}
		run("break-greedy", func() { for _, par := range pars { par.breakGreedy(p) } })
		run("break-totalfit", func() { for _, par := range pars { par.breakTotalFit(p) } })
	}
	for k, v := range best {
		t.Logf("%-16s %v", k, v)
	}
}
