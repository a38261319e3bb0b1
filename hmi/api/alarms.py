"""Admin API routes of the alarms and of the per-silo dosing tolerances.

GET  /api/admin/alarms?state=active   the alarm list (active and returned-unacknowledged, not shelved),
                                      most urgent first, plus how many are shelved
GET  /api/admin/alarms?state=all      the journal, newest first (limit/offset, priority/kind filters)
POST /api/admin/alarms/{id}/ack       acknowledge (404 unknown, 409 nothing to acknowledge)
POST /api/admin/alarms/{id}/shelve    {"minutes": 30, "reason": "..."} (422 without a reason)
GET  /api/admin/silo-assignment/tolerances   [{"silo": "A", "kg": 1.5, "percent": null}, ...] + the defaults
PUT  /api/admin/silo-assignment/tolerances   the same list replaces every override
"""

from __future__ import annotations

from typing import Any, Callable

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from hmi.api.bodies import ShelveRequest, ToleranceEntry
from hmi.services.alarms import Alarm, AlarmRefused, AlarmService, alarm_actor
from hmi.services.tolerance import SiloOverride, ToleranceService
from hmi.silo_assignment import silo_from_label
from hmi.records import AlarmQuery

ALARM_STATES = ("active", "all")


def alarm_body(alarm: Alarm) -> dict[str, Any]:
    """The answer shape of one alarm."""
    def iso(value):
        return value.isoformat() if value is not None else None

    return {
        "id": alarm.id, "kind": alarm.kind, "source": alarm.source, "priority": alarm.priority.value,
        "state": alarm.state.value, "message": alarm.message, "count": alarm.count,
        "mo_id": alarm.mo_id, "batch_no": alarm.batch_no, "silo": alarm.silo, "line": alarm.line,
        "raised_at": iso(alarm.raised_at), "last_raised_at": iso(alarm.last_raised_at),
        "acknowledged_at": iso(alarm.acknowledged_at), "acknowledged_by": alarm.acknowledged_by,
        "returned_at": iso(alarm.returned_at), "normal_at": iso(alarm.normal_at),
        "shelved_until": iso(alarm.shelved_until), "shelved_by": alarm.shelved_by,
        "shelf_reason": alarm.shelf_reason,
    }


def alarms_router(service: AlarmService, require_token: Callable[..., None],
                  actor_of: Callable[[Request], str],
                  shelve_dependency: Callable[..., None] | None = None) -> APIRouter:
    """``require_token``: what acknowledging needs; ``shelve_dependency``: what shelving needs (a
    higher role where roles exist), else the same."""
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
            return {"status": "success", "data": {"items": [alarm_body(a) for a in shown],
                                                  "shelved": len(open_alarms) - len(shown)}}
        total, page = await service.journal(AlarmQuery(priority=priority, kind=kind), limit, offset)
        return {"status": "success", "data": {"total": total, "limit": limit, "offset": offset,
                                              "items": [alarm_body(a) for a in page]}}

    @router.post("/api/admin/alarms/{alarm_id}/ack", dependencies=[Depends(require_token)])
    async def acknowledge(alarm_id: int, request: Request) -> dict[str, Any]:
        if await service.get(alarm_id) is None:
            raise HTTPException(404, f"alarm {alarm_id} does not exist")
        try:
            alarm = await service.acknowledge(alarm_id, alarm_actor("acknowledge", lambda: actor_of(request)))
        except AlarmRefused as exc:
            raise HTTPException(409, str(exc)) from None
        return {"status": "success", "message": f"Alarm {alarm_id} acknowledged", "data": alarm_body(alarm)}

    @router.post("/api/admin/alarms/{alarm_id}/shelve", dependencies=[Depends(shelve_dependency or require_token)])
    async def shelve(alarm_id: int, body: ShelveRequest, request: Request) -> dict[str, Any]:
        if await service.get(alarm_id) is None:
            raise HTTPException(404, f"alarm {alarm_id} does not exist")
        try:
            alarm = await service.shelve(alarm_id, body.minutes, body.reason,
                                         alarm_actor("shelve", lambda: actor_of(request)))
        except AlarmRefused as exc:
            status = 422 if "reason" in str(exc) or "minutes" in str(exc) else 409
            raise HTTPException(status, str(exc)) from None
        return {"status": "success", "message": f"Alarm {alarm_id} shelved", "data": alarm_body(alarm)}

    return router


def tolerance_router(service: ToleranceService, require_token: Callable[..., None],
                     actor_of: Callable[[Request], str]) -> APIRouter:
    router = APIRouter()

    async def body() -> dict[str, Any]:
        overrides = await service.overrides()
        return {"defaults": {"kg": service.default.kg, "percent": service.default.percent},
                "silos": [{"silo": o.silo, "kg": o.kg, "percent": o.percent} for o in overrides.values()]}

    @router.get("/api/admin/silo-assignment/tolerances")
    async def get_tolerances() -> dict[str, Any]:
        return await body()

    @router.put("/api/admin/silo-assignment/tolerances", dependencies=[Depends(require_token)])
    async def put_tolerances(entries: list[ToleranceEntry], request: Request) -> dict[str, Any]:
        overrides = []
        for entry in entries:
            silo = silo_from_label(entry.silo)
            if silo is None:
                raise HTTPException(422, f"unknown silo {entry.silo!r}")
            overrides.append(SiloOverride(silo.label, entry.kg, entry.percent))
        if len({o.silo for o in overrides}) != len(overrides):
            raise HTTPException(422, "a silo is listed twice")
        await service.replace(overrides, actor_of(request))
        return await body()

    return router
