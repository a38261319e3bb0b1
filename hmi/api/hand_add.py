"""Admin API routes of a batch's hand-added components (premix, medicines: no silo doses them).

GET  /api/admin/batches/{mo_id}/hand-add
     -> {"status": "success", "archived": false, "data": [{"mo_id", "product_id", "product_name", "target_kg",
        "uom", "actual_kg", "confirmed", "confirmed_at", "confirmed_by", "source"}, ...]}; for an MO that left the
        table, its archived checklist ("archived": true); 404 when there is neither.
POST /api/admin/batches/{mo_id}/hand-add/{product_id}/confirm  (bearer token like every POST)
     body {"weighed_kg": 1.52} or {"accept_target": true} (strict: a JSON number, a JSON boolean; bodies.py)
     -> {"status": "success", "message": "...", "data": <the line>}; 422 naming why when refused
        (negative, not a JSON number, implausible, unknown product, batch already reported).
The actor is "api" or "api:<X-HMI-Actor>", as for the other POSTs.
"""

from __future__ import annotations

from typing import Any, Callable

from fastapi import APIRouter, Depends, HTTPException, Request

from hmi.api.bodies import ConfirmRequest
from hmi.services.admin import AdminService
from hmi.api import shapes
from hmi.services.hand_add import HandAddRefused, HandAddService


def hand_add_router(admin: AdminService, require_token: Callable[..., None],
                    actor_of: Callable[[Request], str]) -> APIRouter:
    router = APIRouter()

    def service() -> HandAddService:
        if admin.hand_add is None:
            raise HTTPException(503, "hand-added components are not served by this process")
        return admin.hand_add

    @router.get("/api/admin/batches/{mo_id:path}/hand-add")
    async def hand_add_lines(mo_id: str) -> dict[str, Any]:
        hand_add = service()
        if await admin.db(admin.store.get_batch, mo_id) is not None:
            lines, archived = await hand_add.lines(mo_id), False
        else:  # the batch left the table: its archived checklist, as the history keeps it
            lines, archived = await hand_add.archived_lines(mo_id), True
            if not lines:
                raise HTTPException(404, f"MO {mo_id} is not in the batch table and has no archived checklist")
        return {"status": "success", "archived": archived, "data": [shapes.hand_add_line(line) for line in lines]}

    @router.post("/api/admin/batches/{mo_id:path}/hand-add/{product_id}/confirm",
                 dependencies=[Depends(require_token)])
    async def confirm(mo_id: str, product_id: int, body: ConfirmRequest, request: Request) -> dict[str, Any]:
        if not await admin.owns_batch(mo_id):
            raise HTTPException(404, f"MO {mo_id} is not in this line's batch table")
        try:
            line = await service().confirm(mo_id, product_id, body.weighed_kg, actor_of(request),
                                           accept_target=body.accept_target)
        except HandAddRefused as exc:
            raise HTTPException(422, str(exc)) from None
        return {"status": "success", "message": f"{line.product_name} of {mo_id}: {line.actual_kg:g} kg confirmed",
                "data": shapes.hand_add_line(line)}

    return router
