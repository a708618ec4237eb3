"""What every reader shares: the error type and decoding bytes to text."""

from __future__ import annotations

import codecs
import re

MAX_SOURCE_BYTES = 64 * 1024 * 1024


class SourceError(ValueError):
    """An input that cannot be read; the message says what is wrong with it."""


_DECLARED = re.compile(rb"""(?:encoding|charset)\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def decode_text(data: bytes) -> str:
    """Decode bytes as UTF-8 (BOM honoured) or the charset the document declares.

    Raises SourceError for binary data and bytes that are not valid in that encoding.
    """
    if len(data) > MAX_SOURCE_BYTES:
        raise SourceError(f"larger than the {MAX_SOURCE_BYTES // 2**20} MB limit for one source")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        declared = _DECLARED.search(data[:1024])
        encoding = declared.group(1).decode("ascii").lower() if declared else "utf-8-sig"
        if encoding in {"utf-8", "utf8"}:
            encoding = "utf-8-sig"
    if b"\x00" in data[:8192] and encoding != "utf-16":
        raise SourceError("looks like a binary file (NUL bytes), not text")
    try:
        text = data.decode(encoding)
    except LookupError:
        raise SourceError(f"declares an unknown encoding {encoding!r}") from None
    except UnicodeDecodeError as error:
        raise SourceError(
            f"is not valid {encoding.replace('-sig', '')} text "
            f"(byte 0x{data[error.start]:02x} at offset {error.start})"
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
