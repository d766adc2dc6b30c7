// Copyright 2011 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package jpegcmyk encodes 4-component CMYK images as baseline JPEG for PDF
// image XObjects (/Filter /DCTDecode), in one of two forms.
//
// The encoder is Go's image/jpeg writer (src/image/jpeg/writer.go, BSD
// licence, see LICENSE in this folder; the forward DCT is in package
// jpegdct) extended to four components: baseline sequential DCT, Huffman
// coded with the tables of section K.3 of the spec, 8-bit samples, one
// interleaved scan, the quantisation tables of section K.1 scaled by
// quality as the IJG library scales them. The output is a pure function
// of the pixels and quality.
//
// # Encode: plain CMYK, no subsampling
//
// Encode stores the four inks as they are (Adobe APP14 transform 0, see
// below), every component sampled 1×1, the luminance quantisation table
// and the luminance DC/AC Huffman tables for all four (in CMYK the detail
// is spread over all the inks; none of them is "chroma" that could be
// quantised harder). It keeps every ink at full resolution: for line art,
// charts, screenshots and other sharp-edged pictures in strong colours.
//
// # EncodeYCCK: YCCK with 2×2 chroma, for photographs
//
// EncodeYCCK writes what libjpeg writes for a CMYK image when asked for
// JCS_YCCK (jcparam.c, jccolor.c cmyk_ycck_convert), the form, sampling
// included, in which Adobe's software saves CMYK JPEGs (with inverted
// samples, see below): the APP14 segment says transform 2 (YCCK); C, M
// and Y are turned into R, G, B = 255−C, 255−M, 255−Y and those into JFIF
// YCbCr (image/color.RGBToYCbCr); K is stored as it is.
// Y and K are sampled 2×2 (full resolution), Cb and Cr 1×1, so that an
// MCU is 16×16 pixels: four Y blocks, one Cb, one Cr, four K blocks. Cb
// and Cr are the rounded means of each 2×2 group of pixels' Cb and Cr.
// Y and K use the luminance quantisation and Huffman tables (table 0),
// Cb and Cr the chrominance ones (table 1).
//
// That is 2.5 blocks for every four that Encode codes, so EncodeYCCK is
// faster and its output is much smaller (about 5/8 of Encode's on the
// sample photograph). Halving the colour resolution is safe for
// photographs: it is libjpeg's default sampling for YCCK (and for
// YCbCr), the eye resolves colour much more coarsely than lightness, and
// the photos a magazine receives are camera or agency JPEGs, subsampled
// 4:2:0 already, whose colour has no detail finer than 2×2 pixels to
// lose (after black generation only roughly so, as it is not linear).
// The lightness-like Y and the black plate, which carry the detail and
// the text-like edges, keep full resolution. Hard edges between strong
// colours do bleed by a pixel, so Encode remains the choice for
// graphics.
//
// The print pipeline uses Encode for photographs too: mixing the chroma
// of neighbouring pixels moves their total ink. Separated to 300% and
// encoded at quality 92, the sample issue's photos decode to at most
// 312.5% with Encode (so render separates to 285%, which keeps them under
// 300%) but up to 338% with EncodeYCCK, which would need headroom that
// visibly lightens the shadows.
//
// A decoder inverts the transform (libjpeg's jdcolor.c
// ycck_cmyk_convert: R, G, B from Y, Cb, Cr, then C, M, Y = 255−R,
// 255−G, 255−B, K passed through), giving back the ink values, so the
// stream is embedded in PDF exactly as Encode's is (next section), and
// renders with the same colours. (Adobe's own YCCK files are the
// inverted counterpart: their R, G, B are the ink values and their K is
// 255−K, which is what /Decode [1 0 1 0 1 0 1 0] undoes.)
//
// # Polarity: ink values as they are, no /Decode
//
// In both forms a PDF reader's DCT decoder returns the ink values, 0 = no
// ink, 255 = full ink: Encode stores them as they are with an Adobe APP14
// segment with transform 0 ("Adobe", version 100, flags 0, 0, transform
// 0), which says that the four components are CMYK and were not
// colour-transformed; EncodeYCCK's transform 2 is undone by the decoder
// as above. The image XObject must therefore be written as
//
//	<< /Type /XObject /Subtype /Image /Width w /Height h
//	   /ColorSpace /DeviceCMYK /BitsPerComponent 8
//	   /Filter /DCTDecode /Length n >>
//
// with NO /Decode array (the default [0 1 0 1 0 1 0 1] is the right one;
// /Decode [1 0 1 0 1 0 1 0] would invert the picture) and no /DecodeParms
// (a /ColorTransform there would be overridden by the APP14 segment
// anyway, PDF 32000-1 table 13).
//
// Why: Photoshop and other Adobe software store CMYK JPEGs inverted
// (255 = no ink), and stand-alone JPEG readers (Photoshop, browsers,
// ImageMagick, Go's image/jpeg) undo that inversion whenever an Adobe
// APP14 segment is present. PDF readers do not: the DCTDecode filter's
// output is taken as the component values and only /Decode maps them.
// Poppler (DCTStream.cc: the APP14 transform only picks JCS_CMYK or
// JCS_YCCK, the libjpeg output is used as is), MuPDF (filter-dct.c,
// likewise), Ghostscript and pdf.js (jpg.js inverts only for non-PDF
// sources; in PDFs the inversion is left to /Decode) read the samples as
// ink values, and Acrobat Distiller, img2pdf and WeasyPrint embed
// Adobe-inverted JPEGs with /Decode [1 0 1 0 1 0 1 0], which is right
// only if Acrobat does the same (Acrobat itself was not available to
// test). Of the two consistent choices (inverted data plus that /Decode,
// or plain data and the default /Decode) this package takes the second:
// what a reader decodes is the CMYK the layout engine computed.
// TestPDFColours checks it for both forms with pdftoppm (and Ghostscript
// and MuPDF when installed): C, M, Y and K patches render cyan, magenta,
// yellow and black, and the same stream with /Decode [1 0 1 0 1 0 1 0]
// renders inverted; TestPDFMatchesRaw checks that pictures render the
// same as JPEG and as raw samples.
//
// The APP14 segment is written, although libjpeg (and so poppler) also
// treats a 4-component JPEG without one as CMYK, because the transform
// flag rules out a wrong reading by any decoder and because Go's
// image/jpeg refuses 4-component JPEGs without it.
//
// The price: the stream saved as a stand-alone .jpg (say by pdfimages -j)
// shows inverted in Photoshop, browsers, ImageMagick and Go's image/jpeg,
// which apply the Adobe convention; image/jpeg's Decode returns an
// *image.CMYK whose samples are 255 minus the encoded ones (for
// EncodeYCCK: its R, G, B, which are 255 minus C, M, Y, and 255−K). That
// affects only extracted files, never the printed PDF.
//
// # Speed
//
// Encode copies each MCU's 8×8 pixels into a tile, and
// jpegdct.FDCT4Fixed transforms the four inks straight from it (in AVX2
// assembly on amd64 processors that have it). The coefficients stay in
// fixed point: most of them quantise to zero, and one comparison each,
// branch-free, finds which do not (nonzeroMask, also in AVX2 assembly);
// only those (about one in eight in a photograph at print qualities) are
// rounded and divided, by a multiplication by the divisor's reciprocal
// (quantize), as writeBlock codes them in zig-zag order, so that zero
// coefficients cost nothing there. A coefficient's size category and
// bits come from one table look-up (valueBits), its code with room for
// the bits from another (huffmanLUT). The bit writer's state is passed
// by value so that it stays in registers; it stores whole 64-bit words
// and advances by the whole bytes, with no branch and no check: the
// zero bytes that must follow 0xff bytes are stuffed when the coded data
// goes to the output, in bulk (appendStuffed). EncodeYCCK's colour
// transform adds table entries where image/color.RGBToYCbCr multiplies,
// with the same results. None of this changes a byte of Encode's output
// (TestEncodeUnchanged, and TestEncodeMatchesReference, which compares
// it with a plain encoder kept in reference_test.go).
package jpegcmyk

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"io"
	"math/bits"

	"paiban/internal/jpegdct"
)

// Marker codes (section B.1.1.3 of the spec).
const (
	soiMarker   = 0xd8
	eoiMarker   = 0xd9
	sof0Marker  = 0xc0
	dhtMarker   = 0xc4
	dqtMarker   = 0xdb
	sosMarker   = 0xda
	app14Marker = 0xee
)

// Adobe APP14 colour transform codes.
const (
	transformNone = 0 // CMYK as stored (Encode)
	transformYCCK = 2 // YCbCr from inverted CMY, K as stored (EncodeYCCK)
)

// writeSOIAndAPP14 appends the SOI marker followed by the Adobe APP14
// segment: "Adobe", DCTEncode version 100, flags0 0, flags1 0, and the
// colour transform.
func (e *encoder) writeSOIAndAPP14(transform uint8) {
	e.out = append(e.out,
		0xff, soiMarker,
		0xff, app14Marker, 0x00, 0x0e,
		'A', 'd', 'o', 'b', 'e',
		0x00, 0x64, // version 100
		0x00, 0x00, // flags0
		0x00, 0x00, // flags1
		transform)
}

// flushAt is the size at which pending entropy-coded data goes to the
// writer (checked after each MCU).
const flushAt = 60 << 10

// scanBuffer is the buffer of entropy-coded data. Its size, a power of
// two, is more than flushAt plus the most that one MCU can add (10 blocks
// of under 256 bytes: 64 codes of at most 27 bits, and 3 runs of 16
// zeros of at most 11), so that every position in it is below
// scanBufSize; and it has 8 bytes to spare beyond, for putBits's 8-byte
// stores.
type scanBuffer [scanBufSize + 8]byte

const scanBufSize = 1 << 16

// outCap is the initial capacity of the output buffer: the headers and
// the entropy-coded data of a flush stuffed (appendStuffed), which is
// rarely more than 1% longer. append grows it in the worst case.
const outCap = 2048 + flushAt + flushAt/16

// quantTable is a quantisation table scaled for a quality.
//
// Quantisation is done in two steps. nonzeroMask finds the coefficients
// of a block that quantise to nonzero, with a comparison each: a
// coefficient v with divisor div (even) rounds to 0 exactly when |v| <
// div/2. Only those, about one coefficient in eight in a photograph at
// print qualities, are then rounded to integers and divided (quantize),
// as they are coded. The coefficients come from jpegdct.FDCT4Fixed or
// jpegdct.FDCTFixed, in fixed point with 18 fractional bits, unrounded.
type quantTable struct {
	// quant is the table in zig-zag order, as written to the DQT segment.
	quant [jpegdct.BlockSize]byte

	// The divisor of a coefficient is div = 8 × its quant entry (the
	// DCT output is scaled by 8).

	// For nonzeroMask, in natural order, with h = div/2: add[i] = 2¹⁷ +
	// (h − 1)·2¹⁸ and lim[i] = (2h − 1)·2¹⁸ − 1.
	add, lim [jpegdct.BlockSize]uint32

	// For quantize, in zig-zag order: bias[k] = div/2 + quantOffset ×
	// div and recip[k] = ⌈2⁴⁰ / div⌉.
	bias  [jpegdct.BlockSize]int32
	recip [jpegdct.BlockSize]uint64
}

// init scales unscaled by the IJG quality scale factor (a percentage).
func (t *quantTable) init(unscaled *[jpegdct.BlockSize]byte, scale int) {
	for k, u := range unscaled {
		x := (int(u)*scale + 50) / 100
		x = max(1, min(255, x))
		t.setDivisor(k, x)
	}
}

// setDivisor sets entry k (zig-zag order) of the table to q.
func (t *quantTable) setDivisor(k, q int) {
	t.quant[k] = uint8(q)
	div := 8 * int32(q)
	i := jpegdct.Unzig[k]
	h := uint32(div / 2)
	t.add[i] = 1<<(fixedBits-1) + (h-1)<<fixedBits
	t.lim[i] = (2*h-1)<<fixedBits - 1
	t.bias[k] = div/2 + quantOffset*div
	t.recip[k] = (1<<40 + uint64(div) - 1) / uint64(div)
}

// fixedBits is the number of fractional bits of the DCT coefficients.
const fixedBits = jpegdct.FixedBits

// round returns the fixed-point DCT coefficient x rounded to an integer,
// as jpegdct.FDCT rounds it.
func round(x int32) int32 {
	return (x + 1<<(fixedBits-1)) >> fixedBits
}

// quantOffset is added to every quantised coefficient, so that quantize
// works on non-negative numbers only and a coefficient's offset value
// indexes valueBits directly. A quantised coefficient is in [−1024, 1024]
// (see quantize), well inside ±quantOffset.
const quantOffset = 1 << 11

// quantize returns quantOffset + v / div rounded to the nearest integer,
// ties away from zero (image/jpeg's div), where bias = div/2 +
// quantOffset × div and recip = ⌈2⁴⁰ / div⌉, for an even divisor div =
// 8q, 1 ≤ q ≤ 255, and v ∈ [−2¹³, 2¹³), the range of jpegdct.FDCT's
// output (its last step shifts an int32 right by 18). sign is −1 if v is
// negative and 0 if v is positive; for v = 0 either will do.
//
// It takes three additions, one multiplication and one shift, no
// division and no branch (the signs of DCT coefficients are
// unpredictable):
//
//   - Rounding ties away from zero is ⌊(v + div/2) / div⌋ for v ≥ 0 and
//     ⌊(v + div/2 − 1) / div⌋ for v < 0: for negative v, −⌊(−v + div/2) /
//     div⌋ = ⌈(v − div/2) / div⌉ = ⌊(v − div/2 + div − 1) / div⌋. The −1
//     is sign. (For v = 0 both give 0, as div/2 − 1 < div.)
//   - Adding quantOffset × div to the dividend adds quantOffset to the
//     quotient and makes the dividend t positive: t ∈ (0, 2²²).
//   - ⌊t × ⌈2⁴⁰/div⌉ / 2⁴⁰⌋ = ⌊t / div⌋ for t < 2⁴⁰ / div, which is more
//     than 2²⁹: with ⌈2⁴⁰/div⌉ = (2⁴⁰ + r) / div, 0 ≤ r < div, the product
//     exceeds t/div by t × r / (div × 2⁴⁰) < 1/div, too little to reach
//     the next integer, which is at least 1/div away. The product is
//     below 2⁵⁹.
//
// TestQuantizeExact checks it against the plain division for every
// divisor and every v in [−2¹⁴, 2¹⁴].
func quantize(v, sign, bias int32, recip uint64) int32 {
	t := v + sign + bias
	return int32(uint64(uint32(t)) * recip >> 40)
}

// nonzeroMaskGo is nonzeroMask in Go: it returns the mask of the
// coefficients of b (in natural order, fixed point) that quantise to
// nonzero, bit k for zig-zag index k. (nonzeroMask runs it, or its AVX2
// version, nonzeroMaskAVX2, with the same results.)
//
// A coefficient x rounds to v = (x + 2¹⁷) >> 18, which quantises to 0
// exactly when |v| < h = div/2, that is, when −h < v < h, when
// (−h + 1)·2¹⁸ ≤ x + 2¹⁷ < h·2¹⁸, when x + add is in [0, lim] with add
// and lim as in quantTable. As an unsigned 32-bit number, x + add is then
// at most lim < 2²⁹, and otherwise either more or, if negative, wrapped
// around to more than 2³¹ (|x| < 2³¹ and add < 2²⁸, so nothing wraps
// the other way). So lim minus that number, in 64 bits, is negative, its
// sign bit set, exactly when x quantises to nonzero: one addition, one
// subtraction and a shift, no branch. The loop takes the coefficients a
// row at a time, and zigNibble turns the bits of each half row into bits
// in zig-zag order.
func (t *quantTable) nonzeroMaskGo(b *jpegdct.Block) (nonzero uint64) {
	for r := range 8 {
		x := b[8*r : 8*r+8 : 8*r+8]
		a := t.add[8*r : 8*r+8 : 8*r+8]
		l := t.lim[8*r : 8*r+8 : 8*r+8]
		d0 := uint64(l[0]) - uint64(uint32(x[0])+a[0])
		d1 := uint64(l[1]) - uint64(uint32(x[1])+a[1])
		d2 := uint64(l[2]) - uint64(uint32(x[2])+a[2])
		d3 := uint64(l[3]) - uint64(uint32(x[3])+a[3])
		d4 := uint64(l[4]) - uint64(uint32(x[4])+a[4])
		d5 := uint64(l[5]) - uint64(uint32(x[5])+a[5])
		d6 := uint64(l[6]) - uint64(uint32(x[6])+a[6])
		d7 := uint64(l[7]) - uint64(uint32(x[7])+a[7])
		// The sign bits, d3's first: m*2 + bit is one LEA instruction.
		left := ((d3>>63*2+d2>>63)*2+d1>>63)*2 + d0>>63
		right := ((d7>>63*2+d6>>63)*2+d5>>63)*2 + d4>>63
		z := zigNibble[2*r : 2*r+2 : 2*r+2]
		nonzero |= z[0][left&15] | z[1][right&15]
	}
	return nonzero
}

// zigNibble[g][m] is the mask, bit k for zig-zag index k, of the
// coefficients at natural indices 4g to 4g+3 whose bits are set in m
// (bit 0 for 4g).
var zigNibble [jpegdct.BlockSize / 4][16]uint64

func init() {
	for k, i := range jpegdct.Unzig {
		for m := range 16 {
			if m>>(i%4)&1 != 0 {
				zigNibble[i/4][m] |= 1 << k
			}
		}
	}
}

// blockCoder is how a component's blocks are coded: its quantisation
// table and its DC and AC Huffman tables, together so that writeBlock
// needs a single pointer to them.
type blockCoder struct {
	quantTable
	dc, ac huffmanLUT
}

// encoder encodes one image.
type encoder struct {
	w   io.Writer
	err error
	out []byte // pending output

	// scan[:nScan] holds entropy-coded data still to go to out, as
	// coded, without the zero bytes stuffed after 0xff bytes. Stuffing
	// in bulk when it moves to out (appendStuffed) spares the bit writer
	// any check.
	scan  scanBuffer
	nScan int

	// acc holds the nAcc least significant bits still to be written
	// to scan (nAcc < 8 between calls to putBits; the bits above are
	// junk).
	acc  uint64
	nAcc uint

	// coders[0] has the luminance tables, used by every component of
	// Encode and by Y and K of EncodeYCCK; coders[1] has the chrominance
	// tables of Cb and Cr.
	coders [2]blockCoder
}

// checkImage returns the error for an image that cannot be encoded.
func checkImage(m *image.CMYK) error {
	if m == nil {
		return errors.New("jpegcmyk: nil image")
	}
	b := m.Bounds()
	if b.Empty() {
		return errors.New("jpegcmyk: empty image")
	}
	if b.Dx() >= 1<<16 || b.Dy() >= 1<<16 {
		return errors.New("jpegcmyk: image is too large to encode")
	}
	if len(m.Pix) < m.PixOffset(b.Max.X-1, b.Max.Y-1)+4 {
		return errors.New("jpegcmyk: image pixel buffer is too short")
	}
	return nil
}

// newEncoder returns an encoder writing to w with quantisation tables for
// quality.
func newEncoder(w io.Writer, quality int) *encoder {
	e := &encoder{w: w, out: make([]byte, 0, outCap)}
	e.coders[0].dc, e.coders[0].ac = dcLUT, acLUT
	e.coders[1].dc, e.coders[1].ac = dcChromaLUT, acChromaLUT
	e.setQuality(quality)
	return e
}

// Encode writes m to w as a baseline JPEG with four components and an
// Adobe APP14 segment with transform 0, storing the CMYK samples as they
// are (0 = no ink). quality ranges from 1 to 100, higher is better; values
// outside are clamped. Embed the result in PDF with /Filter /DCTDecode
// /ColorSpace /DeviceCMYK /BitsPerComponent 8 and no /Decode array; see
// the package comment.
func Encode(w io.Writer, m *image.CMYK, quality int) error {
	if err := checkImage(m); err != nil {
		return err
	}
	e := newEncoder(w, quality)
	e.startCMYK(m.Bounds().Size())
	e.writeScanCMYK(m)
	e.out = append(e.out, 0xff, eoiMarker)
	e.flush()
	return e.err
}

// startCMYK writes what comes before the scan of Encode and EncodeRows:
// SOI, APP14 (transform 0), the luminance table for all four components,
// SOF0 for size, the luminance Huffman tables and SOS.
func (e *encoder) startCMYK(size image.Point) {
	e.writeSOIAndAPP14(transformNone)
	e.writeDQT(1)
	e.writeSOF0(size, sofCMYK[:])
	e.writeDHT(1)
	e.out = append(e.out, sosCMYK...)
}

// EncodeYCCK writes m to w as a baseline JPEG in the YCCK form that
// libjpeg writes for JCS_YCCK: an Adobe APP14 segment with transform 2,
// C, M and Y turned into JFIF YCbCr (of R = 255−C, G = 255−M, B = 255−Y),
// K stored as it is, Y and K at full resolution and Cb and Cr subsampled
// 2×2, with the chrominance quantisation and Huffman tables for Cb and
// Cr. A decoder's YCCK→CMYK conversion gives back the ink values (0 = no
// ink), so the result is embedded in PDF exactly as Encode's is: /Filter
// /DCTDecode /ColorSpace /DeviceCMYK /BitsPerComponent 8 and no /Decode
// array. quality is as for Encode. The output is smaller and faster to
// make than Encode's; see the package comment for when to use which.
func EncodeYCCK(w io.Writer, m *image.CMYK, quality int) error {
	if err := checkImage(m); err != nil {
		return err
	}
	e := newEncoder(w, quality)
	e.writeSOIAndAPP14(transformYCCK)
	e.writeDQT(2)
	e.writeSOF0(m.Bounds().Size(), sofYCCK[:])
	e.writeDHT(2)
	e.out = append(e.out, sosYCCK...)
	e.writeScanYCCK(m)
	e.out = append(e.out, 0xff, eoiMarker)
	e.flush()
	return e.err
}

// setQuality fills the quantisation tables for quality, clamped to
// [1, 100], with the scaling of the IJG library (and image/jpeg).
func (e *encoder) setQuality(quality int) {
	quality = max(1, min(100, quality))
	var scale int
	if quality < 50 {
		scale = 5000 / quality
	} else {
		scale = 200 - quality*2
	}
	for i := range e.coders {
		e.coders[i].init(&unscaledQuant[i], scale)
	}
}

// flush writes the pending output.
func (e *encoder) flush() {
	if e.err == nil && len(e.out) > 0 {
		_, e.err = e.w.Write(e.out)
	}
	e.out = e.out[:0]
}

// writeMarkerHeader appends the header of a marker segment whose length
// field is n.
func (e *encoder) writeMarkerHeader(marker uint8, n int) {
	e.out = append(e.out, 0xff, marker, uint8(n>>8), uint8(n))
}

// writeDQT appends the Define Quantization Table segment with the first n
// tables (8-bit, ids 0 and 1).
func (e *encoder) writeDQT(n int) {
	e.writeMarkerHeader(dqtMarker, 2+n*(1+jpegdct.BlockSize))
	for i := range n {
		e.out = append(e.out, uint8(i))
		e.out = append(e.out, e.coders[i].quant[:]...)
	}
}

// sofComponent is a component's entry in the SOF segment.
type sofComponent struct {
	id, hv, tq uint8
}

// The frame components: ids 1 to 4, sampling factors (H<<4 | V) and
// quantisation table.
var (
	sofCMYK = [4]sofComponent{{1, 0x11, 0}, {2, 0x11, 0}, {3, 0x11, 0}, {4, 0x11, 0}}
	sofYCCK = [4]sofComponent{{1, 0x22, 0}, {2, 0x11, 1}, {3, 0x11, 1}, {4, 0x22, 0}}
)

// writeSOF0 appends the Start Of Frame (baseline sequential) segment:
// 8-bit samples and the components comps.
func (e *encoder) writeSOF0(size image.Point, comps []sofComponent) {
	e.writeMarkerHeader(sof0Marker, 8+3*len(comps))
	e.out = append(e.out, 8,
		uint8(size.Y>>8), uint8(size.Y),
		uint8(size.X>>8), uint8(size.X),
		uint8(len(comps)))
	for _, c := range comps {
		e.out = append(e.out, c.id, c.hv, c.tq)
	}
}

// writeDHT appends the Define Huffman Table segment: DC table 0 and AC
// table 0 (the luminance tables), and when n is 2 DC table 1 and AC table
// 1 as well (the chrominance tables).
func (e *encoder) writeDHT(n int) {
	specs := []struct {
		class uint8
		s     *huffmanSpec
	}{
		{0x00, &dcSpec}, {0x10, &acSpec}, {0x01, &dcChromaSpec}, {0x11, &acChromaSpec},
	}[:2*n]
	size := 2
	for _, s := range specs {
		size += 1 + 16 + len(s.s.value)
	}
	e.writeMarkerHeader(dhtMarker, size)
	for _, s := range specs {
		e.out = append(e.out, s.class)
		e.out = append(e.out, s.s.count[:]...)
		e.out = append(e.out, s.s.value...)
	}
}

// The SOS segments for one interleaved scan of the four components (ids 1
// to 4), each followed by its DC|AC Huffman table selectors, then Ss = 0,
// Se = 63, Ah|Al = 0 as section B.2.3 prescribes for sequential DCT.
var (
	sosCMYK = []byte{
		0xff, sosMarker, 0x00, 0x0e, 0x04,
		0x01, 0x00, 0x02, 0x00, 0x03, 0x00, 0x04, 0x00,
		0x00, 0x3f, 0x00,
	}
	sosYCCK = []byte{
		0xff, sosMarker, 0x00, 0x0e, 0x04,
		0x01, 0x00, 0x02, 0x11, 0x03, 0x11, 0x04, 0x00,
		0x00, 0x3f, 0x00,
	}
)

// putBits appends the size least significant bits of sym to the bit
// buffer acc, which holds n < 8 bits, and moves the whole bytes to
// scan[pos:], most significant first; n < 8 holds again afterwards. The
// preconditions are sym < 1<<size and size < 32. It takes and returns the
// writer's state by value so that the state stays in registers.
//
// It has no branch and no check: it stores the pending bits as a whole
// 64-bit word (junk past the whole bytes, overwritten later) and advances
// pos by the number of whole bytes. pos is below scanBufSize (see
// scanBuffer), which the mask tells the compiler, so that it proves the
// store in bounds: the mask changes nothing.
func putBits(acc uint64, n uint, scan *scanBuffer, pos int, sym uint32, size uint) (uint64, uint, int) {
	acc = acc<<size | uint64(sym)
	n += size
	// The n pending bits at the top, junk below. (acc's bits above n
	// are shifted out; n = 0 stores junk only, and advances by 0.)
	binary.BigEndian.PutUint64(scan[pos&(scanBufSize-1):], acc<<((64-n)&63))
	return acc, n & 7, pos + int(n>>3)
}

// appendStuffed appends the entropy-coded data src to dst with a zero byte
// stuffed after each 0xff byte (section F.1.2.3), so that a decoder does
// not take it for a marker. bytes.IndexByte finds them fast; in coded
// data about one byte in 256 is 0xff.
func appendStuffed(dst, src []byte) []byte {
	for {
		i := bytes.IndexByte(src, 0xff)
		if i < 0 {
			return append(dst, src...)
		}
		dst = append(dst, src[:i+1]...)
		dst = append(dst, 0x00)
		src = src[i+1:]
	}
}

// valueBits[quantOffset + v], for v in [−quantOffset, quantOffset), is
// bits<<4 | s, where s is the size category of the coefficient v (the
// number of bits of |v|) and bits are the s bits that follow its Huffman
// code: v if positive, v − 1 (the complement of |v|) if negative (section
// F.1.2.1). So quantize's offset coefficients index it directly.
var valueBits [2 * quantOffset]uint16

func init() {
	for i := range valueBits {
		v := int32(i - quantOffset)
		a, b := v, v
		if v < 0 {
			a, b = -v, v-1
		}
		s := bits.Len32(uint32(a))
		valueBits[i] = uint16(uint32(b)&(1<<s-1)<<4 | uint32(s))
	}
}

// writeBlock quantises and emits the transformed block b (in natural
// order, fixed point, as from jpegdct.FDCT4Fixed) of a component coded
// with c, returning its quantised DC value.
//
// nonzeroMask finds the nonzero coefficients, in zig-zag order, and the
// coding loop visits only those, in order: the gap between two of them
// is the run of zeros. A nonzero AC coefficient costs a rounding, a
// division by multiplication (quantize) and two table look-ups:
// valueBits for its size category and bits, and the AC table, indexed by
// the run and the size category, for the code with room for the bits.
func (e *encoder) writeBlock(b *jpegdct.Block, prevDC int32, c *blockCoder) int32 {
	nonzero := c.nonzeroMask(b) &^ 1 // the AC coefficients
	x := b[0]
	// The sign of x is that of its rounding when this is nonzero, and
	// either sign does when it is zero (see quantize).
	dc := quantize(round(x), x>>31, c.bias[0], c.recip[0]) - quantOffset

	acc, n, scan, pos := e.acc, e.nAcc, &e.scan, e.nScan
	// The DC differences are in [−2040, 2040]: a DC coefficient is the
	// sum of the 64 samples minus 128 each, in [−8192, 8128], and its
	// divisor is at least 8.
	v := valueBits[(dc-prevDC+quantOffset)&(2*quantOffset-1)]
	h := c.dc[v&15]
	acc, n, pos = putBits(acc, n, scan, pos, h>>5|uint32(v>>4), uint(h&31))
	next := 1 // the zig-zag index after the last coefficient coded
	for nonzero != 0 {
		k := lowestBit(nonzero)
		nonzero &= nonzero - 1
		run := k - next
		next = k + 1
		for run > 15 {
			zrl := c.ac[0xf0] // a run of 16 zeros
			acc, n, pos = putBits(acc, n, scan, pos, zrl>>5, uint(zrl&31))
			run -= 16
		}
		x := b[jpegdct.Unzig[k]&63] // the masks spare bounds checks
		u := quantize(round(x), x>>31, c.bias[k], c.recip[k])
		v := valueBits[u&(2*quantOffset-1)]
		h := c.ac[uint8(run<<4)|uint8(v&15)]
		acc, n, pos = putBits(acc, n, scan, pos, h>>5|uint32(v>>4), uint(h&31))
	}
	if next != jpegdct.BlockSize {
		eob := c.ac[0x00] // end of block: the rest are zeros
		acc, n, pos = putBits(acc, n, scan, pos, eob>>5, uint(eob&31))
	}
	e.acc, e.nAcc, e.nScan = acc, n, pos
	return dc
}

// finishScan pads the last byte of the entropy-coded data with 1s,
// appends the bits still pending, and moves the data to out.
func (e *encoder) finishScan() {
	pad := (8 - e.nAcc%8) % 8
	acc := e.acc<<pad | (1<<pad - 1)
	if pad > 0 {
		e.scan[e.nScan] = byte(acc)
		e.nScan++
	}
	e.acc, e.nAcc = 0, 0
	e.out = appendStuffed(e.out, e.scan[:e.nScan])
	e.nScan = 0
}

// loadTile copies the 8×8 pixels of m whose top-left corner is (x, y) to
// tile, as jpegdct.FDCT4Fixed takes them (rows of 32 bytes), repeating
// the last column and row where the region extends past the image.
func loadTile(m *image.CMYK, x, y int, tile *[4 * jpegdct.BlockSize]byte) {
	r := m.Rect
	if x+8 <= r.Max.X && y+8 <= r.Max.Y {
		row := m.PixOffset(x, y)
		for j := range 8 {
			// Eight bytes at a time: copy or an array assignment would
			// call memmove.
			src := m.Pix[row : row+32 : row+32]
			dst := tile[32*j : 32*j+32 : 32*j+32]
			for k := 0; k < 32; k += 8 {
				binary.LittleEndian.PutUint64(dst[k:], binary.LittleEndian.Uint64(src[k:]))
			}
			row += m.Stride
		}
		return
	}
	for j := range 8 {
		row := m.PixOffset(x, min(y+j, r.Max.Y-1))
		for i := range 8 {
			p := m.Pix[row+4*(min(x+i, r.Max.X-1)-x):]
			copy(tile[32*j+4*i:32*j+4*i+4], p[:4])
		}
	}
}

// flushFull moves the entropy-coded data to out and writes out if there
// is enough of it, and reports whether encoding should go on.
func (e *encoder) flushFull() bool {
	if e.nScan >= flushAt {
		e.out = appendStuffed(e.out, e.scan[:e.nScan])
		e.nScan = 0
		e.flush()
	}
	return e.err == nil
}

// writeScanCMYK appends the entropy-coded data of Encode's single scan:
// MCUs of one 8×8 block per component, C, M, Y, K, left to right, top to
// bottom.
func (e *encoder) writeScanCMYK(m *image.CMYK) {
	var prevDC [4]int32
	if e.writeRowsCMYK(m, &prevDC) {
		e.finishScan()
	}
}

// writeRowsCMYK codes the MCU rows of m, the whole picture or a strip of
// it whose top is a multiple of 8 rows from the picture's top, with the
// DC predictions prevDC, and reports whether encoding should go on.
func (e *encoder) writeRowsCMYK(m *image.CMYK, prevDC *[4]int32) bool {
	var (
		tile [4 * jpegdct.BlockSize]byte
		blk  [4]jpegdct.Block
	)
	c := &e.coders[0]
	r := m.Rect
	for y := r.Min.Y; y < r.Max.Y; y += 8 {
		for x := r.Min.X; x < r.Max.X; x += 8 {
			loadTile(m, x, y, &tile)
			jpegdct.FDCT4Fixed(&blk, &tile)
			for i := range blk {
				prevDC[i] = e.writeBlock(&blk[i], prevDC[i], c)
			}
			if !e.flushFull() {
				return false
			}
		}
	}
	return true
}

// EncodeRows is Encode for a picture of width × height pixels that is
// handed over eight rows at a time rather than whole: it calls rows(y0,
// y1, dst) for y0 = 0, 8, 16, … (y1 = min(y0+8, height)) to fill dst
// with rows y0 ≤ y < y1 as CMYK, 4 bytes a pixel, the rows one after the
// other, and codes them before asking for the next. The output is Encode's
// for the same pixels. An error from rows stops encoding and is returned.
func EncodeRows(w io.Writer, width, height, quality int, rows func(y0, y1 int, dst []byte) error) error {
	if width <= 0 || height <= 0 {
		return errors.New("jpegcmyk: empty image")
	}
	if width >= 1<<16 || height >= 1<<16 {
		return errors.New("jpegcmyk: image is too large to encode")
	}
	e := newEncoder(w, quality)
	e.startCMYK(image.Pt(width, height))
	strip := &image.CMYK{Pix: make([]byte, 4*width*8), Stride: 4 * width}
	var prevDC [4]int32
	for y := 0; y < height; y += 8 {
		y1 := min(y+8, height)
		strip.Rect = image.Rect(0, y, width, y1)
		if err := rows(y, y1, strip.Pix[:4*width*(y1-y)]); err != nil {
			return err
		}
		// strip.Pix holds the rows from y on: PixOffset counts from
		// Rect.Min.
		if !e.writeRowsCMYK(strip, &prevDC) {
			return e.err
		}
	}
	e.finishScan()
	e.out = append(e.out, 0xff, eoiMarker)
	e.flush()
	return e.err
}

// ycckMCU holds the blocks of one MCU of EncodeYCCK, in the order of the
// scan (section A.2.3): the four Y blocks (top left, top right, bottom
// left, bottom right), Cb, Cr, and the four K blocks.
type ycckMCU [10]jpegdct.Block

// inkToYCbCr returns image/color.RGBToYCbCr(255−c, 255−m, 255−y), the JFIF
// YCbCr of the colour whose inks are c, m and y (TestInkToYCbCr checks
// all 2²⁴ inputs).
//
// RGBToYCbCr's sums of products become sums of table entries: yccTab[0][c]
// + yccTab[1][m] + yccTab[2][y] holds the sum for Y (before the shift by
// 16) in its low 32 bits and that for Cb in its high 32 bits, and
// crTab likewise holds the terms for Cr. Every term is non-negative and
// every sum is below 2²⁵, so the two halves never carry into each other.
func inkToYCbCr(c, m, y uint8) (yy, cb, cr int32) {
	s := yccTab[0][c] + yccTab[1][m] + yccTab[2][y]
	t := crTab[0][c] + crTab[1][m] + crTab[2][y]
	yy = int32(uint32(s) >> 16)
	// The Cb and Cr sums are in [1<<16, 1<<24]: only the top needs
	// clamping, and only for blue, c = m = 255, y = 0 (red, c = 0, m = y =
	// 255, for Cr).
	cb = min(int32(s>>48), 255)
	cr = min(int32(t>>16), 255)
	return yy, cb, cr
}

// The tables of inkToYCbCr: RGBToYCbCr's formulas
//
//	Y  = ( 19595 R + 38470 G +  7471 B + 1<<15) >> 16
//	Cb = (-11056 R - 21712 G + 32768 B + 257<<15) >> 16
//	Cr = ( 32768 R - 27440 G -  5328 B + 257<<15) >> 16
//
// with R, G, B = 255−C, 255−M, 255−Y and the constants spread so that
// each term is non-negative (the weights of Cb and Cr add up to 0).
var (
	yccTab [3][256]uint64
	crTab  [3][256]uint32
)

func init() {
	for i := range uint64(256) {
		yccTab[0][i] = 19595*(255-i) | (11056*i)<<32
		yccTab[1][i] = 38470*(255-i) | (21712*i)<<32
		yccTab[2][i] = (7471*(255-i) + 1<<15) | (32768*(257-i))<<32
		crTab[0][i] = uint32(32768 * (257 - i))
		crTab[1][i] = uint32(27440 * i)
		crTab[2][i] = uint32(5328 * i)
	}
}

// loadYCCK converts the 16×16 pixels of which pix holds the top-left one
// (rows stride bytes apart) into the blocks of an MCU: per pixel, JFIF
// YCbCr of R, G, B = 255−C, 255−M, 255−Y (libjpeg's cmyk_ycck_convert)
// and K as it is; Cb and Cr are then averaged over each 2×2 group of
// pixels, rounding halves up.
func loadYCCK(pix []byte, stride int, blk *ycckMCU) {
	for cy := range 8 {
		// Pixel rows 2cy and 2cy+1, which are rows ry and ry+1 of the Y
		// and K blocks of block row cy/4.
		r0 := pix[2*cy*stride:]
		r0 = r0[:64]
		r1 := pix[(2*cy+1)*stride:]
		r1 = r1[:64]
		ry := (2 * cy) & 7
		for cx := range 8 {
			p := r0[8*cx : 8*cx+8 : 8*cx+8]
			s := r1[8*cx : 8*cx+8 : 8*cx+8]
			y0, cb0, cr0 := inkToYCbCr(p[0], p[1], p[2])
			y1, cb1, cr1 := inkToYCbCr(p[4], p[5], p[6])
			y2, cb2, cr2 := inkToYCbCr(s[0], s[1], s[2])
			y3, cb3, cr3 := inkToYCbCr(s[4], s[5], s[6])
			// Block q of the four (the masks spare bounds checks), index
			// i of the pixel at (2cx, 2cy) in it.
			q := (cy>>2)<<1 | cx>>2
			i := ry*8 + (2*cx)&7
			yb, kb := &blk[q&3], &blk[6+(q&3)]
			yb[i&63], yb[(i+1)&63], yb[(i+8)&63], yb[(i+9)&63] = y0, y1, y2, y3
			kb[i&63], kb[(i+1)&63], kb[(i+8)&63], kb[(i+9)&63] = int32(p[3]), int32(p[7]), int32(s[3]), int32(s[7])
			blk[4][8*cy+cx] = (cb0 + cb1 + cb2 + cb3 + 2) >> 2
			blk[5][8*cy+cx] = (cr0 + cr1 + cr2 + cr3 + 2) >> 2
		}
	}
}

// loadEdge copies the 16×16 region of m whose top-left corner is (x, y) to
// buf (rows 64 bytes apart), repeating the last column and row where the
// region extends past the image.
func loadEdge(m *image.CMYK, x, y int, buf *[16 * 16 * 4]byte) {
	r := m.Rect
	for j := range 16 {
		row := m.PixOffset(x, min(y+j, r.Max.Y-1))
		for i := range 16 {
			src := m.Pix[row+4*(min(x+i, r.Max.X-1)-x):]
			copy(buf[64*j+4*i:64*j+4*i+4], src[:4])
		}
	}
}

// loadYCCKMCU loads the MCU of m whose top-left pixel is (x, y) into blk,
// going through edge for an MCU that extends past the image.
func loadYCCKMCU(m *image.CMYK, x, y int, blk *ycckMCU, edge *[16 * 16 * 4]byte) {
	r := m.Rect
	if x+16 <= r.Max.X && y+16 <= r.Max.Y {
		loadYCCK(m.Pix[m.PixOffset(x, y):], m.Stride, blk)
		return
	}
	loadEdge(m, x, y, edge)
	loadYCCK(edge[:], 64, blk)
}

// writeScanYCCK appends the entropy-coded data of EncodeYCCK's single
// scan: MCUs of 16×16 pixels, left to right, top to bottom.
func (e *encoder) writeScanYCCK(m *image.CMYK) {
	var (
		blk    ycckMCU
		prevDC [4]int32
		edge   [16 * 16 * 4]byte
	)
	lum, chroma := &e.coders[0], &e.coders[1]
	r := m.Rect
	for y := r.Min.Y; y < r.Max.Y; y += 16 {
		for x := r.Min.X; x < r.Max.X; x += 16 {
			loadYCCKMCU(m, x, y, &blk, &edge)
			for i := range blk {
				jpegdct.FDCTFixed(&blk[i])
			}
			for i := range 4 {
				prevDC[0] = e.writeBlock(&blk[i], prevDC[0], lum)
			}
			prevDC[1] = e.writeBlock(&blk[4], prevDC[1], chroma)
			prevDC[2] = e.writeBlock(&blk[5], prevDC[2], chroma)
			for i := 6; i < 10; i++ {
				prevDC[3] = e.writeBlock(&blk[i], prevDC[3], lum)
			}
			if !e.flushFull() {
				return
			}
		}
	}
	e.finishScan()
}
