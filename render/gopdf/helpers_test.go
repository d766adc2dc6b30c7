package gopdf

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if sampleRef.dir != "" {
		os.RemoveAll(sampleRef.dir)
	}
	os.Exit(code)
}

// onCI reports whether the tests run on CI (CI set, as CI services do).
func onCI() bool {
	v := os.Getenv("CI")
	return v != "" && v != "0" && !strings.EqualFold(v, "false")
}

// needTool skips the test when a command-line tool is missing, except on
// CI (CI set), where a missing tool is a failure.
func needTool(t testing.TB, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if onCI() {
			t.Fatalf("%s is required on CI (apt-get install poppler-utils): %v", name, err)
		}
		t.Skipf("%s not installed (apt-get install poppler-utils)", name)
	}
}

// grayPage is one rasterised page, 8-bit grey, row by row.
type grayPage struct {
	w, h int
	pix  []byte
}

// rasterise renders every page of a PDF with pdftoppm at dpi in grey.
func rasterise(t testing.TB, pdf []byte, dpi int) []*grayPage {
	t.Helper()
	needTool(t, "pdftoppm")
	pages, err := rasteriseErr(pdf, dpi)
	if err != nil {
		t.Fatal(err)
	}
	return pages
}

func rasteriseErr(pdf []byte, dpi int) ([]*grayPage, error) {
	dir, err := os.MkdirTemp("", "paiban-raster")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		return nil, err
	}
	cmd := exec.Command("pdftoppm", "-r", strconv.Itoa(dpi), "-gray", in, filepath.Join(dir, "p"))
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("pdftoppm: %v\n%s", err, out)
	}
	names, err := filepath.Glob(filepath.Join(dir, "p-*.pgm"))
	if err != nil {
		return nil, err
	}
	// pdftoppm pads page numbers to the same width, so names sort by page.
	sort.Strings(names)
	pages := make([]*grayPage, 0, len(names))
	for _, n := range names {
		p, err := readPGM(n)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		pages = append(pages, p)
	}
	if len(pages) == 0 {
		return nil, errors.New("pdftoppm made no pages")
	}
	return pages, nil
}

// readPGM reads a binary (P5) 8-bit PGM file.
func readPGM(path string) (*grayPage, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	r := bufio.NewReader(bytes.NewReader(data))
	var magic string
	var w, h, maxv int
	if _, err := fmt.Fscan(r, &magic, &w, &h, &maxv); err != nil {
		return nil, err
	}
	if magic != "P5" || maxv != 255 || w <= 0 || h <= 0 {
		return nil, fmt.Errorf("not an 8-bit binary PGM (%s %d×%d max %d)", magic, w, h, maxv)
	}
	if _, err := r.ReadByte(); err != nil { // the single whitespace after the header
		return nil, err
	}
	pix := make([]byte, w*h)
	if _, err := io.ReadFull(r, pix); err != nil {
		return nil, err
	}
	return &grayPage{w: w, h: h, pix: pix}, nil
}

// pageDiff is how two renderings of one page differ.
type pageDiff struct {
	page    int     // 1-based
	share   float64 // share of pixels differing by more than the threshold
	maxDiff int     // largest difference of one pixel, 0..255
	meanAbs float64 // mean absolute difference, in grey levels
	tile    float64 // the largest share in one tile×tile square
	tileAt  [2]int  // where that tile is, in pixels
	sizeErr string  // the pages differ in size
}

func (d pageDiff) String() string {
	if d.sizeErr != "" {
		return fmt.Sprintf("page %d: %s", d.page, d.sizeErr)
	}
	return fmt.Sprintf("page %2d: %.3f%% of pixels differ (worst tile %.1f%% at %d,%d px; max %d, mean %.2f levels)", d.page, 100*d.share, 100*d.tile, d.tileAt[0], d.tileAt[1], d.maxDiff, d.meanAbs)
}

// tileSize is the side of the squares (px) in which compare also counts
// differing pixels, so that a local error on a nearly empty page shows.
const tileSize = 24

// compare compares two renderings page by page. threshold is the grey-level
// difference (0..255) above which a pixel counts as different.
func compare(a, b []*grayPage, threshold int) ([]pageDiff, error) {
	if len(a) != len(b) {
		return nil, fmt.Errorf("%d pages against %d", len(a), len(b))
	}
	diffs := make([]pageDiff, len(a))
	for i := range a {
		d := pageDiff{page: i + 1}
		pa, pb := a[i], b[i]
		if pa.w != pb.w || pa.h != pb.h {
			d.sizeErr = fmt.Sprintf("%d×%d px against %d×%d px", pa.w, pa.h, pb.w, pb.h)
			d.share = 1
			diffs[i] = d
			continue
		}
		n, sum := 0, 0
		tw, th := (pa.w+tileSize-1)/tileSize, (pa.h+tileSize-1)/tileSize
		tiles := make([]int, tw*th)
		for k := range pa.pix {
			v := int(pa.pix[k]) - int(pb.pix[k])
			if v < 0 {
				v = -v
			}
			sum += v
			if v > d.maxDiff {
				d.maxDiff = v
			}
			if v > threshold {
				n++
				tiles[(k/pa.w)/tileSize*tw+(k%pa.w)/tileSize]++
			}
		}
		d.share = float64(n) / float64(len(pa.pix))
		for k, c := range tiles {
			if s := float64(c) / float64(tileSize*tileSize); s > d.tile {
				d.tile, d.tileAt = s, [2]int{k % tw * tileSize, k / tw * tileSize}
			}
		}
		d.meanAbs = float64(sum) / float64(len(pa.pix))
		diffs[i] = d
	}
	return diffs, nil
}

func summary(ds []pageDiff) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(d.String())
		b.WriteByte('\n')
	}
	return b.String()
}
