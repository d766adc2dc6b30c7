// Package jpegdec decodes JPEG files at full size or reduced by 2, 4 or 8
// in the DCT domain, the way libjpeg's scale_denom does: a preview that
// needs a 2200-pixel photo at 830 pixels decodes it straight to 1100
// and never builds the full-size picture.
//
// The decoder is Go's image/jpeg reader (reader.go, scan.go and
// huffman.go from Go 1.26, BSD licence, see LICENSE in this folder; the
// DCT itself is in package jpegdct), changed only where the picture is
// allocated (makeImg) and where blocks are written (reconstructBlock, and
// scaled.go for reduced blocks). At full size it returns exactly what
// image/jpeg.Decode returns (TestFullSizeMatchesStdlib).
package jpegdec
