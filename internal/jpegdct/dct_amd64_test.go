//go:build !purego

package jpegdct

import (
	"os"
	"strings"
	"testing"
)

func init() {
	// Whenever the processor can run it, even when GODEBUG keeps
	// FDCT4Fixed from using it.
	if detectAVX2() {
		fdct4Variants = append(fdct4Variants, fdct4Variant{"AVX2", fdct4FixedAVX2})
	}
}

// TestDetectAVX2 checks detectAVX2 against the flags that Linux lists in
// /proc/cpuinfo, which include avx2 only if the processor has it and the
// kernel saves the YMM registers.
func TestDetectAVX2(t *testing.T) {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		t.Skip(err)
	}
	for line := range strings.Lines(string(data)) {
		name, flags, ok := strings.Cut(line, ":")
		if !ok || strings.TrimSpace(name) != "flags" {
			continue
		}
		want := false
		for _, f := range strings.Fields(flags) {
			want = want || f == "avx2"
		}
		if got := detectAVX2(); got != want {
			t.Errorf("detectAVX2() = %v, but /proc/cpuinfo lists avx2: %v", got, want)
		}
		t.Logf("AVX2: %v; FDCT4Fixed uses it: %v", want, useAVX2)
		return
	}
	t.Skip("no flags in /proc/cpuinfo")
}

func TestGodebugOff(t *testing.T) {
	for _, tt := range []struct {
		godebug string
		want    bool
	}{
		{"", false},
		{"cpu.avx2=off", true},
		{"cpu.all=off", true},
		{"cpu.avx2=on", false},
		{"cpu.avx=off", false},
		{"cpu.avx2=off,cpu.avx2=on", false},
		{"cpu.all=off,cpu.avx2=on", false},
		{"cpu.avx2=on,cpu.all=off", true},
		{"cpu.avx2=off,cpu.avx2=bogus", true},
		{"gctrace=1,cpu.avx2=off,madvdontneed=1", true},
		{"xcpu.avx2=off", false},
	} {
		if got := godebugOff(tt.godebug, "avx2"); got != tt.want {
			t.Errorf("godebugOff(%q, avx2) = %v, want %v", tt.godebug, got, tt.want)
		}
	}
}
