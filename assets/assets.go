// Package assets embeds the bundled resources that are not fonts.
package assets

import _ "embed"

// FOGRA39 is the ICC v2 CMYK output profile for print builds
// (FOGRA39L_coated.icc: FOGRA39, ISO 12647-2:2004 coated paper), embedded
// as the PDF/X DestOutputProfile and used by package color to convert RGB
// to CMYK. Its licence is in README-colorprofiles.txt beside it. Treat the
// slice as read-only.
//
//go:embed FOGRA39L_coated.icc
var FOGRA39 []byte
