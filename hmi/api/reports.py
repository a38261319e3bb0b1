"""Admin API route of the production report (the same report as the Reports tab and ``--report``).

GET /api/admin/report?range=today                      -> {"status": "success", "data": {...}}
GET /api/admin/report?from=2026-11-01T06:00&to=2026-11-02T06:00&format=csv|xlsx|json

``from``/``to`` are ISO times, plant time (PLANT_TIMEZONE) unless they carry an offset;
``range`` is one of this-shift, today, yesterday, last-7-days. No token, like the other GETs.
The PDF is Qt's work and is made by the window and the command line, not here.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response

from hmi.clock import PRESETS
from hmi.services.report_export import MEDIA_TYPES, report_csv, report_xlsx
from hmi.services.reports import ReportService, report_as_dict

API_FORMATS = ("json", "csv", "xlsx")


def reports_router(reports: ReportService) -> APIRouter:
    router = APIRouter()

    @router.get("/api/admin/report")
    async def report(
        from_: str | None = Query(None, alias="from", description="start, ISO time (plant time unless offset)"),
        to: str | None = Query(None, description="end, ISO time (plant time unless offset)"),
        range_: str | None = Query(None, alias="range", description=", ".join(PRESETS)),
        format: str = Query("json", description="json, csv or xlsx"),
    ) -> Any:
        if format not in API_FORMATS:
            raise HTTPException(422, f"format must be one of {', '.join(API_FORMATS)} (PDF: the window or "
                                     "the command line)")
        try:
            if range_ is not None:
                if range_ not in PRESETS:
                    raise ValueError(f"range must be one of {', '.join(PRESETS)}")
                time_range = reports.range_for(range_)
            elif from_ and to:
                time_range = reports.range_for(start=reports.clock.parse(from_, "query parameter from"),
                                               end=reports.clock.parse(to, "query parameter to"))
            else:
                raise ValueError("give from and to (ISO times) or range")
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from None
        result = await reports.report(time_range)
        if format == "json":
            return {"status": "success", "data": report_as_dict(result)}
        stem = f"production-report-{result.range.start:%Y%m%dT%H%M}Z"
        body = report_csv(result).encode("utf-8") if format == "csv" else report_xlsx(result)
        return Response(body, media_type=MEDIA_TYPES[format],
                        headers={"Content-Disposition": f'attachment; filename="{stem}.{format}"'})

    return router
