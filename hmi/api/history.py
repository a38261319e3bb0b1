"""Admin API route of the history: archived batches (mo_histories), newest first, a page at a time.

GET /api/admin/history?status=&mo=&since=&until=&limit=50&cursor=
    -> {"status": "success", "data": {"total", "limit", "offset", "total_is_estimate", "next_cursor",
        "search_mode", "items": [...]}}; a bad status or a cursor the API did not make: 422

``since``/``until`` are ISO times in plant time (PLANT_TIMEZONE) unless they carry an offset, as in
every endpoint of the API (the report's ``from``/``to`` too); the answer's times are UTC with their offset.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Query

from hmi.api import shapes
from hmi.clock import PlantClock
from hmi.domain import InvalidCursor
from hmi.services.admin import AdminService

HISTORY_STATUSES = ("completed", "failed", "cancelled", "cleared")


def history_router(admin: AdminService, clock: PlantClock) -> APIRouter:
    router = APIRouter()
    zone_text = f"plant time, {clock.zone_name}, unless it carries an offset"

    @router.get("/api/admin/history")
    async def history(
        status: str | None = Query(None, description="completed, failed, cancelled or cleared"),
        mo: str | None = Query(None, description="text contained in the MO name (or its start: see search_mode)"),
        limit: int = Query(50, ge=1, le=500),
        offset: int = Query(0, ge=0, description="kept for old clients; deep offsets are slow, use cursor"),
        cursor: str | None = Query(None, description="next_cursor of the previous page"),
        since: str | None = Query(None, description=f"archived at or after (ISO 8601; {zone_text})"),
        until: str | None = Query(None, description=f"archived before (ISO 8601; {zone_text})"),
    ) -> dict[str, Any]:
        if status is not None and status not in HISTORY_STATUSES:
            raise HTTPException(422, f"status must be one of {', '.join(HISTORY_STATUSES)}")
        try:
            start, end = (None if text is None else clock.parse(text, name)
                          for text, name in ((since, "query parameter since"), (until, "query parameter until")))
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from None
        try:
            page = await admin.history(status, mo, limit, offset, cursor, start, end)
        except InvalidCursor as exc:
            raise HTTPException(422, str(exc)) from None
        return {"status": "success", "data": shapes.history_page(page)}

    return router
