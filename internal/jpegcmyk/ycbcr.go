package jpegcmyk

import (
	"errors"
	"image"
	"io"

	"paiban/internal/jpegdct"
)

// EncodeYCbCr writes m to w exactly as image/jpeg.Encode(w, m,
// &jpeg.Options{Quality: quality}) writes it, byte for byte, but with
// this package's faster machinery (nonzeroMask, quantize, putBits, the
// fixed-point DCT): a JFIF-less baseline JPEG of three components, Y
// sampled 2×2 and Cb and Cr 1×1 (4:2:0) whatever m's subsampling ratio,
// with the luminance and chrominance tables of sections K.1 and K.3.
// quality is clamped to [1, 100] as image/jpeg clamps it.
//
// The stream is what $GOROOT/src/image/jpeg/writer.go (Go 1.26; line
// numbers of go1.26.8) writes:
//
//   - Encode (575–): the size check, quality clamped and turned into
//     the IJG scale (setQuality); SOI, one DQT segment with both tables
//     (writeDQT, 305), SOF0 with components 1 (0x22, table 0), 2 and 3
//     (0x11, table 1) (writeSOF0, 315), one DHT segment with the four
//     Huffman tables (writeDHT, 341), the scan, EOI; no APP0 (JFIF) or
//     other segment.
//   - writeSOS (509–562): sosHeaderYCbCr (503), then MCUs of 16×16
//     pixels from m.Bounds().Min, left to right, top to bottom, each four
//     Y blocks, Cb and Cr, the DC predictions per component; the last
//     byte padded with 1s (561, emit(0x7f, 7)).
//   - yCbCrToYCbCr (445): every pixel's Y, Cb and Cr are read through
//     YOffset and COffset, so each pixel takes the chroma sample that
//     covers it; past the right and bottom edges the last column and row
//     repeat (newYCbCrIndex, loadGeneric).
//   - scale (470): a Cb or Cr sample of the MCU is the mean of its 2×2
//     pixels' samples, (sum + 2) >> 2 (loadGeneric, loadChroma444,
//     loadChroma420).
//   - writeBlock (362): fdct, div (16) by 8 times the quantisation entry,
//     the DC difference and the AC run lengths coded with emitHuffRLE
//     (278), ZRL for runs of 16 zeros, EOB when the block ends in zeros.
//
// Rounded, jpegdct.FDCTFixed is image/jpeg's fdct bit for bit (jpegdct's
// TestFDCTBitExact), quantize is its div (TestQuantizeExact), and this
// package's writeBlock and finishScan code and pad as it does
// (TestEncodeMatchesReference). TestEncodeYCbCrMatchesStdlib,
// TestEncodeYCbCrBounds, TestEncodeYCbCrSamplePhotos and FuzzEncodeYCbCr
// compare whole streams with image/jpeg's.
//
// Where image/jpeg panics (a picture whose Pix planes are too short, or
// some pictures with negative bounds, whose chroma planes
// image.NewYCbCr sizes differently from what COffset reads), so may
// EncodeYCbCr.
func EncodeYCbCr(w io.Writer, m *image.YCbCr, quality int) error {
	if m == nil {
		return errors.New("jpegcmyk: nil image")
	}
	b := m.Bounds()
	// image/jpeg's only check (Encode).
	if b.Dx() >= 1<<16 || b.Dy() >= 1<<16 {
		return errors.New("jpegcmyk: image is too large to encode")
	}
	e := newEncoder(w, quality)
	e.out = append(e.out, 0xff, soiMarker)
	e.writeDQT(2)
	e.writeSOF0(b.Size(), sofYCbCr[:])
	e.writeDHT(2)
	e.out = append(e.out, sosYCbCr...)
	e.writeScanYCbCr(m)
	e.out = append(e.out, 0xff, eoiMarker)
	e.flush()
	return e.err
}

// sofYCbCr are the frame components of image/jpeg's writeSOF0 for three
// components: "\x22\x11\x11" sampling, "\x00\x01\x01" tables.
var sofYCbCr = [3]sofComponent{{1, 0x22, 0}, {2, 0x11, 1}, {3, 0x11, 1}}

// sosYCbCr is image/jpeg's sosHeaderYCbCr: components 1 (tables 0|0),
// 2 and 3 (tables 1|1), Ss = 0, Se = 63, Ah|Al = 0.
var sosYCbCr = []byte{
	0xff, sosMarker, 0x00, 0x0c, 0x03,
	0x01, 0x00, 0x02, 0x11, 0x03, 0x11,
	0x00, 0x3f, 0x00,
}

// mcuTiles holds one MCU of EncodeYCbCr as jpegdct.FDCT4Fixed takes its
// input, so that the DCTs of the six blocks take two calls of it: y has
// the four Y blocks (top left, top right, bottom left, bottom right, the
// scan's order) as its components, y[32*r + 4*c + q] for row r, column c
// of block q; c has Cb as component 0 and Cr as component 1 (components
// 2 and 3 are unused and stay 0).
type mcuTiles struct {
	y, c [4 * jpegdct.BlockSize]byte
}

// ycbcrIndex maps the pixels of the MCUs of an *image.YCbCr to its
// samples, with image/jpeg's edge repetition built in: for the pixel in
// column i and row j of the MCU grid (counted from Bounds().Min, up to the
// grid's padded size), its Y sample is m.Y[yRow[j]+yCol[i]] and its
// chroma samples are at cRow[j]+cCol[i]. YOffset and COffset are sums of
// a term in x and a term in y for every subsampling ratio, so the
// tables, filled by calling them, give exactly what they give for the
// clamped pixel (yCbCrToYCbCr's min(p.X+i, xmax), min(p.Y+j, ymax)),
// negative coordinates (where x/2 rounds towards zero) included.
type ycbcrIndex struct {
	yCol, cCol, yRow, cRow []int
}

// newYCbCrIndex returns the index tables of m's MCU grid.
func newYCbCrIndex(m *image.YCbCr) *ycbcrIndex {
	r := m.Rect
	w, h := max(0, r.Dx()+15)&^15, max(0, r.Dy()+15)&^15
	t := &ycbcrIndex{
		yCol: make([]int, w), cCol: make([]int, w),
		yRow: make([]int, h), cRow: make([]int, h),
	}
	y0, c0 := m.YOffset(r.Min.X, r.Min.Y), m.COffset(r.Min.X, r.Min.Y)
	for i := range w {
		x := min(r.Min.X+i, r.Max.X-1)
		t.yCol[i] = m.YOffset(x, r.Min.Y) - y0
		t.cCol[i] = m.COffset(x, r.Min.Y) - c0
	}
	for j := range h {
		y := min(r.Min.Y+j, r.Max.Y-1)
		t.yRow[j] = m.YOffset(r.Min.X, y)
		t.cRow[j] = m.COffset(r.Min.X, y)
	}
	return t
}

// loadGeneric loads the MCU whose top-left pixel is column i, row j of
// the grid into tl through the index tables: any subsampling ratio, any
// alignment, edges included. It is image/jpeg's yCbCrToYCbCr followed by
// scale.
func (t *ycbcrIndex) loadGeneric(m *image.YCbCr, i, j int, tl *mcuTiles) {
	var cb, cr [jpegdct.BlockSize]int32 // sums of 2×2 pixels' samples
	for dy := range 16 {
		yr, crow := t.yRow[j+dy], t.cRow[j+dy]
		for dx := range 16 {
			x := i + dx
			c := crow + t.cCol[x]
			q := (dy>>3)<<1 | dx>>3
			tl.y[32*(dy&7)+4*(dx&7)+q] = m.Y[yr+t.yCol[x]]
			k := (dy>>1)<<3 | dx>>1
			cb[k] += int32(m.Cb[c])
			cr[k] += int32(m.Cr[c])
		}
	}
	for k := range cb {
		tl.c[4*k] = uint8((cb[k] + 2) >> 2)
		tl.c[4*k+1] = uint8((cr[k] + 2) >> 2)
	}
}

// loadLuma loads the Y blocks of an MCU that lies inside the picture,
// whose top-left sample is y[0], rows stride apart.
func loadLuma(y []byte, stride int, tl *mcuTiles) {
	for dy := range 16 {
		row := y[dy*stride:]
		row = row[:16]
		t := tl.y[32*(dy&7)+(dy>>3)<<1:]
		t = t[:4*7+2]
		for dx := range 8 {
			t[4*dx] = row[dx]
			t[4*dx+1] = row[8+dx]
		}
	}
}

// loadChroma444 loads Cb and Cr of an MCU of a 4:4:4 picture that lies
// inside it, whose top-left samples are cb[0] and cr[0], rows stride
// apart: scale's rounded means of 2×2 samples.
func loadChroma444(cb, cr []byte, stride int, tl *mcuTiles) {
	for r := range 8 {
		b0, b1 := cb[2*r*stride:], cb[(2*r+1)*stride:]
		r0, r1 := cr[2*r*stride:], cr[(2*r+1)*stride:]
		b0, b1, r0, r1 = b0[:16], b1[:16], r0[:16], r1[:16]
		t := tl.c[32*r : 32*r+32]
		for c := range 8 {
			sb := uint(b0[2*c]) + uint(b0[2*c+1]) + uint(b1[2*c]) + uint(b1[2*c+1])
			sr := uint(r0[2*c]) + uint(r0[2*c+1]) + uint(r1[2*c]) + uint(r1[2*c+1])
			t[4*c] = uint8((sb + 2) >> 2)
			t[4*c+1] = uint8((sr + 2) >> 2)
		}
	}
}

// loadChroma420 loads Cb and Cr of an MCU of a 4:2:0 picture that lies
// inside it, whose top-left samples are cb[0] and cr[0], rows stride
// apart, when each chroma sample covers 2×2 pixels of the MCU: the mean
// of four equal samples is the sample.
func loadChroma420(cb, cr []byte, stride int, tl *mcuTiles) {
	for r := range 8 {
		b, c := cb[r*stride:], cr[r*stride:]
		b, c = b[:8], c[:8]
		t := tl.c[32*r : 32*r+32]
		for k := range 8 {
			t[4*k] = b[k]
			t[4*k+1] = c[k]
		}
	}
}

// writeScanYCbCr appends the entropy-coded data of EncodeYCbCr's single
// scan (image/jpeg's writeSOS).
func (e *encoder) writeScanYCbCr(m *image.YCbCr) {
	var (
		tl     mcuTiles
		blkY   [4]jpegdct.Block
		blkC   [4]jpegdct.Block
		prevDC [3]int32
	)
	t := newYCbCrIndex(m)
	r := m.Rect
	w, h := r.Dx(), r.Dy()
	// The MCUs that lie inside the picture are loaded straight from the
	// planes when the chroma samples are where loadChroma444 or
	// loadChroma420 expect them. For 4:2:0 that needs the MCUs to start
	// on even coordinates, not negative ones (COffset's x/2 rounds
	// towards zero).
	fast444 := m.SubsampleRatio == image.YCbCrSubsampleRatio444
	fast420 := m.SubsampleRatio == image.YCbCrSubsampleRatio420 &&
		r.Min.X >= 0 && r.Min.Y >= 0 && r.Min.X%2 == 0 && r.Min.Y%2 == 0
	lum, chroma := &e.coders[0], &e.coders[1]
	for j := 0; j < h; j += 16 {
		for i := 0; i < w; i += 16 {
			switch inside := i+16 <= w && j+16 <= h; {
			case inside && fast444:
				yo, co := t.yRow[j]+t.yCol[i], t.cRow[j]+t.cCol[i]
				loadLuma(m.Y[yo:], m.YStride, &tl)
				loadChroma444(m.Cb[co:], m.Cr[co:], m.CStride, &tl)
			case inside && fast420:
				yo, co := t.yRow[j]+t.yCol[i], t.cRow[j]+t.cCol[i]
				loadLuma(m.Y[yo:], m.YStride, &tl)
				loadChroma420(m.Cb[co:], m.Cr[co:], m.CStride, &tl)
			default:
				t.loadGeneric(m, i, j, &tl)
			}
			jpegdct.FDCT4Fixed(&blkY, &tl.y)
			jpegdct.FDCT4Fixed(&blkC, &tl.c)
			for k := range blkY {
				prevDC[0] = e.writeBlock(&blkY[k], prevDC[0], lum)
			}
			prevDC[1] = e.writeBlock(&blkC[0], prevDC[1], chroma)
			prevDC[2] = e.writeBlock(&blkC[1], prevDC[2], chroma)
			if !e.flushFull() {
				return
			}
		}
	}
	e.finishScan()
}
