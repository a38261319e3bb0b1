"""Admin API routes of the Held list: MOs that reached the PLC and left the table unfinished.

GET  /api/admin/held       -> {"status": "success", "data": [{"mo_id", "equipment", "reason", "held_at", "held_by"}]}
POST /api/admin/release    {"mo_ids": [...], "reason": "..."} -> the released MOs; 422 naming why when refused

The manual-booking list: what the PLC dosed for failed, cancelled or cleared batches (Odoo books none of it).
GET  /api/admin/dosed-bookings[?all=true] -> {"status": "success", "data": [{"id", "mo_id", "component", "kg", ...}]}
POST /api/admin/dosed-bookings/booked     {"ids": [...]} -> the rows marked booked (who: the caller); 422 when none
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request

from hmi.api import shapes
from hmi.api.bodies import BookedRequest, ReleaseRequest
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

    @router.get("/api/admin/dosed-bookings")
    async def dosed_bookings(all: bool = False) -> dict[str, Any]:
        return {"status": "success",
                "data": [shapes.dosed_booking(b) for b in await admin.dosed_bookings(open_only=not all)]}

    @router.post("/api/admin/dosed-bookings/booked", dependencies=[Depends(needs(Action.BATCH_ACTION))])
    async def booked(body: BookedRequest, request: Request) -> dict[str, Any]:
        try:
            marked = await admin.mark_booked(body.ids, actor_of(request))
        except ActionRefused as exc:
            raise HTTPException(422, str(exc)) from None
        return {"status": "success", "message": f"{len(marked)} booking(s) marked booked", "booked_ids": marked}

    return router
