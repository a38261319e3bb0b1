"""Admin API routes of the silos: which product is in which silo, and the per-silo dosing tolerances.

GET  /api/admin/silo-assignment -> [{"silo": "A", "product_code": "RM-CORN", "product_name": "Corn"}, ...]
PUT  /api/admin/silo-assignment with the same list replaces the table atomically. An unknown silo, a
     product listed twice or a malformed body answers 422 naming the entry, and nothing changes.
GET  /api/admin/silo-assignment/tolerances   {"defaults": {"kg", "percent"}, "silos": [{"silo": "A", "kg": 1.5,
                                             "percent": null}, ...]}
PUT  /api/admin/silo-assignment/tolerances   the list [{"silo", "kg", "percent"}] replaces every override
Both PUTs need EDIT_SILO_ASSIGNMENT (hmi.services.access).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request

from hmi.api import shapes
from hmi.api.bodies import ToleranceEntry, json_of
from hmi.api.guard import actor_of, needs
from hmi.services.access import Action
from hmi.services.silo_assignment import SiloAssignmentService
from hmi.services.tolerance import SiloOverride, ToleranceService
from hmi.silo_assignment import AssignmentError, parse_entries, silo_from_label


def silo_assignment_router(service: SiloAssignmentService) -> APIRouter:
    router = APIRouter()

    @router.get("/api/admin/silo-assignment")
    async def get_assignment() -> list[dict[str, str]]:
        return shapes.silo_assignment(await service.get())

    @router.put("/api/admin/silo-assignment", dependencies=[Depends(needs(Action.EDIT_SILO_ASSIGNMENT))])
    async def put_assignment(request: Request) -> Any:
        body = await json_of(request)  # the entries themselves are checked, as strictly, by parse_entries
        try:
            assignment = parse_entries(body)
        except AssignmentError as exc:
            raise HTTPException(422, str(exc)) from None
        await service.replace(assignment, actor_of(request))
        return shapes.silo_assignment(assignment)

    return router


def tolerance_router(service: ToleranceService) -> APIRouter:
    router = APIRouter()

    async def current() -> dict[str, Any]:
        return shapes.tolerances(service.default, (await service.overrides()).values())

    @router.get("/api/admin/silo-assignment/tolerances")
    async def get_tolerances() -> dict[str, Any]:
        return await current()

    @router.put("/api/admin/silo-assignment/tolerances", dependencies=[Depends(needs(Action.EDIT_SILO_ASSIGNMENT))])
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
        return await current()

    return router
