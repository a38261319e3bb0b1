"""Admin API routes of the batch table: its status, Clear, the per-batch actions, hand-added components.

GET  /api/admin/batch-status                       the table (hmi.api.shapes.batch_status); each batch's
     "figures" (hmi.api.shapes.figures): batch total like for like, open hand-added lines, worst silo, verdict
POST /api/admin/clear-mo-batch                     optional body {"plc_was_reset": true, "mo_ids": [...]}
POST /api/admin/batches/{mo_id}/retry-push         an ATTENTION batch is reported (or cancelled) again
POST /api/admin/batches/{mo_id}/cancel             cancel the MO in Odoo and archive the batch
POST /api/admin/batches/{mo_id}/archive-failed     archive as failed and hold the MO
GET  /api/admin/batches/{mo_id}/hand-add
     -> {"status": "success", "archived": false, "data": [{"mo_id", "product_id", "product_name", "target_kg",
        "uom", "actual_kg", "confirmed", "confirmed_at", "confirmed_by", "source"}, ...]}; for an MO that left the
        table, its archived checklist ("archived": true); 404 when there is neither.
POST /api/admin/batches/{mo_id}/hand-add/{product_id}/confirm
     body {"weighed_kg": 1.52} or {"accept_target": true} (strict: a JSON number, a JSON boolean; bodies.py)
     -> {"status": "success", "message": "...", "data": <the line>}; 422 naming why when refused
        (negative, not a JSON number, implausible, unknown product, batch already reported).
The actor is the token's (hmi.api.guard.actor_of), as for the other POSTs.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable

from fastapi import APIRouter, Body, Depends, HTTPException, Request
from fastapi.responses import JSONResponse

from hmi.api import shapes
from hmi.api.bodies import ClearRequest, ConfirmRequest
from hmi.api.guard import actor_of, needs
from hmi.domain import TableChanged
from hmi.services.access import Action
from hmi.services.admin import ActionRefused, AdminService
from hmi.services.flight import Busy
from hmi.services.hand_add import HandAddRefused, HandAddService
from hmi.services.tolerance import ToleranceService


def batches_router(admin: AdminService, tolerance: ToleranceService | None = None) -> APIRouter:
    router = APIRouter()

    @router.get("/api/admin/batch-status")
    async def batch_status() -> dict[str, Any]:
        batches = await admin.list_batches()
        verdicts = await tolerance.judge_all_finished(batches) if tolerance is not None else {}
        return {"status": "success", "data": shapes.batch_status(batches, verdicts)}

    @router.post("/api/admin/clear-mo-batch", dependencies=[Depends(needs(Action.CLEAR_TABLE))])
    async def clear_mo_batch(request: Request, body: ClearRequest = Body(default_factory=ClearRequest)) -> Any:
        # No body is the same as {}; a body that is sent must be a JSON object (null is refused).
        try:
            result = await admin.clear(actor_of(request), plc_was_reset=body.plc_was_reset, mo_ids=body.mo_ids)
        except Busy:
            raise HTTPException(409, "a clear is already running") from None
        except TableChanged as exc:
            return JSONResponse({"status": "error", "message": f"nothing cleared: {exc}",
                                 "current_mo_ids": exc.current}, status_code=409)
        message = "mo_batch table cleared successfully"
        if result.held:
            message += f"; {len(result.held)} MO(s) held until released"
        if result.kept:
            message += (f"; {len(result.kept)} batch(es) the PLC finished or failed stay until Odoo has their "
                        "report")
        return {"status": "success", "message": message, "deleted_count": result.count,
                "held_mo_ids": list(result.held), "released_mo_ids": list(result.released),
                "kept_mo_ids": list(result.kept)}

    async def batch_action(action: Callable[[str, str], Awaitable[Any]], mo_id: str, request: Request,
                           done: str) -> dict[str, Any]:
        try:
            await action(mo_id, actor_of(request))
        except ActionRefused as exc:
            raise HTTPException(409, str(exc)) from None
        return {"status": "success", "message": done}

    may_act = [Depends(needs(Action.BATCH_ACTION))]

    @router.post("/api/admin/batches/{mo_id:path}/retry-push", dependencies=may_act)
    async def retry_push(mo_id: str, request: Request) -> dict[str, Any]:
        return await batch_action(admin.retry_push, mo_id, request, f"Push of {mo_id} will be retried")

    @router.post("/api/admin/batches/{mo_id:path}/cancel", dependencies=may_act)
    async def cancel_batch(mo_id: str, request: Request) -> dict[str, Any]:
        return await batch_action(admin.cancel_in_odoo, mo_id, request, f"{mo_id} cancelled in Odoo and archived")

    @router.post("/api/admin/batches/{mo_id:path}/archive-failed", dependencies=may_act)
    async def archive_failed(mo_id: str, request: Request) -> dict[str, Any]:
        return await batch_action(admin.archive_failed, mo_id, request, f"{mo_id} archived as failed and held")

    def hand_add() -> HandAddService:
        if admin.hand_add is None:
            raise HTTPException(503, "hand-added components are not served by this process")
        return admin.hand_add

    @router.get("/api/admin/batches/{mo_id:path}/hand-add")
    async def hand_add_lines(mo_id: str) -> dict[str, Any]:
        service = hand_add()
        if await admin.db(admin.store.get_batch, mo_id) is not None:
            lines, archived = await service.lines(mo_id), False
        else:  # the batch left the table: its archived checklist, as the history keeps it
            lines, archived = await service.archived_lines(mo_id), True
            if not lines:
                raise HTTPException(404, f"MO {mo_id} is not in the batch table and has no archived checklist")
        return {"status": "success", "archived": archived, "data": [shapes.hand_add_line(line) for line in lines]}

    @router.post("/api/admin/batches/{mo_id:path}/hand-add/{product_id}/confirm",
                 dependencies=[Depends(needs(Action.CONFIRM_HAND_ADD))])
    async def confirm(mo_id: str, product_id: int, body: ConfirmRequest, request: Request) -> dict[str, Any]:
        if not await admin.owns_batch(mo_id):
            raise HTTPException(404, f"MO {mo_id} is not in this line's batch table")
        try:
            line = await hand_add().confirm(mo_id, product_id, body.weighed_kg, actor_of(request),
                                            accept_target=body.accept_target)
        except HandAddRefused as exc:
            raise HTTPException(422, str(exc)) from None
        return {"status": "success", "message": f"{line.product_name} of {mo_id}: {line.actual_kg:g} kg confirmed",
                "data": shapes.hand_add_line(line)}

    return router
