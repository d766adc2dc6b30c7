package fonts

import (
	"sync"
	"testing"
)

func TestDefaultFaces(t *testing.T) {
	s, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{SerifRegular, SerifBold, SansRegular, SansBold} {
		f := s.Face(name)
		if f == nil {
			t.Fatalf("no face %s", name)
		}
		for _, r := range "永，。“”《》A1" {
			if !f.Has(r) {
				t.Errorf("%s lacks %q", name, r)
			}
		}
		if a, _ := f.Advance('永'); a != 1 {
			t.Errorf("%s: advance of 永 %.3f em, want 1", name, a)
		}
		if f.Ascent <= 0.5 || f.Descent <= 0 {
			t.Errorf("%s: ascent %.3f descent %.3f", name, f.Ascent, f.Descent)
		}
	}
}

func TestCoverage(t *testing.T) {
	s, _ := Default()
	f := s.Face(SerifRegular)
	// Noto Serif SC covers some Extension B characters of the 通用规范汉字表
	// but not 𠮷 (U+20BB7), which needs a fallback font.
	if f.Has(0x20BB7) {
		t.Errorf("the bundled serif unexpectedly covers U+20BB7")
	}
	if !f.Has(0x2C35A) && !f.Has(0x2B5AF) && !f.Has(0x2CB5B) {
		t.Logf("none of the sampled Extension characters covered")
	}
	if f.Has(0xE000) {
		t.Errorf("a private-use code point is covered")
	}
	if s.Face("nope") != nil {
		t.Errorf("unknown face found")
	}
}

func TestAdvanceConcurrent(t *testing.T) {
	s, _ := Default()
	f := s.Face(SansRegular)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := rune(0x4E00); r < 0x4E00+2000; r++ {
				if a, ok := f.Advance(r); !ok || a != 1 {
					t.Errorf("U+%04X: %v %v", r, a, ok)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestParseRejectsGarbage(t *testing.T) {
	if _, err := Parse("x", []byte("not a font")); err == nil {
		t.Error("garbage parsed as a font")
	}
	if _, err := Load("x", "/nonexistent.ttf"); err == nil {
		t.Error("missing file loaded")
	}
}
