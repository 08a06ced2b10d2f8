"""Turning fetched bytes into text: BOM, HTTP header, <meta charset>, then a guess.

Servers lie about charsets often enough (a UTF-8 page served as ISO-8859-1,
a Windows-1252 page served as UTF-8) that a declaration is only trusted when
the bytes decode cleanly with it; a Latin-1 family declaration loses to UTF-8
when the bytes are valid UTF-8 with non-ASCII in them, since Latin-1 never
fails to decode and would silently give mojibake.
"""

from __future__ import annotations

import codecs
import re

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""", re.IGNORECASE)
PREFERRED = ["cp1252", "iso8859_1", "iso8859_15", "cp1251", "cp1250", "iso8859_2"]
_LATIN1_FAMILY = {"latin-1", "iso8859-1", "cp1252", "iso8859-15"}


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None


def header_charset(content_type: str | None) -> str | None:
    """The codec named by a Content-Type header, None when absent or unknown."""
    match = _HEADER_CHARSET.search(content_type or "")
    return _codec(match.group(1)) if match else None


def declared_charset(body: bytes) -> str | None:
    """The codec named by <meta charset>, <meta http-equiv> or <?xml encoding> in the first 4 KiB."""
    head = body[:4096]
    for pattern in (_META_CHARSET, _XML_ENCODING):
        match = pattern.search(head)
        if match:
            return _codec(match.group(1).decode("ascii", "replace"))
    return None


def _strict(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """(text, codec used). Never raises: the last resort decodes UTF-8 with replacement."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(codec, "replace"), codec
    for codec in (header_charset(content_type), declared_charset(body)):
        if not codec:
            continue
        if codec in _LATIN1_FAMILY and not body.isascii():
            as_utf8 = _strict(body, "utf-8")
            if as_utf8 is not None:
                return as_utf8, "utf-8"
        text = _strict(body, codec)
        if text is not None:
            return text, codec
    as_utf8 = _strict(body, "utf-8")
    if as_utf8 is not None:
        return as_utf8, "utf-8"
    from charset_normalizer import from_bytes

    matches = list(from_bytes(body))
    if matches:
        least = min(m.chaos for m in matches)
        calm = [m for m in matches if m.chaos <= least + 0.01]
        # Among equally clean readings, prefer the web's usual undeclared codecs:
        # short Latin texts read cleanly in a dozen code pages, Windows-1252 is the likely one.
        best = min(
            calm,
            key=lambda m: (
                PREFERRED.index(m.encoding) if m.encoding in PREFERRED else len(PREFERRED),
                -m.coherence,
            ),
        )
        return str(best), _codec(best.encoding) or best.encoding
    return body.decode("utf-8", "replace"), "utf-8"
