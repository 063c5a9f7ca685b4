#!/usr/bin/env python3
"""Remakes the fuzz seed corpus in tests/fuzz/corpus/ from the project's own files.

decode/: every JPEG and PNG fixture in tests/data (and tests/data/hostile), tiny .npy and PNM
files, and cut or bit-flipped variants; pnm/: PGM and PPM files; tiff/, webp/: TIFF and WebP files; npy/: .npy headers of every kind the reader accepts or
refuses; options/: command lines, one argument per line. Deterministic: run it again and
nothing changes. Usage: python3 tests/fuzz/make_corpus.py (from anywhere).
"""
import glob
import os
import shutil
import struct
import zlib

ROOT = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(ROOT, '..', 'data')
OUT = os.path.join(ROOT, 'corpus')


def npy(dict_text, data=b'', major=1):
    len_size = 2 if major == 1 else 4
    header = dict_text
    while (6 + 2 + len_size + len(header) + 1) % 64:
        header += ' '
    header += '\n'
    length = struct.pack('<H' if major == 1 else '<I', len(header))
    return b'\x93NUMPY' + bytes([major, 0]) + length + header.encode() + data


def npy_dict(descr, shape, order='False'):
    return "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (descr, order, shape)


NPY = {
    'f4_2x3x4.npy': npy(npy_dict('<f4', '(2, 3, 4)'), struct.pack('<24f', *range(24))),
    'f8_be_2x2x1.npy': npy(npy_dict('>f8', '(2, 2, 1)'), struct.pack('>4d', 0.5, 1, 2, -3)),
    'u1_gray_3x2.npy': npy(npy_dict('|u1', '(3, 2)'), bytes(range(6))),
    'f4_batch_1x2x2x3.npy': npy(npy_dict('<f4', '(1, 2, 2, 3)'), bytes(48)),
    'v2_f4_1x1x2.npy': npy("{'shape': (1,1,2), 'descr': \"<f4\", 'fortran_order': False}",
                           bytes(8), major=2),
    'v3_u1_1x1x1.npy': npy(npy_dict('u1', '(1, 1, 1)'), b'\x07', major=3),
    'fortran.npy': npy(npy_dict('<f4', '(2, 2, 1)', 'True'), bytes(16)),
    'bad_dtype.npy': npy(npy_dict('<i4', '(1, 1, 1)'), bytes(4)),
    'structured.npy': npy("{'descr': [('r', '<f4')], 'fortran_order': False, 'shape': (1,), }"),
    'huge_shape.npy': npy(npy_dict('<f4', '(60000, 60000, 3)')),
    'many_channels.npy': npy(npy_dict('<f4', '(1, 1, 70000)')),
    'zero_dim.npy': npy(npy_dict('<f4', '(0, 3, 3)')),
    'truncated_data.npy': npy(npy_dict('<f4', '(4, 4, 3)'), bytes(100)),
    'long_ints.npy': npy(npy_dict('<f4', '(1L, 2L, 1L)'), bytes(8)),
    # Header bombs: very wide rows (over and at --max-row-bytes) and very tall, no data.
    'wide_row.npy': npy(npy_dict('|u1', '(1, 16384, 16384)')),
    'wide_row_4gib.npy': npy(npy_dict('|u1', '(1, 65536, 65536)')),
    'wide_rows_at_limit.npy': npy(npy_dict('|u1', '(16, 4096, 4096)')),
    'tall.npy': npy(npy_dict('|u1', '(268435456, 1, 1)')),
}

def png_header_bomb(w, h, interlace=0):
    """A PNG declaring w x h RGBA 16-bit with less scanline data than one row."""
    def chunk(kind, data):
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data))
    ihdr = struct.pack('>IIBBBBB', w, h, 16, 6, 0, 0, interlace)
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) +
            chunk(b'IDAT', zlib.compress(bytes(64))) + chunk(b'IEND', b''))


# Very wide rows within the fuzzers' pixel budget (2^22): over --max-row-bytes, and at it.
WIDE = {
    'wide_row_over_limit.png': png_header_bomb(1 << 22, 1),
    'wide_rows_at_limit.png': png_header_bomb(1 << 21, 2),
    'wide_rows_at_limit_adam7.png': png_header_bomb(1 << 21, 2, interlace=1),
}

# PNM: 8- and 16-bit, grey and RGB, comments, odd maxvals, and the hostile ones (folder walk).
PNM = {
    'gray8.pgm': b'P5\n# c\n4 3\n255\n' + bytes(range(0, 240, 20)),
    'rgb8.ppm': b'P6 2 2 255\n' + bytes(range(12)),
    'gray16.pgm': b'P5 3 1 65535\n' + bytes(range(6)),
    'rgb10bit.ppm': b'P6\t1\r\n2\n1023\n' + bytes([3, 255, 0, 1, 2, 3, 0, 0, 0, 1, 1, 1]),
    'maxval15.pgm': b'P5 2 2 15\n' + bytes([0, 5, 15, 16]),
    'two.pgm': b'P5 1 1 255\n\x07P5 1 1 255\n\x09',
    'wide_rows_at_limit.ppm': b'P6 1398101 2 255\n' + bytes(64),
}

OPTIONS = [
    'in.jpg\nout.jpg',
    'in.jpg\nout.png\n--rescale\n--pixel-scale\n1\n-q\n75',
    'in.png\nout.npy\n--radius\n3\n--alpha\n0.001/9\n--beta\n0.75\n--bias\n2',
    'fmap.npy\nout.npy\n--convention\ntorch\n--size\n4\n--alpha\n1e-4',
    '--preset\ncaffe-alexnet\n--print-params',
    '--preset\ntorch-defaults\n--size\n5\n--print-params',
    '--convention\nonnx\n--size\n6\n--bias\n0\n--alpha\n1\n--print-params',
    '--preset\ncaffe-alexnet\n--radius\n3',
    'a.jpg\nb.png\nc.npy\n-O\nout\n-j\n2\n-t\n1\n--suffix\n_lrn\n--skip-existing\n--quiet',
    '--files-from\n-\n-0\n-O\nout\n--format\nnpy\n--json\n--stats',
    '-\n-\n--format\npng',
    'in.jpg\nout\n--format\njpg\n--no-auto-orient',
    'in.jpg\nout.jpg\n--max-pixels\n1000\n--max-npy-bytes\n4096',
    'in.jpg\nout.jpg\n--lenient',
    'in.jpg\nout.jpg\n--strict',
    'in.jpg\nout.jpg\n--lenient\n--strict',
    '--help',
    '--version',
    'in.jpg\0out.jpg\0--alpha=0.5/0\0-r\0-1',
    'in.jpg\nout.jpg\n--max-row-bytes\n16777216',
]


def write(folder, name, data):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), 'wb') as f:
        f.write(data)


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    decode = os.path.join(OUT, 'decode')
    images = sorted(glob.glob(os.path.join(DATA, '*.jpg')) + glob.glob(os.path.join(DATA, '*.png')))
    images += sorted(glob.glob(os.path.join(DATA, 'hostile', '*.jpg')) +
                     glob.glob(os.path.join(DATA, 'hostile', '*.png')))
    for path in images:
        data = open(path, 'rb').read()
        if len(data) > 20000:
            continue
        base = os.path.basename(path)
        prefix = 'hostile_' if os.path.basename(os.path.dirname(path)) == 'hostile' else ''
        write(decode, prefix + base, data)
        if prefix:
            continue
        write(decode, 'cut_' + base, data[:len(data) * 2 // 3])
        flipped = bytearray(data)
        flipped[len(data) // 2] ^= 0x10
        write(decode, 'flip_' + base, bytes(flipped))
    for name, data in WIDE.items():
        write(decode, name, data)
    for name, data in NPY.items():
        write(decode, name, data)
        write(os.path.join(OUT, 'npy'), name, data)
    hostile_pnm = sorted(glob.glob(os.path.join(DATA, 'hostile', 'pnm_*')))
    for name, data in list(PNM.items()) + [('hostile_' + os.path.basename(p), open(p, 'rb').read())
                                           for p in hostile_pnm]:
        write(decode, name, data)
        write(os.path.join(OUT, 'pnm'), name, data)
    # TIFF: valid files and the hostile ones, all built by make_hostile.py's tiff().
    import sys
    sys.path.insert(0, os.path.join(DATA, 'hostile'))
    from make_hostile import tiff
    strips = [bytes((i * 11) & 0xFF for i in range(192))] * 4
    for name, data in {'rgb8.tif': tiff(16, 16, strips),
                       'rgb8_deflate.tif': tiff(16, 16, [zlib.compress(x) for x in strips], compression=8),
                       'gray16.tif': tiff(8, 16, strips, spp=1, bits=16, photometric=1),
                       'gray_float.tif': tiff(4, 16, strips, spp=1, bits=32, photometric=1)}.items():
        write(decode, name, data)
        write(os.path.join(OUT, 'tiff'), name, data)
    # WebP: the fixture and the hostile files.
    for p in [os.path.join(DATA, 'webp_lossy.webp')] + sorted(glob.glob(os.path.join(DATA, 'hostile', 'webp_*'))):
        data = open(p, 'rb').read()
        write(decode, os.path.basename(p), data)
        write(os.path.join(OUT, 'webp'), os.path.basename(p), data)
    for p in sorted(glob.glob(os.path.join(DATA, 'hostile', 'tiff_*'))):
        data = open(p, 'rb').read()
        write(decode, 'hostile_' + os.path.basename(p), data)
        write(os.path.join(OUT, 'tiff'), os.path.basename(p), data)
    for i, line in enumerate(OPTIONS):
        write(os.path.join(OUT, 'options'), 'args%02d' % i, line.encode())


if __name__ == '__main__':
    main()
