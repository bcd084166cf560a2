"""Bytes to text: encodings detected, not assumed; binary data recognised and refused."""

from __future__ import annotations

import codecs
import re
from typing import Any

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-.]+)["']""", re.I)

#: File signatures of formats that are certainly not text articles.
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or DOCX/EPUB)"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"\x7fELF", "ELF executable"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ", "xz archive"),
    (b"7z\xbc\xaf", "7-Zip archive"),
    (b"\xd0\xcf\x11\xe0", "MS Office document"),
    (b"SQLite format 3", "SQLite database"),
)


class DecodeError(ValueError):
    """Raised with ``reason`` = ``binary`` or ``decode-error`` and a human detail."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def binary_kind(data: bytes) -> str | None:
    """A name for known binary formats, or 'binary data' for NUL-laden bytes, else None."""
    for magic, name in MAGIC:
        if data.startswith(magic):
            return name
    head = data[:8192]
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return None
    # A few stray NULs (a bad copy, a C string terminator) do not make a text binary: they
    # are removed with the other control characters. Binary data is full of them.
    nuls = head.count(b"\x00")
    if nuls > 2 and nuls * 1000 > len(head):
        return "binary data (NUL bytes)"
    return None


def declared_encoding(data: bytes) -> str | None:
    head = data[:4096]
    m = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if not m:
        return None
    name = m.group(1).decode("ascii", "ignore").lower()
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes, returning (text, encoding name).

    Order: byte-order mark, strict UTF-8 (most of the web), the encoding the document
    declares, then charset-normalizer's detection. Text that decodes but is mostly control
    characters is binary in disguise and refused.
    """
    kind = binary_kind(data)
    if kind:
        raise DecodeError("binary", f"looks like {kind}, not text")
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(name)), name
            except UnicodeDecodeError as exc:
                raise DecodeError("decode-error", f"invalid {name} after its byte-order mark: {exc.reason}") from exc
    try:
        return _checked(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = declared_encoding(data)
    if declared and declared not in ("utf-8", "utf_8"):
        try:
            return _checked(data.decode(declared)), declared
        except (UnicodeDecodeError, LookupError):
            pass
    from charset_normalizer import from_bytes

    best = _best_guess(from_bytes(data[:1_000_000]))
    if best is None or best.encoding is None:
        raise DecodeError("decode-error", "not valid UTF-8 and no other encoding fits")
    try:
        return _checked(data.decode(best.encoding)), best.encoding
    except (UnicodeDecodeError, LookupError) as exc:
        raise DecodeError("decode-error", f"detected {best.encoding} but it does not decode: {exc}") from exc


def _checked(text: str) -> str:
    sample = text[:10000]
    if sample:
        controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f")
        if controls / len(sample) > 0.05:
            raise DecodeError("binary", f"{controls} control characters in the first {len(sample)}: binary data")
    return text


#: Among equally good guesses, the encodings Western news sites actually use come first.
_PREFERRED = ("utf_8", "cp1252", "iso8859_15", "iso8859_1", "cp1251", "koi8_r", "cp1250")


def _best_guess(matches: Any) -> Any:
    """charset-normalizer's best match, with ties broken towards common web encodings.

    It scores cp1250 and cp1252 equally on French text and lists cp1250 first, which turns
    "è" into "č": a tie is resolved by how common the encoding is, not by list order.
    """
    best = matches.best()
    if best is None:
        return None
    tied = [m for m in matches if m.chaos == best.chaos and m.coherence == best.coherence]
    return min(tied, key=lambda m: _PREFERRED.index(m.encoding) if m.encoding in _PREFERRED else len(_PREFERRED))
