"""Writes the DICOM and JPEG decoder fixtures and, next to each, what independent tools decode from it.

    /usr/bin/python3 tools/imaging/make_dicom_fixtures.py

Needs Debian's python3-pydicom, python3-numpy, python3-pil and dcmtk (dcmconv, img2dcm, dcmdjpeg). The DICOM files
are written by pydicom in one transfer syntax and converted to the others by DCMTK's dcmconv (so two independent
writers are involved); the encapsulated JPEG file is written by DCMTK's img2dcm. The expected values are what pydicom
decodes (pixel_array, apply_modality_lut), stored as JSON next to each file (<name>.json):

    {"rows", "columns", "frames", "samples", "stored": [...], "modality": [...] (gray only)}

with samples in pydicom's order: frame, row, column, channel. JPEG fixtures come with the pixels Pillow
(libjpeg-turbo) decodes, stored as binary PGM/PPM (<name>.expected.pgm/.ppm). No patient data: every name is synthetic.
"""
import json
import os
import shutil
import subprocess
import tempfile

import numpy as np
import pydicom
from PIL import Image
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.pixel_data_handlers.util import apply_modality_lut
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian, ImplicitVRLittleEndian, generate_uid

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "tests", "AnomalyDetection.Core.Tests", "Fixtures")
DICOM = os.path.join(FIXTURES, "dicom")
JPEG = os.path.join(FIXTURES, "jpeg")
SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7"
ROWS, COLUMNS = 6, 8


def pattern(rows, columns, frames, channels, low, high, seed):
    """A deterministic ramp-plus-noise pattern that covers [low, high], including both ends."""
    rng = np.random.default_rng(seed)
    count = rows * columns * frames * channels
    values = np.linspace(low, high, count).round().astype(np.int64)
    rng.shuffle(values)
    values[0], values[-1] = low, high
    return values.reshape(frames, rows, columns, channels)


def dataset(values, photometric, bits_allocated, bits_stored, signed, planar=None, undefined_sequence=False, **extra):
    frames, rows, columns, channels = values.shape
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = SECONDARY_CAPTURE
    meta.MediaStorageSOPInstanceUID = generate_uid(prefix="1.2.826.0.1.3680043.8.498.", entropy_srcs=[photometric, str(bits_stored), str(frames)])
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.SOPClassUID = SECONDARY_CAPTURE
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.PatientName = "Synthetic^Fixture"
    ds.PatientID = "FIXTURE-0001"
    ds.Modality = "OT"
    ds.Rows, ds.Columns = rows, columns
    ds.SamplesPerPixel = channels
    ds.PhotometricInterpretation = photometric
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = bits_allocated, bits_stored, bits_stored - 1
    ds.PixelRepresentation = 1 if signed else 0
    if planar is not None:
        ds.PlanarConfiguration = planar
    if frames > 1:
        ds.NumberOfFrames = frames
    for keyword, value in extra.items():
        setattr(ds, keyword, value)
    # A nested sequence before the pixel data, so that the reader must skip items (defined or undefined length).
    item = Dataset()
    item.ReferencedSOPClassUID = SECONDARY_CAPTURE
    item.ReferencedSOPInstanceUID = "1.2.826.0.1.3680043.8.498.1"
    ds.ReferencedImageSequence = Sequence([item])
    ds.ReferencedImageSequence.is_undefined_length = undefined_sequence
    dtype = {(8, False): np.uint8, (8, True): np.int8, (16, False): np.uint16, (16, True): np.int16}[(bits_allocated, signed)]
    stored = values.astype(dtype)
    if planar == 1:
        stored = stored.transpose(0, 3, 1, 2)
    raw = stored.astype(stored.dtype.newbyteorder("<")).tobytes()
    ds.PixelData = raw
    ds["PixelData"].VR = "OB" if bits_allocated == 8 else "OW"
    return ds


def write(ds, name, syntax):
    undefined = ds.ReferencedImageSequence.is_undefined_length
    path = os.path.join(DICOM, name)
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.is_little_endian, ds.is_implicit_VR = True, False
    with tempfile.TemporaryDirectory() as scratch:
        source = os.path.join(scratch, "source.dcm")
        ds.save_as(source, write_like_original=False)
        option = {"explicit": "+te", "implicit": "+ti", "deflated": "+td"}[syntax]
        lengths = ["-e"] if undefined else []  # dcmconv writes explicit lengths unless told otherwise
        subprocess.run(["dcmconv", option, *lengths, source, path], check=True)
    record(path)


def record(path):
    ds = pydicom.dcmread(path)
    pixels = ds.pixel_array
    frames = int(getattr(ds, "NumberOfFrames", 1))
    channels = int(ds.SamplesPerPixel)
    expected = {
        "transferSyntax": str(ds.file_meta.TransferSyntaxUID),
        "rows": int(ds.Rows),
        "columns": int(ds.Columns),
        "frames": frames,
        "samples": channels,
        "bitsStored": int(ds.BitsStored),
        "signed": int(ds.PixelRepresentation) == 1,
        "photometric": str(ds.PhotometricInterpretation),
        "stored": pixels.reshape(-1).astype(np.int64).tolist(),
    }
    if channels == 1:
        expected["modality"] = np.asarray(apply_modality_lut(pixels, ds), dtype=np.float64).reshape(-1).tolist()
    if "WindowCenter" in ds:
        centre, width = ds.WindowCenter, ds.WindowWidth
        expected["windowCenter"] = float(centre[0] if isinstance(centre, pydicom.multival.MultiValue) else centre)
        expected["windowWidth"] = float(width[0] if isinstance(width, pydicom.multival.MultiValue) else width)
    with open(path.removesuffix(".dcm") + ".json", "w") as f:
        json.dump(expected, f)


def dicom_fixtures():
    gray = lambda low, high, seed, frames=1: pattern(ROWS, COLUMNS, frames, 1, low, high, seed)
    write(dataset(gray(0, 4095, 1), "MONOCHROME2", 16, 12, False, undefined_sequence=True,
                  RescaleSlope="1", RescaleIntercept="-1024", WindowCenter="40", WindowWidth="400", RescaleType="HU"),
          "mono2_u12_explicit.dcm", "explicit")
    write(dataset(gray(-32768, 32767, 2), "MONOCHROME2", 16, 16, True, undefined_sequence=True,
                  RescaleSlope="2", RescaleIntercept="-10"),
          "mono2_s16_implicit.dcm", "implicit")
    write(dataset(gray(0, 255, 3), "MONOCHROME1", 8, 8, False), "mono1_u8_explicit.dcm", "explicit")
    write(dataset(gray(0, 65535, 4), "MONOCHROME1", 16, 16, False), "mono1_u16_implicit.dcm", "implicit")
    write(dataset(gray(-128, 127, 5), "MONOCHROME2", 8, 8, True), "mono2_s8_explicit.dcm", "explicit")
    write(dataset(gray(-2048, 2047, 6), "MONOCHROME2", 16, 12, True, RescaleSlope="0.5", RescaleIntercept="100"),
          "mono2_s12_deflated.dcm", "deflated")
    write(dataset(gray(0, 65535, 7, frames=3), "MONOCHROME2", 16, 16, False, undefined_sequence=True,
                  WindowCenter="30000\\1000", WindowWidth="20000\\500"),
          "multiframe_u16_explicit.dcm", "explicit")
    write(dataset(gray(0, 255, 8, frames=2), "MONOCHROME2", 8, 8, False), "multiframe_u8_deflated.dcm", "deflated")
    rgb = lambda seed, frames=1: pattern(ROWS, COLUMNS, frames, 3, 0, 255, seed)
    write(dataset(rgb(9), "RGB", 8, 8, False, planar=0), "rgb_interleaved_explicit.dcm", "explicit")
    write(dataset(rgb(10), "RGB", 8, 8, False, planar=1, undefined_sequence=True), "rgb_planar_implicit.dcm", "implicit")
    write(dataset(rgb(11), "RGB", 8, 8, False, planar=1), "rgb_planar_deflated.dcm", "deflated")
    # A DICOM file without an extension, as PACS exports name them; readers recognise it by the DICM preamble.
    shutil.copyfile(os.path.join(DICOM, "mono2_u12_explicit.dcm"), os.path.join(DICOM, "IM000001"))


def jpeg_fixtures():
    rng = np.random.default_rng(12)
    h, w = 12, 16
    yy, xx = np.mgrid[0:h, 0:w]
    gray = (xx * 12 + yy * 5 + rng.integers(0, 20, (h, w))).clip(0, 255).astype(np.uint8)
    colour = np.stack([gray, (255 - gray), ((xx * 30) % 256).astype(np.uint8)], axis=-1).astype(np.uint8)
    variants = [
        ("gray_baseline.jpg", Image.fromarray(gray, "L"), dict(quality=90)),
        ("rgb_baseline.jpg", Image.fromarray(colour, "RGB"), dict(quality=90, subsampling=0)),
        ("rgb_baseline_420.jpeg", Image.fromarray(colour, "RGB"), dict(quality=85, subsampling=2)),
        ("gray_progressive.jpg", Image.fromarray(gray, "L"), dict(quality=90, progressive=True)),
        ("rgb_progressive.jpg", Image.fromarray(colour, "RGB"), dict(quality=90, progressive=True, subsampling=0)),
    ]
    for name, image, options in variants:
        path = os.path.join(JPEG, name)
        image.save(path, "JPEG", **options)
        decoded = Image.open(path)
        decoded.load()
        suffix = ".expected.pgm" if decoded.mode == "L" else ".expected.ppm"
        decoded.save(os.path.splitext(path)[0] + suffix)

    # Baseline JPEG inside DICOM (img2dcm writes the JPEG bitstream as encapsulated pixel data, transfer syntax
    # 1.2.840.10008.1.2.4.50); the expected pixels come from DCMTK's own decompression (dcmdjpeg) read by pydicom.
    for name, jpeg in [("jpeg_baseline_gray.dcm", "gray_baseline.jpg"), ("jpeg_baseline_rgb.dcm", "rgb_baseline.jpg")]:
        path = os.path.join(DICOM, name)
        subprocess.run(["img2dcm", "-q", "-k", "PatientName=Synthetic^Fixture", os.path.join(JPEG, jpeg), path], check=True)
        with tempfile.TemporaryDirectory() as scratch:
            plain = os.path.join(scratch, "plain.dcm")
            subprocess.run(["dcmdjpeg", path, plain], check=True)
            record(plain)
            shutil.move(os.path.join(scratch, "plain.json"), path.removesuffix(".dcm") + ".json")

    # Encapsulated syntaxes other than baseline JPEG are refused; an RLE file (written by dcmtk) shows the message.
    with tempfile.TemporaryDirectory() as scratch:
        source = os.path.join(scratch, "source.dcm")
        ds = dataset(pattern(ROWS, COLUMNS, 1, 1, 0, 255, 13), "MONOCHROME2", 8, 8, False)
        ds.save_as(source, write_like_original=False)
        subprocess.run(["dcmcrle", source, os.path.join(DICOM, "rle_refused.dcm")], check=True)


if __name__ == "__main__":
    os.makedirs(DICOM, exist_ok=True)
    os.makedirs(JPEG, exist_ok=True)
    dicom_fixtures()
    jpeg_fixtures()
