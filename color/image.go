package color

import (
	"encoding/binary"
	"image"
	imgcolor "image/color"
	"math"
	"runtime"
	"sync"
)

// frontEnd is the sRGB → lut input part of the conversion for one intent,
// in tables: per 8-bit channel value its share of the (black point
// compensated) PCS XYZ, already divided by the D50 white for a Lab PCS or
// scaled to the u1Fixed15 encoding for an XYZ PCS, and the CIELAB f(t) on
// a fine grid in place of cube roots.
type frontEnd struct {
	lut    *lut
	col    [3][256][3]float64
	off    [3]float64
	xyz    bool
	legacy bool

	inkLimit float64 // the profile's, 0 for none
	inkMax   int     // inkLimit × 255, rounded down

	// The fast path (see setFast); cl is nil when it does not apply.
	cl     *clut
	inTab  [3][]float32
	outTab [4][]float32

	tab tableOnce // the YCbCr pixels' results, shared (table.go)
}

// fTabN is the number of intervals of the f(t) table over t = 0..1; linear
// interpolation in it is within 5e-6 of f, 0.003 in a* at worst.
const fTabN = 4096

var fTab = func() *[fTabN + 2]float64 {
	var t [fTabN + 2]float64
	for i := range t {
		x := float64(i) / fTabN
		if x > labEps {
			t[i] = math.Cbrt(x)
		} else {
			t[i] = (labKappa*x + 16) / 116
		}
	}
	return &t
}()

// labF is CIELAB's f(t) for t in 0..1 (clamped), by table.
func labF(t float64) float64 {
	pos := clamp01(t) * fTabN
	i := int(pos)
	f := pos - float64(i)
	return fTab[i] + f*(fTab[i+1]-fTab[i])
}

type frontOnce struct {
	once sync.Once
	f    *frontEnd
}

func (p *Profile) frontEnd(intent Intent) *frontEnd {
	if !intent.valid() {
		intent = Perceptual
	}
	o := &p.fronts[intent]
	o.once.Do(func() {
		l := p.b2a[intent]
		f := &frontEnd{lut: l, xyz: p.PCS == "XYZ ", legacy: l.legacyLab16,
			inkLimit: p.inkLimit, inkMax: int(p.inkLimit*255 + 1e-9)}
		// PCS XYZ = s·(rgbToPCS · linear) + off, per component.
		var s [3]float64
		for i := range 3 {
			s[i] = 1
			if p.bpc[intent] {
				s[i] = 1 - p.blackXYZ[i]/d50[i]
				f.off[i] = p.blackXYZ[i]
			}
			// Then to the quantity the lut's encoding starts from.
			k := 1 / d50[i]
			if f.xyz {
				k = 32768.0 / 65535
			}
			s[i] *= k
			f.off[i] *= k
		}
		for ch := range 3 {
			for v := range 256 {
				for i := range 3 {
					f.col[ch][v][i] = s[i] * rgbToPCS[3*i+ch] * srgbLinear[v]
				}
			}
		}
		f.setFast()
		o.f = f
	})
	return o.f
}

// convert writes the CMYK bytes of sRGB r, g, b to dst[0:4].
func (f *frontEnd) convert(r, g, b uint8, dst []byte) {
	cr, cg, cb := &f.col[0][r], &f.col[1][g], &f.col[2][b]
	var in [3]float64
	for i := range 3 {
		in[i] = f.off[i] + cr[i] + cg[i] + cb[i]
	}
	if !f.xyz {
		fx, fy, fz := labF(in[0]), labF(in[1]), labF(in[2])
		L, a, bb := 116*fy-16, 500*(fx-fy), 200*(fy-fz)
		if f.legacy {
			in[0], in[1], in[2] = L*652.80/65535, (a+128)*256/65535, (bb+128)*256/65535
		} else {
			in[0], in[1], in[2] = L/100, (a+128)/255, (bb+128)/255
		}
	}
	var out [4]float64
	if f.cl != nil {
		f.evalFast(&in, &out)
	} else {
		f.lut.eval(in[:], out[:])
	}
	dst = dst[:4]
	for i, v := range out {
		out[i] = clamp01(v)
	}
	if f.inkLimit > 0 {
		limitInk(out[:], f.inkLimit)
	}
	for i, v := range out {
		dst[i] = uint8(v*255 + 0.5)
	}
	if f.inkLimit > 0 {
		// Rounding may add up to 2/255; take it off the largest of C, M, Y.
		for int(dst[0])+int(dst[1])+int(dst[2])+int(dst[3]) > f.inkMax {
			i := 0
			if dst[1] > dst[i] {
				i = 1
			}
			if dst[2] > dst[i] {
				i = 2
			}
			dst[i]--
		}
	}
}

// setFast prepares evalFast when the lut is the usual input tables →
// 3-input CLUT → output tables (every lut16 and lut8 B2A with a Lab PCS).
func (f *frontEnd) setFast() {
	st := f.lut.stages
	if len(st) != 3 || len(st[0].curves) != 3 || st[1].clut == nil || len(st[2].curves) != 4 {
		return
	}
	for i, c := range st[0].curves {
		if c.kind != curveTable {
			return
		}
		f.inTab[i] = c.table
	}
	for i, c := range st[2].curves {
		if c.kind != curveTable {
			return
		}
		f.outTab[i] = c.table
	}
	f.cl = st[1].clut
}

// evalFast is lut.eval for the shape setFast accepts, without the
// generality: the same arithmetic, unrolled.
func (f *frontEnd) evalFast(in *[3]float64, out *[4]float64) {
	cl := f.cl
	var fr [3]float64
	base := 0
	for i := range 3 {
		x := lerpTable(f.inTab[i], clamp01(in[i]))
		g := cl.grid[i]
		pos := clamp01(x) * float64(g-1)
		k := int(pos)
		if k >= g-1 {
			k = g - 2
		}
		fr[i] = pos - float64(k)
		base += k * cl.stride[i]
	}
	d := cl.data
	sx, sy, sz := cl.stride[0], cl.stride[1], cl.stride[2]
	if cl.trilinear {
		fx, fy, fz := fr[0], fr[1], fr[2]
		c000, c001 := d[base:base+4:base+4], d[base+sz:base+sz+4:base+sz+4]
		b := base + sy
		c010, c011 := d[b:b+4:b+4], d[b+sz:b+sz+4:b+sz+4]
		b = base + sx
		c100, c101 := d[b:b+4:b+4], d[b+sz:b+sz+4:b+sz+4]
		b += sy
		c110, c111 := d[b:b+4:b+4], d[b+sz:b+sz+4:b+sz+4]
		for o := range 4 {
			lerp := func(a, b float32, f float64) float64 { return float64(a) + f*float64(b-a) }
			v00, v01 := lerp(c000[o], c001[o], fz), lerp(c010[o], c011[o], fz)
			v10, v11 := lerp(c100[o], c101[o], fz), lerp(c110[o], c111[o], fz)
			v0, v1 := v00+fy*(v01-v00), v10+fy*(v11-v10)
			out[o] = lerpTable(f.outTab[o], clamp01(v0+fx*(v1-v0)))
		}
		return
	}
	p1, p2, p3, f1, f2, f3 := tetrahedron(base, sx, sy, sz, fr[0], fr[1], fr[2])
	v0, v1, v2, v3 := d[base:base+4:base+4], d[p1:p1+4:p1+4], d[p2:p2+4:p2+4], d[p3:p3+4:p3+4]
	for o := range 4 {
		a0, a1, a2, a3 := float64(v0[o]), float64(v1[o]), float64(v2[o]), float64(v3[o])
		v := a0 + f1*(a1-a0) + f2*(a2-a1) + f3*(a3-a2)
		out[o] = lerpTable(f.outTab[o], clamp01(v))
	}
}

// parallel splits 0..n into contiguous ranges, one per processor, and
// runs f on them concurrently.
func parallel(n int, f func(lo, hi int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		f(0, n)
		return
	}
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := n*w/workers, n*(w+1)/workers
		wg.Go(func() { f(lo, hi) })
	}
	wg.Wait()
}

// ConvertImage converts img to CMYK for the profile's printing condition,
// with the same bounds. Pixels with alpha are composited over white (the
// paper) first; a *image.CMYK is taken to be in the output condition
// already and copied unchanged. Every pixel goes through the profile's own
// B2A table, as RGBToCMYK does (within 1/255 of it: the sRGB → PCS part
// comes from tables built once per intent), through a cache of recent
// colours; the rows are split across GOMAXPROCS goroutines. The output does
// not depend on GOMAXPROCS.
//
// There is deliberately no RGB-space lookup grid: the profile's CLUT is
// piecewise linear in Lab with 17 nodes per axis and clips to the gamut,
// so a 33³ or even 52³ grid over sRGB, interpolated across those kinks,
// put about 10% of all colours more than 1/255 off (up to 20/255 in dark
// saturated colours) when tried; the CLUT itself is the lookup grid.
func (p *Profile) ConvertImage(img image.Image, intent Intent) *image.CMYK {
	b := img.Bounds()
	dst := image.NewCMYK(b)
	if b.Empty() {
		return dst
	}
	parallel(b.Dy(), func(lo, hi int) {
		p.Rows(img, intent).Convert(lo, hi, dst.Pix[lo*dst.Stride:hi*dst.Stride])
	})
	return dst
}

// A RowConverter converts a picture to CMYK a few rows at a time, as
// ConvertImage does, for a caller that passes the rows on (to a JPEG
// encoder) rather than keeping the whole converted picture. It is not
// safe for concurrent use; RowConverters of one picture may run at once.
type RowConverter struct {
	img image.Image
	c   *pixCache
}

// Rows returns a RowConverter for img.
func (p *Profile) Rows(img image.Image, intent Intent) *RowConverter {
	b := img.Bounds()
	return &RowConverter{img: img, c: newPixCache(p.frontEnd(intent), b.Dx()*b.Dy())}
}

// Convert writes rows y0 ≤ y < y1 of the picture (0 is the top of its
// bounds) to dst as CMYK, 4 bytes a pixel, the rows one after the other.
// A *image.CMYK is copied as it is.
func (r *RowConverter) Convert(y0, y1 int, dst []byte) {
	b := r.img.Bounds()
	n := 4 * b.Dx()
	dst = dst[:n*(y1-y0)]
	for y := y0; y < y1; y++ {
		out := dst[n*(y-y0) : n*(y-y0+1)]
		switch src := r.img.(type) {
		case *image.CMYK:
			copy(out, src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):])
			continue
		case *image.YCbCr:
			if y+1 < y1 && src.SubsampleRatio == image.YCbCrSubsampleRatio420 && (b.Min.Y+y)%2 == 0 && b.Min.X%2 == 0 && b.Min.X >= 0 {
				// Two rows that share their chroma samples at once.
				convertRows420(r.c, src, b.Min.X, b.Max.X, b.Min.Y+y, out, dst[n*(y-y0+1):n*(y-y0+2)])
				y++
				continue
			}
		}
		convertRow(r.c, r.img, b.Min.X, b.Max.X, b.Min.Y+y, out)
	}
}

// convertRows420 converts pixels x0..x1 of rows y and y+1 of a 4:2:0
// picture, which share their chroma samples (x0 and y even, x0 ≥ 0), into
// out0 and out1: the four pixels of a chroma sample are mostly in the same
// block of the table, found once.
func convertRows420(g *pixCache, src *image.YCbCr, x0, x1, y int, out0, out1 []byte) {
	n := x1 - x0
	out0, out1 = out0[:4*n], out1[:4*n]
	ya, yb := src.Y[src.YOffset(x0, y):], src.Y[src.YOffset(x0, y+1):]
	ya, yb = ya[:n], yb[:n]
	c := src.COffset(x0, y)
	cbs, crs := src.Cb[c:], src.Cr[c:]
	cbs, crs = cbs[:(n+1)/2], crs[:(n+1)/2]
	t := g.f.table()
	i := 0
	for ; i+1 < n; i += 2 {
		cb, cr := cbs[i/2], crs[i/2]
		if v0, v1, v2, v3, ok := t.quad(ya[i], ya[i+1], yb[i], yb[i+1], cb, cr); ok {
			binary.LittleEndian.PutUint64(out0[4*i:4*i+8], uint64(v0)|uint64(v1)<<32)
			binary.LittleEndian.PutUint64(out1[4*i:4*i+8], uint64(v2)|uint64(v3)<<32)
			continue
		}
		g.ycbcrPixel(t, ya[i], cb, cr, out0[4*i:])
		g.ycbcrPixel(t, ya[i+1], cb, cr, out0[4*i+4:])
		g.ycbcrPixel(t, yb[i], cb, cr, out1[4*i:])
		g.ycbcrPixel(t, yb[i+1], cb, cr, out1[4*i+4:])
	}
	if i < n {
		g.ycbcrPixel(t, ya[i], cbs[i/2], crs[i/2], out0[4*i:])
		g.ycbcrPixel(t, yb[i], cbs[i/2], crs[i/2], out1[4*i:])
	}
}

// pixCache converts pixels through a direct-mapped cache of recent
// colours: a photo has far fewer colours than pixels (the sample's cover,
// 2700×1993, has about 100 000), and a 64K-entry cache answers about 94%
// of a photo's pixels. It serves RGB pixels, and YCbCr ones when the
// shared ycbcrTable is full. Cached values are exactly what
// frontEnd.convert gives, so the output does not depend on how rows are
// split.
type pixCache struct {
	f     *frontEnd
	shift uint32
	// ents holds key<<32 | CMYK (C in the low byte) in one word, so a
	// lookup touches one cache line; the key is 1<<24 | rgb or
	// 1<<25 | ycbcr, so 0 is an empty entry.
	ents []uint64
}

func newPixCache(f *frontEnd, pixels int) *pixCache {
	bits := 8
	for bits < 16 && 1<<bits < pixels {
		bits++
	}
	return &pixCache{f: f, shift: uint32(32 - bits)}
}

// slot is where key k is cached.
func (c *pixCache) slot(k uint32) *uint64 {
	if c.ents == nil { // made when first needed: YCbCr pixels use the ycbcrTable
		c.ents = make([]uint64, 1<<(32-c.shift))
	}
	return &c.ents[(k*2654435761)>>c.shift] // Fibonacci hashing
}

// ycbcrPixel writes the CMYK of a YCbCr pixel to dst[:4], from the shared
// table t or, when it is full, from the cache.
func (c *pixCache) ycbcrPixel(t *ycbcrTable, y, cb, cr uint8, dst []byte) {
	v, ok := t.get(y, cb, cr)
	if !ok {
		v = c.ycbcr(1<<25 | uint32(y)<<16 | uint32(cb)<<8 | uint32(cr))
	}
	binary.LittleEndian.PutUint32(dst[:4], v)
}

// ycbcr returns the CMYK (C in the low byte) of the YCbCr triple in key
// k = 1<<25 | y<<16 | cb<<8 | cr, cached like convert's (for when the
// shared ycbcrTable is full).
func (c *pixCache) ycbcr(k uint32) uint32 {
	e := c.slot(k)
	if uint32(*e>>32) != k {
		r, g, b := imgcolor.YCbCrToRGB(uint8(k>>16), uint8(k>>8), uint8(k))
		var px [4]byte
		c.f.convert(r, g, b, px[:])
		*e = uint64(k)<<32 | uint64(binary.LittleEndian.Uint32(px[:]))
	}
	return uint32(*e)
}

func (c *pixCache) convert(r, g, b uint8, dst []byte) {
	k := 1<<24 | uint32(r)<<16 | uint32(g)<<8 | uint32(b)
	e := c.slot(k)
	if uint32(*e>>32) != k {
		var v [4]byte
		c.f.convert(r, g, b, v[:])
		*e = uint64(k)<<32 | uint64(binary.LittleEndian.Uint32(v[:]))
	}
	binary.LittleEndian.PutUint32(dst[:4], uint32(*e))
}

// convertRow converts pixels x0..x1 of row y of img into out.
func convertRow(g *pixCache, img image.Image, x0, x1, y int, out []byte) {
	n := x1 - x0
	out = out[:4*n]
	switch src := img.(type) {
	case *image.YCbCr:
		yrow := src.Y[src.YOffset(x0, y):]
		yrow = yrow[:n]
		// Chroma sample of pixel x0+i: c0 + (x0+i)>>hs − x0>>hs.
		hs := uint(0)
		switch src.SubsampleRatio {
		case image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420:
			hs = 1
		case image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410:
			hs = 2
		}
		if x0 < 0 { // COffset divides, rounding towards zero
			for i, yy := range yrow {
				ci := src.COffset(x0+i, y)
				v := g.ycbcr(1<<25 | uint32(yy)<<16 | uint32(src.Cb[ci])<<8 | uint32(src.Cr[ci]))
				binary.LittleEndian.PutUint32(out[4*i:4*i+4], v)
			}
			break
		}
		c0 := src.COffset(x0, y) - x0>>hs
		// (Reusing the value of a pixel like its left neighbour, half of
		// them in the sample's photos, was slower: the branch is
		// unpredictable.)
		t := g.f.table()
		i := 0
		if hs == 1 && x0%2 == 0 {
			// Two pixels share a chroma sample, and mostly a table block.
			for ; i+1 < n; i += 2 {
				ci := c0 + (x0+i)>>1
				if v0, v1, ok := t.pair(yrow[i], yrow[i+1], src.Cb[ci], src.Cr[ci]); ok {
					binary.LittleEndian.PutUint64(out[4*i:4*i+8], uint64(v0)|uint64(v1)<<32)
					continue
				}
				g.ycbcrPixel(t, yrow[i], src.Cb[ci], src.Cr[ci], out[4*i:])
				g.ycbcrPixel(t, yrow[i+1], src.Cb[ci], src.Cr[ci], out[4*i+4:])
			}
		}
		for ; i < n; i++ {
			ci := c0 + (x0+i)>>hs
			g.ycbcrPixel(t, yrow[i], src.Cb[ci], src.Cr[ci], out[4*i:])
		}
	case *image.RGBA:
		in := src.Pix[src.PixOffset(x0, y):]
		in = in[:4*n]
		for i := range n {
			s := in[4*i : 4*i+4 : 4*i+4]
			// Premultiplied: colour over white adds (1−α)·white.
			w := 255 - uint(s[3])
			g.convert(sat8(uint(s[0])+w), sat8(uint(s[1])+w), sat8(uint(s[2])+w), out[4*i:])
		}
	case *image.NRGBA:
		in := src.Pix[src.PixOffset(x0, y):]
		in = in[:4*n]
		for i := range n {
			s := in[4*i : 4*i+4 : 4*i+4]
			if a := s[3]; a != 255 {
				g.convert(overWhite(s[0], a), overWhite(s[1], a), overWhite(s[2], a), out[4*i:])
				continue
			}
			g.convert(s[0], s[1], s[2], out[4*i:])
		}
	case *image.Gray:
		in := src.Pix[src.PixOffset(x0, y):]
		in = in[:n]
		for i, v := range in {
			g.convert(v, v, v, out[4*i:])
		}
	default:
		for i := range n {
			r, gg, b, a := img.At(x0+i, y).RGBA() // premultiplied, 16-bit
			w := 0xffff - a
			g.convert(sat8((r+w)>>8), sat8((gg+w)>>8), sat8((b+w)>>8), out[4*i:])
		}
	}
}

// overWhite composites a non-premultiplied channel value with alpha a over
// white.
func overWhite(v, a uint8) uint8 {
	return uint8((uint32(v)*uint32(a) + 255*(255-uint32(a)) + 127) / 255)
}

// sat8 saturates v to 255 (invalid premultiplied colours exceed their alpha).
func sat8[T uint | uint32](v T) uint8 { return uint8(min(v, 255)) }
