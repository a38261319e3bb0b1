"""FastAPI application over the service layer.

FastAPI on uvicorn, as the seed used: the routes and answers stay what the seed's users
already script against, and uvicorn's server runs as one task on the application's own
event loop (no second thread or loop; see server.py).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from fastapi import Body, Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from hmi import __version__
from hmi.api import shapes
from hmi.api.alarms import alarms_router, tolerance_router
from hmi.api.bodies import ClearRequest, ReleaseRequest, SchedulerRequest, refusal_message
from hmi.api.reports import reports_router
from hmi.api.hand_add import hand_add_router
from hmi.api.guard import ApiGuard, needs
from hmi.api.silo_assignment import silo_assignment_router
from hmi.api.tokens import ApiTokens
from hmi.services.access import Action
from hmi.services.admin import ActionRefused, AdminService
from hmi.services.alarms import AlarmService
from hmi.services.flight import Busy
from hmi.services.reports import ReportService
from hmi.services.silo_assignment import SiloAssignmentService
from hmi.services.tolerance import ToleranceService
from hmi.domain import FencedOut, InvalidCursor, TableChanged

log = logging.getLogger("hmi.api")

SYNC_HTTP_STATUS = {"synced": 200, "skipped": 200, "busy": 409, "failed": 502}
HISTORY_STATUSES = ("completed", "failed", "cancelled", "cleared")


def create_app(admin: AdminService, tokens: ApiTokens, host: str = "127.0.0.1",
               silo_assignment: SiloAssignmentService | None = None, alarms: AlarmService | None = None,
               tolerance: ToleranceService | None = None, reports: ReportService | None = None) -> FastAPI:
    """Every request, the docs included, needs a bearer token (tokens.py) and passes the guard
    (guard.py: Host must name the bound address, no browser Origin); each route then checks the
    role its action needs (hmi.services.access)."""
    app = FastAPI(title="Batch HMI admin API", version=__version__, docs_url="/api/docs", openapi_url="/api/openapi.json",
                  dependencies=[Depends(needs(Action.VIEW))])
    ApiGuard(tokens, host).install(app)

    def actor_of(request: Request) -> str:
        # The token's role and label, never a header the caller chooses.
        return request.state.api_token.actor

    # Starlette's HTTPException, FastAPI's is a kind of it: the router's own 404 and 405 answer in this shape too.
    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"status": "error", "message": exc.detail}, status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(FencedOut)
    async def _line_lost(_request: Request, exc: FencedOut) -> JSONResponse:
        # This instance lost its line (hmi.store.fencing): nothing was changed.
        return JSONResponse({"status": "error", "message": f"this instance does not own its line any more: {exc}"},
                            status_code=409)

    @app.exception_handler(RequestValidationError)
    async def _refused_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        # A body, query or path value of the wrong type or shape (bodies.py): refused before anything is done.
        return JSONResponse({"status": "error", "message": refusal_message(exc.errors())}, status_code=422)

    @app.get("/api/admin/batch-status")
    async def batch_status() -> dict[str, Any]:
        return {"status": "success", "data": shapes.batch_status(await admin.list_batches())}

    @app.post("/api/admin/clear-mo-batch", dependencies=[Depends(needs(Action.CLEAR_TABLE))])
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

    @app.get("/api/admin/held")
    async def held() -> dict[str, Any]:
        return {"status": "success", "data": [
            {"mo_id": h.mo_id, "equipment": h.equipment_code, "reason": h.reason,
             "held_at": h.held_at.isoformat(), "held_by": h.held_by}
            for h in await admin.held()
        ]}

    @app.post("/api/admin/release", dependencies=[Depends(needs(Action.RELEASE_HELD))])
    async def release(body: ReleaseRequest, request: Request) -> dict[str, Any]:
        try:
            released = await admin.release(body.mo_ids, body.reason, actor_of(request))
        except ActionRefused as exc:
            raise HTTPException(422, str(exc)) from None
        return {"status": "success", "message": f"{len(released)} MO(s) released", "released_mo_ids": released}

    @app.post("/api/admin/trigger-sync", dependencies=[Depends(needs(Action.TRIGGER_SYNC))])
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

    @app.get("/api/admin/history")
    async def history(
        status: str | None = Query(None, description="completed, failed, cancelled or cleared"),
        mo: str | None = Query(None, description="text contained in the MO name (or its start: see search_mode)"),
        limit: int = Query(50, ge=1, le=500),
        offset: int = Query(0, ge=0, description="kept for old clients; deep offsets are slow, use cursor"),
        cursor: str | None = Query(None, description="next_cursor of the previous page"),
        since: datetime | None = Query(None, description="archived at or after (ISO 8601; no zone = UTC)"),
        until: datetime | None = Query(None, description="archived before (ISO 8601; no zone = UTC)"),
    ) -> dict[str, Any]:
        if status is not None and status not in HISTORY_STATUSES:
            raise HTTPException(422, f"status must be one of {', '.join(HISTORY_STATUSES)}")
        try:
            page = await admin.history(status, mo, limit, offset, cursor, since, until)
        except InvalidCursor as exc:
            raise HTTPException(422, str(exc)) from None
        return {
            "status": "success",
            "data": {
                "total": page.total,
                "limit": page.limit,
                "offset": page.offset,
                "total_is_estimate": page.total_is_estimate,
                "next_cursor": page.next_cursor,
                "search_mode": page.search_mode,
                "items": [
                    {
                        "mo_id": e.mo_id, "batch_no": e.batch_no, "finished_goods": e.product_name,
                        "consumption": e.quantity, "equipment": e.equipment_code, "status": e.status,
                        "notes": e.notes, "actor": e.actor, "archived_at": e.archived_at.isoformat(),
                        "actual_finished_goods": e.actual_weight,
                        "silos": {line.silo.label: {"component": line.component_name, "target": line.target_kg,
                                                    "actual": line.actual_kg}
                                  for line in e.silos if line.target_kg or line.actual_kg},
                    }
                    for e in page.entries
                ],
            },
        }

    @app.get("/api/health")
    async def health() -> dict[str, Any]:
        return shapes.health(await admin.health())

    @app.get("/api/admin/scheduler")
    async def scheduler_status() -> dict[str, Any]:
        if admin.scheduler is None:
            raise HTTPException(503, "no scheduler in this process")
        return {"status": "success", "data": shapes.scheduler_status(admin.scheduler.status())}

    @app.post("/api/admin/scheduler", dependencies=[Depends(needs(Action.TOGGLE_AUTO_SYNC))])
    async def scheduler_toggle(body: SchedulerRequest, request: Request) -> dict[str, Any]:
        if admin.scheduler is None:
            raise HTTPException(503, "no scheduler in this process")
        admin.scheduler.set_auto_sync_enabled(body.enabled, actor_of(request))
        word = "enabled" if body.enabled else "disabled"
        return {"status": "success", "message": f"Auto-sync {word}", "data": shapes.scheduler_status(admin.scheduler.status())}

    async def batch_action(action, mo_id: str, request: Request, done: str) -> dict[str, Any]:
        try:
            await action(mo_id, actor_of(request))
        except ActionRefused as exc:
            raise HTTPException(409, str(exc)) from None
        return {"status": "success", "message": done}

    @app.post("/api/admin/batches/{mo_id:path}/retry-push", dependencies=[Depends(needs(Action.BATCH_ACTION))])
    async def retry_push(mo_id: str, request: Request) -> dict[str, Any]:
        return await batch_action(admin.retry_push, mo_id, request, f"Push of {mo_id} will be retried")

    @app.post("/api/admin/batches/{mo_id:path}/cancel", dependencies=[Depends(needs(Action.BATCH_ACTION))])
    async def cancel_batch(mo_id: str, request: Request) -> dict[str, Any]:
        return await batch_action(admin.cancel_in_odoo, mo_id, request, f"{mo_id} cancelled in Odoo and archived")

    @app.post("/api/admin/batches/{mo_id:path}/archive-failed", dependencies=[Depends(needs(Action.BATCH_ACTION))])
    async def archive_failed(mo_id: str, request: Request) -> dict[str, Any]:
        return await batch_action(admin.archive_failed, mo_id, request, f"{mo_id} archived as failed and held")

    app.include_router(hand_add_router(admin, needs(Action.CONFIRM_HAND_ADD), actor_of))
    if silo_assignment is not None:
        app.include_router(silo_assignment_router(silo_assignment, needs(Action.EDIT_SILO_ASSIGNMENT), actor_of))
    if alarms is not None:
        app.include_router(alarms_router(alarms, needs(Action.ACKNOWLEDGE), actor_of,
                                         shelve_dependency=needs(Action.SHELVE_ALARM)))
    if tolerance is not None:
        app.include_router(tolerance_router(tolerance, needs(Action.EDIT_SILO_ASSIGNMENT), actor_of))
    if reports is not None:
        app.include_router(reports_router(reports))

    return app
