// Copyright 2011 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package jpegcmyk encodes 4-component CMYK images as baseline JPEG for PDF
// image XObjects (/Filter /DCTDecode).
//
// The encoder is Go's image/jpeg writer (src/image/jpeg/writer.go, BSD
// licence, see LICENSE in this folder; the forward DCT is in package
// jpegdct) extended
// to four components: baseline sequential DCT, Huffman coded, 8-bit
// samples, one interleaved scan, no subsampling (every component 1×1), the
// luminance quantisation table of section K.1 of the spec scaled by quality
// for all four components (in CMYK the detail is spread over all the inks;
// none of them is "chroma" that could be quantised harder), and the
// luminance DC/AC Huffman tables of section K.3 for all four. The output is
// a pure function of the pixels and quality.
//
// # Polarity: APP14 transform 0, ink values as they are, no /Decode
//
// The sample values are stored as they are in the *image.CMYK, 0 = no ink,
// 255 = full ink, and the stream carries an Adobe APP14 segment with
// transform 0 ("Adobe", version 100, flags 0, 0, transform 0), which says
// that the four components are CMYK and were not colour-transformed
// (not YCCK). The image XObject must therefore be written as
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
// test). Of the two consistent choices (inverted
// data plus that /Decode, or plain data and the default /Decode) this
// package takes the second: what a reader decodes is the CMYK the layout
// engine computed. TestPDFColours checks it with pdftoppm (and
// Ghostscript when installed): C, M, Y and K patches render cyan,
// magenta, yellow and black, and the same stream with
// /Decode [1 0 1 0 1 0 1 0] renders inverted; TestPDFMatchesRaw checks
// that a picture renders the same as JPEG and as raw samples.
//
// The APP14 segment is written, although libjpeg (and so poppler) also
// treats a 4-component JPEG without one as CMYK, because the transform
// flag rules out a YCCK reading by any decoder and because Go's
// image/jpeg refuses 4-component JPEGs without it.
//
// The price: the stream saved as a stand-alone .jpg (say by pdfimages -j)
// shows inverted in Photoshop, browsers, ImageMagick and Go's image/jpeg,
// which apply the Adobe convention; image/jpeg's Decode returns an
// *image.CMYK whose samples are 255 minus the encoded ones. That affects
// only extracted files, never the printed PDF.
package jpegcmyk

import (
	"paiban/internal/jpegdct"

	"errors"
	"image"
	"io"
	"math/bits"
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

// adobeAPP14 is the SOI marker followed by the Adobe APP14 segment:
// "Adobe", DCTEncode version 100, flags0 0, flags1 0, transform 0 (no
// colour transform: the components are CMYK as stored).
var adobeAPP14 = []byte{
	0xff, soiMarker,
	0xff, app14Marker, 0x00, 0x0e,
	'A', 'd', 'o', 'b', 'e',
	0x00, 0x64, // version 100
	0x00, 0x00, // flags0
	0x00, 0x00, // flags1
	0x00, // transform: 0 = CMYK as stored
}

// sosHeader is the SOS marker for one interleaved scan of four components
// (ids 1 to 4), each with DC table 0 and AC table 0, followed by Ss = 0,
// Se = 63, Ah|Al = 0 as section B.2.3 prescribes for sequential DCT.
var sosHeader = []byte{
	0xff, sosMarker, 0x00, 0x0e, 0x04,
	0x01, 0x00, 0x02, 0x00, 0x03, 0x00, 0x04, 0x00,
	0x00, 0x3f, 0x00,
}

// flushAt is the size at which pending output goes to the writer.
const flushAt = 64 << 10

// encoder encodes one image.
type encoder struct {
	w   io.Writer
	err error
	out []byte // pending output

	// acc holds the nAcc least significant bits still to be written.
	acc  uint64
	nAcc uint

	// quant is the scaled quantisation table in zig-zag order, as written
	// to the DQT segment. div[k] is 8 × quant[k] (the DCT output is scaled
	// by 8) and recip[k] = ⌈2³² / div[k]⌉, both indexed in zig-zag order.
	quant [jpegdct.BlockSize]byte
	div   [jpegdct.BlockSize]int32
	recip [jpegdct.BlockSize]uint64
}

// Encode writes m to w as a baseline JPEG with four components and an
// Adobe APP14 segment with transform 0, storing the CMYK samples as they
// are (0 = no ink). quality ranges from 1 to 100, higher is better; values
// outside are clamped. Embed the result in PDF with /Filter /DCTDecode
// /ColorSpace /DeviceCMYK /BitsPerComponent 8 and no /Decode array; see
// the package comment.
func Encode(w io.Writer, m *image.CMYK, quality int) error {
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
	e := encoder{w: w, out: make([]byte, 0, flushAt+4096)}
	e.setQuality(quality)

	e.out = append(e.out, adobeAPP14...)
	e.writeDQT()
	e.writeSOF0(b.Size())
	e.writeDHT()
	e.out = append(e.out, sosHeader...)
	e.writeScan(m)
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
	for k, u := range unscaledQuant {
		x := (int(u)*scale + 50) / 100
		x = max(1, min(255, x))
		e.quant[k] = uint8(x)
		e.div[k] = 8 * int32(x)
		e.recip[k] = (1<<32 + uint64(e.div[k]) - 1) / uint64(e.div[k])
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

// writeDQT appends the Define Quantization Table segment: table 0, 8-bit.
func (e *encoder) writeDQT() {
	e.writeMarkerHeader(dqtMarker, 2+1+jpegdct.BlockSize)
	e.out = append(e.out, 0x00)
	e.out = append(e.out, e.quant[:]...)
}

// writeSOF0 appends the Start Of Frame (baseline sequential) segment:
// 8-bit samples, four components with ids 1 to 4, sampling 1×1 each,
// quantisation table 0.
func (e *encoder) writeSOF0(size image.Point) {
	e.writeMarkerHeader(sof0Marker, 8+3*4)
	e.out = append(e.out, 8,
		uint8(size.Y>>8), uint8(size.Y),
		uint8(size.X>>8), uint8(size.X),
		4)
	for id := uint8(1); id <= 4; id++ {
		e.out = append(e.out, id, 0x11, 0x00)
	}
}

// writeDHT appends the Define Huffman Table segment: DC table 0 and AC
// table 0.
func (e *encoder) writeDHT() {
	e.writeMarkerHeader(dhtMarker, 2+(1+16+len(dcSpec.value))+(1+16+len(acSpec.value)))
	e.out = append(e.out, 0x00)
	e.out = append(e.out, dcSpec.count[:]...)
	e.out = append(e.out, dcSpec.value...)
	e.out = append(e.out, 0x10)
	e.out = append(e.out, acSpec.count[:]...)
	e.out = append(e.out, acSpec.value...)
}

// emit appends the n least significant bits of code to the bit stream,
// stuffing a zero byte after each 0xff. The precondition is
// code < 1<<n and n <= 32.
func (e *encoder) emit(code uint32, n uint) {
	e.acc = e.acc<<n | uint64(code)
	e.nAcc += n
	for e.nAcc >= 8 {
		e.nAcc -= 8
		c := byte(e.acc >> e.nAcc)
		e.out = append(e.out, c)
		if c == 0xff {
			e.out = append(e.out, 0x00)
		}
	}
}

// emitHuff emits the codeword for value from the Huffman table h.
func (e *encoder) emitHuff(h *huffmanLUT, value uint8) {
	x := h[value]
	e.emit(x&(1<<24-1), uint(x>>24))
}

// emitHuffRLE emits a run of runLength zeros followed by value (a DC
// difference when runLength is 0 and h is the DC table): the Huffman code
// of the run and the value's size category, then the value's bits.
func (e *encoder) emitHuffRLE(h *huffmanLUT, runLength, value int32) {
	a, b := value, value
	if a < 0 {
		a, b = -value, value-1
	}
	n := uint(bits.Len32(uint32(a)))
	x := h[uint8(runLength<<4)|uint8(n)]
	code, size := x&(1<<24-1), uint(x>>24)
	// Both parts in one call: a codeword is at most 16 bits, the value at
	// most 11 (AC) or 12 (DC).
	e.emit(code<<n|uint32(b)&(1<<n-1), size+n)
}

// quantize returns v / div[k] rounded to the nearest integer, ties away
// from zero, by multiplying by the reciprocal. That is exact because
// |v| + div[k]/2 < 2¹⁶ and div[k] < 2¹¹ (TestQuantizeExact).
// It is branch-free: the signs of DCT coefficients are unpredictable.
func (e *encoder) quantize(v int32, k int) int32 {
	sign := v >> 31 // 0 or -1
	a := (v ^ sign) - sign
	q := int32((uint64(a+e.div[k]>>1) * e.recip[k]) >> 32)
	return (q ^ sign) - sign
}

// writeBlock transforms, quantises and emits a block (in natural order),
// returning its quantised DC value.
func (e *encoder) writeBlock(b *jpegdct.Block, prevDC int32) int32 {
	jpegdct.FDCT(b)
	dc := e.quantize(b[0], 0)
	e.emitHuffRLE(&dcLUT, 0, dc-prevDC)
	runLength := int32(0)
	for zig := 1; zig < jpegdct.BlockSize; zig++ {
		ac := e.quantize(b[jpegdct.Unzig[zig]], zig)
		if ac == 0 {
			runLength++
			continue
		}
		for runLength > 15 {
			e.emitHuff(&acLUT, 0xf0)
			runLength -= 16
		}
		e.emitHuffRLE(&acLUT, runLength, ac)
		runLength = 0
	}
	if runLength > 0 {
		e.emitHuff(&acLUT, 0x00)
	}
	return dc
}

// loadBlocks splits the 8×8 region of m whose top-left corner is (x, y)
// into its four components, repeating the last column and row where the
// region extends past the image.
func loadBlocks(m *image.CMYK, x, y int, blk *[4]jpegdct.Block) {
	r := m.Rect
	if x+8 <= r.Max.X && y+8 <= r.Max.Y {
		for j := range 8 {
			row := m.Pix[m.PixOffset(x, y+j):]
			row = row[:32]
			for i := range 8 {
				p := row[4*i : 4*i+4 : 4*i+4]
				blk[0][8*j+i] = int32(p[0])
				blk[1][8*j+i] = int32(p[1])
				blk[2][8*j+i] = int32(p[2])
				blk[3][8*j+i] = int32(p[3])
			}
		}
		return
	}
	for j := range 8 {
		row := m.PixOffset(x, min(y+j, r.Max.Y-1))
		for i := range 8 {
			p := m.Pix[row+4*(min(x+i, r.Max.X-1)-x):]
			p = p[:4]
			blk[0][8*j+i] = int32(p[0])
			blk[1][8*j+i] = int32(p[1])
			blk[2][8*j+i] = int32(p[2])
			blk[3][8*j+i] = int32(p[3])
		}
	}
}

// writeScan appends the entropy-coded data of the single scan: MCUs of
// one 8×8 block per component, C, M, Y, K, left to right, top to bottom.
func (e *encoder) writeScan(m *image.CMYK) {
	var (
		blk    [4]jpegdct.Block
		prevDC [4]int32
	)
	r := m.Rect
	for y := r.Min.Y; y < r.Max.Y; y += 8 {
		for x := r.Min.X; x < r.Max.X; x += 8 {
			loadBlocks(m, x, y, &blk)
			for c := range blk {
				prevDC[c] = e.writeBlock(&blk[c], prevDC[c])
			}
			if len(e.out) >= flushAt {
				e.flush()
				if e.err != nil {
					return
				}
			}
		}
	}
	// Pad the last byte with 1s.
	e.emit(0x7f, 7)
}
