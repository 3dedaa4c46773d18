"""Turning a file's bytes into text, for the line-based formats (CSV, JSON).

Exports from other programs arrive as UTF-8 (with or without a BOM), UTF-16 (Excel's
"Unicode text", some Outlook CSVs) or a Windows code page. Strict UTF-8 is tried
before cp1252, which decodes anything and is only a fallback: the caller is told.
"""

from __future__ import annotations

import codecs


def decode(data: bytes) -> tuple[str, str | None]:
    """The text, and the name of a fallback encoding if one had to be guessed."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"), None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), None
    sample = data[:4000]
    if len(sample) >= 4 and sample.count(0) > len(sample) // 4:
        # UTF-16 without a BOM: every other byte of ASCII text is NUL.
        little = sample[1::2].count(0) > sample[0::2].count(0)
        return data.decode("utf-16-le" if little else "utf-16-be", errors="replace"), None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def split_escaped(value: str, separator: str, limit: int = -1) -> list[str]:
    """Split at separators not escaped by a backslash (at most `limit` times, when not
    -1); the pieces keep their escapes. vCard's structured values and netlog's CSV cells
    both escape this way."""
    if "\\" not in value:
        return value.split(separator, limit)
    pieces, current, escaped = [], [], False
    for char in value:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            current.append(char)
            escaped = True
        elif char == separator and limit != 0:
            pieces.append("".join(current))
            current = []
            limit -= 1
        else:
            current.append(char)
    pieces.append("".join(current))
    return pieces
