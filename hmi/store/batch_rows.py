"""Rows of mo_batch and mo_histories as the product's records, and back (one place for the mapping).

Used by every store that reads or writes those tables (hmi.store.repository, hmi.store.outbox,
hmi.store.history, hmi.store.report_queries, hmi.store.tolerances).
"""

from __future__ import annotations

from typing import Any, Sequence

from sqlalchemy import literal
from sqlalchemy.engine import Connection, RowMapping

from hmi.clock import as_utc as _as_utc
from hmi.clock import utc_now
from hmi.domain import ALL_SILOS, Batch, DownloadState, HandAddLine, ManufacturingOrder, SiloLine
from hmi.records import HistoryEntry
from hmi.store import hand_add


def line_clause(table, line: str | None):
    """Rows of one line (every line when ``line`` is None)."""
    return table.c.equipment_id_batch == line if line else literal(True)


def batches_with_checklists(conn: Connection, rows: Sequence[RowMapping]) -> list[Batch]:
    """Rows as batches, each with its hand-added checklist (one query for all of them)."""
    lines = hand_add.open_lines_for(conn, [row["mo_id"] for row in rows])
    return [batch_from_row(row, lines.get(row["mo_id"], ())) for row in rows]


def order_to_row(mo: ManufacturingOrder, batch_no: int, plc_key: str | None = None,
                 download_state: DownloadState = DownloadState.DOWNLOADED) -> dict[str, Any]:
    row: dict[str, Any] = {
        "batch_no": batch_no,
        "mo_id": mo.mo_id,
        "plc_key": plc_key or mo.mo_id,
        "download_state": download_state.value,
        "consumption": mo.quantity,
        "equipment_id_batch": mo.equipment_code,
        "finished_goods": mo.product_name,
        "created_at": utc_now(),
    }
    for silo in ALL_SILOS:
        target = mo.targets.get(silo)
        row[silo.id_column] = silo.equipment_id
        row[silo.name_column] = target.component_name if target else None
        row[silo.target_column] = target.target_kg if target else None
    return row


#: (silo, name, target and actual column) once: reading a history page maps 50 rows x 15 silos.
_SILO_COLUMNS = tuple((silo, silo.name_column, silo.target_column, silo.actual_column) for silo in ALL_SILOS)


def _silo_lines(row: RowMapping) -> tuple[SiloLine, ...]:
    return tuple(SiloLine(silo, row[name], row[target], row[actual]) for silo, name, target, actual in _SILO_COLUMNS)


def _batch_data(row: RowMapping) -> dict[str, Any]:
    """The fields mo_batch and mo_histories share, in domain names."""
    return {
        "mo_id": row["mo_id"],
        "batch_no": row["batch_no"],
        "product_name": row["finished_goods"],
        "quantity": float(row["consumption"]),
        "equipment_code": row["equipment_id_batch"],
        "actual_weight": row["actual_weight_quantity_finished_goods"],
        "silos": _silo_lines(row),
    }


def batch_from_row(row: RowMapping, hand_added: Sequence[HandAddLine] = ()) -> Batch:
    return Batch(
        **_batch_data(row),
        status_manufacturing=bool(row["status_manufacturing"]),
        status_operation=bool(row["status_operation"]),
        last_read_from_plc=_as_utc(row["last_read_from_plc"]),
        created_at=_as_utc(row["created_at"]),
        update_odoo=bool(row["update_odoo"]),
        odoo_cancelled=bool(row["odoo_cancelled"]),
        push_attempts=row["push_attempts"],
        last_push_error=row["last_push_error"],
        next_push_at=_as_utc(row["next_push_at"]),
        needs_attention=bool(row["needs_attention"]),
        plc_key=row["plc_key"],
        download_state=DownloadState(row["download_state"]),
        hold_reason=row["hold_reason"],
        hand_added=tuple(hand_added),
        epoch=row["epoch"],
    )


def history_from_row(row: RowMapping) -> HistoryEntry:
    return HistoryEntry(
        **_batch_data(row),
        status=row["status"],
        notes=row["notes"],
        actor=row["actor"],
        archived_at=_as_utc(row["archived_at"]),
    )
