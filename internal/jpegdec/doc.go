// Package jpegdec decodes JPEG files at full size or reduced by 2, 4 or 8
// in the DCT domain, the way libjpeg's scale_denom does: a preview that
// needs a 2200-pixel photo at 830 pixels decodes it straight to 1100
// and never builds the full-size picture.
//
// The decoder is Go's image/jpeg reader (reader.go, scan.go, huffman.go
// and the inverse DCT of dct.go from Go 1.26, BSD licence, see LICENSE in
// this folder), changed only where the picture is allocated (makeImg) and
// where blocks are written (reconstructBlock, and scaled.go for reduced
// blocks). At full size it returns exactly what image/jpeg.Decode returns
// (TestFullSizeMatchesStdlib).
package jpegdec
