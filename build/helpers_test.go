package build

import (
	"testing"

	"paiban/fonts"
)

func mustFonts(t testing.TB) *fonts.Set {
	t.Helper()
	s, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	return s
}
