"""Read-only queries behind the production report, tickets and trends (mo_histories, batch_readings).

The report is one aggregate statement over the archived batches of a time range, grouped by
status and product, so a range of a million rows is one index range scan and a few dozen
groups back to Python, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, and_, case, func, select

from hmi.domain import ALL_SILOS, HandAddLine
from hmi.clock import as_utc
from hmi.store.batch_rows import batch_from_row, history_from_row
from hmi.store.hand_add import line_from_row
from hmi.store.models import batch_readings, dosed_bookings, hand_add_lines, mo_batch, mo_histories
from hmi.records import HistoryEntry


@dataclass(frozen=True)
class GroupTotals:
    """The archived batches of one (status, product) in a range."""

    status: str
    product: str | None
    batches: int
    target_kg: float
    actual_kg: float
    finished_kg: float
    silo_kg: dict[str, float]
    silo_batches: dict[str, int]


def report_groups(engine: Engine, start: datetime, end: datetime, line: str | None = None) -> list[GroupTotals]:
    """Totals of mo_histories rows dosed in [start, end) (``dosed_at``: the DONE reading, not the
    archiving, which waits for Odoo), per status and product.

    Plain SUMs of the silo columns (NULLs skipped); the batch totals are the sums of the silo
    sums, added here rather than per row in SQL: a million-row range costs half as much.
    """
    h = mo_histories.c
    columns = [
        h.status,
        h.finished_goods,
        func.count().label("batches"),
        func.sum(h.actual_weight_quantity_finished_goods).label("finished_kg"),
    ]
    for silo in ALL_SILOS:
        actual = h[silo.actual_column]
        columns.append(func.sum(h[silo.target_column]).label(f"target_{silo.label}"))
        columns.append(func.sum(actual).label(f"kg_{silo.label}"))
        columns.append(func.sum(case((actual > 0, 1), else_=0)).label(f"n_{silo.label}"))
    where = and_(h.dosed_at >= start, h.dosed_at < end)
    if line:
        where = and_(where, h.equipment_id_batch == line)
    query = select(*columns).where(where).group_by(h.status, h.finished_goods)
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    groups = []
    for row in rows:
        silo_kg = {silo.label: float(row[f"kg_{silo.label}"] or 0.0) for silo in ALL_SILOS}
        groups.append(GroupTotals(
            status=row["status"],
            product=row["finished_goods"],
            batches=int(row["batches"]),
            target_kg=sum(float(row[f"target_{silo.label}"] or 0.0) for silo in ALL_SILOS),
            actual_kg=sum(silo_kg.values()),
            finished_kg=float(row["finished_kg"] or 0.0),
            silo_kg=silo_kg,
            silo_batches={silo.label: int(row[f"n_{silo.label}"] or 0) for silo in ALL_SILOS},
        ))
    return groups


@dataclass(frozen=True)
class HandAddTotals:
    """The hand-added lines of one component in the archived batches of one (status, product) in a range."""

    status: str
    product: str | None
    component: str
    confirmed: int
    confirmed_target_kg: float
    weighed_kg: float
    open: int
    open_target_kg: float


def hand_add_groups(engine: Engine, start: datetime, end: datetime, line: str | None = None) -> list[HandAddTotals]:
    """Totals of the hand-added lines archived with the mo_histories rows dosed in [start, end) (the same
    rows the report's products count), per status, product and component. A line belongs to the record archived with it (same MO, same
    archived_at: hmi.store.repository archives both in one transaction)."""
    h, a = mo_histories.c, hand_add_lines.c
    confirmed = and_(a.confirmed_at.is_not(None), a.actual_kg.is_not(None))
    query = (
        select(h.status, h.finished_goods, a.product_name,
               func.sum(case((confirmed, 1), else_=0)).label("confirmed"),
               func.sum(case((confirmed, a.target_kg), else_=0.0)).label("confirmed_target"),
               func.sum(case((confirmed, a.actual_kg), else_=0.0)).label("weighed"),
               func.sum(case((confirmed, 0), else_=1)).label("open"),
               func.sum(case((confirmed, 0.0), else_=a.target_kg)).label("open_target"))
        .select_from(mo_histories.join(hand_add_lines, and_(a.mo_id == h.mo_id, a.archived_at == h.archived_at)))
        .where(and_(h.dosed_at >= start, h.dosed_at < end, *([h.equipment_id_batch == line] if line else [])))
        .group_by(h.status, h.finished_goods, a.product_name)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    return [HandAddTotals(row["status"], row["finished_goods"], row["product_name"], int(row["confirmed"] or 0),
                          float(row["confirmed_target"] or 0.0), float(row["weighed"] or 0.0), int(row["open"] or 0),
                          float(row["open_target"] or 0.0)) for row in rows]


def archived_hand_lines(engine: Engine, mo_id: str, archived_at: datetime) -> tuple[HandAddLine, ...]:
    """The hand-added lines archived with one history record, in the order Odoo listed them."""
    query = (select(hand_add_lines)
             .where(hand_add_lines.c.mo_id == mo_id, hand_add_lines.c.archived_at == archived_at)
             .order_by(hand_add_lines.c.id))
    with engine.connect() as conn:
        return tuple(line_from_row(row) for row in conn.execute(query).mappings())


def tolerance_records(engine: Engine, mo_ids: list[str]) -> dict[str, tuple[str | None, str | None]]:
    """mo_id -> (tolerance verdict, per-silo deviations JSON) of completed history records."""
    if not mo_ids:
        return {}
    query = (select(mo_histories.c.mo_id, mo_histories.c.tolerance_verdict, mo_histories.c.tolerance_deviations)
             .where(mo_histories.c.mo_id.in_(list(mo_ids)), mo_histories.c.status == "completed"))
    with engine.connect() as conn:
        return {row[0]: (row[1], row[2]) for row in conn.execute(query)}


def outside_tolerance(engine: Engine, start: datetime, end: datetime,
                      line: str | None = None) -> list[tuple[str, int, str | None, str | None]]:
    """(mo_id, batch_no, product, deviations JSON) of the batches dosed in [start, end) whose dosing
    was judged outside tolerance, oldest first."""
    conditions = [mo_histories.c.dosed_at >= start, mo_histories.c.dosed_at < end,
                  mo_histories.c.status == "completed", mo_histories.c.tolerance_verdict == "outside"]
    if line:
        conditions.append(mo_histories.c.equipment_id_batch == line)
    query = (select(mo_histories.c.mo_id, mo_histories.c.batch_no, mo_histories.c.finished_goods,
                    mo_histories.c.tolerance_deviations)
             .where(and_(*conditions)).order_by(mo_histories.c.dosed_at))
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(query)]


def dosed_not_produced(engine: Engine, start: datetime, end: datetime,
                       line: str | None = None) -> list[tuple[str, int, str, str, float, str | None]]:
    """(mo_id, batch_no, outcome, component, kg, booked_by) of what failed, cancelled and cleared batches
    archived in [start, end) dosed (the manual-booking list, hmi.store.bookings), oldest first."""
    conditions = [dosed_bookings.c.recorded_at >= start, dosed_bookings.c.recorded_at < end]
    if line:
        conditions.append(dosed_bookings.c.line == line)
    query = (select(dosed_bookings.c.mo_id, dosed_bookings.c.batch_no, dosed_bookings.c.outcome,
                    dosed_bookings.c.component, dosed_bookings.c.kg, dosed_bookings.c.booked_by)
             .where(and_(*conditions)).order_by(dosed_bookings.c.recorded_at, dosed_bookings.c.id))
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(query)]


def history_entry(engine: Engine, mo_id: str, archived_at: datetime | None = None) -> HistoryEntry | None:
    """One archived batch (the newest record of the MO, or the one archived at ``archived_at``)."""
    query = select(mo_histories).where(mo_histories.c.mo_id == mo_id)
    if archived_at is not None:
        query = query.where(mo_histories.c.archived_at == archived_at)
    query = query.order_by(mo_histories.c.archived_at.desc()).limit(1)
    with engine.connect() as conn:
        row = conn.execute(query).mappings().first()
    return history_from_row(row) if row else None


def current_batch(engine: Engine, mo_id: str):
    with engine.connect() as conn:
        row = conn.execute(select(mo_batch).where(mo_batch.c.mo_id == mo_id)).mappings().first()
    return batch_from_row(row) if row else None


def sample_span(engine: Engine, mo_id: str, batch_no: int) -> tuple[datetime | None, datetime | None]:
    """First and last dosing sample of a batch: when it started and last moved on the PLC."""
    query = select(func.min(batch_readings.c.recorded_at), func.max(batch_readings.c.recorded_at)).where(
        batch_readings.c.mo_id == mo_id, batch_readings.c.batch_no == batch_no)
    with engine.connect() as conn:
        first, last = conn.execute(query).one()
    return as_utc(first), as_utc(last)


def hourly_consumption(engine: Engine, start: datetime, end: datetime,
                       line: str | None = None) -> list[tuple[datetime, dict[str, float]]]:
    """Kg per silo of the batches dosed in [start, end), by the UTC hour they were dosed in.

    Grouped in Python by hour over the few columns it needs (portable across both backends;
    a 30-day range of a busy line is some ten thousand rows).
    """
    h = mo_histories.c
    columns = [h.dosed_at] + [h[silo.actual_column] for silo in ALL_SILOS]
    where = and_(h.dosed_at >= start, h.dosed_at < end)
    if line:
        where = and_(where, h.equipment_id_batch == line)
    hours: dict[datetime, dict[str, float]] = {}
    with engine.connect() as conn:
        for row in conn.execute(select(*columns).where(where)):
            at = as_utc(row[0]).replace(minute=0, second=0, microsecond=0)
            for silo, kg in zip(ALL_SILOS, row[1:]):
                if kg:
                    bucket = hours.setdefault(at, {})
                    bucket[silo.label] = bucket.get(silo.label, 0.0) + float(kg)
    return sorted(hours.items())
