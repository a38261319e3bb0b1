"""ReportOutbox: what the PLC finished or failed and Odoo must still hear about (the completion round).

A batch the PLC finished is reported (its consumption pushed) and then closed; a batch the PLC
failed is cancelled in Odoo. Each report that fails is counted and retried later; after too many
failures the batch needs an operator's attention, who may ask for another try.

Every write is one fenced transaction (hmi.store.fencing) that moves the MO's dispatch ledger row
(hmi.store.dispatch) where the step changes it: ``mark_reported`` to ``reported``, ``mark_closed``
to ``closed``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, select, update

from hmi.domain import Batch, DispatchState
from hmi.store import dispatch
from hmi.store.batch_rows import batches_with_checklists, line_clause
from hmi.store.fencing import FencedStore
from hmi.store.models import mo_batch


class ReportOutbox(FencedStore):
    # ------------------------------------------------------------------ due

    def done_batches_to_report(self, now: datetime, line: str | None = None) -> list[Batch]:
        """DONE rows not yet pushed to Odoo whose retry time has come, oldest batch first."""
        query = (
            select(mo_batch)
            .where(
                line_clause(mo_batch, line),
                mo_batch.c.status_manufacturing.is_(True),
                mo_batch.c.status_operation.is_(False),
                mo_batch.c.update_odoo.is_(False),
                mo_batch.c.needs_attention.is_(False),
            )
            .order_by(mo_batch.c.batch_no)
        )
        with self.engine.connect() as conn:
            rows = batches_with_checklists(conn, conn.execute(query).mappings().all())
        return [b for b in rows if b.next_push_at is None or b.next_push_at <= now]

    def failed_batches_to_cancel(self, now: datetime, line: str | None = None) -> list[Batch]:
        """Rows the PLC failed that are not yet cancelled in Odoo and whose retry time has come."""
        query = (
            select(mo_batch)
            .where(
                line_clause(mo_batch, line),
                mo_batch.c.status_operation.is_(True),
                mo_batch.c.odoo_cancelled.is_(False),
                mo_batch.c.needs_attention.is_(False),
            )
            .order_by(mo_batch.c.batch_no)
        )
        with self.engine.connect() as conn:
            rows = batches_with_checklists(conn, conn.execute(query).mappings().all())
        return [b for b in rows if b.next_push_at is None or b.next_push_at <= now]

    # ------------------------------------------------------------------ done

    def mark_reported(self, mo_id: str) -> None:
        """Odoo has the batch's consumption (the ledger says reported; marking the MO done may be due)."""
        with self._writing() as conn:
            conn.execute(update(mo_batch).where(mo_batch.c.mo_id == mo_id).values(update_odoo=True))
            dispatch.move(conn, [mo_id], DispatchState.REPORTED, epoch=self.epoch)

    def mark_closed(self, mo_id: str, reason: str) -> None:
        """Nothing is left to do in Odoo for this MO (marked done there, or that is not wanted)."""
        with self._writing() as conn:
            dispatch.move(conn, [mo_id], DispatchState.CLOSED, epoch=self.epoch, reason=reason)

    def mark_cancelled_in_odoo(self, mo_id: str) -> None:
        with self._writing() as conn:
            conn.execute(update(mo_batch).where(mo_batch.c.mo_id == mo_id).values(odoo_cancelled=True))

    def record_push_failure(self, mo_id: str, error: str, next_push_at: datetime, max_attempts: int) -> tuple[int, bool]:
        """Count a failed report to Odoo (push, or cancel of a failed batch); returns (attempts so
        far, whether the batch now needs attention)."""
        with self._writing() as conn:
            attempts = conn.execute(
                update(mo_batch)
                .where(mo_batch.c.mo_id == mo_id)
                .values(push_attempts=mo_batch.c.push_attempts + 1, last_push_error=error[:2000], next_push_at=next_push_at)
                .returning(mo_batch.c.push_attempts)
            ).scalar_one()
            attention = attempts >= max_attempts
            if attention:
                conn.execute(update(mo_batch).where(mo_batch.c.mo_id == mo_id).values(needs_attention=True))
        return attempts, attention

    def retry_push(self, mo_id: str) -> bool:
        """Operator asked to try an ATTENTION batch again: reset its push bookkeeping. A finished batch
        held for its refused final reading is never retried (its stored figures are stale): False."""
        with self._writing() as conn:
            return conn.execute(
                update(mo_batch)
                .where(mo_batch.c.mo_id == mo_id,
                       ~and_(mo_batch.c.status_manufacturing.is_(True), mo_batch.c.hold_reason.is_not(None)))
                .values(needs_attention=False, push_attempts=0, next_push_at=None)
            ).rowcount == 1
