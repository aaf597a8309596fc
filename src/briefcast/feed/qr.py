"""The subscribe URL as a QR code: in the terminal, and as inline SVG for the landing page."""

from __future__ import annotations

import io

from ..lazy import lazy_import

segno = lazy_import("segno")  # a QR code is drawn only when a page or a terminal shows one


def qr_terminal(url: str) -> str:
    """The QR code as text for a terminal (a phone's camera reads it from the screen)."""
    out = io.StringIO()
    segno.make(url, error="m").terminal(out=out, compact=True)
    return out.getvalue()


def qr_svg(url: str) -> str:
    """The QR code as an inline ``<svg>`` element (no external resource)."""
    return segno.make(url, error="m").svg_inline(scale=5, title="Subscribe: " + url)
