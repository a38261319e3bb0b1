"""Admin API route of the history: archived batches (mo_histories), newest first, a page at a time.

GET /api/admin/history?status=&mo=&since=&until=&limit=50&cursor=
    -> {"status": "success", "data": {"total", "limit", "offset", "total_is_estimate", "next_cursor",
        "search_mode", "items": [...]}}; a bad status or a cursor the API did not make: 422
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, HTTPException, Query

from hmi.api import shapes
from hmi.domain import InvalidCursor
from hmi.services.admin import AdminService

HISTORY_STATUSES = ("completed", "failed", "cancelled", "cleared")


def history_router(admin: AdminService) -> APIRouter:
    router = APIRouter()

    @router.get("/api/admin/history")
    async def history(
        status: str | None = Query(None, description="completed, failed, cancelled or cleared"),
        mo: str | None = Query(None, description="text contained in the MO name (or its start: see search_mode)"),
        limit: int = Query(50, ge=1, le=500),
        offset: int = Query(0, ge=0, description="kept for old clients; deep offsets are slow, use cursor"),
        cursor: str | None = Query(None, description="next_cursor of the previous page"),
        since: datetime | None = Query(None, description="archived at or after (ISO 8601; no zone = UTC)"),
        until: datetime | None = Query(None, description="archived before (ISO 8601; no zone = UTC)"),
    ) -> dict[str, Any]:
        if status is not None and status not in HISTORY_STATUSES:
            raise HTTPException(422, f"status must be one of {', '.join(HISTORY_STATUSES)}")
        try:
            page = await admin.history(status, mo, limit, offset, cursor, since, until)
        except InvalidCursor as exc:
            raise HTTPException(422, str(exc)) from None
        return {"status": "success", "data": shapes.history_page(page)}

    return router
