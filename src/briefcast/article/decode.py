"""Bytes to text: UTF-8 (with or without a BOM), UTF-16/32 with a BOM, and legacy 8-bit text
(cp1252, Latin-1, …) as charset-normalizer tells it; binary data refused with one line."""

from __future__ import annotations

import codecs
import logging

from ..errors import InputError
from ..lazy import lazy_import

# loaded only for a file that is not UTF-8
charset_normalizer = lazy_import("charset_normalizer")

log = logging.getLogger(__name__)

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE, whose BOM is its prefix
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
UNICODE = {"utf_8", "utf-8", "utf_8_sig", "ascii"}


def decode_text(data: bytes, name: str, hint: str | None = None) -> str:
    """``data`` as text. ``hint`` is an encoding the source declared (an HTTP charset), tried
    after a BOM and UTF-8. A guess other than UTF-8 is named on stderr; binary data, or bytes no
    encoding reads, raise InputError naming ``name``."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return _decode(data, encoding, name)
    if _looks_binary(data):
        raise InputError(f"{name} is a binary file, not text; pass a .txt, .md or .html article")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if hint:
        try:
            return data.decode(hint)
        except (UnicodeDecodeError, LookupError):
            pass
    encoding = guess_encoding(data)
    if encoding is None:
        raise InputError(f"{name} is not text in any encoding briefcast knows; save it as UTF-8")
    log.warning("%s is not UTF-8; read it as %s", name, encoding)
    return _decode(data, encoding, name)


def guess_encoding(data: bytes) -> str | None:
    """charset-normalizer's guess for legacy 8-bit text, or None for bytes no encoding reads.

    Short Western text reads equally well in several code pages (charset-normalizer then
    ranks cp1250 first, turning "crème" into "crčme"); among the equally good, Windows-1252 is
    the likeliest by far (it is what the web and Windows editors write), so it wins those ties.
    """
    matches = charset_normalizer.from_bytes(data[:200_000])
    best = matches.best()
    if best is None:
        return None
    tied = {m.encoding for m in matches if m.chaos <= best.chaos + 0.01}
    return "cp1252" if tied & {"cp1252", "latin_1", "iso8859_15"} else best.encoding


def _decode(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(f"{name} is not valid {encoding} text; save it as UTF-8") from exc


def _looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters: an image, an archive, a NUL-filled file."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    control = sum(b < 32 and b not in (9, 10, 12, 13, 27) for b in head)
    return control > len(head) * 0.05
