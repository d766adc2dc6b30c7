package jpegdec

import (
	"bytes"
	"math/rand/v2"

	"paiban/internal/jpegdct"
)

// This file is a JPEG writer for tests: it writes given quantised
// coefficients in any layout the decoder accepts, which image/jpeg's
// encoder cannot (it writes only 4:2:0 and grey, one scan, no restart
// markers, fixed tables): every sampling ratio, three or four
// components, separate scans per component, restart intervals, 16-bit
// quantisation tables, Huffman tables made for the data (with codes up to
// 16 bits long for rare values), coefficients up to the largest sizes the
// decoder reads, and progressive scans. Its loops mirror processSOS's, so
// the decoder meets the blocks in the order it reads them.

// testJPEG describes a picture to write.
type testJPEG struct {
	width, height int
	comps         []testComp
	restart       int  // restart interval in MCUs, 0 for none
	separate      bool // one scan per component instead of one for all
	progressive   bool // spectral selection and successive approximation of DC
	quant16       bool // write the quantisation tables with 16-bit entries
	adobe         int  // −1: no APP14 segment; else its transform value
	quant         [2]jpegdct.Block
	rng           *rand.Rand
	// computed:
	mxx, myy int
}

// testComp is one component: its sampling factors, quantisation and
// Huffman table numbers, and its quantised coefficients in natural order,
// blocksW × blocksH of them, mxx·h × myy·v.
type testComp struct {
	id      byte
	h, v    int
	tq, tab int
	blocks  []jpegdct.Block
	blocksW int
}

// layout sets mxx, myy and makes each component's (zero) blocks.
func (t *testJPEG) layout() {
	h0, v0 := t.comps[0].h, t.comps[0].v
	if len(t.comps) == 1 {
		h0, v0 = 1, 1
	}
	t.mxx = (t.width + 8*h0 - 1) / (8 * h0)
	t.myy = (t.height + 8*v0 - 1) / (8 * v0)
	for i := range t.comps {
		c := &t.comps[i]
		if len(t.comps) == 1 {
			c.h, c.v = 1, 1
		}
		c.blocksW = t.mxx * c.h
		c.blocks = make([]jpegdct.Block, c.blocksW*t.myy*c.v)
	}
}

// bitWriter writes entropy-coded data, stuffing a zero after each 0xff.
type bitWriter struct {
	out  bytes.Buffer
	acc  uint32
	nacc uint
}

func (w *bitWriter) bits(v uint32, n uint) {
	for n > 0 {
		n--
		w.acc = w.acc<<1 | v>>n&1
		w.nacc++
		if w.nacc == 8 {
			w.out.WriteByte(byte(w.acc))
			if byte(w.acc) == 0xff {
				w.out.WriteByte(0)
			}
			w.acc, w.nacc = 0, 0
		}
	}
}

// flush pads the last byte with ones (F.1.2.3).
func (w *bitWriter) flush() {
	if w.nacc > 0 {
		w.bits(0xff, 8-w.nacc)
	}
}

// huffEnc is a Huffman table being counted for or coded with.
type huffEnc struct {
	freq  [256]int
	code  [256]uint32
	size  [256]uint
	bits  [17]int // codes per length, as in DHT
	vals  []byte
	count bool // counting pass: only freq is updated
}

func (h *huffEnc) put(w *bitWriter, sym byte) {
	if h.count {
		h.freq[sym]++
		return
	}
	if h.size[sym] == 0 {
		panic("symbol without a code")
	}
	w.bits(h.code[sym], h.size[sym])
}

// build makes the table from the counts as section K.2 does (libjpeg's
// jpeg_gen_optimal_table): Huffman code lengths, limited to 16 bits.
func (h *huffEnc) build() {
	var freq [257]int
	copy(freq[:], h.freq[:])
	freq[256] = 1 // reserves the all-ones code
	var codesize [257]int
	var others [257]int
	for i := range others {
		others[i] = -1
	}
	for {
		c1, c2 := -1, -1
		v := int(^uint(0) >> 1)
		for i := range freq {
			if freq[i] > 0 && freq[i] <= v {
				v, c1 = freq[i], i
			}
		}
		v = int(^uint(0) >> 1)
		for i := range freq {
			if freq[i] > 0 && freq[i] <= v && i != c1 {
				v, c2 = freq[i], i
			}
		}
		if c2 < 0 {
			break
		}
		freq[c1] += freq[c2]
		freq[c2] = 0
		codesize[c1]++
		for others[c1] >= 0 {
			c1 = others[c1]
			codesize[c1]++
		}
		others[c1] = c2
		codesize[c2]++
		for others[c2] >= 0 {
			c2 = others[c2]
			codesize[c2]++
		}
	}
	var bits [33]int
	for _, s := range codesize {
		if s > 0 {
			bits[s]++
		}
	}
	for i := 32; i > 16; i-- {
		for bits[i] > 0 {
			j := i - 2
			for bits[j] == 0 {
				j--
			}
			bits[i] -= 2
			bits[i-1]++
			bits[j+1] += 2
			bits[j]--
		}
	}
	i := 16
	for bits[i] == 0 {
		i--
	}
	bits[i]--
	copy(h.bits[:], bits[:17])
	h.vals = h.vals[:0]
	for l := 1; l <= 32; l++ {
		for s := range 256 {
			if codesize[s] == l {
				h.vals = append(h.vals, byte(s))
			}
		}
	}
	// Canonical codes (C.2): the lengths as limited, in value order.
	code := uint32(0)
	k := 0
	for l := 1; l <= 16; l++ {
		for range h.bits[l] {
			s := h.vals[k]
			h.code[s], h.size[s] = code, uint(l)
			code++
			k++
		}
		code <<= 1
	}
	h.count = false
}

// sizeOf is the number of bits of v's magnitude (SSSS of F.1.2.1).
func sizeOf(v int32) uint {
	if v < 0 {
		v = -v
	}
	n := uint(0)
	for v > 0 {
		n++
		v >>= 1
	}
	return n
}

// putValue writes the size bits of v (F.1.2.1: negative values as v−1).
func putValue(w *bitWriter, v int32, size uint) {
	if v < 0 {
		v--
	}
	w.bits(uint32(v)&(1<<size-1), size)
}

// scanSpec is one scan: its components and the spectral and successive
// approximation parameters.
type scanSpec struct {
	comps          []int
	ss, se, ah, al int
}

func (t *testJPEG) scans() []scanSpec {
	all := make([]int, len(t.comps))
	for i := range all {
		all[i] = i
	}
	if t.progressive {
		s := []scanSpec{{comps: all, ss: 0, se: 0, ah: 0, al: 1}, {comps: all, ss: 0, se: 0, ah: 1, al: 0}}
		for i := range t.comps {
			s = append(s, scanSpec{comps: []int{i}, ss: 1, se: 5}, scanSpec{comps: []int{i}, ss: 6, se: 63})
		}
		return s
	}
	if t.separate {
		var s []scanSpec
		for i := range t.comps {
			s = append(s, scanSpec{comps: []int{i}, se: 63})
		}
		return s
	}
	return []scanSpec{{comps: all, se: 63}}
}

// encodeScan writes (or counts, for the Huffman tables) one scan.
func (t *testJPEG) encodeScan(w *bitWriter, sc scanSpec, dcT, acT *[2]huffEnc) {
	var pred [4]int32
	mcu := 0
	blockCount := 0
	rst := 0
	for my := 0; my < t.myy; my++ {
		for mx := 0; mx < t.mxx; mx++ {
			for _, ci := range sc.comps {
				c := &t.comps[ci]
				for j := 0; j < c.h*c.v; j++ {
					var bx, by int
					if len(sc.comps) != 1 {
						bx, by = c.h*mx+j%c.h, c.v*my+j/c.h
					} else {
						q := t.mxx * c.h
						bx, by = blockCount%q, blockCount/q
						blockCount++
						if bx*8 >= t.width || by*8 >= t.height {
							continue
						}
					}
					b := &c.blocks[by*c.blocksW+bx]
					if sc.ss == 0 {
						if sc.ah != 0 {
							w.bits(uint32(b[0]>>sc.al)&1, 1)
							continue
						}
						v := b[0] >> sc.al
						diff := v - pred[ci]
						pred[ci] = v
						s := sizeOf(diff)
						dcT[c.tab].put(w, byte(s))
						putValue(w, diff, s)
						if sc.se == 0 {
							continue
						}
					}
					run := 0
					start := max(sc.ss, 1)
					for zig := start; zig <= sc.se; zig++ {
						v := b[jpegdct.Unzig[zig]]
						if v == 0 {
							run++
							continue
						}
						for run > 15 {
							acT[c.tab].put(w, 0xf0)
							run -= 16
						}
						s := sizeOf(v)
						acT[c.tab].put(w, byte(run<<4)|byte(s))
						putValue(w, v, s)
						run = 0
					}
					if run > 0 {
						acT[c.tab].put(w, 0x00)
					}
				}
			}
			mcu++
			if t.restart > 0 && mcu%t.restart == 0 && mcu < t.mxx*t.myy {
				w.flush()
				w.out.Write([]byte{0xff, byte(rst0Marker + rst)})
				rst = (rst + 1) % 8
				pred = [4]int32{}
			}
		}
	}
	w.flush()
}

// encode writes the JPEG file.
func (t *testJPEG) encode() []byte {
	var out bytes.Buffer
	seg := func(marker byte, body []byte) {
		out.Write([]byte{0xff, marker, byte((len(body) + 2) >> 8), byte(len(body) + 2)})
		out.Write(body)
	}
	out.Write([]byte{0xff, soiMarker})
	if t.adobe >= 0 {
		seg(app14Marker, []byte{'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, byte(t.adobe)})
	}
	for tq := range 2 {
		var body []byte
		if t.quant16 {
			body = append(body, 0x10|byte(tq))
			for zig := range 64 {
				q := t.quant[tq][zig]
				body = append(body, byte(q>>8), byte(q))
			}
		} else {
			body = append(body, byte(tq))
			for zig := range 64 {
				body = append(body, byte(t.quant[tq][zig]))
			}
		}
		seg(dqtMarker, body)
	}
	sof := []byte{8, byte(t.height >> 8), byte(t.height), byte(t.width >> 8), byte(t.width), byte(len(t.comps))}
	for _, c := range t.comps {
		sof = append(sof, c.id, byte(c.h<<4|c.v), byte(c.tq))
	}
	marker := byte(sof1Marker)
	if t.progressive {
		marker = sof2Marker
	}
	seg(marker, sof)
	if t.restart > 0 {
		seg(driMarker, []byte{byte(t.restart >> 8), byte(t.restart)})
	}
	for _, sc := range t.scans() {
		// Count, make the tables for this scan, write them and the scan.
		var dcT, acT [2]huffEnc
		for i := range 2 {
			dcT[i].count, acT[i].count = true, true
		}
		t.encodeScan(&bitWriter{}, sc, &dcT, &acT)
		var dht []byte
		for i := range 2 {
			for k, h := range []*huffEnc{&dcT[i], &acT[i]} {
				if h.freq == [256]int{} {
					h.count = false
					continue
				}
				t.sprinkle(h, k == 1)
				h.build()
				dht = append(dht, byte(k<<4|i))
				for l := 1; l <= 16; l++ {
					dht = append(dht, byte(h.bits[l]))
				}
				dht = append(dht, h.vals...)
			}
		}
		if len(dht) > 0 {
			seg(dhtMarker, dht)
		}
		sos := []byte{byte(len(sc.comps))}
		for _, ci := range sc.comps {
			c := t.comps[ci]
			sos = append(sos, c.id, byte(c.tab<<4|c.tab))
		}
		sos = append(sos, byte(sc.ss), byte(sc.se), byte(sc.ah<<4|sc.al))
		seg(sosMarker, sos)
		w := &bitWriter{}
		t.encodeScan(w, sc, &dcT, &acT)
		out.Write(w.out.Bytes())
	}
	out.Write([]byte{0xff, eoiMarker})
	return out.Bytes()
}

// sprinkle adds rare symbols to a table's counts, so that the table has
// codes of up to 16 bits, and the decoder meets long codes for the
// symbols that are really used.
func (t *testJPEG) sprinkle(h *huffEnc, ac bool) {
	if t.rng.IntN(2) == 0 {
		return
	}
	for range 40 + t.rng.IntN(120) {
		s := byte(t.rng.IntN(12))
		if ac {
			s = byte(t.rng.IntN(256))
		}
		if h.freq[s] == 0 {
			h.freq[s] = 1
		}
	}
	// Rarely used real symbols get long codes too: halve some counts.
	for s := range h.freq {
		if h.freq[s] > 1 && t.rng.IntN(4) == 0 {
			h.freq[s] = 1 + h.freq[s]/64
		}
	}
}
