"""Admin API routes of the health report and the scheduler (auto-sync on or off at run time).

GET  /api/health              everything the plant depends on, and one verdict (hmi.api.shapes.health)
GET  /api/admin/scheduler     -> {"status": "success", "data": {"auto_sync_enabled", "interval_minutes",
                                  "batch_limit", "poll_interval_seconds", "next_sync_at", "sync_running"}}
POST /api/admin/scheduler     {"enabled": false} pauses auto-sync, true resumes it; 503 without a scheduler
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request

from hmi.api import shapes
from hmi.api.bodies import SchedulerRequest
from hmi.api.guard import actor_of, needs
from hmi.services.access import Action
from hmi.services.admin import AdminService, SchedulerControl


def health_router(admin: AdminService) -> APIRouter:
    router = APIRouter()

    @router.get("/api/health")
    async def health() -> dict[str, Any]:
        return shapes.health(await admin.health())

    def scheduler() -> SchedulerControl:
        if admin.scheduler is None:
            raise HTTPException(503, "no scheduler in this process")
        return admin.scheduler

    @router.get("/api/admin/scheduler")
    async def scheduler_status() -> dict[str, Any]:
        return {"status": "success", "data": shapes.scheduler_status(scheduler().status())}

    @router.post("/api/admin/scheduler", dependencies=[Depends(needs(Action.TOGGLE_AUTO_SYNC))])
    async def scheduler_toggle(body: SchedulerRequest, request: Request) -> dict[str, Any]:
        control = scheduler()
        control.set_auto_sync_enabled(body.enabled, actor_of(request))
        word = "enabled" if body.enabled else "disabled"
        return {"status": "success", "message": f"Auto-sync {word}",
                "data": shapes.scheduler_status(control.status())}

    return router
