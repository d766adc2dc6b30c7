package manifest

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// PointsPerMM is the number of PostScript points in a millimetre.
const PointsPerMM = 72 / 25.4

// units maps a length unit to points.
var units = map[string]float64{
	"mm": PointsPerMM,
	"cm": 10 * PointsPerMM,
	"in": 72,
	"pt": 1,
}

const unitList = "mm, cm, in, pt"

// ParseLength reads a length such as "3mm", "0.5 in" or "10pt" and returns
// it in points. A length needs a unit, except a plain "0".
func ParseLength(s string) (float64, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, fmt.Errorf("empty length")
	}
	i := 0
	for i < len(t) && (t[i] >= '0' && t[i] <= '9' || t[i] == '.' || t[i] == '-' || t[i] == '+') {
		i++
	}
	num, unit := t[:i], strings.ToLower(strings.TrimSpace(t[i:]))
	v, err := strconv.ParseFloat(num, 64)
	if num == "" || err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, fmt.Errorf("%q is not a length", s)
	}
	if v < 0 {
		return 0, fmt.Errorf("length %q is negative", s)
	}
	if unit == "" {
		if v == 0 {
			return 0, nil
		}
		return 0, fmt.Errorf("length %q has no unit", s)
	}
	f, ok := units[unit]
	if !ok {
		return 0, fmt.Errorf("unknown unit %q in %q", unit, s)
	}
	return v * f, nil
}

// PageSizes are the named trim sizes [page] size accepts, in points
// (width, height). Names match without regard to case.
var PageSizes = map[string][2]float64{
	"A4":     {210 * PointsPerMM, 297 * PointsPerMM},
	"A5":     {148 * PointsPerMM, 210 * PointsPerMM},
	"B5":     {176 * PointsPerMM, 250 * PointsPerMM}, // ISO B5
	"16K":    {185 * PointsPerMM, 260 * PointsPerMM}, // 大16开
	"LETTER": {8.5 * 72, 11 * 72},
}

const pageSizeList = `A4, A5, B5, 16K, Letter, or "W x H" like "210mm x 285mm"`

// maxPageSide is the largest page side a PDF can describe (200 in).
const maxPageSide = 14400.0

// ParsePageSize reads a named size ("A4") or "W x H" with units
// ("210mm x 285mm", "210×285mm", "8.5in x 11in") and returns width and
// height in points. When only the height has a unit, the width takes it.
func ParsePageSize(s string) (w, h float64, err error) {
	t := strings.TrimSpace(s)
	if sz, ok := PageSizes[strings.ToUpper(t)]; ok {
		return sz[0], sz[1], nil
	}
	sep := strings.IndexAny(t, "xX×*")
	if sep < 0 {
		return 0, 0, fmt.Errorf("unknown page size %q", s)
	}
	_, n := firstRune(t[sep:])
	ws, hs := strings.TrimSpace(t[:sep]), strings.TrimSpace(t[sep+n:])
	if ws != "" && hs != "" && isNumber(ws) && !isNumber(hs) {
		// "210 x 285mm": the width shares the height's unit
		j := 0
		for j < len(hs) && (hs[j] >= '0' && hs[j] <= '9' || hs[j] == '.') {
			j++
		}
		ws += hs[j:]
	}
	if w, err = ParseLength(ws); err != nil {
		return 0, 0, fmt.Errorf("page width: %w", err)
	}
	if h, err = ParseLength(hs); err != nil {
		return 0, 0, fmt.Errorf("page height: %w", err)
	}
	if w <= 0 || h <= 0 {
		return 0, 0, fmt.Errorf("page size %q is empty", s)
	}
	if w > maxPageSide || h > maxPageSide {
		return 0, 0, fmt.Errorf("page size %q is larger than a PDF page can be (5080mm)", s)
	}
	return w, h, nil
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

func firstRune(s string) (rune, int) {
	for _, r := range s {
		return r, len(string(r))
	}
	return 0, 0
}
