"""The format of a file from its content, never from its name.

Wrongly named files are common (a `.fit` that is a GPX export, a `.gpx` that is gzip): the
first bytes decide. Returns one of `fit`, `gpx`, `tcx`, `bundle` (a crampwise-bundle JSON),
`json` (any other JSON: a Garmin account export holds hundreds, a Polar export one per
training session), `gzip`, `zip`, `empty` or `unknown`.
"""

from __future__ import annotations

from typing import Final

FIT_MAGIC: Final = b".FIT"
GZIP_MAGIC: Final = b"\x1f\x8b"
ZIP_MAGICS: Final = (b"PK\x03\x04", b"PK\x05\x06")
BOM: Final = b"\xef\xbb\xbf"


def detect_format(head: bytes) -> str:
    """The format of a file whose first bytes (a few KB are enough) are `head`."""
    if not head:
        return "empty"
    if len(head) >= 12 and head[0] in (12, 14) and head[8:12] == FIT_MAGIC:
        return "fit"
    if head.startswith(GZIP_MAGIC):
        return "gzip"
    if head.startswith(ZIP_MAGICS):
        return "zip"
    text = head.removeprefix(BOM).lstrip()
    if not text:
        return "empty"
    if text.startswith(b"{") and (b'"crampwise-bundle"' in text or b'"athlete"' in text):
        return "bundle"
    if text.startswith((b"{", b"[")):
        return "json"
    if text.startswith(b"<"):
        lowered = text[:4096].lower()
        if b"<trainingcenterdatabase" in lowered:
            return "tcx"
        if b"<gpx" in lowered:
            return "gpx"
    return "unknown"
