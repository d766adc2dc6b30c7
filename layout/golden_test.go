package layout

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"paiban/display"
	"paiban/fonts"
	"paiban/manifest"
)

var update = flag.Bool("update", false, "rewrite the golden display lists")

// TestGolden lays out each test issue and compares its display list, as
// display.Dump writes it, with testdata/NAME.golden. Run
// `go test ./layout -update` to accept a change, then read the diff.
func TestGolden(t *testing.T) {
	for _, tc := range []struct{ name, manifest string }{
		{"rules", "testdata/golden/issue.toml"},
		{"zhenjing-2023-05", "../samples/zhenjing-2023-05/issue.toml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			iss, err := manifest.Parse(tc.manifest)
			if err != nil {
				t.Fatal(err)
			}
			set, err := fonts.Default()
			if err != nil {
				t.Fatal(err)
			}
			res, err := Typeset(iss, set)
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := display.Dump(&got, res.Doc); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", tc.name+".golden")
			if *update {
				if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./layout -update to create it)", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("display list differs from %s:\n%s\nrun go test ./layout -update if the change is intended", golden, firstDiff(string(want), got.String()))
			}
		})
	}
}

// firstDiff reports the first differing line as file:line.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return "golden:" + itoa(i+1) + ":\n- " + a + "\n+ " + b
		}
	}
	return ""
}

func itoa(i int) string {
	var b [20]byte
	n := len(b)
	for {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
		if i == 0 {
			return string(b[n:])
		}
	}
}
