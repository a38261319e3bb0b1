"""The operators table: accounts that sign in at the window (hmi.services.operators uses it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from hmi.clock import as_utc, utc_now
from hmi.store.models import operators


class OperatorExists(Exception):
    pass


class UnknownOperator(Exception):
    pass


@dataclass(frozen=True)
class OperatorRow:
    name: str
    role: str
    pin_hash: str
    active: bool
    failed_attempts: int
    locked_until: datetime | None
    created_at: datetime | None
    created_by: str | None
    changed_at: datetime | None
    changed_by: str | None


def _row(mapping) -> OperatorRow:
    return OperatorRow(
        name=mapping["name"], role=mapping["role"], pin_hash=mapping["pin_hash"], active=bool(mapping["active"]),
        failed_attempts=int(mapping["failed_attempts"] or 0), locked_until=as_utc(mapping["locked_until"]),
        created_at=as_utc(mapping["created_at"]), created_by=mapping["created_by"],
        changed_at=as_utc(mapping["changed_at"]), changed_by=mapping["changed_by"])


class OperatorStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def count_active(self, role: str | None = None) -> int:
        query = select(func.count()).select_from(operators).where(operators.c.active.is_(True))
        if role is not None:
            query = query.where(operators.c.role == role)
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def all(self) -> list[OperatorRow]:
        with self.engine.connect() as conn:
            return [_row(m) for m in conn.execute(select(operators).order_by(operators.c.name)).mappings()]

    def get(self, name: str) -> OperatorRow | None:
        with self.engine.connect() as conn:
            found = conn.execute(select(operators).where(func.lower(operators.c.name) == name.lower())).mappings().first()
        return _row(found) if found else None

    def add(self, name: str, role: str, pin_hash: str, actor: str) -> None:
        if self.get(name) is not None:
            raise OperatorExists(name)
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(operators).values(name=name, role=role, pin_hash=pin_hash, active=True,
                                                      failed_attempts=0, created_at=utc_now(), created_by=actor))
        except IntegrityError:
            raise OperatorExists(name) from None

    def change(self, name: str, actor: str, **values) -> None:
        with self.engine.begin() as conn:
            result = conn.execute(update(operators).where(func.lower(operators.c.name) == name.lower())
                                  .values(changed_at=utc_now(), changed_by=actor, **values))
        if result.rowcount == 0:
            raise UnknownOperator(name)

    def record_failure(self, name: str, max_attempts: int, lock_until: datetime) -> tuple[int, datetime | None]:
        """Count one wrong PIN; at ``max_attempts`` lock the account until ``lock_until`` and start again.

        Returns (failed attempts now, locked until or None)."""
        with self.engine.begin() as conn:
            row = conn.execute(select(operators.c.failed_attempts).where(func.lower(operators.c.name) == name.lower())
                               .with_for_update()).first()
            if row is None:
                return 0, None
            attempts = int(row[0] or 0) + 1
            locked = lock_until if attempts >= max_attempts else None
            conn.execute(update(operators).where(func.lower(operators.c.name) == name.lower())
                         .values(failed_attempts=0 if locked else attempts, locked_until=locked))
        return attempts, locked

    def record_success(self, name: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(operators).where(func.lower(operators.c.name) == name.lower())
                         .values(failed_attempts=0, locked_until=None))
