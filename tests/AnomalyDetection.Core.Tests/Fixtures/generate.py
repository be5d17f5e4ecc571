"""Writes the decoder fixtures in this folder. Run with the system Python that has Pillow:

    /usr/bin/python3 tests/AnomalyDetection.Core.Tests/Fixtures/generate.py

The PNGs are written two independent ways: by a minimal encoder below (zlib + struct, so that every filter type,
Adam7 interlacing, sub-byte depths, tRNS and IDAT data split over several chunks appear), and by Pillow. The NIfTI
volumes are written field by field. Every sample comes from a formula that FixtureFormulas.cs repeats, so the tests
know each expected value without a second copy of the data.
"""
import gzip
import os
import struct
import zlib

from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
SAMPLES_PER_PIXEL = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def sample(x, y, c, depth):
    h = ((x * 73 + y * 151 + c * 211 + 17) * 40503) % 65536
    return h >> (16 - depth)


def palette_size(depth):
    return 200 if depth == 8 else 1 << depth


def palette_entry(i):
    return ((i * 29 + 3) % 256, (i * 71 + 5) % 256, (i * 113 + 7) % 256)


def palette_alpha(i):
    return (i * 47 + 1) % 256


def pixel_samples(x, y, color_type, depth):
    if color_type == 3:
        return [sample(x, y, 0, depth) % palette_size(depth)]
    return [sample(x, y, c, depth) for c in range(SAMPLES_PER_PIXEL[color_type])]


def pack_row(values, depth):
    if depth == 16:
        return b"".join(struct.pack(">H", v) for v in values)
    if depth == 8:
        return bytes(values)
    out, acc, bits = bytearray(), 0, 0
    for v in values:
        acc = (acc << depth) | v
        bits += depth
        if bits == 8:
            out.append(acc)
            acc, bits = 0, 0
    if bits:
        out.append(acc << (8 - bits))
    return bytes(out)


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def filter_row(kind, row, prior, bpp):
    out = bytearray()
    for i, x in enumerate(row):
        a = row[i - bpp] if i >= bpp else 0
        b = prior[i]
        c = prior[i - bpp] if i >= bpp else 0
        pred = [0, a, b, (a + b) // 2, paeth(a, b, c)][kind]
        out.append((x - pred) % 256)
    return bytes([kind]) + bytes(out)


def scanlines(width, height, color_type, depth, interlaced):
    bpp = max(1, SAMPLES_PER_PIXEL[color_type] * depth // 8)
    passes = ADAM7 if interlaced else [(0, 0, 1, 1)]
    data, row_index = bytearray(), 0
    for sx, sy, dx, dy in passes:
        xs = list(range(sx, width, dx))
        ys = list(range(sy, height, dy))
        if not xs or not ys:
            continue
        prior = bytes(len(pack_row([0] * len(xs) * SAMPLES_PER_PIXEL[color_type], depth)))
        for y in ys:
            values = [v for x in xs for v in pixel_samples(x, y, color_type, depth)]
            row = pack_row(values, depth)
            data += filter_row(row_index % 5, row, prior, bpp)  # cycle through all five filters
            prior = row
            row_index += 1
    return bytes(data)


def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def write_png(name, width, height, color_type, depth, interlaced=False, idat_piece=None, trns=False, text=False):
    out = b"\x89PNG\r\n\x1a\n"
    out += chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, color_type, 0, 0, 1 if interlaced else 0))
    if text:
        out += chunk(b"tEXt", b"Comment\x00written by generate.py")
    if color_type == 3:
        n = palette_size(depth)
        out += chunk(b"PLTE", b"".join(bytes(palette_entry(i)) for i in range(n)))
        if trns:
            out += chunk(b"tRNS", bytes(palette_alpha(i) for i in range(max(1, n // 2))))
    elif trns:
        key = pixel_samples(1, 1, color_type, depth)
        out += chunk(b"tRNS", b"".join(struct.pack(">H", v) for v in key))
    compressed = zlib.compress(scanlines(width, height, color_type, depth, interlaced), 9)
    piece = idat_piece or len(compressed)
    for start in range(0, len(compressed), piece):
        out += chunk(b"IDAT", compressed[start:start + piece])
    out += chunk(b"IEND", b"")
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(out)


def write_pil(name, mode, width, height):
    """Writes with Pillow; the file extension picks PNG or binary PGM/PPM."""
    if mode == "P":
        im = Image.new("P", (width, height))
        im.putpalette([v for i in range(256) for v in palette_entry(i)])
        im.putdata([sample(x, y, 0, 8) % palette_size(8) for y in range(height) for x in range(width)])
        im.save(os.path.join(HERE, name), transparency=bytes(palette_alpha(i) for i in range(100)))
        return
    if mode == "I;16":
        im = Image.new("I;16", (width, height))
        im.putdata([sample(x, y, 0, 16) for y in range(height) for x in range(width)])
        if name.endswith(".pgm"):
            im = im.convert("I")  # Pillow writes 16-bit PGM (maxval 65535) from mode I
        im.save(os.path.join(HERE, name))
        return
    bands = len(mode)
    im = Image.new(mode, (width, height))
    data = [tuple(sample(x, y, c, 8) for c in range(bands)) for y in range(height) for x in range(width)]
    im.putdata([d[0] for d in data] if bands == 1 else data)
    im.save(os.path.join(HERE, name))


def nifti_value(x, y, z, t):
    return x + 4 * y + 12 * z + 100 * t


def write_nifti(name, datatype, bitpix, fmt, transform, big_endian=False, dims=(4, 3, 2), slope=0.0, inter=0.0,
                compress=False, extension=False):
    e = ">" if big_endian else "<"
    dim = [len(dims)] + list(dims) + [1] * (7 - len(dims))
    vox_offset = 368 if extension else 352
    header = bytearray(348)
    struct.pack_into(e + "i", header, 0, 348)
    struct.pack_into(e + "8h", header, 40, *dim)
    struct.pack_into(e + "hh", header, 70, datatype, bitpix)
    struct.pack_into(e + "8f", header, 76, 1.0, 1.5, 2.0, 3.0, 1.0, 1.0, 1.0, 1.0)
    struct.pack_into(e + "fff", header, 108, vox_offset, slope, inter)
    header[344:348] = b"n+1\x00"
    ext = bytes([1, 0, 0, 0]) + (struct.pack(e + "ii", 16, 0) + b"padding!" if extension else b"")
    nt = dims[3] if len(dims) > 3 else 1
    voxels = b"".join(
        struct.pack(e + fmt, transform(nifti_value(x, y, z, t)))
        for t in range(nt) for z in range(dims[2]) for y in range(dims[1]) for x in range(dims[0]))
    data = bytes(header) + ext + voxels
    assert len(bytes(header) + ext) == vox_offset
    if compress:
        data = gzip.compress(data, mtime=0)
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def main():
    write_png("gray1.png", 13, 5, 0, 1)
    write_png("gray2_interlaced.png", 11, 9, 0, 2, interlaced=True)
    write_png("gray2_trns.png", 7, 5, 0, 2, trns=True)
    write_png("gray4.png", 7, 5, 0, 4)
    write_png("gray8_interlaced_multi_idat.png", 11, 9, 0, 8, interlaced=True, idat_piece=5)
    write_png("gray8_trns.png", 7, 5, 0, 8, trns=True)
    write_png("gray16_interlaced.png", 11, 9, 0, 16, interlaced=True)
    write_png("grayalpha8.png", 7, 5, 4, 8)
    write_png("grayalpha16_interlaced.png", 11, 9, 4, 16, interlaced=True)
    write_png("rgb8_multi_idat.png", 7, 5, 2, 8, idat_piece=3, text=True)
    write_png("rgb8_trns.png", 7, 5, 2, 8, trns=True)
    write_png("rgb8_interlaced_1x1.png", 1, 1, 2, 8, interlaced=True)
    write_png("rgb16.png", 7, 5, 2, 16)
    write_png("rgba8_interlaced.png", 11, 9, 6, 8, interlaced=True)
    write_png("rgba16.png", 7, 5, 6, 16)
    write_png("palette1_trns.png", 13, 5, 3, 1, trns=True)
    write_png("palette2_interlaced.png", 11, 9, 3, 2, interlaced=True)
    write_png("palette4_trns.png", 7, 5, 3, 4, trns=True)
    write_png("palette8_trns_interlaced.png", 11, 9, 3, 8, interlaced=True, trns=True)
    write_pil("pil_palette_trns.png", "P", 9, 6)
    write_pil("pil_gray16.png", "I;16", 9, 6)
    write_pil("pil_gray.png", "L", 9, 6)
    write_pil("pil_grayalpha.png", "LA", 9, 6)
    write_pil("pil_rgb.png", "RGB", 9, 6)
    write_pil("pil_rgba.png", "RGBA", 9, 6)
    write_pil("pil_gray.pgm", "L", 9, 6)
    write_pil("pil_gray16.pgm", "I;16", 9, 6)
    write_pil("pil_rgb.ppm", "RGB", 9, 6)

    write_nifti("uint8.nii", 2, 8, "B", lambda v: v * 10)
    write_nifti("uint8_extension.nii.gz", 2, 8, "B", lambda v: v * 10, compress=True, extension=True)
    write_nifti("int16_big_endian_scaled.nii", 4, 16, "h", lambda v: v * 100 - 1000, big_endian=True, slope=0.5, inter=10.0)
    write_nifti("int32.nii", 8, 32, "i", lambda v: v * 100000 - 1000000)
    write_nifti("float32_4d.nii.gz", 16, 32, "f", lambda v: v * 0.25, dims=(4, 3, 2, 2), compress=True)
    write_nifti("float64_scaled.nii", 64, 64, "d", lambda v: v * 0.125, slope=2.0, inter=-1.0)


if __name__ == "__main__":
    main()
