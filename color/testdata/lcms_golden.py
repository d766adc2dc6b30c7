#!/usr/bin/env python3
"""Writes lcms_golden.txt: sRGB → FOGRA39L_coated.icc conversions by
LittleCMS 2 (the system's liblcms2.so.2, through ctypes), the reference that
color's TestMatchesLittleCMS compares with.

Each line: r g b, then C M Y K (0..65535) relative colorimetric, then C M Y K
relative colorimetric with black point compensation (what Perceptual does
for this profile). Transforms use lcms's built-in sRGB profile and
cmsFLAGS_NOOPTIMIZE, so lcms evaluates the profile's own tables rather than
a precalculated device link.

Run from this folder: python3 lcms_golden.py > lcms_golden.txt
"""
import ctypes
import struct

lcms = ctypes.CDLL("liblcms2.so.2")
lcms.cmsGetEncodedCMMversion.restype = ctypes.c_int
for f in ("cmsOpenProfileFromFile", "cmsCreate_sRGBProfile", "cmsCreateTransform"):
    getattr(lcms, f).restype = ctypes.c_void_p
lcms.cmsCreateTransform.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_void_p,
                                    ctypes.c_uint32, ctypes.c_uint32, ctypes.c_uint32]
lcms.cmsDoTransform.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_uint32]

TYPE_RGB_8 = (4 << 16) | (3 << 3) | 1
TYPE_CMYK_16 = (6 << 16) | (4 << 3) | 2
INTENT_RELATIVE_COLORIMETRIC = 1
NOOPTIMIZE, BPC = 0x0100, 0x2000

srgb = lcms.cmsCreate_sRGBProfile()
fogra = lcms.cmsOpenProfileFromFile(b"../../assets/FOGRA39L_coated.icc", b"r")
assert srgb and fogra

steps = (0, 51, 102, 153, 204, 255)
colours = [(r, g, b) for r in steps for g in steps for b in steps]
colours += [(v, v, v) for v in (1, 5, 10, 20, 30, 40, 64, 96, 128, 150, 166, 192, 230, 250)]
colours += [
    (255, 224, 196), (241, 194, 125), (224, 172, 140), (198, 134, 66),  # skin
    (141, 85, 36), (92, 56, 40),
    (20, 30, 15), (50, 45, 25), (10, 20, 60), (70, 10, 20),  # dark
    (135, 206, 235), (34, 139, 34), (255, 165, 0), (128, 0, 128),
]
data = bytes(v for c in colours for v in c)

results = []
for flags in (NOOPTIMIZE, NOOPTIMIZE | BPC):
    t = lcms.cmsCreateTransform(srgb, TYPE_RGB_8, fogra, TYPE_CMYK_16,
                                INTENT_RELATIVE_COLORIMETRIC, flags)
    assert t
    out = ctypes.create_string_buffer(8 * len(colours))
    lcms.cmsDoTransform(t, data, out, len(colours))
    results.append([struct.unpack_from("<4H", out.raw, 8 * i) for i in range(len(colours))])

print("# sRGB → FOGRA39L_coated.icc by LittleCMS %d (lcms_golden.py):" % lcms.cmsGetEncodedCMMversion())
print("# r g b | C M Y K relative colorimetric | C M Y K relative colorimetric + BPC (0..65535)")
for i, c in enumerate(colours):
    print(*c, *results[0][i], *results[1][i])
