"""The Held list: MOs that reached the PLC and left mo_batch without being completed.

Such an MO may still be on the PLC, or already (partly) dosed, while Odoo still offers it as
confirmed. The sync never fetches an MO with an open hold; an operator releases it, with a
reason, once they know what the PLC did with it. Released holds stay in the table as the
record of who released what, when and why.

These functions take an open connection so that a hold is written in the same transaction
as the archive that causes it: an MO can never leave mo_batch without its hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Sequence

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from hmi.store.models import held_mos
from hmi.store.clock import as_utc, utc_now


@dataclass(frozen=True)
class HeldMo:
    mo_id: str
    equipment_code: str
    reason: str
    held_at: datetime
    held_by: str | None


def hold(conn: Connection, rows: Iterable[tuple[str, str]], reason: str, actor: str | None) -> list[str]:
    """Open a hold for each (mo_id, equipment_code) that has none yet; returns the MOs now held."""
    rows = list(rows)
    if not rows:
        return []
    already = set(conn.execute(
        select(held_mos.c.mo_id).where(held_mos.c.mo_id.in_([mo_id for mo_id, _ in rows]),
                                       held_mos.c.released_at.is_(None))
    ).scalars())
    now = utc_now()
    new = [
        {"mo_id": mo_id, "equipment_code": line, "reason": reason[:2000], "held_at": now, "held_by": actor}
        for mo_id, line in rows if mo_id not in already
    ]
    if new:
        conn.execute(insert(held_mos), new)
    return [mo_id for mo_id, _ in rows]


def held_ids(conn: Connection, mo_ids: Sequence[str]) -> set[str]:
    if not mo_ids:
        return set()
    return set(conn.execute(
        select(held_mos.c.mo_id).where(held_mos.c.mo_id.in_(list(mo_ids)), held_mos.c.released_at.is_(None))
    ).scalars())


def list_held(conn: Connection, line: str | None) -> list[HeldMo]:
    query = select(held_mos).where(held_mos.c.released_at.is_(None)).order_by(held_mos.c.held_at, held_mos.c.mo_id)
    if line:
        query = query.where(held_mos.c.equipment_code == line)
    return [
        HeldMo(row["mo_id"], row["equipment_code"], row["reason"], as_utc(row["held_at"]), row["held_by"])
        for row in conn.execute(query).mappings()
    ]


def release(conn: Connection, mo_ids: Sequence[str], reason: str, actor: str) -> list[str]:
    """Close the open holds of these MOs; returns the MOs that were held (and now are not)."""
    if not mo_ids:
        return []
    held = sorted(held_ids(conn, mo_ids))
    if held:
        conn.execute(
            update(held_mos)
            .where(held_mos.c.mo_id.in_(held), held_mos.c.released_at.is_(None))
            .values(released_at=utc_now(), released_by=actor, release_reason=reason[:2000])
        )
    return held
