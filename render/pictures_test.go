package render

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"paiban/display"
)

// TestCoverSmallCropClips checks that a picture a little off its frame's
// shape goes in byte for byte behind a clip, and one far off is cropped.
func TestCoverSmallCropClips(t *testing.T) {
	dir := t.TempDir()
	jpg := filepath.Join(dir, "a.jpg")
	writeJPEG(t, jpg, 600, 400, 1)
	for _, tc := range []struct {
		name       string
		w, h       float64
		passThough bool
	}{
		{"small-crop", 140, 100, true}, // 7% of the picture outside the frame
		{"big-crop", 100, 100, false},  // a third outside
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := &display.Document{Pages: []*display.Page{{Width: 300, Height: 300, Bleed: 8.5, Items: []display.Item{
				&display.Image{X: 20, Y: 20, W: tc.w, H: tc.h, Path: jpg},
			}}}}
			pics, _, err := preparePictures(doc, Options{})
			if err != nil {
				t.Fatal(err)
			}
			pic := pics[keyOf(doc.Pages[0].Items[0].(*display.Image))]
			src, _ := os.ReadFile(jpg)
			if got := bytes.Equal(pic.prep.Data, src); got != tc.passThough {
				t.Errorf("embedded as-is: %v, want %v", got, tc.passThough)
			}
			if pic.clip != tc.passThough {
				t.Errorf("clip %v", pic.clip)
			}
			if tc.passThough && (pic.x > 0 || pic.y > 0 || pic.x+pic.w < tc.w-1e-9 || pic.y+pic.h < tc.h-1e-9) {
				t.Errorf("picture %+v does not cover the %vx%v frame", pic, tc.w, tc.h)
			}
			out := render(t, doc, Options{})
			if tc.passThough && !strings.Contains(string(out), " re W n") {
				t.Errorf("no clipping path in the content stream")
			}
		})
	}
}
