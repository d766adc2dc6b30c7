// Copyright 2009 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package jpegdec

import (
	"io"
)

// maxCodeLength is the maximum (inclusive) number of bits in a Huffman code.
const maxCodeLength = 16

// maxNCodes is the maximum (inclusive) number of codes in a Huffman tree.
const maxNCodes = 256

// lutSize is the log-2 size of the Huffman decoder's look-up table.
const lutSize = 8

// huffman is a Huffman decoder, specified in section C.
type huffman struct {
	// length is the number of codes in the tree.
	nCodes int32
	// lut is the look-up table for the next lutSize bits in the bit-stream.
	// The high 8 bits of the uint16 are the encoded value. The low 8 bits
	// are 1 plus the code length, or 0 if the value is too large to fit in
	// lutSize bits.
	lut [1 << lutSize]uint16
	// vals are the decoded values, sorted by their encoding.
	vals [maxNCodes]uint8
	// minCodes[i] is the minimum code of length i, or -1 if there are no
	// codes of that length.
	minCodes [maxCodeLength]int32
	// maxCodes[i] is the maximum code of length i, or -1 if there are no
	// codes of that length.
	maxCodes [maxCodeLength]int32
	// valsIndices[i] is the index into vals of minCodes[i].
	valsIndices [maxCodeLength]int32
	// fast is the sequential scan decoder's look-up table for the next
	// fastBits bits; see buildFast.
	fast [1 << fastBits]uint32
}

// errShortHuffmanData means that an unexpected EOF occurred while decoding
// Huffman data.
var errShortHuffmanData = FormatError("short Huffman data")

// ensureNBits reads bytes from the byte buffer to ensure that d.bits.n is at
// least n. For best performance (avoiding function calls inside hot loops),
// the caller is the one responsible for first checking that d.bits.n < n.
func (d *decoder) ensureNBits(n int32) error {
	for {
		c, err := d.readByteStuffedByte()
		if err != nil {
			if err == io.ErrUnexpectedEOF {
				return errShortHuffmanData
			}
			return err
		}
		d.bits.a = d.bits.a<<8 | uint32(c)
		d.bits.n += 8
		if d.bits.m == 0 {
			d.bits.m = 1 << 7
		} else {
			d.bits.m <<= 8
		}
		if d.bits.n >= n {
			break
		}
	}
	return nil
}

// receiveExtend is the composition of RECEIVE and EXTEND, specified in section
// F.2.2.1.
func (d *decoder) receiveExtend(t uint8) (int32, error) {
	if d.bits.n < int32(t) {
		if err := d.ensureNBits(int32(t)); err != nil {
			return 0, err
		}
	}
	d.bits.n -= int32(t)
	d.bits.m >>= t
	s := int32(1) << t
	x := int32(d.bits.a>>uint8(d.bits.n)) & (s - 1)
	if x < s>>1 {
		x += ((-1) << t) + 1
	}
	return x, nil
}

// processDHT processes a Define Huffman Table marker, and initializes a huffman
// struct from its contents. Specified in section B.2.4.2.
func (d *decoder) processDHT(n int) error {
	for n > 0 {
		if n < 17 {
			return FormatError("DHT has wrong length")
		}
		if err := d.readFull(d.tmp[:17]); err != nil {
			return err
		}
		tc := d.tmp[0] >> 4
		if tc > maxTc {
			return FormatError("bad Tc value")
		}
		th := d.tmp[0] & 0x0f
		// The baseline th <= 1 restriction is specified in table B.5.
		if th > maxTh || (d.baseline && th > 1) {
			return FormatError("bad Th value")
		}
		h := &d.huff[tc][th]

		// Read nCodes and h.vals (and derive h.nCodes).
		// nCodes[i] is the number of codes with code length i.
		// h.nCodes is the total number of codes.
		h.nCodes = 0
		var nCodes [maxCodeLength]int32
		for i := range nCodes {
			nCodes[i] = int32(d.tmp[i+1])
			h.nCodes += nCodes[i]
		}
		if h.nCodes == 0 {
			return FormatError("Huffman table has zero length")
		}
		if h.nCodes > maxNCodes {
			return FormatError("Huffman table has excessive length")
		}
		n -= int(h.nCodes) + 17
		if n < 0 {
			return FormatError("DHT has wrong length")
		}
		if err := d.readFull(h.vals[:h.nCodes]); err != nil {
			return err
		}

		// Derive the look-up table.
		clear(h.lut[:])
		var x, code uint32
		for i := uint32(0); i < lutSize; i++ {
			code <<= 1
			for j := int32(0); j < nCodes[i]; j++ {
				// The codeLength is 1+i, so shift code by 8-(1+i) to
				// calculate the high bits for every 8-bit sequence
				// whose codeLength's high bits matches code.
				// The high 8 bits of lutValue are the encoded value.
				// The low 8 bits are 1 plus the codeLength.
				base := uint8(code << (7 - i))
				lutValue := uint16(h.vals[x])<<8 | uint16(2+i)
				for k := uint8(0); k < 1<<(7-i); k++ {
					h.lut[base|k] = lutValue
				}
				code++
				x++
			}
		}

		// Derive minCodes, maxCodes, and valsIndices.
		var c, index int32
		for i, n := range nCodes {
			if n == 0 {
				h.minCodes[i] = -1
				h.maxCodes[i] = -1
				h.valsIndices[i] = -1
			} else {
				h.minCodes[i] = c
				h.maxCodes[i] = c + n - 1
				h.valsIndices[i] = index
				c += n
				index += n
			}
			c <<= 1
		}
		h.buildFast(tc == dcTable)
	}
	return nil
}

// decodeHuffman returns the next Huffman-coded value from the bit-stream,
// decoded according to h.
func (d *decoder) decodeHuffman(h *huffman) (uint8, error) {
	if h.nCodes == 0 {
		return 0, FormatError("uninitialized Huffman table")
	}

	if d.bits.n < 8 {
		if err := d.ensureNBits(8); err != nil {
			if err != errMissingFF00 && err != errShortHuffmanData {
				return 0, err
			}
			// There are no more bytes of data in this segment, but we may still
			// be able to read the next symbol out of the previously read bits.
			// First, undo the readByte that the ensureNBits call made.
			if d.bytes.nUnreadable != 0 {
				d.unreadByteStuffedByte()
			}
			goto slowPath
		}
	}
	if v := h.lut[(d.bits.a>>uint32(d.bits.n-lutSize))&0xff]; v != 0 {
		n := (v & 0xff) - 1
		d.bits.n -= int32(n)
		d.bits.m >>= n
		return uint8(v >> 8), nil
	}

slowPath:
	for i, code := 0, int32(0); i < maxCodeLength; i++ {
		if d.bits.n == 0 {
			if err := d.ensureNBits(1); err != nil {
				return 0, err
			}
		}
		if d.bits.a&d.bits.m != 0 {
			code |= 1
		}
		d.bits.n--
		d.bits.m >>= 1
		if code <= h.maxCodes[i] {
			return h.vals[h.valsIndices[i]+code-h.minCodes[i]], nil
		}
		code <<= 1
	}
	return 0, FormatError("bad Huffman code")
}

func (d *decoder) decodeBit() (bool, error) {
	if d.bits.n == 0 {
		if err := d.ensureNBits(1); err != nil {
			return false, err
		}
	}
	ret := d.bits.a&d.bits.m != 0
	d.bits.n--
	d.bits.m >>= 1
	return ret, nil
}

func (d *decoder) decodeBits(n int32) (uint32, error) {
	if d.bits.n < n {
		if err := d.ensureNBits(n); err != nil {
			return 0, err
		}
	}
	ret := d.bits.a >> uint32(d.bits.n-n)
	ret &= (1 << uint32(n)) - 1
	d.bits.n -= n
	d.bits.m >>= uint32(n)
	return ret, nil
}

// fastBits is the width of huffman.fast, the look-up table of the
// sequential scan decoder (sequential.go). Wider than lut, it resolves
// nearly every code of a photograph's tables in one look-up, and it has
// room to hold the coefficient that follows the code as well.
const fastBits = 10

// A huffman.fast entry, for the fastBits bits p that start the
// bit-stream, is zero if the code there is longer than fastBits bits;
// otherwise it packs
//
//	bits  0–3  the length of the code,
//	bits  4–7  non-zero for a hot entry: the bits to consume, see below,
//	bits  8–13 AC only: the zero run before the coefficient,
//	bits 16–31 the coefficient, RECEIVE and EXTEND done (F.2.2.1).
//
// An entry is hot if it can be used with no further look at the value:
//
//   - a DC difference or an AC coefficient whose bits are in p too: the
//     bits to consume are those of the code and the coefficient;
//   - an AC end of block (value 0x00): the bits of the code, and a run of
//     63, which takes the decoder past the block's last coefficient. There
//     the decoder consumes the code alone and stops, which is also what
//     processSOS does when a coefficient's run goes past the end.
//
// So for most codes one look-up gives the bits to consume, the zero run
// and the coefficient, as in libjpeg-turbo's jdhuff.c. The other codes
// take the general path (decodeSym).
const (
	fastLenMask    = 0x0f
	fastHotShift   = 4
	fastRunShift   = 8
	fastCoefShift  = 16
	fastEndOfBlock = 63 // the run of an end of block entry
)

// buildFast derives h.fast from h.lut and the code lengths. Each entry is
// what decodeHuffman would do with those bits in front of it, found by
// running the same steps: h.lut first, then the code-by-code search of
// the slow path. So the entry agrees with decodeHuffman even for tables
// with more codes of some length than the length allows, on which h.lut
// and the slow path disagree.
func (h *huffman) buildFast(dc bool) {
	for p := range uint32(len(h.fast)) {
		var value uint8
		var length uint32
		if v := h.lut[p>>(fastBits-lutSize)]; v != 0 {
			value, length = uint8(v>>8), uint32(v&0xff)-1
		} else {
			code := int32(0)
			for i := range fastBits {
				code |= int32(p>>(fastBits-1-i)) & 1
				if code <= h.maxCodes[i] {
					value, length = h.vals[h.valsIndices[i]+code-h.minCodes[i]], uint32(i+1)
					break
				}
				code <<= 1
			}
		}
		e := length
		switch size := uint32(value) & 0x0f; {
		case length == 0:
		case dc && length+uint32(value) <= fastBits:
			e |= (length + uint32(value)) << fastHotShift
			if value != 0 {
				bits := p >> (fastBits - length - uint32(value)) & (1<<value - 1)
				e |= uint32(extend(bits, uint32(value))) << fastCoefShift
			}
		case !dc && value == 0x00:
			e |= length<<fastHotShift | fastEndOfBlock<<fastRunShift
		case !dc && size != 0 && length+size <= fastBits:
			bits := p >> (fastBits - length - size) & (1<<size - 1)
			e |= (length+size)<<fastHotShift | uint32(value>>4)<<fastRunShift |
				uint32(extend(bits, size))<<fastCoefShift
		}
		h.fast[p] = e
	}
}

// extend is EXTEND of section F.2.2.1: the coefficient whose size bits
// (size ≥ 1) are x.
func extend(x, size uint32) int32 {
	if x < 1<<(size-1) {
		return int32(x) - 1<<size + 1
	}
	return int32(x)
}
