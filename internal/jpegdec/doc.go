// Package jpegdec decodes JPEG files at full size or reduced by 2, 4 or 8
// in the DCT domain, the way libjpeg's scale_denom does: a preview that
// needs a 2200-pixel photo at 830 pixels decodes it straight to 1100
// and never builds the full-size picture.
//
// The decoder is Go's image/jpeg reader (reader.go, scan.go and
// huffman.go from Go 1.26, BSD licence, see LICENSE in this folder; the
// DCT itself is in package jpegdct), changed where the picture is
// allocated (makeImg), where blocks are written (reconstructBlock, and
// scaled.go for reduced blocks), and in how sequential scans are decoded:
// sequential.go decodes them about three times as fast as image/jpeg, with
// a 64-bit bit buffer, Huffman look-ups that give the coefficient too, and
// idct.go's inverse DCT, jpegdct's fused with the level shift, clamp and
// store, which skips what is zero. Progressive scans go image/jpeg's way.
// At full size it returns exactly what image/jpeg.Decode returns, picture
// or error (TestFullSizeMatchesStdlib, TestSequentialMatchesStdlib,
// FuzzDecode).
package jpegdec
