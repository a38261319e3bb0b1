"""How numbers, ages and countdowns read on screen (pure functions, no Qt)."""

from __future__ import annotations

from datetime import datetime

NO_VALUE = "—"


def format_age(then: datetime | None, now: datetime) -> str:
    """'4 s', '2 min', '3 h', '2 d'; '—' when there is no reading."""
    if then is None:
        return NO_VALUE
    seconds = max(0, int((now - then).total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 86400:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} d"


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
