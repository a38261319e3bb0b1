"""Pages of system_log for the Audit tab: who did what, when (filter by actor, words, time)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, and_, func, literal, select

from hmi.clock import as_utc
from hmi.records import AuditPage, AuditRecord
from hmi.store.models import system_log


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class AuditLogStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def page(self, actor: str | None = None, words: str | None = None, since: datetime | None = None,
             until: datetime | None = None, only_actions: bool = True, limit: int = 50,
             offset: int = 0) -> AuditPage:
        """Newest first. ``only_actions``: records that name who did them (operators, the API, the CLI)."""
        conditions = []
        if only_actions:
            conditions.append(system_log.c.actor.is_not(None))
        if actor:
            conditions.append(system_log.c.actor.ilike(_like(actor), escape="\\"))
        if words:
            conditions.append(system_log.c.message.ilike(_like(words), escape="\\"))
        if since is not None:
            conditions.append(system_log.c.timestamp >= since)
        if until is not None:
            conditions.append(system_log.c.timestamp < until)
        where = and_(*conditions) if conditions else literal(True)
        query = (select(system_log).where(where).order_by(system_log.c.timestamp.desc(), system_log.c.id.desc())
                 .limit(limit).offset(offset))
        with self.engine.connect() as conn:
            total = int(conn.execute(select(func.count()).select_from(system_log).where(where)).scalar_one())
            records = [AuditRecord(as_utc(r["timestamp"]), r["level"], r["actor"], r["message"], r["mo_id"])
                       for r in conn.execute(query).mappings()]
        return AuditPage(records, total, limit, offset)
