"""History queries that stay fast at a million archived batches.

- Pages by keyset: newest first by ``(archived_at, id)``; the next page starts after the last
  row of this one (an opaque cursor), so page 2,000 costs what page 1 costs. ``offset`` still
  works for old API clients, at the old price.
- Totals: a status filter, a date range or none at all is summed from ``mo_history_counts``
  (kept by triggers, one row per UTC day and status) plus an exact count of the partial days
  at the edges of the range: exact and cheap. An MO search is counted up to
  :data:`COUNT_CAP` matches; beyond that the total is an estimate (``total_is_estimate``),
  never a count that holds the page back.
- The MO search uses what revision 0010 could create (:func:`SearchMode`): ``contains`` on a
  trigram index (PostgreSQL pg_trgm, SQLite FTS5) or ``starts with`` on a B-tree index.
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from typing import Any

from sqlalchemy import Engine, and_, bindparam, func, literal, select, text
from sqlalchemy.engine import Connection

from hmi.domain import InvalidCursor
from hmi.records import HistoryPage
from hmi.store.batch_rows import history_from_row
from hmi.store.models import mo_histories, mo_history_counts

log = logging.getLogger("hmi.store")

#: An MO search counts its matches exactly up to this many; beyond, the total is estimated.
COUNT_CAP = 1_000
#: Rows of the filter (newest first) an estimate samples to find the share that matches.
ESTIMATE_SAMPLE = 2_000
#: A search the sample puts above this many matches is not counted at all, only estimated.
BROAD_SEARCH = 10 * COUNT_CAP
#: SQLite asks its trigram index for this many characters at the end of the searched text.
SEARCH_TAIL = 6


class SearchMode:
    CONTAINS = "contains"
    STARTS_WITH = "starts with"


@dataclass(frozen=True)
class HistoryFilter:
    status: str | None = None
    mo_text: str | None = None
    #: archived at or after (UTC, aware)
    since: datetime | None = None
    #: archived before (UTC, aware)
    until: datetime | None = None


def encode_cursor(archived_at: datetime, row_id: uuid.UUID) -> str:
    raw = f"{archived_at.astimezone(timezone.utc).isoformat()}|{row_id.hex}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, row_id = raw.split("|")
        archived_at = datetime.fromisoformat(stamp)
        if archived_at.tzinfo is None:
            raise ValueError("no time zone")
        return archived_at, uuid.UUID(hex=row_id)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidCursor(f"not a history cursor: {cursor!r}") from exc


def _utc(moment: datetime) -> datetime:
    """Aware UTC (a naive time is taken as UTC): SQLite stores the UTC wall time as text."""
    return moment.astimezone(timezone.utc) if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


class HistoryQueries:
    """The reads of mo_histories (each call one connection); a BatchStore's ``history``."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.is_postgres = engine.dialect.name == "postgresql"
        self._search: tuple[str, str] | None = None
        self._search_lock = threading.Lock()

    # ---------------------------------------------------------------- search mode

    def search_mode(self) -> tuple[str, str]:
        """(mode, index) of the MO search: ``contains``/``starts with`` and what serves it."""
        with self._search_lock:
            if self._search is None:
                with self.engine.connect() as conn:
                    self._search = self._detect_search(conn)
            return self._search

    def _detect_search(self, conn: Connection) -> tuple[str, str]:
        if self.is_postgres:
            names = set(conn.execute(text(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'mo_histories'")).scalars())
            if "ix_mo_histories_mo_id_trgm" in names:
                return SearchMode.CONTAINS, "pg_trgm trigram index"
            return SearchMode.STARTS_WITH, "B-tree index (pg_trgm not installed)"
        found = conn.execute(text(
            "SELECT 1 FROM sqlite_master WHERE name = 'mo_histories_mo_search'")).first()
        if found:
            return SearchMode.CONTAINS, "SQLite FTS5 trigram index"
        return SearchMode.STARTS_WITH, "B-tree index (no FTS5 trigram in this SQLite)"

    # ---------------------------------------------------------------- pages

    def page(
        self,
        status: str | None = None,
        mo_text: str | None = None,
        limit: int = 50,
        offset: int = 0,
        cursor: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> HistoryPage:
        """A page of mo_histories, newest first (keyset pages, cheap totals).

        ``cursor`` (a page's ``next_cursor``) continues after that page; ``offset`` is kept for
        old callers and costs what it always did. Raises InvalidCursor for a foreign cursor.
        """
        where = HistoryFilter(status or None, mo_text or None, since, until)
        rows, total, estimate, next_cursor = self.rows_page(where, limit, cursor, offset)
        return HistoryPage([history_from_row(row) for row in rows], total, limit, 0 if cursor else offset,
                           next_cursor, estimate, self.search_mode()[0])

    def rows_page(self, where: HistoryFilter, limit: int = 50, cursor: str | None = None,
                  offset: int = 0) -> tuple[list[Any], int, bool, str | None]:
        """(rows, total, total_is_estimate, next_cursor) of one page, newest first."""
        after = decode_cursor(cursor) if cursor else None
        if after:
            after = (_utc(after[0]), after[1])
        where = HistoryFilter(where.status, where.mo_text or None,
                              _utc(where.since) if where.since else None, _utc(where.until) if where.until else None)
        mode, _ = self.search_mode()
        with self.engine.connect() as conn:
            broad = False
            total: int
            estimate = False
            if where.mo_text:
                # The newest rows say first whether the search is broad: then counting even up to
                # the cap would read a trigram posting list as long as the history, so it is skipped.
                guess = self._sampled_estimate(conn, where, mode)
                matches = COUNT_CAP + 1 if guess > BROAD_SEARCH else self._capped_count(conn, where, mode)
                broad = matches > COUNT_CAP
                if broad:
                    total, estimate = max(COUNT_CAP + 1, guess), True
                else:
                    total = matches
            else:
                total = self._counted_total(conn, where)
            rows = self._rows(conn, where, mode, limit + 1, after, offset, drive_by_search=not broad)
        more = len(rows) > limit
        rows = rows[:limit]
        next_cursor = encode_cursor(_aware(rows[-1]["archived_at"]), _uuid(rows[-1]["id"])) if more else None
        return rows, total, estimate, next_cursor

    def _conditions(self, where: HistoryFilter, after: tuple[datetime, uuid.UUID] | None, table=mo_histories):
        conditions = []
        if where.status:
            conditions.append(table.c.status == where.status)
        if where.since:
            conditions.append(table.c.archived_at >= where.since)
        if where.until:
            conditions.append(table.c.archived_at < where.until)
        if after:
            at, row_id = after
            # The first term is an index range; the second picks up the ties within one instant.
            conditions.append(table.c.archived_at <= at)
            conditions.append((table.c.archived_at < at) | (table.c.id < row_id))
        return conditions

    def _text_condition(self, mode: str, mo_text: str):
        if mode == SearchMode.CONTAINS:
            escaped = _escape_like(mo_text)
            if self.is_postgres:
                needle = index_needle(mo_text)
                if needle == mo_text:
                    return mo_histories.c.mo_id.ilike(f"%{escaped}%", escape="\\")
                # The trigram index is asked for the needle only; the whole text is checked on the
                # rows it finds (the concatenation keeps the planner from giving it to the index too).
                return and_(mo_histories.c.mo_id.ilike(f"%{_escape_like(needle)}%", escape="\\"),
                            (mo_histories.c.mo_id + "").ilike(f"%{escaped}%", escape="\\"))
            return mo_histories.c.mo_id.like(f"%{escaped}%", escape="\\")  # case-insensitive on SQLite
        # A range instead of LIKE 'x%': any B-tree on mo_id serves it, whatever the collation.
        return and_(mo_histories.c.mo_id >= mo_text, mo_histories.c.mo_id < mo_text + "\U0010ffff")

    def _rows(self, conn: Connection, where: HistoryFilter, mode: str, limit: int,
              after: tuple[datetime, uuid.UUID] | None, offset: int, drive_by_search: bool) -> list[Any]:
        conditions = self._conditions(where, after)
        if where.mo_text:
            if drive_by_search and self._uses_fts(mode, where.mo_text):
                return self._sqlite_search_rows(conn, where, limit, after, offset)
            if not drive_by_search and mode == SearchMode.CONTAINS:
                # Many matches: walking the newest rows and checking each finds a page at once;
                # the concatenation keeps the planner off the trigram index.
                conditions.append((mo_histories.c.mo_id + "").ilike(f"%{_escape_like(where.mo_text)}%", escape="\\"))
            else:
                conditions.append(self._text_condition(mode, where.mo_text))
        query = (
            select(mo_histories)
            .where(and_(literal(True), *conditions))
            .order_by(mo_histories.c.archived_at.desc(), mo_histories.c.id.desc())
            .limit(limit)
        )
        if offset and not after:
            query = query.offset(offset)
        return list(conn.execute(query).mappings())

    def _sqlite_search_rows(self, conn: Connection, where: HistoryFilter, limit: int,
                            after: tuple[datetime, uuid.UUID] | None, offset: int) -> list[Any]:
        """Few matches: the FTS5 trigram index finds them, then they are sorted."""
        source, binds, params = self._sqlite_search_source(where, after)
        binds += [bindparam("page_limit", limit), bindparam("page_offset", 0 if after else offset)]
        statement = text(
            f"SELECT h.* {source} ORDER BY h.archived_at DESC, h.id DESC LIMIT :page_limit OFFSET :page_offset"
        ).bindparams(*binds).columns(**{column.name: column.type for column in mo_histories.c})
        return list(conn.execute(statement, params).mappings())

    def _sqlite_search_source(self, where: HistoryFilter, after: tuple[datetime, uuid.UUID] | None):
        """FROM .. WHERE of an MO search through mo_histories_mo_search (FTS5 trigram).

        The index is asked for :func:`index_needle` of the text as a phrase, then the whole text
        is matched on the row. CROSS JOIN fixes the
        join order, so SQLite does not walk the whole archived_at index instead.
        """
        mo_text = where.mo_text or ""
        tail = index_needle(mo_text)
        clauses = ["mo_histories_mo_search MATCH :fts_phrase", "h.mo_id LIKE :mo_pattern ESCAPE '\\'"]
        escaped = _escape_like(mo_text)
        params: dict[str, Any] = {"fts_phrase": '"' + tail.replace('"', '""') + '"', "mo_pattern": f"%{escaped}%"}
        stamp = mo_histories.c.archived_at.type
        binds = []
        if where.status:
            clauses.append("h.status = :status")
            params["status"] = where.status
        if where.since:
            clauses.append("h.archived_at >= :since")
            binds.append(bindparam("since", where.since, type_=stamp))
        if where.until:
            clauses.append("h.archived_at < :until")
            binds.append(bindparam("until", where.until, type_=stamp))
        if after:
            clauses.append("h.archived_at <= :after_at AND (h.archived_at < :after_at OR h.id < :after_id)")
            binds.append(bindparam("after_at", after[0], type_=stamp))
            binds.append(bindparam("after_id", after[1], type_=mo_histories.c.id.type))
        source = ("FROM mo_histories_mo_search CROSS JOIN mo_histories AS h"
                  " ON h.rowid = mo_histories_mo_search.rowid WHERE " + " AND ".join(clauses))
        return source, binds, params

    def _uses_fts(self, mode: str, mo_text: str | None) -> bool:
        """SQLite's trigram table can serve this search (it needs 3 characters at least)."""
        return not self.is_postgres and mode == SearchMode.CONTAINS and len(mo_text or "") >= 3

    # ---------------------------------------------------------------- totals

    def _counted_total(self, conn: Connection, where: HistoryFilter) -> int:
        """Exact total of a status/date filter: whole UTC days from mo_history_counts, the
        partial days at the range's edges counted on the index."""
        counts = mo_history_counts
        status_clause = counts.c.status == where.status if where.status else literal(True)
        since, until = where.since, where.until
        first_day = _next_midnight(since) if since else None  # first whole day in range
        last_day = until.astimezone(timezone.utc).date() if until else None  # first day not whole
        if first_day and last_day and first_day > last_day:  # within one day: count it directly
            return self._count_rows(conn, HistoryFilter(where.status, None, since, until))
        query = select(func.coalesce(func.sum(counts.c.entries), 0)).where(status_clause)
        if first_day:
            query = query.where(counts.c.day >= first_day)
        if last_day:
            query = query.where(counts.c.day < last_day)
        total = int(conn.execute(query).scalar_one())
        if since and _day_start(first_day) != since.astimezone(timezone.utc):
            total += self._count_rows(conn, HistoryFilter(where.status, None, since, _day_start(first_day)))
        if until and _day_start(last_day) != until.astimezone(timezone.utc):
            total += self._count_rows(conn, HistoryFilter(where.status, None, _day_start(last_day), until))
        return total

    def _count_rows(self, conn: Connection, where: HistoryFilter) -> int:
        query = select(func.count()).select_from(mo_histories).where(and_(literal(True), *self._conditions(where, None)))
        return int(conn.execute(query).scalar_one())

    def _match_query(self, where: HistoryFilter, mode: str):
        conditions = self._conditions(where, None)
        conditions.append(self._text_condition(mode, where.mo_text or ""))
        return select(literal(1)).select_from(mo_histories).where(and_(*conditions))

    def _capped_count(self, conn: Connection, where: HistoryFilter, mode: str) -> int:
        """Matches of an MO search, counted up to COUNT_CAP + 1 (then it stops)."""
        if self._uses_fts(mode, where.mo_text):
            source, binds, params = self._sqlite_search_source(where, None)
            binds.append(bindparam("cap", COUNT_CAP + 1))
            statement = text(f"SELECT count(*) FROM (SELECT 1 {source} LIMIT :cap)").bindparams(*binds)
            return int(conn.execute(statement, params).scalar_one())
        inner = self._match_query(where, mode).limit(COUNT_CAP + 1).subquery()
        return int(conn.execute(select(func.count()).select_from(inner)).scalar_one())

    def _sampled_estimate(self, conn: Connection, where: HistoryFilter, mode: str) -> int:
        """Matches of an MO search by sample: the share matching among the newest ESTIMATE_SAMPLE
        rows of the filter, times the filter's exact total (0 when the sample has no match)."""
        base = HistoryFilter(where.status, None, where.since, where.until)
        sample = (select(mo_histories.c.mo_id).where(and_(literal(True), *self._conditions(base, None)))
                  .order_by(mo_histories.c.archived_at.desc(), mo_histories.c.id.desc())
                  .limit(ESTIMATE_SAMPLE).subquery())
        rows = list(conn.execute(select(sample.c.mo_id)).scalars())
        hits = sum(1 for mo in rows if _matches(mode, where.mo_text or "", mo))
        if not hits:
            return 0
        if len(rows) < ESTIMATE_SAMPLE:
            return hits  # the sample is the whole filter: exact
        return round(hits / len(rows) * self._counted_total(conn, base))


def index_needle(mo_text: str) -> str:
    """The part of the searched text the trigram index is asked for.

    MO names share their start ("WH/MO/"): its trigrams are in every row, and an index asked
    for them reads the whole history. The digits are what tell MOs apart, so the longest run
    of digits (3 or more) is asked for, else the last SEARCH_TAIL characters; the whole
    text is then checked on the rows found.
    """
    runs = re.findall(r"\d+", mo_text)
    longest = max(runs, key=len) if runs else ""
    if len(longest) >= 3:
        return longest
    return mo_text[-SEARCH_TAIL:] if len(mo_text) > SEARCH_TAIL else mo_text


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _matches(mode: str, mo_text: str, mo_id: str) -> bool:
    if mode == SearchMode.CONTAINS:
        return mo_text.casefold() in mo_id.casefold()
    return mo_id.startswith(mo_text)


def _day_start(day) -> datetime:
    return datetime.combine(day, time(0), tzinfo=timezone.utc)


def _next_midnight(moment: datetime):
    utc = moment.astimezone(timezone.utc)
    day = utc.date()
    return day if utc.time() == time(0) else day + timedelta(days=1)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _uuid(value) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


__all__ = ["COUNT_CAP", "HistoryFilter", "HistoryQueries", "SearchMode",
           "decode_cursor", "encode_cursor"]
