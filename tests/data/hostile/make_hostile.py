#!/usr/bin/env python3
"""Remakes the hostile files in this folder from the fixtures in tests/data (stdlib only).

Each file is damaged in one way; README.md says how and what lrn-img must answer, and
tests/test_hostile.cpp checks those answers. Deterministic: run it again and nothing changes.
Usage: python3 tests/data/hostile/make_hostile.py
"""
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.dirname(HERE)


def fixture(name):
    with open(os.path.join(DATA, name), 'rb') as f:
        return f.read()


# ---- JPEG --------------------------------------------------------------------------------

def segments(jpg):
    """(marker, offset) of each marker segment up to the first SOS, then SOS/DHT/EOI after."""
    out, i = [], 2
    while i < len(jpg) - 1:
        if jpg[i] != 0xFF:
            i += 1
            continue
        m = jpg[i + 1]
        if m in (0x00, 0xFF) or 0xD0 <= m <= 0xD7:
            i += 1 if m == 0xFF else 2
            continue
        out.append((m, i))
        if m == 0xD9:
            break
        i += 2 + (jpg[i + 2] << 8 | jpg[i + 3])
    return out


def first(jpg, marker):
    return next(off for m, off in segments(jpg) if m == marker)


def with_size(jpg, w, h):
    sof = next(off for m, off in segments(jpg) if m in (0xC0, 0xC2))
    b = bytearray(jpg)
    b[sof + 5:sof + 9] = struct.pack('>HH', h, w)
    return bytes(b)


def flip(data, offset, bit):
    b = bytearray(data)
    b[offset] ^= 1 << bit
    return bytes(b)


def without(jpg, marker):
    """jpg with every `marker` segment removed."""
    b, cut = bytearray(jpg), 0
    for m, off in segments(jpg):
        if m == marker:
            n = 2 + (jpg[off + 2] << 8 | jpg[off + 3])
            del b[off - cut:off - cut + n]
            cut += n
    return bytes(b)


def with_orientation(jpg, value):
    """jpg with an EXIF APP1 segment right after SOI whose orientation tag is `value`."""
    tiff = b'MM\x00\x2a' + struct.pack('>IH', 8, 1) + struct.pack('>HHII', 0x0112, 3, 1, value << 16)
    app1 = b'Exif\x00\x00' + tiff + struct.pack('>I', 0)
    return jpg[:2] + b'\xff\xe1' + struct.pack('>H', len(app1) + 2) + app1 + jpg[2:]


def jpeg_files():
    base = fixture('jpeg_baseline.jpg')
    prog = fixture('jpeg_progressive.jpg')
    sos = first(base, 0xDA)
    scan = sos + 2 + (base[sos + 2] << 8 | base[sos + 3])
    last_sos = [off for m, off in segments(prog) if m == 0xDA][-1]
    many = prog[:-2] + prog[last_sos:-2] * 1100 + b'\xff\xd9'
    dqt = first(base, 0xDB)
    return {
        'jpeg_truncated_scan.jpg': base[:scan + 8],
        'jpeg_truncated_header.jpg': base[:40],
        'jpeg_soi_only.jpg': base[:3],
        # Found by flipping each bit of the scan data in turn: most flips decode silently to
        # other pixels (JPEG has no checksum); these two are caught.
        'jpeg_bitflip_huffman.jpg': flip(base, scan + 1, 0),
        'jpeg_bitflip_segment_end.jpg': flip(base, scan + 15, 0),
        'jpeg_bitflip_precision.jpg': flip(base, first(base, 0xC0) + 4, 0),  # 8 -> 9 bits
        'jpeg_rst_lost_sync.jpg': base[:scan + 6] + b'\xff\xd3' + base[scan + 6:],
        'jpeg_extraneous_bytes.jpg': base[:dqt] + b'\x00\x11\x22' + base[dqt:],
        'jpeg_huge_dims.jpg': with_size(base, 65000, 65000),
        'jpeg_huge_little_data.jpg': with_size(base, 16000, 16000),
        'jpeg_progressive_huge_little_data.jpg': with_size(prog, 16000, 16000),
        'jpeg_rotated_huge_little_data.jpg': with_orientation(with_size(base, 16000, 16000), 6),
        # JPEG's widest and tallest within the pixel budget (65500 x 4098 < 2^28).
        'jpeg_wide_little_data.jpg': with_size(base, 65500, 4098),
        'jpeg_tall_little_data.jpg': with_size(base, 4098, 65500),
        'jpeg_progressive_wide_little_data.jpg': with_size(prog, 65500, 4098),
        'jpeg_rotated_wide_little_data.jpg': with_orientation(with_size(base, 65500, 4098), 6),
        'jpeg_progressive_truncated.jpg': prog[:first(prog, 0xDA) + 30],
        'jpeg_progressive_no_huffman.jpg': without(prog, 0xC4),
        'jpeg_progressive_many_scans.jpg': many,
        'jpeg_zero_height.jpg': with_size(base, 32, 0),
        'jpeg_zero_width.jpg': with_size(base, 0, 32),
    }


# ---- PNG ---------------------------------------------------------------------------------

def chunk(kind, data, crc_xor=0):
    crc = zlib.crc32(kind + data) ^ crc_xor
    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', crc)


def chunks(png):
    out, i = [], 8
    while i < len(png):
        n = struct.unpack('>I', png[i:i + 4])[0]
        out.append((png[i + 4:i + 8], png[i + 8:i + 8 + n]))
        i += 12 + n
    return out


def build(parts):
    return b'\x89PNG\r\n\x1a\n' + b''.join(parts)


def ihdr(w, h, depth=8, color=2, interlace=0):
    return chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, depth, color, 0, 0, interlace))


def rebuild(png, edit):
    """The PNG with each (kind, data) passed through edit(kind, data) -> list of chunks."""
    parts = []
    for kind, data in chunks(png):
        parts += edit(kind, data)
    return build(parts)


class Bits:
    """A DEFLATE bit writer: Huffman codes go in MSB first, other fields LSB first."""

    def __init__(self):
        self.out, self.acc, self.n = bytearray(), 0, 0

    def put(self, value, count):
        for i in range(count):
            self.acc |= ((value >> i) & 1) << self.n
            self.n += 1
            if self.n == 8:
                self.out.append(self.acc)
                self.acc, self.n = 0, 0

    def code(self, value, count):
        self.put(int('{:0{}b}'.format(value, count)[::-1], 2), count)

    def bytes(self):
        return bytes(self.out) + (bytes([self.acc]) if self.n else b'')


def bad_distance_zlib():
    """A zlib stream whose first match reaches 100 bytes back when 1 byte has been output."""
    b = Bits()
    b.put(1, 1)                  # BFINAL
    b.put(1, 2)                  # BTYPE 01: fixed Huffman codes
    b.code(0x30 + 0, 8)          # literal 0 (the row's filter byte)
    b.code(1, 7)                 # length code 257: length 3
    b.code(12, 5)                # distance code 12: 65 + 5 extra bits
    b.put(100 - 65, 5)
    b.code(0, 7)                 # end of block
    return b'\x78\x01' + b.bytes() + b'\x00\x00\x00\x01'


def png_files():
    plasma = fixture('png_plasma.png')
    adam7 = fixture('png_plasma_adam7.png')
    trns = fixture('png_rgb_trns.png')
    idat_at = plasma.index(b'IDAT') - 4
    idat_len = struct.unpack('>I', plasma[idat_at:idat_at + 4])[0]
    idat_data = idat_at + 8
    iend = plasma.index(b'IEND') - 4
    raw = zlib.decompress(b''.join(d for k, d in chunks(plasma) if k == b'IDAT'))
    row = 1 + 24 * 3

    def replace_idat(data):
        return rebuild(plasma, lambda k, d: [chunk(k, data if k == b'IDAT' else d)])

    def crc_off(kind):
        return lambda k, d: [chunk(k, d, 1 if k == kind else 0)]

    def with_text(k, d):
        text = [chunk(b'tEXt', b'Comment\x00hostile', 1)] if k == b'IHDR' else []
        return [chunk(k, d)] + text

    few_rows = zlib.compress(bytes(3 * (1 + 16000 * 3)))
    # Header bombs: RGBA 16-bit, exactly the default pixel budget (2^28), and less scanline
    # data than one row (64 bytes; 4 for the one-pixel-wide ones, whose rows are 9 bytes).

    def header_bomb(w, h, interlace=0):
        data = bytes(64 if w > 8 else 4)
        return build([ihdr(w, h, 16, 6, interlace), chunk(b'IDAT', zlib.compress(data)),
                      chunk(b'IEND', b'')])
    bad_filter = bytearray(raw)
    bad_filter[row * 5] = 5  # filter types are 0..4
    bad_adler = bytearray(zlib.compress(raw))
    bad_adler[-1] ^= 0xFF
    palette = fixture('png_palette.png')
    stream = zlib.compress(raw)
    small_idats = [chunk(b'IDAT', stream[i:i + 64]) for i in range(0, len(stream), 64)]
    bomb = chunk(b'zTXt', b'Comment\x00\x00' + zlib.compress(bytes(17 << 20), 9))
    return {
        'png_truncated_idat.png': plasma[:idat_data + idat_len // 2],
        'png_truncated_before_iend.png': plasma[:iend],
        'png_truncated_small_idats.png': build([chunk(b'IHDR', chunks(plasma)[0][1])] + small_idats[:6]),
        'png_ztxt_bomb.png': plasma[:idat_at] + bomb + plasma[idat_at:],
        'png_too_many_chunks.png': plasma[:idat_at] + chunk(b'tEXt', b'a\x00b') * 1001 + plasma[idat_at:],
        'png_bitflip_idat.png': flip(plasma, idat_data + idat_len // 2, 3),
        'png_bad_crc_ihdr.png': rebuild(plasma, crc_off(b'IHDR')),
        'png_bad_crc_idat.png': rebuild(plasma, crc_off(b'IDAT')),
        'png_bad_crc_text.png': rebuild(plasma, with_text),
        'png_bad_crc_trns.png': rebuild(trns, crc_off(b'tRNS')),
        'png_bad_deflate_distance.png': replace_idat(bad_distance_zlib()),
        'png_bad_filter.png': replace_idat(zlib.compress(bytes(bad_filter))),
        'png_bad_adler.png': replace_idat(bytes(bad_adler)),
        'png_zero_width.png': build([ihdr(0, 16)] + [chunk(k, d) for k, d in chunks(plasma)[1:]]),
        'png_huge_dims.png': build([ihdr(100000, 100000)] + [chunk(k, d) for k, d in chunks(plasma)[1:]]),
        'png_huge_little_data.png': build([ihdr(16000, 16000), chunk(b'IDAT', few_rows), chunk(b'IEND', b'')]),
        'png_interlaced_huge_little_data.png':
            build([ihdr(16000, 16000, interlace=1), chunk(b'IDAT', few_rows), chunk(b'IEND', b'')]),
        'png_interlaced_truncated.png': adam7[:len(adam7) // 2],
        'png_wide_rows.png': header_bomb(1 << 27, 2),
        'png_wide_row.png': header_bomb(1 << 28, 1),
        'png_wide_rows_at_limit.png': header_bomb(1 << 21, 1 << 7),  # rows of 16 MiB
        'png_wide_interlaced_at_limit.png': header_bomb(1 << 21, 1 << 7, interlace=1),
        'png_tall.png': header_bomb(1, 1 << 28),
        'png_tall_interlaced.png': header_bomb(1, 1 << 28, interlace=1),
        'png_palette_no_plte.png': rebuild(palette, lambda k, d: [] if k == b'PLTE' else [chunk(k, d)]),
        'png_chunk_over_limit.png':
            plasma[:idat_at] + struct.pack('>I', 32 << 20) + b'tEXtComment\x00' + bytes(64),
        'png_chunk_length_invalid.png': plasma[:idat_at] + b'\xff\xff\xff\xf0tEXt' + bytes(64),
    }


# ---- .npy and others --------------------------------------------------------------------

def npy(shape, descr='<f4', data=b'', header=None):
    text = header or "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, shape)
    while (10 + len(text) + 1) % 64:
        text += ' '
    text += '\n'
    return b'\x93NUMPY\x01\x00' + struct.pack('<H', len(text)) + text.encode() + data


def other_files():
    return {
        'npy_truncated.npy': npy('(2, 3, 4)', data=bytes(50)),
        'npy_huge_shape.npy': npy('(60000, 60000, 3)'),
        'npy_over_max_bytes.npy': npy('(16384, 16384, 4)', '<f8'),
        'npy_many_channels.npy': npy('(1, 1, 70000)'),
        # Header bombs: no data at all.
        'npy_wide_row.npy': npy('(1, 16384, 16384)', '|u1'),
        'npy_wide_row_4gib.npy': npy('(1, 65536, 65536)', '|u1'),
        'npy_wide_rows_at_limit.npy': npy('(16, 4096, 4096)', '|u1'),  # rows of 16 MiB
        'npy_tall.npy': npy('(268435456, 1, 1)', '|u1'),
        'npy_zero_dims.npy': npy('(0, 5, 3)'),
        'npy_bad_header.npy': npy(None, header="{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, x), }"),
        'npy_header_too_long.npy': b'\x93NUMPY\x02\x00' + struct.pack('<I', 1 << 30) + b"{'descr'",
        'empty.jpg': b'',
        'not_an_image.png': b'GIF89a, or anything else that is not JPEG, PNG or .npy\n',
    }


# ---- PNM -----------------------------------------------------------------------------------

def pnm_files():
    # A deterministic 16x16 RGB raster (no randomness: the files must not change).
    raster = bytes((x * 16 + y * 3 + c * 85) & 0xFF for y in range(16) for x in range(16) for c in range(3))
    ppm = b'P6\n16 16\n255\n' + raster
    gray = bytes((i * 7) & 0xFF for i in range(64))
    return {
        'pnm_huge_dims.ppm': b'P6\n100000 100000\n255\n',
        'pnm_maxval_zero.pgm': b'P5\n8 8\n0\n' + gray,
        'pnm_maxval_over.pgm': b'P5\n8 8\n65536\n' + gray,
        'pnm_bitflip_width.ppm': flip(ppm, 3, 6),  # '1' becomes 'q'
        'pnm_truncated.ppm': ppm[:len(ppm) - 16 * 16 * 3 + 16 * 3 * 6 + 20],  # inside row 7
        'pnm_truncated_first_row.pgm': (b'P5\n8 8\n255\n' + gray)[:14],
        'pnm_over_maxval.pgm': b'P5\n8 8\n100\n' + bytes(min(v, 100) if i != 9 else 200 for i, v in enumerate(gray)),
        'pnm_two_images.pgm': (b'P5\n8 8\n255\n' + gray) * 2,
        # Header bombs (README "Header bombs").
        'pnm_huge_little_data.ppm': b'P6\n16000 16000\n255\n' + raster[:16000 * 3 * 3 // 16],
        'pnm_wide_rows.ppm': b'P6\n2000000 128\n65535\n' + bytes(64),
        'pnm_wide_row.pgm': b'P5\n20000000 1\n65535\n' + bytes(64),
        'pnm_tall.pgm': b'P5\n1 268435456\n255\n',
    }


# ---- TIFF ----------------------------------------------------------------------------------

def tiff(w, h, strips, spp=3, bits=8, compression=1, photometric=2, rows_per_strip=4,
         counts=None, next_ifd=0, ifd_at=8, same_data=False):
    """A little-endian TIFF: header, one IFD (11 entries), its offset/count arrays, then the
    strips' bytes (so a cut file loses pixel data, not the directory). same_data: every strip
    points at the first one's bytes."""
    n = len(strips) if not same_data else (h + rows_per_strip - 1) // rows_per_strip
    arrays_at = 8 + 2 + 11 * 12 + 4
    data_at = arrays_at + (8 * n if n > 1 else 0)
    offsets, data = [], b''
    for strip in (strips if not same_data else strips[:1]):
        offsets.append(data_at + len(data))
        data += strip
    if same_data:
        offsets = offsets * n
    counts = counts or ([len(x) for x in strips] if not same_data else [len(strips[0])] * n)
    entries = [
        (256, 4, 1, w), (257, 4, 1, h), (258, 3, 1, bits), (259, 3, 1, compression),
        (262, 3, 1, photometric),
        (273, 4, n, offsets[0] if n == 1 else arrays_at),
        (277, 3, 1, spp), (278, 4, 1, rows_per_strip),
        (279, 4, n, counts[0] if n == 1 else arrays_at + 4 * n),
        (284, 3, 1, 1), (339, 3, 1, 1),
    ]
    ifd = struct.pack('<H', len(entries)) + b''.join(
        struct.pack('<HHII', tag, kind, count, value) for tag, kind, count, value in entries)
    arrays = b'' if n == 1 else struct.pack('<%dI' % n, *offsets) + struct.pack('<%dI' % n, *counts)
    return b'II*\0' + struct.pack('<I', ifd_at) + ifd + struct.pack('<I', next_ifd) + arrays + data


def tiff_files():
    rows = [bytes((x * 7 + y * 13 + c * 50) & 0xFF for x in range(16) for c in range(3)) for y in range(16)]
    strips = [b''.join(rows[i:i + 4]) for i in range(0, 16, 4)]
    good = tiff(16, 16, strips)
    deflated = [zlib.compress(x) for x in strips]
    flipped = list(deflated)
    flipped[2] = flip(flipped[2], 6, 3)
    return {
        'tiff_huge_dims.tif': tiff(100000, 100000, [bytes(48)]),
        'tiff_bits_12.tif': tiff(16, 16, strips, bits=12),
        'tiff_five_samples.tif': tiff(16, 16, strips, spp=5),
        'tiff_truncated.tif': good[:len(good) - 192 - 100],  # inside the third strip
        'tiff_truncated_first_strip.tif': good[:len(good) - 3 * 192 - 100],
        'tiff_bitflip_deflate.tif': tiff(16, 16, flipped, compression=8),
        'tiff_bad_ifd_offset.tif': tiff(16, 16, strips, ifd_at=1 << 30),
        'tiff_two_pages.tif': tiff(16, 16, strips, next_ifd=8),  # the same directory again
        # Header bombs (README "Header bombs").
        'tiff_huge_little_data.tif': tiff(16000, 16000, [zlib.compress(bytes(64))], compression=8,
                                          same_data=True),
        'tiff_single_strip_huge.tif': tiff(16000, 16000, [bytes(100)], rows_per_strip=16000),
        'tiff_wide_row.tif': tiff(4000000, 4, [bytes(64)], bits=16, rows_per_strip=1, same_data=True),
    }


# ---- WebP ----------------------------------------------------------------------------------

def vp8l(w, h, payload=b'\x00' * 8):
    """A lossless WebP whose VP8L header declares w x h (with alpha), then `payload`."""
    bits = (w - 1) | ((h - 1) << 14) | (1 << 28)
    chunk = b'\x2f' + struct.pack('<I', bits) + payload
    body = b'WEBP' + b'VP8L' + struct.pack('<I', len(chunk)) + chunk + b'\0' * (len(chunk) % 2)
    return b'RIFF' + struct.pack('<I', len(body)) + body


def webp_files():
    lossy = fixture('webp_lossy.webp')
    return {
        'webp_truncated.webp': lossy[:len(lossy) * 3 // 4],
        'webp_truncated_header.webp': lossy[:24],
        'webp_riff_only.webp': b'RIFF\x04\0\0\0WEBP',
        'webp_huge_dims.webp': vp8l(16383, 16383),
        # Header bombs (README "Header bombs"): within WebP's own cap, a few bytes of data.
        'webp_in_cap_little_data.webp': vp8l(8000, 4000),
    }


def with_segments(jpg, *segs):
    """jpg with APPn segments (marker, payload) right after SOI."""
    out = b''.join(b'\xff' + bytes([m]) + struct.pack('>H', len(p) + 2) + p for m, p in segs)
    return jpg[:2] + out + jpg[2:]


def icc_chunk(seq, count, data):
    return (0xE2, b'ICC_PROFILE\x00' + bytes([seq, count]) + data)


def metadata_files():
    """Damaged EXIF and ICC: only --keep-metadata reads them (tests/formats/ref_metadata.py);
    without it they are ignored."""
    base = fixture('jpeg_baseline.jpg')
    part = bytes(range(200))
    return {
        'jpeg_exif_garbled.jpg': with_segments(base, (0xE1, b'Exif\x00\x00not a TIFF header, just text')),
        'jpeg_exif_bad_ifd.jpg': with_segments(
            base, (0xE1, b'Exif\x00\x00MM\x00\x2a' + struct.pack('>I', 0x7FFFFFF0) + bytes(16))),
        'jpeg_icc_missing_chunk.jpg': with_segments(base, icc_chunk(1, 3, part), icc_chunk(3, 3, part)),
        'jpeg_icc_duplicate_chunk.jpg': with_segments(base, icc_chunk(1, 2, part), icc_chunk(1, 2, part)),
        # Orientation 6 as two SHORTs: not the one SHORT EXIF defines, so neither applied to
        # the pixels nor reset in the copy (both read it the same way).
        'jpeg_exif_orientation_count2.jpg': with_segments(base, (0xE1, b'Exif\x00\x00' + exif_be(
            [(0x0112, 3, 2, struct.pack('>HH', 6, 0))]))),
        # The numeric IFD0 tags TIFF output copies (Orientation, X/YResolution, ResolutionUnit)
        # typed ASCII, beside a real ImageDescription: only the description may reach a TIFF.
        'jpeg_exif_ascii_resolution.jpg': with_segments(base, (0xE1, b'Exif\x00\x00' + exif_be(
            [(0x010E, 2, 4, b'lrn\0'), (0x0112, 2, 2, b'6\0\0\0'), (0x011A, 2, 4, b'300\0'),
             (0x011B, 2, 4, b'300\0'), (0x0128, 2, 2, b'2\0\0\0')]))),
        # The EXIF IFD pointer points back at IFD0 (which holds it): into TIFF, the EXIF IFD
        # written is IFD0's data, without the pointer (it pointed into the new file).
        'jpeg_exif_ifd_points_to_ifd0.jpg': with_segments(base, (0xE1, b'Exif\x00\x00' + exif_be(
            [(0x010E, 2, 4, b'lrn\0'), (34665, 4, 1, struct.pack('>I', 8))]))),
        # SampleFormat's entry made an EXIF IFD pointer far past the end of the file.
        'tiff_exif_bad_ifd.tif': tiff_16x16().replace(struct.pack('<HHII', 339, 3, 1, 1),
                                                      struct.pack('<HHII', 34665, 4, 1, 0x7FFFFFF0), 1),
        # SampleFormat's entry made an XResolution with no values (count 0; found by
        # fuzz_tiff): the EXIF reader copied zero bytes from a null pointer (UBSan).
        'tiff_exif_zero_count.tif': tiff_16x16().replace(struct.pack('<HHII', 339, 3, 1, 1),
                                                         struct.pack('<HHII', 282, 5, 0, 0), 1),
    }


def exif_be(entries):
    """A big-endian TIFF structure: IFD0 with `entries` (tag, type, count, 4 value bytes)."""
    ifd = struct.pack('>H', len(entries)) + b''.join(
        struct.pack('>HHI', tag, kind, count) + value for tag, kind, count, value in entries)
    return b'MM\x00\x2a' + struct.pack('>I', 8) + ifd + struct.pack('>I', 0)


def tiff_16x16():
    rows = [bytes((x * 7 + y * 13 + c * 50) & 0xFF for x in range(16) for c in range(3)) for y in range(16)]
    return tiff(16, 16, [b''.join(rows[i:i + 4]) for i in range(0, 16, 4)])


def main():
    for files in (jpeg_files(), png_files(), other_files(), pnm_files(), tiff_files(), webp_files(),
                  metadata_files()):
        for name, data in files.items():
            with open(os.path.join(HERE, name), 'wb') as f:
                f.write(data)


if __name__ == '__main__':
    main()
