"""The product's one clock: UTC now for every stored time, and the plant's wall clock.

Every stored time is timezone-aware UTC (``utc_now``, ``as_utc``); nothing in hmi/ reads the
time anywhere else (tests/test_layering.py checks no other module calls ``datetime.now``).

The plant's zone (PLANT_TIMEZONE, default the operating system's zone) is the only local zone:
tickets, reports, trends, day filters and the simulated PLC's clock use ``PlantClock``. "Today"
and the shifts (REPORT_SHIFT_STARTS) follow the plant's wall clock, so on a day with a DST change
the day is 23 or 25 hours long and the shift that contains the change is one hour shorter or
longer; the UTC range says exactly which archived batches belong to it.

Used by every layer; imports nothing of hmi.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value

#: Report range presets, as the window, the CLI and the API name them.
PRESETS = ("this-shift", "today", "yesterday", "last-7-days")
PRESET_TEXT = {
    "this-shift": "This shift",
    "today": "Today",
    "yesterday": "Yesterday",
    "last-7-days": "Last 7 days",
}


@dataclass(frozen=True)
class TimeRange:
    """[start, end) in UTC, with the words that name it in plant time."""

    start: datetime
    end: datetime
    label: str
    #: The two ends as the plant's clock reads them ('2026-11-30 06:00'), zone named in ``label``.
    start_text: str = ""
    end_text: str = ""


def os_zone() -> tzinfo:
    """The operating system's zone, as a DST-aware zone when it can be named.

    ``TZ`` first, then /etc/timezone and the /etc/localtime link (Linux); otherwise (Windows
    without a named zone) the current fixed offset, which cannot follow a DST change: set
    PLANT_TIMEZONE on such machines.
    """
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    except OSError:
        pass
    try:
        link = os.readlink("/etc/localtime")
        if "zoneinfo/" in link:
            candidates.append(link.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    for name in candidates:
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return utc_now().astimezone().tzinfo or timezone.utc


def zone_name(zone: tzinfo) -> str:
    return getattr(zone, "key", None) or utc_now().astimezone(zone).tzname() or "UTC"


class PlantClock:
    """Converts between stored UTC and the plant's wall clock; computes days and shifts."""

    def __init__(self, zone: str | tzinfo = "", shift_starts: str = "06:00,14:00,22:00") -> None:
        if isinstance(zone, str):
            self.zone: tzinfo = ZoneInfo(zone) if zone else os_zone()
        else:
            self.zone = zone
        self.shift_starts: tuple[time, ...] = tuple(
            sorted(time(int(part.split(":")[0]), int(part.split(":")[1])) for part in shift_starts.split(","))
        )

    @classmethod
    def from_settings(cls, settings) -> "PlantClock":
        return cls(settings.plant_timezone, settings.report_shift_starts)

    @property
    def zone_name(self) -> str:
        return zone_name(self.zone)

    # ------------------------------------------------------------------ conversions

    def now(self) -> datetime:
        """The plant's wall clock now (aware, in the plant's zone)."""
        return self.local(utc_now())

    def local(self, value: datetime) -> datetime:
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(self.zone)

    def parse(self, text: str, name: str = "time") -> datetime:
        """An ISO 8601 time as a person or a script writes it: plant time unless it carries an offset
        (the one rule of the window, the command line and every API endpoint). Aware, in its own zone."""
        try:
            value = datetime.fromisoformat(text.strip())
        except ValueError:
            raise ValueError(f"{name}: must be an ISO 8601 time such as 2026-11-30T06:00 (plant time, "
                             f"{self.zone_name}, unless it carries an offset such as +07:00 or Z), "
                             f"not {text!r}") from None
        return value if value.tzinfo else value.replace(tzinfo=self.zone)

    def format(self, value: datetime | None, seconds: bool = True) -> str:
        """'2026-11-30 14:05:09' in plant time; '—' when unknown."""
        if value is None:
            return "—"
        return self.local(value).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")

    def utc_of(self, day: date, at: time) -> datetime:
        """The UTC instant of a plant wall-clock time. A time the clocks skip (02:30 in Berlin on the
        spring-forward day) maps to the instant they jumped (03:00 local, 01:00 UTC), not to the skipped
        time read with the old offset (03:30); a time that happens twice (autumn) is its first occurrence."""
        wall = datetime.combine(day, at)
        utc = wall.replace(tzinfo=self.zone).astimezone(timezone.utc)
        if self.local(utc).replace(tzinfo=None) == wall:
            return utc
        # Skipped: the jump lies between the same wall time read with the new offset (fold=1, earlier)
        # and with the old one (fold=0, later); the wall clock reads before ``wall`` up to the jump.
        low = wall.replace(tzinfo=self.zone, fold=1).astimezone(timezone.utc)
        high = utc
        while high - low > timedelta(seconds=1):
            middle = low + (high - low) / 2
            if self.local(middle).replace(tzinfo=None) < wall:
                low = middle
            else:
                high = middle
        return high.replace(microsecond=0)  # zones change on whole seconds

    def day_start(self, day: date) -> datetime:
        """Midnight of a plant calendar day, as an aware UTC instant."""
        return self.utc_of(day, time(0, 0))

    # ------------------------------------------------------------------ ranges

    def _range(self, start: datetime, end: datetime, label: str) -> TimeRange:
        return TimeRange(start, end, label, self.format(start, seconds=False), self.format(end, seconds=False))

    def day(self, day: date) -> TimeRange:
        start = self.utc_of(day, time(0, 0))
        end = self.utc_of(day + timedelta(days=1), time(0, 0))
        return self._range(start, end, f"{day.isoformat()} ({self.zone_name})")

    def shift_containing(self, now: datetime) -> TimeRange:
        """The shift the instant ``now`` falls in; a shift that starts at 22:00 ends at the next
        day's first shift start."""
        local_now = self.local(now)
        candidates: list[tuple[datetime, int]] = []
        for offset in (-1, 0):
            day = local_now.date() + timedelta(days=offset)
            for index, start in enumerate(self.shift_starts):
                candidates.append((self.utc_of(day, start), index))
        now_utc = now.astimezone(timezone.utc)
        start, index = max((c for c in candidates if c[0] <= now_utc), key=lambda c: c[0])
        start_day = self.local(start).date()
        if index + 1 < len(self.shift_starts):
            end = self.utc_of(start_day, self.shift_starts[index + 1])
        else:
            end = self.utc_of(start_day + timedelta(days=1), self.shift_starts[0])
        label = (f"Shift {index + 1} from {self.format(start, seconds=False)} to "
                 f"{self.format(end, seconds=False)} ({self.zone_name})")
        return self._range(start, end, label)

    def preset(self, name: str, now: datetime) -> TimeRange:
        """this-shift, today, yesterday, last-7-days (today and the six days before it)."""
        today = self.local(now).date()
        if name == "this-shift":
            return self.shift_containing(now)
        if name == "today":
            return self.day(today)
        if name == "yesterday":
            return self.day(today - timedelta(days=1))
        if name == "last-7-days":
            first = today - timedelta(days=6)
            return self._range(self.day(first).start, self.day(today).end,
                             f"{first.isoformat()} to {today.isoformat()} ({self.zone_name})")
        raise ValueError(f"unknown range {name!r}; one of {', '.join(PRESETS)}")

    def dates(self, first: date, last: date) -> TimeRange:
        """Whole plant days from ``first`` to ``last``, both included (2026-11-01..2026-11-30 is November)."""
        if last < first:
            raise ValueError("the end of the range must be after its start")
        return self._range(self.day(first).start, self.day(last).end,
                           f"{first.isoformat()} to {last.isoformat()}, both days included ({self.zone_name})")

    def explicit(self, start: datetime, end: datetime) -> TimeRange:
        """A range given as two instants; naive values are plant time."""
        start_utc = (start if start.tzinfo else start.replace(tzinfo=self.zone)).astimezone(timezone.utc)
        end_utc = (end if end.tzinfo else end.replace(tzinfo=self.zone)).astimezone(timezone.utc)
        if end_utc <= start_utc:
            raise ValueError("the end of the range must be after its start")
        label = f"{self.format(start_utc, seconds=False)} to {self.format(end_utc, seconds=False)} ({self.zone_name})"
        return self._range(start_utc, end_utc, label)
