"""Admin API route of the sync: run one now (the same call as the timer and the toolbar button).

POST /api/admin/trigger-sync -> synced or skipped: 200 {"status": "success", "message", "detail", "outcome",
     "count"}; another sync or a clear running: 409; failed: 502, {"status": "error", "message", "outcome", "count"}
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from hmi.api.guard import actor_of, needs
from hmi.services.access import Action
from hmi.services.admin import AdminService

log = logging.getLogger("hmi.api")

SYNC_HTTP_STATUS = {"synced": 200, "skipped": 200, "busy": 409, "failed": 502}


def sync_router(admin: AdminService) -> APIRouter:
    router = APIRouter()

    @router.post("/api/admin/trigger-sync", dependencies=[Depends(needs(Action.TRIGGER_SYNC))])
    async def trigger_sync(request: Request) -> Any:
        log.info("Sync triggered by %s", actor_of(request), extra={"actor": actor_of(request)})
        outcome = await admin.trigger_sync("api")
        body = {"outcome": outcome.outcome, "count": outcome.count}
        if outcome.outcome == "synced":
            return {"status": "success", "message": "Manual sync completed successfully",
                    "detail": outcome.message, **body}
        if outcome.outcome == "skipped":
            return {"status": "success", "message": f"Sync skipped: {outcome.message}", "detail": outcome.message,
                    **body}
        return JSONResponse({"status": "error", "message": outcome.message, **body},
                            status_code=SYNC_HTTP_STATUS[outcome.outcome])

    return router
