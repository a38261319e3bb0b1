"""FastAPI application over the service layer.

FastAPI on uvicorn, as the seed used: the routes and answers stay what the seed's users
already script against, and uvicorn's server runs as one task on the application's own
event loop (no second thread or loop; see server.py). The routes live in one module per
resource (batches, holds, sync, history, health, alarms, silos, reports), their JSON in
shapes.py; this module only builds the application from them.
"""

from __future__ import annotations

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from hmi import __version__
from hmi.api.alarms import alarms_router
from hmi.api.batches import batches_router
from hmi.api.bodies import refusal_message
from hmi.api.guard import ApiGuard, needs
from hmi.api.health import health_router
from hmi.api.history import history_router
from hmi.api.holds import holds_router
from hmi.api.reports import reports_router
from hmi.api.silos import silo_assignment_router, tolerance_router
from hmi.api.sync import sync_router
from hmi.api.tokens import ApiTokens
from hmi.clock import PlantClock
from hmi.domain import FencedOut
from hmi.services.access import Action
from hmi.services.admin import AdminService
from hmi.services.alarms import AlarmService
from hmi.services.reports import ReportService
from hmi.services.silo_assignment import SiloAssignmentService
from hmi.services.tolerance import ToleranceService


def create_app(admin: AdminService, tokens: ApiTokens, host: str = "127.0.0.1",
               silo_assignment: SiloAssignmentService | None = None, alarms: AlarmService | None = None,
               tolerance: ToleranceService | None = None, reports: ReportService | None = None) -> FastAPI:
    """Every request, the docs included, needs a bearer token (tokens.py) and passes the guard
    (guard.py: Host must name the bound address, no browser Origin); each route then checks the
    role its action needs (hmi.services.access). A resource whose service is not given has no routes."""
    app = FastAPI(title="Batch HMI admin API", version=__version__, docs_url="/api/docs", openapi_url="/api/openapi.json",
                  dependencies=[Depends(needs(Action.VIEW))])
    ApiGuard(tokens, host).install(app)
    _answer_errors_in_one_shape(app)
    for router in (batches_router(admin, tolerance), holds_router(admin), sync_router(admin),
                   history_router(admin, reports.clock if reports is not None else PlantClock()),
                   health_router(admin)):
        app.include_router(router)
    if silo_assignment is not None:
        app.include_router(silo_assignment_router(silo_assignment))
    if alarms is not None:
        app.include_router(alarms_router(alarms))
    if tolerance is not None:
        app.include_router(tolerance_router(tolerance))
    if reports is not None:
        app.include_router(reports_router(reports))
    return app


def _answer_errors_in_one_shape(app: FastAPI) -> None:
    """Every refusal answers ``{"status": "error", "message": ...}`` (the guard's own refusals too)."""

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
