"""The relief illustrations (knowledge/illustrations/*.svg) for faces that show pictures.

The web app serves each file as an image and needs its text alternative: the SVG's own
`<title>` and `<desc>`, so the words a screen reader says are written once, in the drawing.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Final

ILLUSTRATIONS_DIR: Final = Path(__file__).resolve().parents[1] / "knowledge" / "illustrations"
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.S)
_DESC = re.compile(r"<desc[^>]*>(.*?)</desc>", re.S)


@cache
def illustration_files() -> dict[str, bytes]:
    """Every illustration's bytes by file name (`calf_seated.svg`)."""
    return {path.name: path.read_bytes() for path in sorted(ILLUSTRATIONS_DIR.glob("*.svg"))}


@cache
def illustration_texts() -> dict[str, str]:
    """Every illustration's text alternative: its title, then its description."""
    texts: dict[str, str] = {}
    for name, body in illustration_files().items():
        source = body.decode("utf-8")
        parts = [m.group(1).strip() for m in (_TITLE.search(source), _DESC.search(source)) if m]
        texts[name] = ". ".join(" ".join(p.split()) for p in parts)
    return texts
