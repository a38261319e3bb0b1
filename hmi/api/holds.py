"""Admin API routes of the Held list: MOs that reached the PLC and left the table unfinished.

GET  /api/admin/held       -> {"status": "success", "data": [{"mo_id", "equipment", "reason", "held_at", "held_by"}]}
POST /api/admin/release    {"mo_ids": [...], "reason": "..."} -> the released MOs; 422 naming why when refused
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request

from hmi.api import shapes
from hmi.api.bodies import ReleaseRequest
from hmi.api.guard import actor_of, needs
from hmi.services.access import Action
from hmi.services.admin import ActionRefused, AdminService


def holds_router(admin: AdminService) -> APIRouter:
    router = APIRouter()

    @router.get("/api/admin/held")
    async def held() -> dict[str, Any]:
        return {"status": "success", "data": [shapes.held_mo(h) for h in await admin.held()]}

    @router.post("/api/admin/release", dependencies=[Depends(needs(Action.RELEASE_HELD))])
    async def release(body: ReleaseRequest, request: Request) -> dict[str, Any]:
        try:
            released = await admin.release(body.mo_ids, body.reason, actor_of(request))
        except ActionRefused as exc:
            raise HTTPException(422, str(exc)) from None
        return {"status": "success", "message": f"{len(released)} MO(s) released", "released_mo_ids": released}

    return router
