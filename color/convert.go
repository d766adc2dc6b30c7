package color

import (
	"math"
	"sync"

	"paiban/assets"
)

// d50 is the ICC PCS illuminant (CIE XYZ, Y = 1).
var d50 = [3]float64{0.9642, 1.0, 0.8249}

var (
	srgbLinear [256]float64 // sRGB EOTF of each 8-bit value
	rgbToPCS   [9]float64   // linear sRGB → XYZ D65 → (Bradford) XYZ D50
	pcsToRGB   [9]float64   // its inverse
)

func init() {
	for i := range srgbLinear {
		v := float64(i) / 255
		if v <= 0.04045 {
			srgbLinear[i] = v / 12.92
		} else {
			srgbLinear[i] = math.Pow((v+0.055)/1.055, 2.4)
		}
	}
	// sRGB primaries and white (IEC 61966-2-1): the columns of the RGB →
	// XYZ matrix are the primaries' XYZ, scaled so that R=G=B=1 gives D65.
	xy := [4][2]float64{{0.64, 0.33}, {0.30, 0.60}, {0.15, 0.06}, {0.3127, 0.3290}}
	toXYZ := func(x, y float64) [3]float64 { return [3]float64{x / y, 1, (1 - x - y) / y} }
	var prim [9]float64 // columns R, G, B
	for j := range 3 {
		c := toXYZ(xy[j][0], xy[j][1])
		for i := range 3 {
			prim[3*i+j] = c[i]
		}
	}
	d65 := toXYZ(xy[3][0], xy[3][1])
	s := mulVec(inverse(prim), d65)
	var rgbToD65 [9]float64
	for i := range 3 {
		for j := range 3 {
			rgbToD65[3*i+j] = prim[3*i+j] * s[j]
		}
	}
	rgbToPCS = mulMat(bradford(d65, d50), rgbToD65)
	pcsToRGB = inverse(rgbToPCS)
}

// bradford returns the Bradford chromatic adaptation matrix from white
// src to white dst (XYZ → XYZ).
func bradford(src, dst [3]float64) [9]float64 {
	mb := [9]float64{
		0.8951, 0.2664, -0.1614,
		-0.7502, 1.7135, 0.0367,
		0.0389, -0.0685, 1.0296,
	}
	s, d := mulVec(mb, src), mulVec(mb, dst)
	diag := [9]float64{d[0] / s[0], 0, 0, 0, d[1] / s[1], 0, 0, 0, d[2] / s[2]}
	return mulMat(inverse(mb), mulMat(diag, mb))
}

func mulVec(m [9]float64, v [3]float64) [3]float64 {
	return [3]float64{
		m[0]*v[0] + m[1]*v[1] + m[2]*v[2],
		m[3]*v[0] + m[4]*v[1] + m[5]*v[2],
		m[6]*v[0] + m[7]*v[1] + m[8]*v[2],
	}
}

func mulMat(a, b [9]float64) [9]float64 {
	var m [9]float64
	for i := range 3 {
		for j := range 3 {
			for k := range 3 {
				m[3*i+j] += a[3*i+k] * b[3*k+j]
			}
		}
	}
	return m
}

func inverse(m [9]float64) [9]float64 {
	a, b, c, d, e, f, g, h, i := m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8]
	det := a*(e*i-f*h) - b*(d*i-f*g) + c*(d*h-e*g)
	return [9]float64{
		(e*i - f*h) / det, (c*h - b*i) / det, (b*f - c*e) / det,
		(f*g - d*i) / det, (a*i - c*g) / det, (c*d - a*f) / det,
		(d*h - e*g) / det, (b*g - a*h) / det, (a*e - b*d) / det,
	}
}

// srgbToLab returns the CIELAB (D50, as in the ICC PCS) of an 8-bit sRGB
// colour, adapted from D65 with the Bradford transform.
func srgbToLab(r, g, b uint8) (L, a, bb float64) {
	return xyzToLab(srgbToXYZ(r, g, b))
}

func srgbToXYZ(r, g, b uint8) [3]float64 {
	return mulVec(rgbToPCS, [3]float64{srgbLinear[r], srgbLinear[g], srgbLinear[b]})
}

const (
	labEps   = 216.0 / 24389 // (6/29)³
	labKappa = 24389.0 / 27
)

func xyzToLab(xyz [3]float64) (L, a, b float64) {
	var f [3]float64
	for i := range f {
		t := xyz[i] / d50[i]
		if t > labEps {
			f[i] = math.Cbrt(t)
		} else {
			f[i] = (labKappa*t + 16) / 116
		}
	}
	return 116*f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])
}

func labToXYZ(L, a, b float64) [3]float64 {
	fy := (L + 16) / 116
	f := [3]float64{fy + a/500, fy, fy - b/200}
	var xyz [3]float64
	for i, v := range f {
		if c := v * v * v; c > labEps {
			xyz[i] = c * d50[i]
		} else {
			xyz[i] = (116*v - 16) / labKappa * d50[i]
		}
	}
	return xyz
}

// encodePCS writes the lut input for PCS colour xyz (D50 relative).
func (p *Profile) encodePCS(l *lut, xyz [3]float64, in []float64) {
	if p.PCS == "XYZ " {
		// u1Fixed15: 1.0 = 0x8000 of 0xFFFF.
		for i := range 3 {
			in[i] = clamp01(xyz[i] * 32768 / 65535)
		}
		return
	}
	L, a, b := xyzToLab(xyz)
	if l.legacyLab16 {
		// ICC v2 lut16 Lab: L* 0..100 → 0..0xFF00, a*, b* −128..127.996 →
		// 0..0xFFFF (0x8000 = 0).
		in[0] = clamp01(L * 652.80 / 65535)
		in[1] = clamp01((a + 128) * 256 / 65535)
		in[2] = clamp01((b + 128) * 256 / 65535)
		return
	}
	// lut8 and v4 Lab: L* 0..100 → 0..1, a*, b* −128..127 → 0..1.
	in[0] = clamp01(L / 100)
	in[1] = clamp01((a + 128) / 255)
	in[2] = clamp01((b + 128) / 255)
}

// decodePCS turns a lut's PCS output into CIELAB.
func (p *Profile) decodePCS(l *lut, out []float64) (L, a, b float64) {
	if p.PCS == "XYZ " {
		var xyz [3]float64
		for i := range 3 {
			xyz[i] = out[i] * 65535 / 32768
		}
		return xyzToLab(xyz)
	}
	if l.legacyLab16 {
		return out[0] * 65535 / 652.80, out[1]*65535/256 - 128, out[2]*65535/256 - 128
	}
	return out[0] * 100, out[1]*255 - 128, out[2]*255 - 128
}

// setupBPC finds the destination black point and decides where black
// point compensation applies.
//
// FOGRA39L_coated.icc has no perceptual gamut mapping of its own: its
// B2A0, B2A1 and B2A2 tags share one colorimetric table, which maps every
// PCS colour darker than the darkest black the press makes (L* 9.6) to
// about that black, so sRGB values 0..~30 all print alike and photos lose
// their shadows. So when the perceptual table is the colorimetric one,
// Perceptual means relative colorimetric with black point compensation
// (as in Photoshop and LittleCMS): the PCS colour is scaled in XYZ so
// that sRGB black lands on the profile's black point and white stays
// white. RelativeColorimetric is always the plain table.
func (p *Profile) setupBPC() {
	// The black point: PCS black through the colorimetric B2A and back
	// through the colorimetric A2B, made neutral (as LittleCMS does for
	// v2 output profiles).
	var cmyk [4]float64
	p.pcsToCMYK(RelativeColorimetric, [3]float64{}, cmyk[:])
	L, _, _ := p.cmykToLab(cmyk)
	if !(L > 0 && L < 50) {
		return
	}
	p.blackXYZ = labToXYZ(L, 0, 0)
	p.bpc[Perceptual] = p.b2a[Perceptual] == p.b2a[RelativeColorimetric]
}

// pcsToCMYK converts PCS colour xyz (D50, relative) to CMYK 0..1 with the
// B2A table for intent.
func (p *Profile) pcsToCMYK(intent Intent, xyz [3]float64, cmyk []float64) {
	if !intent.valid() {
		intent = Perceptual
	}
	if p.bpc[intent] {
		for i := range 3 {
			bp := p.blackXYZ[i]
			xyz[i] = xyz[i]*(1-bp/d50[i]) + bp
		}
	}
	l := p.b2a[intent]
	var in [3]float64
	p.encodePCS(l, xyz, in[:])
	l.eval(in[:], cmyk)
	for i := range 4 {
		cmyk[i] = clamp01(cmyk[i])
	}
	if p.inkLimit > 0 {
		limitInk(cmyk, p.inkLimit)
	}
}

// WithInkLimit returns a copy of p whose RGBToCMYK and ConvertImage cap the
// total ink C+M+Y+K at limit (3.0 for 300%; between 1 and 4, 0 for no
// cap) by scaling C, M and Y down where it is exceeded, keeping K.
//
// FOGRA39L_coated.icc's own tables reach 317.6% in near-neutral shadows
// (around L* 11; sRGB black gives 316.5% perceptual, 300% relative
// colorimetric), above the 300% of print.md's preflight.
func (p *Profile) WithInkLimit(limit float64) *Profile {
	q := *p
	q.fronts = new([2]frontOnce)
	switch {
	case !(limit > 0) || limit >= 4:
		q.inkLimit = 0
	default:
		q.inkLimit = max(limit, 1)
	}
	return &q
}

// limitInk scales C, M and Y of cmyk (each 0..1) so that the total is at
// most limit (≥ 1).
func limitInk(cmyk []float64, limit float64) {
	cmy := cmyk[0] + cmyk[1] + cmyk[2]
	if cmy+cmyk[3] <= limit || cmy == 0 {
		return
	}
	f := max(0, (limit-cmyk[3])/cmy)
	for i := range 3 {
		cmyk[i] *= f
	}
}

func (p *Profile) cmykToLab(cmyk [4]float64) (L, a, b float64) {
	l := p.a2b[RelativeColorimetric]
	for i := range cmyk {
		cmyk[i] = clamp01(cmyk[i])
	}
	var out [3]float64
	l.eval(cmyk[:], out[:])
	return p.decodePCS(l, out[:])
}

// RGBToCMYK converts an 8-bit sRGB colour to CMYK (each 0..1) for the
// profile's printing condition. An unknown intent is taken as Perceptual.
func (p *Profile) RGBToCMYK(r, g, b uint8, intent Intent) (c, m, y, k float64) {
	var out [4]float64
	p.pcsToCMYK(intent, srgbToXYZ(r, g, b), out[:])
	return out[0], out[1], out[2], out[3]
}

// CMYKToLab returns the CIELAB colour (D50, relative to the paper white:
// the paper is L* 100) that CMYK (each 0..1) prints as, through the
// profile's colorimetric A2B table (A2B1, or A2B0 when there is no A2B1).
func (p *Profile) CMYKToLab(c, m, y, k float64) (L, a, b float64) {
	return p.cmykToLab([4]float64{c, m, y, k})
}

// CMYKToRGB returns the 8-bit sRGB colour that shows CMYK on screen: its
// Lab from CMYKToLab, with the paper white as screen white and colours
// outside sRGB clipped. For previews.
func (p *Profile) CMYKToRGB(c, m, y, k float64) (r, g, b uint8) {
	L, a, bb := p.CMYKToLab(c, m, y, k)
	lin := mulVec(pcsToRGB, labToXYZ(L, a, bb))
	var v [3]uint8
	for i, x := range lin {
		x = clamp01(x)
		if x <= 0.0031308 {
			x *= 12.92
		} else {
			x = 1.055*math.Pow(x, 1/2.4) - 0.055
		}
		v[i] = uint8(math.Round(clamp01(x) * 255))
	}
	return v[0], v[1], v[2]
}

// Proof is CMYKToRGB for 8-bit ink values, as images.Options.Proof takes
// it: a picture's printed colours on screen.
func (p *Profile) Proof(c, m, y, k uint8) (r, g, b uint8) {
	return p.CMYKToRGB(float64(c)/255, float64(m)/255, float64(y)/255, float64(k)/255)
}

var fogra = sync.OnceValues(func() (*Profile, error) { return Parse(assets.FOGRA39) })

// FOGRA39 returns the bundled FOGRA39 profile (assets.FOGRA39), parsed
// once.
func FOGRA39() (*Profile, error) { return fogra() }
