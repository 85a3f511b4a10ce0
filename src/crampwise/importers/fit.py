"""FIT activities (Garmin, Wahoo, COROS, Suunto, Zwift, Strava app...) -> `ImportedActivity`.

Decoding is the lean reader's (`fit_lean`), with fitdecode as the fallback when the lean reader
meets a problem fitdecode might read past. The chained segments of one device recording (same
file_id) are one recording, and a chain of two recordings (two file_ids) gives two. What a
recording becomes (`fit_sessions`): one session per leg of a multisport recording (swim, bike,
run; transitions noted), linked as one event; a session rebuilt from the records when the file
has no session summary (flagged `recovered`); a start dated from the device's local clock when
its clock was never set (flagged `date_inferred`); moving time from the timer's stop/start
events. CRCs: a mismatch in a file whose data decode cleanly imports with a warning; a mismatch
in a file that also fails to decode is refused.
"""

from __future__ import annotations

from typing import BinaryIO

from crampwise.importers.fit_contents import FitContents
from crampwise.importers.fit_lean import decode
from crampwise.importers.fit_sessions import build_activities
from crampwise.importers.model import ParsedFile, damaged


def parse_fit(stream: BinaryIO) -> ParsedFile:
    """Read a FIT file (chained segments included) into its activities, or raise ImportProblem."""
    data = stream.read()
    contents, decoder = read_contents(data)
    warning = None
    if contents.crc_errors:
        crc = "; ".join(contents.crc_errors)
        if contents.problem:
            raise damaged(f"FIT {crc}, and {contents.problem}: the file is damaged, nothing was imported")
        warning = f"{crc}: the data decode cleanly and were imported, but a changed value cannot be ruled out"
    activities = build_activities(contents)
    if contents.problem:
        warning = f"read up to byte {contents.bytes_read}: {contents.problem}"
    return ParsedFile("fit", activities, decoder=decoder, warning=warning)


def read_contents(data: bytes) -> tuple[FitContents, str]:
    """Lean decoding, or fitdecode when the lean reader stopped early and fitdecode reads more."""
    try:
        lean: FitContents | None = decode(data)
    except Exception:  # a lean-reader bug must not lose a file: fitdecode decides
        lean = None
    if lean is not None and lean.problem is None:
        return lean, "lean"
    from crampwise.importers.fit_reference import decode_with_fitdecode

    slow = decode_with_fitdecode(data)
    if lean is None or _amount(slow) > _amount(lean):
        if lean is not None:
            slow.crc_errors = lean.crc_errors
        return slow, "fitdecode"
    return lean, "lean"


def _amount(contents: FitContents) -> tuple[int, int]:
    return len(contents.sessions), len(contents.record_segment)
