"""Per-silo tolerance overrides (silo_tolerances) and the verdict stored with an archived batch."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Sequence

from sqlalchemy import Engine, delete, func, insert, select, update

from hmi.clock import utc_now
from hmi.store.history import SearchMode, decode_cursor, encode_cursor
from hmi.store.models import mo_histories, silo_tolerances, system_log
from hmi.store.batch_rows import history_from_row
from hmi.records import HistoryPage


class SiloToleranceStore:
    def __init__(self, engine: Engine, line: str | None = None) -> None:
        self.engine = engine
        #: The line written with each system_log record (revision 0010); None leaves it NULL.
        self.line = line

    def load(self) -> dict[str, tuple[float | None, float | None]]:
        """silo label -> (kg, percent) override; a silo without a row uses the defaults."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(silo_tolerances)).mappings().all()
        return {r["silo"]: (r["tolerance_kg"], r["tolerance_percent"]) for r in rows}

    def replace(self, entries: Sequence[tuple[str, float | None, float | None]], actor: str) -> list[str]:
        """Replace every override in one transaction; one system_log record per change, with the actor."""
        now = utc_now()
        wanted = {silo: (kg, pct) for silo, kg, pct in entries if kg is not None or pct is not None}
        with self.engine.begin() as conn:
            before = {r["silo"]: (r["tolerance_kg"], r["tolerance_percent"])
                      for r in conn.execute(select(silo_tolerances)).mappings()}
            conn.execute(delete(silo_tolerances))
            if wanted:
                conn.execute(insert(silo_tolerances), [
                    {"silo": silo, "tolerance_kg": kg, "tolerance_percent": pct, "updated_at": now,
                     "updated_by": actor} for silo, (kg, pct) in wanted.items()])
            changes = []
            for silo in sorted(set(before) | set(wanted)):
                old, new = before.get(silo), wanted.get(silo)
                if old == new:
                    continue
                changes.append(f"silo {silo} tolerance {_describe(old)} -> {_describe(new)}")
            if changes:
                conn.execute(insert(system_log), [
                    {"timestamp": now, "level": "INFO", "module": "hmi.tolerance",
                     "message": f"Dosing tolerance changed: {c}", "actor": actor, "line": self.line}
                    for c in changes])
        return changes

    def record_verdict(self, mo_id: str, verdict: str, deviations_json: str) -> bool:
        """Store the verdict with the completed history record of the MO; False if there is none."""
        with self.engine.begin() as conn:
            result = conn.execute(update(mo_histories)
                                  .where(mo_histories.c.mo_id == mo_id, mo_histories.c.status == "completed")
                                  .values(tolerance_verdict=verdict, tolerance_deviations=deviations_json))
        return result.rowcount > 0

    def outside_page(self, mo_text: str | None, limit: int = 50, offset: int = 0, cursor: str | None = None,
                     since: datetime | None = None, until: datetime | None = None) -> HistoryPage:
        return outside_page(self.engine, mo_text, limit, offset, cursor, since, until)

    def verdicts(self, mo_ids: Sequence[str]) -> dict[str, tuple[str | None, str | None]]:
        """mo_id -> (verdict, deviations JSON) of completed history records."""
        if not mo_ids:
            return {}
        with self.engine.connect() as conn:
            rows = conn.execute(select(mo_histories.c.mo_id, mo_histories.c.tolerance_verdict,
                                       mo_histories.c.tolerance_deviations)
                                .where(mo_histories.c.mo_id.in_(list(mo_ids)),
                                       mo_histories.c.status == "completed")).all()
        return {r[0]: (r[1], r[2]) for r in rows}


def _outside_where(mo_text: str | None):
    conditions = [mo_histories.c.tolerance_verdict == "outside"]
    if mo_text:
        escaped = mo_text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(mo_histories.c.mo_id.ilike(f"%{escaped}%", escape="\\"))
    return conditions


def outside_page(engine: Engine, mo_text: str | None, limit: int, offset: int = 0, cursor: str | None = None,
                 since: datetime | None = None, until: datetime | None = None) -> HistoryPage:
    """History records of batches dosed outside tolerance, newest first, by cursor as the history's pages.

    ``cursor`` (hmi.store.history) continues after the row it names; ``offset`` is kept for old callers
    and applies only without a cursor. ``since``/``until`` bound ``archived_at`` as the history does.
    """
    where = _outside_where(mo_text)
    if since is not None:
        where.append(mo_histories.c.archived_at >= _as_utc(since))
    if until is not None:
        where.append(mo_histories.c.archived_at < _as_utc(until))
    keyset = []
    if cursor:
        at, row_id = decode_cursor(cursor)
        at = _as_utc(at)
        keyset = [mo_histories.c.archived_at <= at, (mo_histories.c.archived_at < at) | (mo_histories.c.id < row_id)]
    query = (select(mo_histories).where(*where, *keyset)
             .order_by(mo_histories.c.archived_at.desc(), mo_histories.c.id.desc()).limit(limit + 1))
    if offset and not cursor:
        query = query.offset(offset)
    with engine.connect() as conn:
        total = int(conn.execute(select(func.count()).select_from(mo_histories).where(*where)).scalar_one())
        rows = list(conn.execute(query).mappings())
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = encode_cursor(_as_utc(last["archived_at"]), _as_uuid(last["id"]))
    return HistoryPage([history_from_row(row) for row in rows], total, limit, offset, next_cursor=next_cursor,
                       search_mode=SearchMode.CONTAINS)


def _as_utc(moment: datetime) -> datetime:
    """Aware UTC (a naive time, as SQLite returns it, is UTC)."""
    return moment.astimezone(timezone.utc) if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _as_uuid(value) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _describe(value: tuple[float | None, float | None] | None) -> str:
    if value is None:
        return "default"
    kg, pct = value
    return f"{'default' if kg is None else f'{kg:g} kg'} / {'default' if pct is None else f'{pct:g} %'}"
