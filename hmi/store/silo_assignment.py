"""The silo_assignment table: read whole, replaced whole (one transaction, audited with the actor)."""

from __future__ import annotations

from sqlalchemy import Engine, delete, insert, select

from hmi.silo_assignment import AssignmentEntry, SiloAssignment, silo_from_label
from hmi.store.models import silo_assignment, system_log
from hmi.clock import utc_now


class SiloAssignmentStore:
    def __init__(self, engine: Engine, line: str | None = None) -> None:
        self.engine = engine
        #: The line written with each system_log record (revision 0010); None leaves it NULL.
        self.line = line

    def load(self) -> SiloAssignment:
        with self.engine.connect() as conn:
            rows = conn.execute(select(silo_assignment)).mappings().all()
        entries = []
        for row in rows:
            silo = silo_from_label(row["silo"])
            if silo is not None:  # a row of a silo this version does not know is ignored, not fatal
                entries.append(AssignmentEntry(silo, row["product_code"], row["product_name"] or ""))
        return SiloAssignment(tuple(entries))

    def replace(self, assignment: SiloAssignment, actor: str) -> tuple[SiloAssignment, list[str]]:
        """Replace the whole table; returns the previous assignment and one line per change (also in system_log)."""
        now = utc_now()
        with self.engine.begin() as conn:
            before_rows = conn.execute(select(silo_assignment)).mappings().all()
            before = {row["silo"]: (row["product_code"], row["product_name"] or "") for row in before_rows}
            conn.execute(delete(silo_assignment))
            if assignment.entries:
                conn.execute(insert(silo_assignment), [
                    {"silo": e.silo.label, "product_code": e.product_code, "product_name": e.product_name,
                     "updated_at": now, "updated_by": actor} for e in assignment.entries])
            changes = _changes(before, {e.silo.label: (e.product_code, e.product_name) for e in assignment.entries})
            if changes:
                conn.execute(insert(system_log), [
                    {"timestamp": now, "level": "INFO", "module": "hmi.silo_assignment",
                     "message": f"Silo assignment changed: {change}", "actor": actor, "line": self.line}
                    for change in changes])
        previous = SiloAssignment(tuple(AssignmentEntry(s, c, n) for label, (c, n) in before.items()
                                        if (s := silo_from_label(label)) is not None))
        return previous, changes


def _changes(before: dict[str, tuple[str, str]], after: dict[str, tuple[str, str]]) -> list[str]:
    lines = []
    for label in sorted(set(before) | set(after)):
        old, new = before.get(label), after.get(label)
        if old == new:
            continue
        if old is None:
            lines.append(f"silo {label} now holds {new[0]} ({new[1]})")
        elif new is None:
            lines.append(f"silo {label} emptied (was {old[0]})")
        else:
            lines.append(f"silo {label} {old[0]} -> {new[0]} ({new[1]})")
    return lines
