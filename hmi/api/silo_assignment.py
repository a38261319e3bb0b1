"""Admin API routes of the silo assignment: GET the table, PUT a whole new one.

GET  /api/admin/silo-assignment -> [{"silo": "A", "product_code": "RM-CORN", "product_name": "Corn"}, ...]
PUT  /api/admin/silo-assignment with the same list replaces the table atomically. An unknown silo, a
     product listed twice or a malformed body answers 422 naming the entry, and nothing changes.
"""

from __future__ import annotations

from typing import Any, Callable

from fastapi import APIRouter, Depends, HTTPException, Request

from hmi.api.bodies import json_of
from hmi.services.silo_assignment import SiloAssignmentService
from hmi.silo_assignment import AssignmentError, SiloAssignment, parse_entries


def assignment_body(assignment: SiloAssignment) -> list[dict[str, str]]:
    """The answer shape of both routes, in silo order (A..M, LQ114, LQ115)."""
    return [{"silo": e.silo.label, "product_code": e.product_code, "product_name": e.product_name}
            for e in assignment.entries]


def silo_assignment_router(service: SiloAssignmentService, may_edit: Callable[..., None],
                           actor_of: Callable[[Request], str]) -> APIRouter:
    router = APIRouter()

    @router.get("/api/admin/silo-assignment")
    async def get_assignment() -> list[dict[str, str]]:
        return assignment_body(await service.get())

    @router.put("/api/admin/silo-assignment", dependencies=[Depends(may_edit)])
    async def put_assignment(request: Request) -> Any:
        body = await json_of(request)  # the entries themselves are checked, as strictly, by parse_entries
        try:
            assignment = parse_entries(body)
        except AssignmentError as exc:
            raise HTTPException(422, str(exc)) from None
        await service.replace(assignment, actor_of(request))
        return assignment_body(assignment)

    return router
