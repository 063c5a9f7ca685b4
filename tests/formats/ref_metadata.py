"""--keep-metadata against exiftool and PIL, run by ctest with lrn-img's path.

Inputs get their EXIF from exiftool (several tags, Orientation 6) and a real ICC profile from
PIL's littlecms (ImageCms.createProfile('sRGB')). For every pair of JPEG, PNG, WebP and TIFF the
output's EXIF is compared tag by tag with `exiftool -j -n` (IFD0 and the EXIF sub-directory),
Orientation aside: 1 where lrn-img applied it (JPEG input), else as it was; the ICC profile's
bytes must equal the input's (read back by PIL). In a TIFF, EXIF is IFD0's descriptive tags
and the EXIF IFD; the tags of the TIFF's own structure (and IFD0 tags that only describe other
formats' structure) are left out of the comparison where a TIFF is involved. Without the flag
nothing is copied; to .npy and PNM a warning names what is dropped. Damaged metadata (tests/data/hostile) is dropped with a warning, the pixels
kept. A missing reference fails, never skips.
"""
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "family"))
from common import Checks, need  # noqa: E402

np = need("numpy", "python3-numpy")
need("PIL.Image", "python3-pil")
from PIL import Image, ImageCms  # noqa: E402

LRN = sys.argv[1]
HOSTILE = os.path.join(os.path.dirname(__file__), "..", "data", "hostile")
if not shutil.which("exiftool"):
    print("reference missing: exiftool; install libimage-exiftool-perl (bash .ci/install-deps)",
          file=sys.stderr)
    sys.exit(1)

TAGS = ["-Make=lrn-img test", "-Model=Model 15", "-Artist=A. Person", "-Copyright=CC0",
        "-DateTimeOriginal=2024:01:02 03:04:05", "-ExposureTime=0.01", "-FNumber=2.8",
        "-ISO=200", "-FocalLength=35", "-ImageDescription=keep me", "-Orientation#=6"]
# Tags a TIFF file has as its own structure (IFD0 of a TIFF is the image's directory).
STRUCTURE = {"ImageWidth", "ImageHeight", "BitsPerSample", "Compression",
             "PhotometricInterpretation", "StripOffsets", "SamplesPerPixel", "RowsPerStrip",
             "StripByteCounts", "PlanarConfiguration", "Software", "Predictor", "SampleFormat",
             "ExtraSamples", "XResolution", "YResolution", "ResolutionUnit",
             "YCbCrPositioning"}


checks = Checks(LRN)
run, check = checks.run, checks.check


def exif_tags(path, structure=None):
    """The EXIF tags exiftool reads (IFD0 and ExifIFD, numbers as numbers); `structure`:
    leave out the tags of a TIFF file's own structure."""
    out = subprocess.run(["exiftool", "-j", "-n", "-G1", "-EXIF:all", path], check=True,
                         capture_output=True, text=True).stdout
    tags = json.loads(out)[0]
    del tags["SourceFile"]
    if not (path.endswith(".tif") if structure is None else structure):
        return tags
    return {k: v for k, v in tags.items() if k.split(":")[1] not in STRUCTURE}


def icc_of(path):
    with Image.open(path) as im:
        return im.info.get("icc_profile")


def exiftool_write(path, *args):
    subprocess.run(["exiftool", "-q", "-overwrite_original", *args, path], check=True)


with tempfile.TemporaryDirectory() as d:
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    icc_path = os.path.join(d, "srgb.icc")
    with open(icc_path, "wb") as f:
        f.write(icc)
    y, x = np.mgrid[0:48, 0:64]
    rgb = (np.stack([x * 4, y * 5, (x + y) * 2], axis=-1) % 256).astype(np.uint8)
    picture = Image.fromarray(rgb)
    inputs = {}
    for ext, fmt in (("jpg", "JPEG"), ("png", "PNG"), ("webp", "WEBP"), ("tif", "TIFF")):
        path = os.path.join(d, "in." + ext)
        picture.save(path, fmt, **({"lossless": True} if fmt == "WEBP" else {}))
        exiftool_write(path, *TAGS, f"-ICC_Profile<={icc_path}")
        inputs[ext] = path
    plain = os.path.join(d, "plain.jpg")
    picture.save(plain, "JPEG")

    reference = exif_tags(inputs["jpg"])
    check("the JPEG input has the tags and Orientation 6",
          reference.get("IFD0:Orientation") == 6 and reference.get("IFD0:Make") == "lrn-img test"
          and reference.get("ExifIFD:ISO") == 200, str(reference))
    for ext, path in inputs.items():
        check(f"{ext} input: exiftool wrote the ICC profile", icc_of(path) == icc)

    for src_ext, src in inputs.items():
        for dst_ext in inputs:
            dst = os.path.join(d, f"{src_ext}_to.{dst_ext}")
            r = run(src, dst, "--keep-metadata")
            name = f"{src_ext} -> {dst_ext}"
            check(f"{name}: ICC profile bytes equal", icc_of(dst) == icc)
            tiff = "tif" in (src_ext, dst_ext)
            got = exif_tags(dst, tiff)
            check(f"{name}: no warning", r.stderr == "", r.stderr)
            want = exif_tags(src, tiff)
            check(f"{name}: the input has EXIF IFD tags",
                  want.get("ExifIFD:ISO") == 200 and want.get("IFD0:Artist") == "A. Person")
            # Applied (JPEG input) means reset to 1; PNG and WebP orientation is not applied.
            want["IFD0:Orientation"] = 1 if src_ext == "jpg" else 6
            check(f"{name}: EXIF tags equal", got == want,
                  str({k: (want.get(k), got.get(k)) for k in set(want) | set(got)
                       if want.get(k) != got.get(k)}))

    # JPEG output: exiftool finds the EXIF where it belongs (APP1, not a trailing blob).
    where = subprocess.run(["exiftool", "-v1", inputs["png"].replace("in.png", "png_to.jpg")],
                           capture_output=True, text=True).stdout
    check("JPEG output: EXIF in APP1 and ICC in APP2", "APP1" in where and "APP2" in where)

    # --no-auto-orient: the pixels are as stored, so the tag stays 6.
    kept = os.path.join(d, "kept.jpg")
    run(inputs["jpg"], kept, "--keep-metadata", "--no-auto-orient")
    check("--no-auto-orient keeps Orientation 6", exif_tags(kept).get("IFD0:Orientation") == 6)
    # The rotated pixels: 64x48 stored, 48x64 shown.
    with Image.open(os.path.join(d, "jpg_to.png")) as im:
        check("the orientation was applied to the pixels", im.size == (48, 64), str(im.size))

    # Without the flag: nothing copied, nothing said.
    for ext in inputs:
        dst = os.path.join(d, f"none.{ext}")
        r = run(inputs["jpg"], dst)
        check(f"without --keep-metadata: no ICC in .{ext}", icc_of(dst) is None)
        check(f"without --keep-metadata: no EXIF in .{ext}",
              not any(k.startswith(("ExifIFD:", "IFD0:Make")) for k in exif_tags(dst)))
        check(f"without --keep-metadata: no warning for .{ext}", r.stderr == "", r.stderr)

    # To .npy and PNM: one warning naming the input and what was dropped.
    for ext, fmt in (("npy", ".npy"), ("pnm", "PNM")):
        r = run(inputs["jpg"], os.path.join(d, "out." + ext), "--keep-metadata")
        lines = r.stderr.strip().splitlines()
        check(f"to {fmt}: one warning naming the file and both parts",
              len(lines) == 1 and f"'{inputs['jpg']}': EXIF (" in lines[0]
              and f"an ICC profile ({len(icc)} bytes) dropped ({fmt} carries no metadata)"
              in lines[0], r.stderr)
        r = run(plain, os.path.join(d, "plain." + ext), "--keep-metadata")
        check(f"to {fmt} without metadata: silent", r.stderr == "", r.stderr)
    r = run(inputs["jpg"], os.path.join(d, "strict.npy"), "--keep-metadata", "--strict",
            ok=False)
    check("--strict: the dropped metadata is an error", r.returncode == 1, r.stderr)

    # An ICC profile over several APP2 markers (PIL splits at 65519 bytes), in file order and
    # with the markers shuffled: reassembled by sequence number either way.
    big = icc + bytes(range(256)) * 700  # 179788 bytes: 3 markers
    split = os.path.join(d, "split.jpg")
    picture.save(split, "JPEG", icc_profile=big)
    data = open(split, "rb").read()
    starts = [i for i in range(len(data) - 16) if data[i:i + 2] == b"\xff\xe2"
              and data[i + 4:i + 16] == b"ICC_PROFILE\0"]
    check("the split profile spans 3 APP2 markers", len(starts) == 3, str(len(starts)))
    for name, order in (("in order", [0, 1, 2]), ("shuffled", [2, 0, 1])):
        seg = [data[s:s + 2 + struct.unpack(">H", data[s + 2:s + 4])[0]] for s in starts]
        end = starts[-1] + len(seg[-1])
        shuffled = data[:starts[0]] + b"".join(seg[i] for i in order) + data[end:]
        src = os.path.join(d, f"split_in_{order[0]}.jpg")
        open(src, "wb").write(shuffled)
        for dst_ext in ("jpg", "png", "webp", "tif"):
            dst = os.path.join(d, f"split_{order[0]}.{dst_ext}")
            r = run(src, dst, "--keep-metadata")
            check(f"split ICC ({name}) -> {dst_ext}: bytes equal", icc_of(dst) == big, r.stderr)

    # More than the cap (4 MiB) of ICC chunks: dropped with a warning, the image written.
    over = os.path.join(d, "over.jpg")
    picture.save(over, "JPEG", icc_profile=bytes(5 << 20))
    r = run(over, os.path.join(d, "over.png"), "--keep-metadata")
    check("an ICC profile over the cap is dropped with a warning",
          "over the cap of 4194304 bytes dropped" in r.stderr
          and icc_of(os.path.join(d, "over.png")) is None, r.stderr)

    # EXIF larger than a JPEG's APP1 can hold: kept into WebP, dropped into JPEG with a warning.
    text = b"A" * 99999 + b"\0"
    tiff = b"II*\0" + struct.pack("<IHHHII", 8, 1, 0x010E, 2, len(text), 26) + bytes(4) + text
    large = os.path.join(d, "large_exif.png")
    picture.save(large, "PNG", exif=tiff)
    r = run(large, os.path.join(d, "large.webp"), "--keep-metadata")
    got = exif_tags(os.path.join(d, "large.webp"))
    check("100 KB of EXIF into WebP: kept", r.stderr == ""
          and got.get("IFD0:ImageDescription") == "A" * 99999, r.stderr)
    r = run(large, os.path.join(d, "large.jpg"), "--keep-metadata")
    check("100 KB of EXIF into JPEG: dropped with a warning",
          "EXIF (100026 bytes) dropped (a JPEG's APP1 marker holds at most 65527 bytes of EXIF)"
          in r.stderr and "IFD0:ImageDescription" not in exif_tags(os.path.join(d, "large.jpg")),
          r.stderr)

    # The hostile files: the metadata goes, the pixels stay.
    for name, text in (("jpeg_exif_garbled.jpg", "EXIF that is not a TIFF structure dropped"),
                       ("jpeg_exif_bad_ifd.jpg", "EXIF whose first directory lies outside it"),
                       ("jpeg_icc_missing_chunk.jpg", "not one complete sequence dropped"),
                       ("jpeg_icc_duplicate_chunk.jpg", "not one complete sequence dropped"),
                       ("tiff_exif_bad_ifd.tif", "a damaged or oversized EXIF directory dropped")):
        src = os.path.join(HOSTILE, name)
        dst = os.path.join(d, name + ".png")
        r = run(src, dst, "--keep-metadata", ok=False)
        check(f"{name}: written, with a warning", r.returncode == 0 and text in r.stderr
              and f"'{src}'" in r.stderr, r.stderr)
        check(f"{name}: no ICC written", icc_of(dst) is None)
        r = run(src, os.path.join(d, name + ".strict.png"), "--keep-metadata", "--strict",
                ok=False)
        check(f"{name}: --strict refuses it", r.returncode == 1 and text.split(" dropped")[0]
              in r.stderr, r.stderr)

sys.exit(1 if checks.failed else 0)
