"""The clinician report as PDF, through WeasyPrint (HTML + CSS paged media, SVG drawn natively).

WeasyPrint needs Pango from the system (`scripts/install-system-deps.sh` installs Debian's);
it is imported here only, so the rest of crampwise runs without it.
"""

from __future__ import annotations

import logging


def html_to_pdf(html: str) -> bytes:
    """A PDF of this self-contained HTML document (no network: every asset is inline)."""
    from weasyprint import HTML

    # WeasyPrint logs every unsupported CSS property at WARNING; the report does not need them.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    pdf = HTML(string=html, base_url=None).write_pdf()
    if not isinstance(pdf, bytes):  # write_pdf returns bytes when no target is given
        raise TypeError("WeasyPrint returned no PDF bytes")
    return pdf
