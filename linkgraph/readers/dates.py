"""Publication dates as sources write them, normalised to ISO 8601."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

from dateutil import parser as dateutil_parser

_DATETIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?)?",
    re.IGNORECASE,
)
# Two defaults that differ in every field: a field that comes out different was not written.
_DEFAULTS = (datetime(2000, 1, 1, 0, 0, 0), datetime(2001, 2, 2, 1, 1, 1))
_NAME_DATE = re.compile(r"(?<!\d)(\d{4})[-_.](\d{1,2})[-_.](\d{1,2})(?!\d)")
# A line that is only a date, maybe in emphasis or after "Date:": "_2023-01-06_", "*09/22/18*"
_DATE_LINE = re.compile(
    r"(?:(?:date|published|posted|recorded)\s*:\s*)?"
    r"(?P<date>\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})|[A-Za-z]+\.? \d{1,2},? \d{4})",
    re.IGNORECASE,
)
DATE_LINE_WINDOW = 5  # an episode's date line stands among the first lines of its body
MAX_DATE_LINE = 60


def iso_datetime(value: str | None) -> str | None:
    """ISO 8601 from an ISO, Jekyll (``2023-11-26 15:30 -0700``), RFC 822 or written-out date.

    Written-out dates (``July 16, 2021``, ``16 July 2021 3pm``) must give year, month and
    day; a date is kept without a time when it has none. None when nothing parses.
    """
    value = (value or "").strip()
    match = _DATETIME.fullmatch(value)
    if match:
        return _iso_from_match(match)
    try:
        return parsedate_to_datetime(value).isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    return _written_out(value)


def _written_out(value: str) -> str | None:
    if not re.search(r"\d{4}", value):
        return None
    try:
        first, second = (dateutil_parser.parse(value, default=d) for d in _DEFAULTS)
    except (ValueError, OverflowError):
        return None
    if first.date() != second.date():
        return None  # year, month or day missing
    if (first.hour, first.minute) != (second.hour, second.minute):
        return first.date().isoformat()  # no time written
    return first.isoformat()


def _iso_from_match(match: re.Match[str]) -> str | None:
    year, month, day, hour, minute, second, offset = match.groups()
    try:
        if hour is None:
            return datetime(int(year), int(month), int(day)).date().isoformat()
        moment = datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second or 0),
            tzinfo=_timezone(offset),
        )
    except ValueError:
        return None
    return moment.isoformat()


def _timezone(offset: str | None) -> timezone | None:
    if not offset:
        return None
    if offset.upper() == "Z":
        return timezone.utc
    digits = offset[1:].replace(":", "")
    delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return timezone(-delta if offset[0] == "-" else delta)


def date_in_name(name: str) -> str | None:
    """The date a file name carries: ``2021_05_03.md``, ``2021-05-03-slug.md``."""
    for match in _NAME_DATE.finditer(name):
        year, month, day = (int(part) for part in match.groups())
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            continue
    return None


def date_line(lines: list[str]) -> str | None:
    """The date of a line among the first non-blank ones that holds only a date.

    Slashed dates are read month first (``09/22/18``) unless the first number cannot be
    a month (``22/09/18``).
    """
    shown = [line for line in lines if line.strip()][:DATE_LINE_WINDOW]
    for line in shown:
        text = line.strip().strip("_*").strip()  # "_2023-01-06_", "**Date: …**"
        match = _DATE_LINE.fullmatch(text) if len(text) <= MAX_DATE_LINE else None
        if not match:
            continue
        text = match.group("date")
        if "/" in text:
            first = int(text.split("/")[0])
            try:
                return dateutil_parser.parse(text, dayfirst=first > 12).date().isoformat()
            except (ValueError, OverflowError):
                continue
        found = iso_datetime(text)
        if found:
            return found
    return None
