"""How numbers, ages and countdowns read on screen (pure functions; the age's units in the window's language).

Numbers keep the decimal point and thousands comma in every language (the same as the PLC panel and the
scale); library error words (plain_error) stay English, as the log lines that show them."""

from __future__ import annotations

import errno
import os
import re
from datetime import datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

NO_VALUE = "—"


AGE_UNITS = (QT_TRANSLATE_NOOP("Formatting", "{n} s"), QT_TRANSLATE_NOOP("Formatting", "{n} min"),
             QT_TRANSLATE_NOOP("Formatting", "{n} h"), QT_TRANSLATE_NOOP("Formatting", "{n} d"))


def format_age(then: datetime | None, now: datetime, english: bool = False) -> str:
    """'4 s', '2 min', '3 h', '2 d' (in the window's language unless ``english``, for a log); '—' when there
    is no reading."""
    if then is None:
        return NO_VALUE
    seconds = max(0, int((now - then).total_seconds()))
    if seconds < 60:
        unit, n = AGE_UNITS[0], seconds
    elif seconds < 3600:
        unit, n = AGE_UNITS[1], seconds // 60
    elif seconds < 86400:
        unit, n = AGE_UNITS[2], seconds // 3600
    else:
        unit, n = AGE_UNITS[3], seconds // 86400
    return (unit if english else QCoreApplication.translate("Formatting", unit)).format(n=n)


def format_countdown(seconds: float) -> str:
    """'4:12' (minutes:seconds), rounded up so it never shows 0:00 before the sync starts."""
    total = max(0, int(-(-seconds // 1)))
    return f"{total // 60}:{total % 60:02d}"


def format_kg(value: float | None) -> str:
    if value is None:
        return NO_VALUE
    return f"{value:,.1f}"


def format_percent(value: float | None) -> str:
    if value is None:
        return NO_VALUE
    return f"{value:+.1f} %"


def format_local_time(value: datetime | None) -> str:
    if value is None:
        return NO_VALUE
    return value.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def plural(count: int, one: str, many: str) -> str:
    """'1 batch', '3 batches' (never 'batch(es)')."""
    return f"{count} {one if count == 1 else many}"


def format_minutes(minutes: float) -> str:
    """'5 min', '20 s' for a fraction of a minute, '1.5 min': never 0.3333333333333333."""
    seconds = minutes * 60
    if seconds < 60:
        return f"{seconds:.3g} s"
    return f"{minutes:.3g} min"


def format_setting_value(text: str) -> str:
    """A setting as read, but a long float (0.3333333333333333) rounded for reading."""
    try:
        value = float(text)
    except ValueError:
        return text
    if "." in text and len(text) > 8:
        return f"{value:.4g}"
    return text


_ERRNO_TEXT = re.compile(r"(?:Failed to connect )?\[Errno (-?\d+)\][^;\n]*?(?:\('[^']*', \d+\))?(?=$|[;\n)])")
_ERRNO_WORDS = {
    errno.ECONNREFUSED: "connection refused",
    errno.ETIMEDOUT: "no answer (timed out)",
    errno.EHOSTUNREACH: "no route to the host",
    errno.ENETUNREACH: "network unreachable",
    errno.ECONNRESET: "connection reset by the other side",
    errno.EPIPE: "connection closed by the other side",
}


_DRIVER_PREFIX = re.compile(r"\((?:psycopg2|sqlite3|sqlalchemy)[\w.]*\)\s*")
_DRIVER_NOISE = re.compile(r"^\s*(?:\[SQL: .*|\[parameters: .*|\(Background on this error at: .*\))\s*$")


def plain_error(text: str | None) -> str:
    """Library error text in words: "[Errno 111] Connect call failed ('127.0.0.1', 502)" → "connection refused";
    database driver prefixes ("(psycopg2.OperationalError) "), the SQL and SQLAlchemy's help links dropped."""
    if not text:
        return ""
    text = _DRIVER_PREFIX.sub("", text)
    text = "\n".join(line for line in text.splitlines() if not _DRIVER_NOISE.match(line)).rstrip()

    def words(match: re.Match) -> str:
        number = int(match.group(1))
        return _ERRNO_WORDS.get(number) or os.strerror(number).lower()

    return _ERRNO_TEXT.sub(words, text)


def format_allowed_kg(value: float) -> str:
    """A tolerance band in kg, to about three significant digits (±4.32, ±62.5, ±250, ±0.05), never in
    exponent form: what the operator compares against the scale."""
    magnitude = abs(value)
    if magnitude >= 100:
        return f"{value:.0f}"
    if magnitude >= 10:
        return f"{value:.1f}".rstrip("0").rstrip(".")
    if magnitude >= 1:
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{value:.3g}"
