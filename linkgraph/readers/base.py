"""What every reader shares: the error type and decoding bytes to text."""

from __future__ import annotations

import codecs
import re

MAX_SOURCE_BYTES = 64 * 1024 * 1024


class SourceError(ValueError):
    """An input that cannot be read; the message says what is wrong with it."""


_DECLARED = re.compile(rb"""(?:encoding|charset)\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_CHARACTER_REFERENCE = re.compile(r"&#([xX][0-9a-fA-F]{1,8}|[0-9]{1,10});")
_XML_ENCODING = re.compile(r"""^(\s*<\?xml\b[^>]*?\bencoding\s*=\s*["'])[^"']*""")


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
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return _CHARACTER_REFERENCE.sub(_valid_reference, text) if "&#" in text else text


def _valid_reference(match: re.Match[str]) -> str:
    """A character reference to a surrogate or past U+10FFFF becomes one to U+FFFD.

    Such references name no character (HTML reads them as U+FFFD); left alone, they would
    put lone surrogates into the text.
    """
    digits = match.group(1)
    code = int(digits[1:], 16) if digits[0] in "xX" else int(digits)
    return "&#xFFFD;" if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF else match.group()


def utf8_document(data: bytes) -> bytes:
    """An XML document checked and decoded as ``decode_text`` does, as UTF-8 bytes.

    For parsers that detect encodings themselves and would read invalid bytes as mojibake:
    they get text already held to its declared encoding, declared as UTF-8.
    """
    text = _XML_ENCODING.sub(r"\g<1>utf-8", decode_text(data), count=1)
    return text.encode("utf-8")
