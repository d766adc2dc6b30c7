package jpegdec

import (
	"encoding/binary"
	"io"

	"paiban/internal/jpegdct"
)

// This file decodes sequential (baseline and extended) scans, by far the
// most common kind, faster than processSOS's general loop, which is kept
// for progressive scans. It must do exactly what that loop does, to the
// coefficient, the error and the byte where the scan is left, for any
// input. The differences are in how:
//
//   - The bit buffer is 64 bits wide and kept in registers (acc and n,
//     passed around by value). It is topped up to at least 57 bits when
//     it runs low, mostly by taking up to 7 bytes at once when none of
//     them is 0xff (refill).
//   - Huffman codes are looked up fastBits at a time, and most
//     coefficients come out of the same look-up (huffman.fast). Such a
//     look-up needs no more than its fastBits bits, so the decoder refills
//     only below refillBelow bits. Any other code goes the general way,
//     which refills below 32 bits: enough for any code (at most 16 bits)
//     with the coefficient bits that follow it (at most 16), so that no
//     step needs to check for running out.
//   - Coefficients are dequantised as they are decoded, and the inverse
//     DCT is told how far into the block they went (idct).
//
// Near the end of the scan's data (at a marker, or the end of the input)
// refill cannot reach 32 bits. There the general way checks the bits each
// step needs against those left and fails with the error image/jpeg's
// reader would have met reading them: the bits of a sequential scan are a
// plain function of the bit-stream, and image/jpeg fails exactly when a
// step needs a bit beyond its end (see decodeSym for the one wrinkle).

// unzig is jpegdct.Unzig as bytes.
var unzig = func() (u [jpegdct.BlockSize]uint8) {
	for i, n := range jpegdct.Unzig {
		u[i] = uint8(n)
	}
	return u
}()

// seqComp is what a sequential scan needs to know of one of its
// components.
type seqComp struct {
	h, v   int // sampling factors
	dc, ac *huffman
	quant  *jpegdct.Block // zig-zag order
	pix    []byte         // the plane blocks are stored into
	stride int
	pred   int32 // the DC prediction: the last block's DC coefficient
	corner int   // in an interleaved scan: where the MCU's blocks start in pix
}

// plane returns the samples of component compIndex and their stride.
func (d *decoder) plane(compIndex int) ([]byte, int) {
	if d.nComp == 1 {
		return d.img1.Pix, d.img1.Stride
	}
	switch compIndex {
	case 0:
		return d.img3.Y, d.img3.YStride
	case 1:
		return d.img3.Cb, d.img3.CStride
	case 2:
		return d.img3.Cr, d.img3.CStride
	}
	return d.blackPix, d.blackStride
}

// processSequentialScan decodes the MCUs of a sequential scan, in the
// order and with the restart handling of processSOS's loop; comps are the
// scan's components, mxx × myy the MCUs.
func (d *decoder) processSequentialScan(comps []seqComp, mxx, myy int) error {
	var (
		b   jpegdct.Block // dequantised coefficients; idct leaves it zero
		acc uint64        // bit buffer: the next n bits of the scan, from the top
		n   uint
		// In a one-component scan: the next block in raster order.
		nextX, nextY int
	)
	d.scanEnd = nil
	n8 := 8 >> d.shift // samples per block side
	fullSize := d.shift == 0

	// In an interleaved scan, the blocks of an MCU: each component's h×v
	// in raster order, as places relative to the MCU's corner in the
	// component's plane (seqComp.corner).
	type mcuBlock struct {
		c      *seqComp
		offset int
	}
	var mcuBlocks [10]mcuBlock // processSOS allows at most 10 (B.2.3)
	nBlocks := 0
	if len(comps) != 1 {
		for i := range comps {
			c := &comps[i]
			for y := range c.v {
				for x := range c.h {
					mcuBlocks[nBlocks] = mcuBlock{c, n8 * (y*c.stride + x)}
					nBlocks++
				}
			}
		}
	}

	mcu, expectedRST := 0, uint8(rst0Marker)
	for my := 0; my < myy; my++ {
		for mx := 0; mx < mxx; mx++ {
			if len(comps) != 1 {
				for i := range comps {
					c := &comps[i]
					c.corner = n8 * (c.v*my*c.stride + c.h*mx)
				}
				for _, blk := range mcuBlocks[:nBlocks] {
					var last int
					var err error
					acc, n, last, err = d.decodeBlock(blk.c, &b, acc, n)
					if err != nil {
						return err
					}
					dst := blk.c.pix[blk.c.corner+blk.offset:]
					if fullSize {
						idct(&b, last, dst, blk.c.stride)
					} else {
						d.storeScaled(&b, last, dst, blk.c.stride)
					}
				}
			} else {
				// One component: its blocks in raster order, h×v of them
				// to an MCU, as processSOS counts, less those outside the
				// picture.
				c := &comps[0]
				for range c.h * c.v {
					bx, by := nextX, nextY
					if nextX++; nextX == mxx*c.h {
						nextX, nextY = 0, nextY+1
					}
					if bx*8 >= d.width || by*8 >= d.height {
						continue
					}
					var last int
					var err error
					acc, n, last, err = d.decodeBlock(c, &b, acc, n)
					if err != nil {
						return err
					}
					dst := c.pix[n8*(by*c.stride+bx):]
					if fullSize {
						idct(&b, last, dst, c.stride)
					} else {
						d.storeScaled(&b, last, dst, c.stride)
					}
				}
			}

			mcu++
			if d.ri > 0 && mcu%d.ri == 0 && mcu < mxx*myy {
				// As in processSOS, with the bit buffer first handed
				// back to the byte reader.
				d.giveBack(acc, n)
				acc, n = 0, 0
				if err := d.readFull(d.tmp[:2]); err != nil {
					return err
				} else if d.tmp[0] != 0xff || d.tmp[1] != expectedRST {
					if err := d.findRST(expectedRST); err != nil {
						return err
					}
				}
				d.scanEnd = nil
				expectedRST++
				if expectedRST == rst7Marker+1 {
					expectedRST = rst0Marker
				}
				for i := range comps {
					comps[i].pred = 0
				}
				d.eobRun = 0
			}
		}
	}
	d.giveBack(acc, n)
	return nil
}

// storeScaled reconstructs the block of dequantised coefficients b, whose
// last non-zero one is number last in zig-zag order (or earlier), at dst,
// rows stride apart, reduced as the decoder reduces, and leaves b zero:
// for reduced decoding what idct is for full size.
func (d *decoder) storeScaled(b *jpegdct.Block, last int, dst []byte, stride int) {
	scaledIDCT(b, d.shift, dst, stride)
	clear(b[:8*int(rowsUsed[last])])
}

// decodeBlock decodes the coefficients of one block of c from the bit
// buffer acc (its top n bits) into b, dequantised, and returns the new
// bit buffer and the zig-zag number of the last coefficient it set.
func (d *decoder) decodeBlock(c *seqComp, b *jpegdct.Block, acc uint64, n uint) (uint64, uint, int, error) {
	q := c.quant

	// The DC coefficient: a difference from the last.
	if n < refillBelow {
		acc, n = d.refill(acc, n)
	}
	var delta int32
	if e := c.dc.fast[acc>>(64-fastBits)]; e>>fastHotShift&15 != 0 && n >= fastBits {
		t := uint(e>>fastHotShift) & 15
		acc <<= t
		n -= t
		delta = int32(e) >> fastCoefShift
	} else {
		if n < 32 {
			acc, n = d.refill(acc, n)
		}
		value, length, err := d.decodeSym(c.dc, acc, n)
		if err != nil {
			return 0, 0, 0, err
		}
		acc <<= length
		n -= length
		if value > 16 {
			return 0, 0, 0, UnsupportedError("excessive DC component")
		}
		if s := uint(value); s > 0 {
			if n < s {
				return 0, 0, 0, d.scanEnd
			}
			delta = extendTop(acc, s)
			acc <<= s
			n -= s
		}
	}
	c.pred += delta
	b[0] = c.pred * q[0]

	// The AC coefficients, which an end-of-band run may skip (processSOS
	// allows those here too).
	if d.eobRun > 0 {
		d.eobRun--
		return acc, n, 0, nil
	}
	ac := &c.ac.fast
	last := 0
	for zig := 1; zig < jpegdct.BlockSize; zig++ {
		if n < refillBelow {
			acc, n = d.refill(acc, n)
		}
		e := ac[acc>>(64-fastBits)]
		if t := uint(e>>fastHotShift) & 15; t != 0 && n >= fastBits {
			// The common cases in one look-up: a coefficient with the
			// zero run before it, or the end of the block.
			if z := zig + int(e>>fastRunShift&63); z < jpegdct.BlockSize {
				zig = z
				acc <<= t
				n -= t
				b[unzig[zig]] = int32(e) >> fastCoefShift * q[zig]
				last = zig
				continue
			}
			l := uint(e & fastLenMask)
			return acc << l, n - l, last, nil
		}
		// The general case, exactly processSOS's steps.
		if n < 32 {
			acc, n = d.refill(acc, n)
		}
		value, length, err := d.decodeSym(c.ac, acc, n)
		if err != nil {
			return 0, 0, 0, err
		}
		acc <<= length
		n -= length
		run, size := int(value>>4), uint(value&0x0f)
		if size != 0 {
			zig += run
			if zig >= jpegdct.BlockSize {
				break
			}
			if n < size {
				return 0, 0, 0, d.scanEnd
			}
			b[unzig[zig]] = extendTop(acc, size) * q[zig]
			acc <<= size
			n -= size
			last = zig
		} else if run != 0x0f {
			// End of band, for this block and run-1 more (EOBn is meant
			// for progressive scans, but processSOS reads it anywhere).
			d.eobRun = uint16(1 << run)
			if run != 0 {
				r := uint(run)
				if n < r {
					return 0, 0, 0, d.scanEnd
				}
				d.eobRun |= uint16(acc >> (64 - r))
				acc <<= r
				n -= r
			}
			d.eobRun--
			break
		} else {
			zig += 0x0f // sixteen zeros, with the loop's zig++
		}
	}
	return acc, n, last, nil
}

// refillBelow is the number of bits below which the decoder refills the
// bit buffer before a code. A hot huffman.fast entry (see fastBits) needs
// no more bits than the fastBits it is looked up by, so the hot path goes
// on down to fastBits bits; the general path, which may need 32, refills
// again first.
const refillBelow = 16

// extendTop is RECEIVE and EXTEND (F.2.2.1) of the top size bits of acc,
// size ≥ 1, without a branch on the sign: v − (2^size − 1) when the top
// bit is 0.
func extendTop(acc uint64, size uint) int32 {
	v := int32(acc >> (64 - size))
	neg := (v - 1<<(size-1)) >> 31 // all ones if the top bit is 0
	return v + neg&(-1<<size+1)
}

// refill tops up the bit buffer acc (its top n bits, n < 57) to at least
// 57 bits or to the end of the scan's data, and returns the new buffer.
// The fast way takes as many whole bytes as fit, up to 7, from the byte
// buffer in one 64-bit load, when none of them is 0xff: a 0xff byte is
// either a stuffed 0xff 0x00 or the start of a marker, and refillSlow
// handles both.
func (d *decoder) refill(acc uint64, n uint) (uint64, uint) {
	if i := d.bytes.i; i+8 <= d.bytes.j {
		k := (63 - n) / 8 // whole bytes that fit
		w := binary.BigEndian.Uint64(d.bytes.buf[i:])
		w = w >> (64 - 8*k) << (64 - 8*k) // only those bytes
		// A byte of w is 0xff if that byte of ^w is zero, which the
		// usual test for a zero byte finds (and has no false positives).
		if nw := ^w; (nw-0x0101010101010101)&^nw&0x8080808080808080 == 0 {
			d.bytes.i = i + int(k)
			return acc | w>>n, n + 8*k
		}
	}
	return d.refillSlow(acc, n)
}

// refillSlow is refill one byte at a time with readByteStuffedByte. At a
// marker or the end of the input, it leaves the byte buffer where the
// scan's data ends and keeps the error that image/jpeg's ensureNBits
// would return on reading further in d.scanEnd; no more is read until
// the next restart marker.
func (d *decoder) refillSlow(acc uint64, n uint) (uint64, uint) {
	for n <= 56 && d.scanEnd == nil {
		c, err := d.readByteStuffedByte()
		if err != nil {
			d.bytes.i -= d.bytes.nUnreadable
			if err == io.ErrUnexpectedEOF {
				err = errShortHuffmanData
			}
			d.scanEnd = err
			break
		}
		acc |= uint64(c) << (56 - n)
		n += 8
	}
	d.bytes.nUnreadable = 0
	return acc, n
}

// giveBack hands the whole bytes still unread in the bit buffer back to
// the byte buffer, leaving it just past the last byte the scan used, as
// image/jpeg's reader does (unreadByteStuffedByte, called by readFull).
// A 0xff byte came from two bytes, 0xff 0x00. refill never holds more than
// 8 bytes, at most 16 in the input, and fill keeps the last 16 in the
// buffer for this.
func (d *decoder) giveBack(acc uint64, n uint) {
	for ; n >= 8; n -= 8 {
		d.bytes.i--
		if byte(acc>>(64-n)) == 0xff {
			d.bytes.i--
		}
	}
	d.bytes.nUnreadable = 0
	d.bits = bits{}
}

// decodeSym decodes the Huffman code at the top of acc as decodeHuffman
// does, returning its value and length. When n < 32 the buffer holds all
// the bits left in the scan's data. The wrinkle: decodeHuffman looks a
// code up in h.lut when at least 8 bits are left, and searches code by
// code otherwise, and the two disagree for over-full tables; with fewer
// than 8 bits left an I/O error other than the end of the data is
// reported even if the code is there.
func (d *decoder) decodeSym(h *huffman, acc uint64, n uint) (uint8, uint, error) {
	if h.nCodes == 0 {
		return 0, 0, FormatError("uninitialized Huffman table")
	}
	if n >= 8 {
		if v := h.lut[acc>>(64-lutSize)]; v != 0 {
			return uint8(v >> 8), uint(v&0xff) - 1, nil
		}
	} else if d.scanEnd != errMissingFF00 && d.scanEnd != errShortHuffmanData {
		return 0, 0, d.scanEnd
	}
	code := int32(0)
	for i := range uint(maxCodeLength) {
		if i >= n {
			return 0, 0, d.scanEnd
		}
		code |= int32(acc>>(63-i)) & 1
		if code <= h.maxCodes[i] {
			return h.vals[h.valsIndices[i]+code-h.minCodes[i]], i + 1, nil
		}
		code <<= 1
	}
	return 0, 0, FormatError("bad Huffman code")
}
