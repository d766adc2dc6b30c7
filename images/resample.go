package images

import (
	"fmt"
	"image"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

// Print downsampling of JPEG photos. imaging.Resize with imaging.Lanczos
// converts a decoded JPEG to NRGBA pixel by pixel and then filters four
// float channels; resampleYCbCr applies the same filter to the Y, Cb and
// Cr planes as the decoder made them, in integers, several times faster.
//
// The filter is imaging.Lanczos's: the Lanczos kernel with a = 3,
// stretched by the reduction ratio (so that it also removes what the
// smaller picture cannot hold); each output sample's weights normalised
// to add up to 1; near an edge the window cut at the picture's edge and
// the remaining weights normalised again (imaging's way, rather than
// repeating the edge sample).
//
// Each source plane is resampled at its own resolution, and the result is
// 4:4:4: its Cb and Cr planes are the source's resampled to the output's
// full size. A result with the source's subsampling would reduce a 4:2:0
// photo's chroma planes by the same ratio as its luma, to half the
// output's resolution, where imaging's NRGBA kept colour at full
// resolution: against imaging.Resize, the sample photos' mean difference
// then rose from 0.1–0.4 levels to up to 1.6 (at 0.3 to 0.6 of their
// size), and print converts this picture to CMYK, which would lose that
// colour detail. For a 4:2:0 photo full-size chroma planes make the
// resampling a fifth to a third slower (at 0.46 and 0.6 of its size),
// still several times faster than imaging; image/jpeg writes Data 4:2:0
// from the picture as it did from the NRGBA.
//
// Every output sample's centre is mapped into each plane's own sample
// grid (chroma sample m of a plane subsampled by s covers luma samples
// m·s … m·s+s−1, the JFIF siting image.YCbCr also assumes), so a crop at
// an odd offset keeps chroma and luma in register.
//
// Arithmetic: 14-bit weights, rounded so that each output's add up to
// exactly 1 (a flat area stays exactly flat). The first pass keeps 6
// fractional bits, the second rounds to nearest and clamps to 0…255.
// Lanczos overshoots at sharp edges; the intermediate keeps the overshoot
// (imaging clamps it to 0…255 between its passes), so the result is the
// separable filter's, rounded once.
//
// Speed comes from doing two multiply-adds with each 64-bit multiply (see
// split) and from the order of the passes (see band).

// Fixed-point precision.
const (
	lzBits  = 14              // of the weights: 1.0 is 1<<lzBits
	lzFrac  = 6               // fractional bits of the intermediate samples
	lzShift = lzBits - lzFrac // dropped after the first (vertical) pass
	lzOut   = lzBits + lzFrac // dropped after the second (horizontal) pass
)

// lanczos is imaging.Lanczos's kernel: sinc(x)·sinc(x/3) for |x| < 3,
// that is 3·sin(πx)·sin(πx/3)/(πx)², with sin(πx) = s·(3 − 4s²) for
// s = sin(πx/3): one sine instead of two (the weights of a picture cost
// some twenty thousand).
func lanczos(x float64) float64 {
	x = math.Abs(x)
	if x >= 3 {
		return 0
	}
	if x == 0 {
		return 1
	}
	s := math.Sin(math.Pi * x / 3)
	return 3 * s * s * (3 - 4*s*s) / (math.Pi * math.Pi * x * x)
}

// A window is one output sample's weights, in fixed point: w[k] applies to
// source sample begin+k.
type window struct {
	begin int
	w     []int16
}

// axisWindows computes the windows of the n output samples on one axis of
// one plane, and the number of source samples the plane has there.
//
// The picture's source extent on this axis is luma samples lo … hi−1
// (absolute coordinates, lo ≥ 0); flip maps output 0 to the far end. The
// plane has one sample per ss source luma samples (1 for luma, 2 or 4 for
// subsampled chroma); its sample 0 is the one covering luma sample lo.
func axisWindows(lo, hi, n int, flip bool, ss int) (wins []window, size int) {
	first := lo / ss
	size = (hi+ss-1)/ss - first
	step := float64(hi-lo) / float64(n)
	// centre is where output sample k's centre falls in the source plane,
	// in samples (sample j's centre is at j). For luma this is imaging's
	// (k+0.5)·step − 0.5.
	centre := func(k int) float64 {
		x := float64(lo) + (float64(k)+0.5)*step // in source luma samples
		if flip {
			x = float64(hi) - (float64(k)+0.5)*step
		}
		return x/float64(ss) - 0.5 - float64(first)
	}
	// One output sample spans this many source samples of the plane; the
	// kernel is stretched by as much when it is more than 1.
	scale := max(step/float64(ss), 1)
	support := 3 * scale

	wins = make([]window, n)
	var fw []float64
	var all []int16 // backing for the windows' weights, allocated in a few chunks
	for k := range wins {
		c := centre(k)
		begin := max(int(math.Ceil(c-support)), 0)
		end := min(int(math.Floor(c+support)), size-1)
		fw = fw[:0]
		sum := 0.0
		for j := begin; j <= end; j++ {
			v := lanczos((float64(j) - c) / scale)
			fw = append(fw, v)
			sum += v
		}
		if cap(all)-len(all) < len(fw) {
			all = make([]int16, 0, max(len(fw)*(n-k), 1024))
		}
		q := quantise(all[len(all):len(all)+len(fw)], fw, sum)
		all = all[:len(all)+len(fw)]
		// The kernel's tails round to nothing at 14 bits: fewer taps.
		for len(q) > 1 && q[0] == 0 {
			q, begin = q[1:], begin+1
		}
		for len(q) > 1 && q[len(q)-1] == 0 {
			q = q[:len(q)-1]
		}
		wins[k] = window{begin, q}
	}
	return wins, size
}

// quantise turns float weights (adding up to sum) into lzBits fixed point
// adding up to exactly 1<<lzBits, in q (as long as fw), and returns q:
// weight k is the difference of the rounded cumulative sums up to k and
// up to k−1, so each is within one unit of its exact value and the
// rounding errors do not pile up. Mirror image weights give mirror image
// results (but for exact ties).
func quantise(q []int16, fw []float64, sum float64) []int16 {
	var cum float64
	var prev, abs int64
	for k, v := range fw {
		cum += v
		r := int64(math.Round(cum / sum * (1 << lzBits)))
		if k == len(fw)-1 {
			r = 1 << lzBits // exactly, whatever the float sum's last bit
		}
		d := r - prev
		q[k] = int16(d)
		abs += max(d, -d)
		prev = r
	}
	// The passes' sums stay within their lanes (see split) and the
	// intermediate samples within int16 as long as the weights' absolute
	// values add up to less than 2. A Lanczos-3 window always holds the
	// kernel's main lobe (an output's centre is never more than half a
	// sample outside the plane), which keeps them under 1.6.
	if abs >= 2<<lzBits {
		panic(fmt.Sprintf("images: Lanczos weights %v add up to %d/%d in absolute value", q, abs, 1<<lzBits))
	}
	return q
}

// taps are the weights of one pass, ready for it: entry i (an output
// sample, or a pair of them) takes the source samples from start[i] on,
// with the weights w[off[i]:off[i+1]].
type taps struct {
	start, off []int32
	w          []int64
}

// singleTaps lays out windows one output per entry.
func singleTaps(wins []window) taps {
	t := taps{start: make([]int32, len(wins)), off: make([]int32, len(wins)+1)}
	for i, win := range wins {
		t.start[i] = int32(win.begin)
		for _, v := range win.w {
			t.w = append(t.w, int64(v))
		}
		t.off[i+1] = int32(len(t.w))
	}
	return t
}

// pairTaps lays out windows two outputs per entry, 2i and 2i+1, over the
// union of their windows, with packed weights w₀ + w₁·2³² (see split; the
// last entry of an odd count has w₁ = 0).
func pairTaps(wins []window) taps {
	n := (len(wins) + 1) / 2
	t := taps{start: make([]int32, n), off: make([]int32, n+1)}
	for i := range n {
		a := wins[2*i]
		b := window{begin: a.begin}
		if 2*i+1 < len(wins) {
			b = wins[2*i+1]
		}
		lo := min(a.begin, b.begin)
		hi := max(a.begin+len(a.w), b.begin+len(b.w))
		t.w = append(t.w, make([]int64, hi-lo)...)
		w := t.w[len(t.w)-(hi-lo):]
		for k, v := range a.w {
			w[a.begin-lo+k] += int64(v)
		}
		for k, v := range b.w {
			w[b.begin-lo+k] += int64(v) << 32
		}
		t.start[i] = int32(lo)
		t.off[i+1] = int32(len(t.w))
	}
	return t
}

// split separates a sum of products by packed weights, or a packed pair
// of samples, into its two halves.
//
// A sample s times the packed weights w₀ + w₁·2³² is s·w₀ + s·w₁·2³², and
// a sum of such products is S₀ + S₁·2³², S₀ and S₁ the sums each weight
// would give alone; so is a weight w times a packed pair of samples
// s₀ + s₁·2³². As long as S₀ and S₁ lie in −2³¹ … 2³¹−1, S₀ is the low 32
// bits read as signed and S₁ the rest. Samples are 8 bits (or 15 with
// their fractional bits) and weights 14 (at most 2 in all, see quantise),
// so the sums fit: one 64-bit multiply does the work of two.
func split(v int64) (s0, s1 int64) {
	s0 = int64(int32(v))
	return s0, (v - s0) >> 32
}

// resampleYCbCr downsamples src to a 4:4:4 picture of w × h pixels as
// displayed after turning it upright by EXIF orientation o (w × h is the
// turned size; neither side larger than src's), at the origin.
//
// Flips cost nothing: output samples are mapped into the source from the
// far end. Quarter turns are made by resampling to the unturned size and
// transposing the (small) planes.
func resampleYCbCr(src *image.YCbCr, w, h, o int) *image.YCbCr {
	transpose := o >= 5
	flipX := o == 2 || o == 3 || o == 7 || o == 8 // in the stored picture's frame
	flipY := o == 3 || o == 4 || o == 6 || o == 7
	if transpose {
		w, h = h, w
	}
	dst := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio444)
	b := src.Bounds()
	luma := newPlane(b, w, h, flipX, flipY, 1, 1)
	chroma := luma
	if sx, sy := subsampling(src.SubsampleRatio); sx != 1 || sy != 1 {
		chroma = newPlane(b, w, h, flipX, flipY, sx, sy)
	}
	yo, co := src.YOffset(b.Min.X, b.Min.Y), src.COffset(b.Min.X, b.Min.Y)
	resamplePlanes([]plane{
		luma.with(src.Y[yo:], src.YStride, dst.Y, dst.YStride),
		chroma.with(src.Cb[co:], src.CStride, dst.Cb, dst.CStride),
		chroma.with(src.Cr[co:], src.CStride, dst.Cr, dst.CStride),
	})
	if transpose {
		return transposeYCbCr(dst)
	}
	return dst
}

// subsampling is how many luma samples one chroma sample spans across and
// down.
func subsampling(r image.YCbCrSubsampleRatio) (sx, sy int) {
	switch r {
	case image.YCbCrSubsampleRatio422:
		return 2, 1
	case image.YCbCrSubsampleRatio420:
		return 2, 2
	case image.YCbCrSubsampleRatio440:
		return 1, 2
	case image.YCbCrSubsampleRatio411:
		return 4, 1
	case image.YCbCrSubsampleRatio410:
		return 4, 2
	}
	return 1, 1
}

// plane is one plane to resample: the source from its sample 0 (see
// axisWindows), rows stride apart, w samples of each used, into the
// dw × dh samples of dst, rows dstStride apart.
type plane struct {
	src          []byte
	stride       int
	w            int
	dst          []byte
	dstStride    int
	dw, dh       int
	xTaps, yTaps taps // one output column an entry; two output rows an entry
}

// newPlane works out the geometry and weights of a plane subsampled by
// sx across and sy down, for the source rectangle b resampled to w × h
// (see axisWindows).
func newPlane(b image.Rectangle, w, h int, flipX, flipY bool, sx, sy int) plane {
	// The axes at once: each costs a few hundred microseconds (a sine a
	// weight), which no pass can start without.
	var yTaps taps
	done := make(chan struct{})
	go func() {
		yw, _ := axisWindows(b.Min.Y, b.Max.Y, h, flipY, sy)
		yTaps = pairTaps(yw)
		close(done)
	}()
	xw, sw := axisWindows(b.Min.X, b.Max.X, w, flipX, sx)
	<-done
	return plane{w: sw, dw: w, dh: h, xTaps: singleTaps(xw), yTaps: yTaps}
}

// with is p reading src and writing dst.
func (p plane) with(src []byte, stride int, dst []byte, dstStride int) plane {
	p.src, p.stride, p.dst, p.dstStride = src, stride, dst, dstStride
	return p
}

// blockPairs is how many pairs of output rows the vertical pass computes
// before the horizontal pass takes them (see band).
const blockPairs = 4

// minBand is the fewest output rows worth a band of their own.
const minBand = 32

// resamplePlanes resamples the planes. Their output rows are cut into
// bands, up to GOMAXPROCS a plane, which GOMAXPROCS goroutines share out
// (as imaging shares out rows). Each output row is computed from the
// source alone, the same way in whatever band, so the result does not
// depend on GOMAXPROCS.
func resamplePlanes(planes []plane) {
	procs := runtime.GOMAXPROCS(0)
	type band struct {
		p      *plane
		y0, y1 int
	}
	var bands []band
	for i := range planes {
		p := &planes[i]
		blocks := (p.dh + 2*blockPairs - 1) / (2 * blockPairs)
		n := max(min(procs, p.dh/minBand), 1)
		for k := range n { // whole blocks each
			y0, y1 := blocks*k/n*2*blockPairs, blocks*(k+1)/n*2*blockPairs
			bands = append(bands, band{p, y0, min(y1, p.dh)})
		}
	}
	var next atomic.Int32
	var wg sync.WaitGroup
	for range min(procs, len(bands)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(bands) {
					return
				}
				bands[i].p.band(bands[i].y0, bands[i].y1)
			}
		})
	}
	wg.Wait()
}

// band computes output rows y0 … y1−1 of p, blockPairs pairs of them at a
// time: the vertical pass filters the source rows each pair needs into a
// row of intermediate samples as wide as the source, the pair packed in
// each (s₀ + s₁·2³², see split), and the horizontal pass filters the
// block of those rows into the output rows.
//
// Vertical first, because the pass over the more samples had better be
// the faster: the vertical pass runs along whole rows with the same few
// weights, which stay in registers, while the horizontal one loads a
// weight for every source sample it multiplies. In the block each source
// column's blockPairs intermediate samples lie together, so that the
// horizontal pass multiplies all of them by a weight it loads once.
func (p *plane) band(y0, y1 int) {
	acc := make([]int64, p.w)
	blk := make([][blockPairs]int64, p.w)
	sums := make([][blockPairs]int64, p.dw)
	yt := &p.yTaps
	for y := y0; y < y1; y += 2 * blockPairs {
		for r := range blockPairs {
			i := y/2 + r // the pair of rows 2i, 2i+1
			if 2*i >= y1 {
				break // the block's other columns keep old rows, not written out
			}
			w := yt.w[yt.off[i]:yt.off[i+1]]
			vertical(blk, r, p.src[int(yt.start[i])*p.stride:], p.stride, w, acc)
		}
		horizontal(sums, blk, &p.xTaps)
		for r := range blockPairs {
			if y+2*r >= y1 {
				break
			}
			out0 := p.dst[(y+2*r)*p.dstStride:][:p.dw]
			out1 := out0 // written over by the first row when there is no second
			if y+2*r+1 < y1 {
				out1 = p.dst[(y+2*r+1)*p.dstStride:][:p.dw]
			}
			out1, sums := out1[:len(out0)], sums[:len(out0)]
			for x := range out0 {
				s0, s1 := split(sums[x][r])
				out1[x] = clampOut(s1)
				out0[x] = clampOut(s0)
			}
		}
	}
}

// clampOut rounds a second-pass sum to the nearest 8-bit sample.
func clampOut(v int64) uint8 {
	u := (v + 1<<(lzOut-1)) >> lzOut
	if uint64(u) > 255 { // rare: Lanczos overshoot at an edge
		u = ^u >> 63 & 255 // 0 when negative, 255 when above
	}
	return uint8(u)
}

// vertical filters len(w) source rows, from src on and stride apart, by
// the packed weights w into column r of blk, lzFrac fractional bits each.
// acc is scratch space as wide as the rows.
//
// The rows go four at a time, so that a sum stays in a register for four
// multiply-adds between a load and a store of acc; one or two rows go
// first when their number is not a multiple of four, and the last four
// go straight on into blk.
func vertical(blk [][blockPairs]int64, r int, src []byte, stride int, w []int64, acc []int64) {
	width := len(acc)
	row := func(k int) []byte { return src[k*stride:][:width] }
	k, n := 0, len(w)
	if n%2 == 1 {
		r0, w0 := row(k), w[k]
		for x := range acc {
			acc[x] = w0 * int64(r0[x])
		}
		k++
	}
	if (n-k)%4 == 2 {
		r0, r1, w0, w1 := row(k), row(k+1), w[k], w[k+1]
		if k == 0 {
			for x := range acc {
				acc[x] = w0*int64(r0[x]) + w1*int64(r1[x])
			}
		} else {
			for x := range acc {
				acc[x] += w0*int64(r0[x]) + w1*int64(r1[x])
			}
		}
		k += 2
	}
	if k == 0 { // n is a multiple of 4, so the first four set acc
		clear(acc)
	}
	const half = 1 << (lzShift - 1)
	blk = blk[:width]
	for ; k < n; k += 4 {
		r0, r1, r2, r3 := row(k), row(k+1), row(k+2), row(k+3)
		w0, w1, w2, w3 := w[k], w[k+1], w[k+2], w[k+3]
		if k+4 < n {
			for x := range acc {
				acc[x] += w0*int64(r0[x]) + w1*int64(r1[x]) + w2*int64(r2[x]) + w3*int64(r3[x])
			}
			continue
		}
		for x := range acc {
			v := acc[x] + w0*int64(r0[x]) + w1*int64(r1[x]) + w2*int64(r2[x]) + w3*int64(r3[x])
			s0, s1 := split(v)
			blk[x][r] = (s0+half)>>lzShift + (s1+half)>>lzShift<<32
		}
		return
	}
	for x, v := range acc { // fewer than four rows in all
		s0, s1 := split(v)
		blk[x][r] = (s0+half)>>lzShift + (s1+half)>>lzShift<<32
	}
}

// horizontal filters the block's intermediate rows, column x of sums
// getting output column x of each.
func horizontal(sums, blk [][blockPairs]int64, t *taps) {
	sums = sums[:len(t.start)]
	start, off, w := t.start, t.off, t.w
	for i, s := range start {
		w := w[off[i]:off[i+1]]
		col := blk[s:]
		col = col[:len(w)]
		// The first tap starts the sums: started from zero (a constant,
		// which Go's register allocator keeps out of registers), they
		// would live in memory, and the loop run a third slower.
		wk, c := w[0], &col[0]
		a0, a1, a2, a3 := wk*c[0], wk*c[1], wk*c[2], wk*c[3]
		for k := 1; k < len(w); k++ {
			wk, c := w[k], &col[k]
			a0 += wk * c[0]
			a1 += wk * c[1]
			a2 += wk * c[2]
			a3 += wk * c[3]
		}
		sums[i] = [blockPairs]int64{a0, a1, a2, a3}
	}
}

// transposeYCbCr swaps the rows and columns of a 4:4:4 picture at the
// origin.
func transposeYCbCr(m *image.YCbCr) *image.YCbCr {
	b := m.Bounds()
	t := image.NewYCbCr(image.Rect(0, 0, b.Dy(), b.Dx()), image.YCbCrSubsampleRatio444)
	transposePlane(t.Y, t.YStride, m.Y, m.YStride, b.Dx(), b.Dy())
	transposePlane(t.Cb, t.CStride, m.Cb, m.CStride, b.Dx(), b.Dy())
	transposePlane(t.Cr, t.CStride, m.Cr, m.CStride, b.Dx(), b.Dy())
	return t
}

// transposePlane writes the w × h samples of src (rows ss apart)
// transposed into dst (rows ds apart), in tiles that stay in the cache.
func transposePlane(dst []byte, ds int, src []byte, ss, w, h int) {
	const tile = 32
	for y0 := 0; y0 < h; y0 += tile {
		for x0 := 0; x0 < w; x0 += tile {
			for y := y0; y < min(y0+tile, h); y++ {
				row := src[y*ss : y*ss+w]
				for x := x0; x < min(x0+tile, w); x++ {
					dst[x*ds+y] = row[x]
				}
			}
		}
	}
}
