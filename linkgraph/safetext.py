"""Values fit to keep and to show: valid Unicode text, finite numbers, real dates, printable lines.

Text from sources may hold lone surrogates (a ``&#xDC80;`` reference, ``"\\udc80"`` in JSON
or YAML, a file name that is not UTF-8); SQLite, UTF-8 files and terminals refuse them.
``valid_unicode`` replaces each with U+FFFD. A number that is not finite (``Infinity``,
``NaN``, ``1e999``) is no number. ``printable`` is what a terminal is given: control
characters shown as ``\\x1b``-style escapes, so no escape sequence from a source reaches it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

_SURROGATES = re.compile("[\ud800-\udfff]")
# C0 and C1 controls and DEL; tab and newline are kept where lines are allowed.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROLS_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f]")
# Bidirectional overrides and isolates reorder what follows them on a terminal line.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def valid_unicode(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD (a pair becomes its character)."""
    if text.isascii() or not _SURROGATES.search(text):
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def storable(value: Any) -> Any:
    """A value as the store keeps it: text made valid Unicode, non-finite floats None."""
    if isinstance(value, str):
        return valid_unicode(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def finite(value: Any) -> Any:
    """A JSON-like value with every float that is not finite (NaN, infinities) made None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(item) for item in value]
    return value


def real_date(parts: Sequence[int]) -> tuple[int, ...]:
    """(year[, month[, day]]) when they make a real date of the years 1000 to 2999, else ().

    One impossible part makes no date at all: 2023-13-45, 2023-00 and 2023-02-30 are none.
    """
    parts = tuple(parts[:3])
    if not parts or not 1000 <= parts[0] <= 2999:
        return ()
    try:
        date(*parts, *(1,) * (3 - len(parts)))
    except (ValueError, OverflowError):
        return ()
    return parts


def printable(text: str, lines: bool = False) -> str:
    """Text safe to print on a terminal: controls and bidi overrides shown as escapes.

    With ``lines`` newlines and tabs stay; otherwise they are escaped too.
    """
    text = valid_unicode(text)
    pattern = _CONTROLS if lines else _CONTROLS_IN_LINE
    if text.isascii() and not pattern.search(text):
        return text
    text = pattern.sub(_escaped, text)
    return _BIDI.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
