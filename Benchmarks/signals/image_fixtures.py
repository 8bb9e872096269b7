#!/usr/bin/env python3
"""Writes the small image fixtures in Tests/Fixtures/signals/ with encoders independent of kgfuse (Pillow and
a minimal PNG/PNM writer below built on zlib). Every image is 7 wide, 5 high; sample values follow formulas the
Swift tests recompute:
  8-bit  v(c, y, x) = (37·x + 91·y + 53·c + 11) mod 256
  16-bit v(c, y, x) = (9973·x + 31337·y + 7919·c + 5) mod 65536
  ASCII P3 with maxval 1000: v(c, y, x) = (137·x + 251·y + 311·c) mod 1001

Files: gray8.png, gray_alpha8.png, rgb8.png, rgba8.png (Pillow); palette_trns.png (Pillow, 4-entry palette
PALETTE, index (x + 2y) mod 4, entry 1 transparent); gray1.png (Pillow mode '1', (x + y) mod 2);
gray16.png, rgb16.png, rgba16.png, rgb8_interlaced.png (Adam7) (hand-written); gray8.pgm (P5, Pillow); rgb8.ppm (P6, Pillow);
gray16.pgm (P5, maxval 65535, hand-written); ascii.pgm (P2 with comments); ascii.ppm (P3, maxval 1000).

Run from the repository root: python3 Benchmarks/signals/image_fixtures.py
"""
import os
import struct
import zlib

import numpy as np
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "signals")
W, H = 7, 5
PALETTE = [(255, 0, 0), (0, 128, 255), (10, 20, 30), (200, 200, 200)]


def v8(c, y, x):
    return (37 * x + 91 * y + 53 * c + 11) % 256


def v16(c, y, x):
    return (9973 * x + 31337 * y + 7919 * c + 5) % 65536


def array(channels, function, dtype):
    return np.array([[[function(c, y, x) for c in range(channels)] for x in range(W)] for y in range(H)], dtype=dtype)


def png_chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def write_png16(path, pixels, color_type):
    height, width, channels = pixels.shape
    raw = b"".join(b"\x00" + pixels[y].astype(">u2").tobytes() for y in range(height))
    data = (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 16, color_type, 0, 0, 0))
            + png_chunk(b"IDAT", zlib.compress(raw)) + png_chunk(b"IEND", b""))
    with open(path, "wb") as handle:
        handle.write(data)


def write_png8_interlaced(path, pixels, color_type):
    """Adam7-interlaced 8-bit PNG: seven passes (x0, y0, dx, dy), each row with filter type 0."""
    height, width, channels = pixels.shape
    passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
    raw = b""
    for x0, y0, dx, dy in passes:
        columns = list(range(x0, width, dx))
        if not columns:
            continue
        for y in range(y0, height, dy):
            raw += b"\x00" + b"".join(pixels[y, x].astype(np.uint8).tobytes() for x in columns)
    data = (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 1))
            + png_chunk(b"IDAT", zlib.compress(raw)) + png_chunk(b"IEND", b""))
    with open(path, "wb") as handle:
        handle.write(data)


def main():
    os.makedirs(OUT, exist_ok=True)
    Image.fromarray(array(1, v8, np.uint8)[:, :, 0], "L").save(os.path.join(OUT, "gray8.png"))
    Image.fromarray(array(2, v8, np.uint8), "LA").save(os.path.join(OUT, "gray_alpha8.png"))
    Image.fromarray(array(3, v8, np.uint8), "RGB").save(os.path.join(OUT, "rgb8.png"))
    Image.fromarray(array(4, v8, np.uint8), "RGBA").save(os.path.join(OUT, "rgba8.png"))
    indices = np.array([[(x + 2 * y) % 4 for x in range(W)] for y in range(H)], dtype=np.uint8)
    palette_image = Image.fromarray(indices, "P")
    palette_image.putpalette([value for entry in PALETTE for value in entry])
    palette_image.save(os.path.join(OUT, "palette_trns.png"), transparency=1)
    bits = np.array([[255 * ((x + y) % 2) for x in range(W)] for y in range(H)], dtype=np.uint8)
    Image.fromarray(bits, "L").convert("1", dither=Image.Dither.NONE).save(os.path.join(OUT, "gray1.png"))
    write_png16(os.path.join(OUT, "gray16.png"), array(1, v16, np.uint16), 0)
    write_png16(os.path.join(OUT, "rgb16.png"), array(3, v16, np.uint16), 2)
    write_png8_interlaced(os.path.join(OUT, "rgb8_interlaced.png"), array(3, v8, np.uint8), 2)
    write_png16(os.path.join(OUT, "rgba16.png"), array(4, v16, np.uint16), 6)
    Image.fromarray(array(1, v8, np.uint8)[:, :, 0], "L").save(os.path.join(OUT, "gray8.pgm"))
    Image.fromarray(array(3, v8, np.uint8), "RGB").save(os.path.join(OUT, "rgb8.ppm"))
    with open(os.path.join(OUT, "gray16.pgm"), "wb") as handle:
        handle.write(b"P5\n%d %d\n65535\n" % (W, H) + array(1, v16, np.uint16)[:, :, 0].astype(">u2").tobytes())
    with open(os.path.join(OUT, "ascii.pgm"), "w") as handle:
        handle.write("P2\n# a comment line\n%d # width\n%d\n255\n" % (W, H))
        for y in range(H):
            handle.write(" ".join(str(v8(0, y, x)) for x in range(W)) + "\n")
    with open(os.path.join(OUT, "ascii.ppm"), "w") as handle:
        handle.write("P3\n%d %d\n1000\n" % (W, H))
        for y in range(H):
            handle.write("  ".join(" ".join(str((137 * x + 251 * y + 311 * c) % 1001) for c in range(3))
                                   for x in range(W)) + "\n")
    print("wrote", sorted(f for f in os.listdir(OUT) if f.endswith((".png", ".pgm", ".ppm"))))


if __name__ == "__main__":
    main()
