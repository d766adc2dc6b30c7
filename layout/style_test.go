package layout

import (
	"slices"
	"sort"
	"testing"

	"paiban/fonts"
	"paiban/manifest"
)

// TestStyleElementsAgree: the [style] elements the manifest accepts are
// exactly the ones the layout has, so none is accepted and then ignored.
func TestStyleElementsAgree(t *testing.T) {
	set, err := fonts.NewDefaultSet()
	if err != nil {
		t.Fatal(err)
	}
	st := defaultStyle(&faceSet{set: set})
	var have []string
	for name := range st.elems() {
		have = append(have, name)
	}
	sort.Strings(have)
	want := slices.Clone(manifest.StyleElements)
	sort.Strings(want)
	if !slices.Equal(have, want) {
		t.Errorf("layout elements %v\nmanifest accepts %v", have, want)
	}
}
