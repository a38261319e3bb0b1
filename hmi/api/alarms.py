"""Admin API routes of the alarms.

GET  /api/admin/alarms?state=active   the alarm list (active and returned-unacknowledged, not shelved),
                                      most urgent first, plus how many are shelved
GET  /api/admin/alarms?state=all      the journal, newest first (limit/offset, priority/kind filters)
POST /api/admin/alarms/{id}/ack       acknowledge (404 unknown, 409 nothing to acknowledge)
POST /api/admin/alarms/{id}/shelve    {"minutes": 30, "reason": "..."} (422 without a reason)
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from hmi.api import shapes
from hmi.api.bodies import ShelveRequest
from hmi.api.guard import actor_of, needs
from hmi.records import AlarmQuery
from hmi.services.access import Action
from hmi.services.alarms import AlarmRefused, AlarmService, alarm_actor

ALARM_STATES = ("active", "all")


def alarms_router(service: AlarmService) -> APIRouter:
    """Acknowledging needs ACKNOWLEDGE, shelving SHELVE_ALARM (a higher role: hmi.services.access)."""
    router = APIRouter()

    @router.get("/api/admin/alarms")
    async def list_alarms(
        state: str = Query("active", description="active (the alarm list) or all (the journal)"),
        priority: str | None = Query(None), kind: str | None = Query(None),
        limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0),
    ) -> dict[str, Any]:
        if state not in ALARM_STATES:
            raise HTTPException(422, f"state must be one of {', '.join(ALARM_STATES)}")
        if state == "active":
            now = service.clock()
            open_alarms = await service.open_alarms()
            shown = [a for a in open_alarms if not a.shelved(now)]
            return {"status": "success", "data": {"items": [shapes.alarm(a) for a in shown],
                                                  "shelved": len(open_alarms) - len(shown)}}
        total, page = await service.journal(AlarmQuery(priority=priority, kind=kind), limit, offset)
        return {"status": "success", "data": {"total": total, "limit": limit, "offset": offset,
                                              "items": [shapes.alarm(a) for a in page]}}

    @router.post("/api/admin/alarms/{alarm_id}/ack", dependencies=[Depends(needs(Action.ACKNOWLEDGE))])
    async def acknowledge(alarm_id: int, request: Request) -> dict[str, Any]:
        if await service.get(alarm_id) is None:
            raise HTTPException(404, f"alarm {alarm_id} does not exist")
        try:
            alarm = await service.acknowledge(alarm_id, alarm_actor("acknowledge", lambda: actor_of(request)))
        except AlarmRefused as exc:
            raise HTTPException(409, str(exc)) from None
        return {"status": "success", "message": f"Alarm {alarm_id} acknowledged", "data": shapes.alarm(alarm)}

    @router.post("/api/admin/alarms/{alarm_id}/shelve", dependencies=[Depends(needs(Action.SHELVE_ALARM))])
    async def shelve(alarm_id: int, body: ShelveRequest, request: Request) -> dict[str, Any]:
        if await service.get(alarm_id) is None:
            raise HTTPException(404, f"alarm {alarm_id} does not exist")
        try:
            alarm = await service.shelve(alarm_id, body.minutes, body.reason,
                                         alarm_actor("shelve", lambda: actor_of(request)))
        except AlarmRefused as exc:
            status = 422 if "reason" in str(exc) or "minutes" in str(exc) else 409
            raise HTTPException(status, str(exc)) from None
        return {"status": "success", "message": f"Alarm {alarm_id} shelved", "data": shapes.alarm(alarm)}

    return router
