"""How numbers, times, ages and countdowns read on screen (the age's units in the window's language).

Numbers are written in the window's language: English 1,234.5, Indonesian 1.234,5; their decimals follow
the rules of hmi.services.report_export (kg to 0.001 under 100 kg or with a band under 1 kg, else 0.1;
percent to 0.1 on screen), the one place they are decided. Times are plant time (PLANT_TIMEZONE, the
window's PlantClock, set once by the app with ``use_plant_clock``), never the PC's zone. Library error
words (plain_error) stay English, as the log lines that show them."""

from __future__ import annotations

import errno
import os
import re
from datetime import date, datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from hmi.clock import PlantClock
from hmi.domain import PERCENT_DECIMALS
from hmi.services.report_export import kg_decimals, number_text, row_text
from hmi.ui.i18n import current_language

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


#: The window's plant clock; the app replaces it with the one of its settings (use_plant_clock).
_plant_clock = PlantClock()


def use_plant_clock(clock: PlantClock) -> None:
    """Every time the window shows reads in ``clock``'s zone (PLANT_TIMEZONE) from now on."""
    global _plant_clock
    _plant_clock = clock


def plant_clock() -> PlantClock:
    return _plant_clock


def plant_today(clock: PlantClock | None = None) -> date:
    """Today on the plant's wall clock (the date pickers' default), not the PC's date."""
    return (clock or _plant_clock).now().date()


def number_marks() -> tuple[str, str]:
    """(decimal mark, thousands separator) of the window's language."""
    return (",", ".") if current_language() == "id" else (".", ",")


def format_number(value: float, decimals: int) -> str:
    return number_text(value, decimals, *number_marks())


def format_kg(value: float | None, scale: float | None = None, allowed: float | None = None) -> str:
    """A kg figure: to 0.001 under 100 kg (``scale``, default the value: a 25 g target reads 0.025) or
    with a tolerance band under 1 kg (``allowed``), else to 0.1; in the window's number format."""
    if value is None:
        return NO_VALUE
    return format_number(value, kg_decimals(value if scale is None else scale, allowed))


def format_percent(value: float | None, decimals: int = PERCENT_DECIMALS) -> str:
    """A signed percentage in the window's number format ('+1,25 %' in Indonesian)."""
    if value is None:
        return NO_VALUE
    text = format_number(value, decimals)
    return f"{text if text.startswith('-') else '+' + text} %"


def format_report_row(header: list[str], row: list) -> list[str]:
    """A row of the production report as the window shows it: the report's decimals, the language's marks."""
    return row_text(header, row, *number_marks())


def format_local_time(value: datetime | None, clock: PlantClock | None = None) -> str:
    """'2026-11-30 14:05:09' in plant time ('—' when unknown)."""
    if value is None:
        return NO_VALUE
    return (clock or _plant_clock).format(value)


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
        text = f"{value:.0f}"
    elif magnitude >= 10:
        text = f"{value:.1f}".rstrip("0").rstrip(".")
    elif magnitude >= 1:
        text = f"{value:.2f}".rstrip("0").rstrip(".")
    else:
        text = f"{value:.3g}" if magnitude >= 0.0001 else "0"
    return text.replace(".", number_marks()[0])
