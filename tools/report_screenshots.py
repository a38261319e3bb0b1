"""Screenshots of the Reports and Trends tabs, a batch's dosing curve and ticket, and a sample ticket PDF.

    QT_QPA_PLATFORM=offscreen python tools/report_screenshots.py [OUTPUT_DIR]   (default: docs/)

Runs the real window, runtime and scheduler against the built-in PLC simulator and fake Odoo
(plant time zone Asia/Jakarta). The PLC doses a first cycle for real: the dosing curve, the
ticket and its PDF are of those batches. So that the report and the 24-hour trend have a
plant's day to show, the tool then writes 30 days of earlier history (one batch every 30
minutes outside 02:00-05:00, copies of the real batches' recipes with small deviations,
a few failed and cleared) straight into mo_histories; the pictures say "sample history".

Saves screenshots/{dosing-curve,ticket,reports,trends}-WxH.png and sample-ticket.pdf,
sample-report.pdf; checks every grab for text that does not fit (exit 1 if any).
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import random
import sys
import tempfile
import uuid
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")
os.environ["QT_SCALE_FACTOR"] = "1"

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402


from hmi.app.demo import DemoEnvironment  # noqa: E402
from hmi.app.runtime import Runtime  # noqa: E402
from hmi.app.scheduler import Scheduler  # noqa: E402
from hmi.config import load_settings  # noqa: E402
from hmi.domain import ALL_SILOS  # noqa: E402
from hmi.services.report_export import report_html, ticket_html  # noqa: E402
from hmi.clock import utc_now  # noqa: E402
from hmi.store.models import mo_histories  # noqa: E402
from hmi.ui.pdf import html_to_pdf_bytes  # noqa: E402
from hmi.ui.ticket import open_history_ticket  # noqa: E402
from tools.support.waiting import until  # noqa: E402
from tools.screenshots import (  # noqa: E402
    Camera, _refreshed, close_demo, report_problems, run_capture, signed_in_window,
)

ZONE = "Asia/Jakarta"


def sample_history(templates, now, days: int = 30, seed: int = 11) -> list[dict]:
    """Earlier batches for the report and trend pictures, modelled on the real ones."""
    rng = random.Random(seed)
    rows = []
    at = (now - timedelta(days=days)).replace(minute=0, second=0, microsecond=0)
    number = 0
    while at < now - timedelta(minutes=40):
        local_hour = (at.hour + 7) % 24  # Asia/Jakarta has no DST
        at += timedelta(minutes=30)
        if 2 <= local_hour < 5:
            continue
        number += 1
        template = rng.choice(templates)
        status = rng.choices(["completed", "failed", "cleared"], [0.95, 0.03, 0.02])[0]
        row = {name: template[name] for name in template.keys() if name in mo_histories.c}
        row.update({"id": uuid.uuid4(), "mo_id": f"WH/MO/S{number:05d}", "batch_no": number % 10 + 1,
                    "status": status, "archived_at": at, "notes": "sample history", "actor": None})
        share = 0.5 if status == "failed" else (0.3 if status == "cleared" else 1.0)
        total = 0.0
        for silo in ALL_SILOS:
            target = template[silo.target_column]
            if target:
                actual = round(target * share * (1 + rng.gauss(0, 0.006)), 2)
                row[silo.actual_column] = actual
                total += actual
        row["actual_weight_quantity_finished_goods"] = round(total, 2) if status == "completed" else None
        row["status_manufacturing"] = status == "completed"
        row["status_operation"] = status == "failed"
        rows.append(row)
    return rows


async def capture(output_dir: Path, batch_seconds: float = 12.0) -> Camera:
    shots = output_dir / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="batch-hmi-report-shots-"))
    (work / "settings.ini").write_text("")
    base = load_settings(work / "settings.ini", environ={"API_ENABLED": "false", "PLANT_TIMEZONE": ZONE})
    demo = DemoEnvironment(base, batch_seconds=batch_seconds)
    settings = dataclasses.replace(demo.settings, plc_poll_interval_seconds=1.0, sync_interval_minutes=60)
    await demo.start()
    runtime = Runtime(settings)
    await runtime.start()
    await runtime.plc.connection.wait_connected(timeout=5)
    scheduler = Scheduler(runtime, first_sync_delay_ms=3_600_000)
    runtime.admin.scheduler = scheduler
    window = await signed_in_window(runtime, scheduler, work)
    window.resize(1366, 768)
    window.show()
    scheduler.start()
    camera = Camera(window, shots)
    try:
        await _refreshed(window)
        window.sync.trigger_sync()
        await until(lambda: not window.sync.sync_running, 15, "the sync")
        # Batch 2 half dosed: its details show the live curve; batch 1 is archived by then.
        await until(lambda: any(b.batch_no == 2 and b.actual_total_kg > 0.55 * b.target_total_kg
                                 for b in window.batch_model.batches), 4 * batch_seconds, "batch 2 dosing")
        await _refreshed(window)
        row = next(r for r in range(window.batch_model.rowCount()) if window.batch_model.batch_at(r).batch_no == 2)
        window.workflows.show_batch_detail(window.batch_model.index(row, 1))
        await asyncio.sleep(2.5)  # the live curve fetches its samples
        await camera.shoot("dosing-curve", window.workflows.detail_dialog)
        window.workflows.detail_dialog.close()

        await until(lambda: runtime.store.history.page(status="completed").total >= 1, 30, "an archived batch")
        entry = runtime.store.history.page(status="completed").entries[-1]
        ticket = open_history_ticket(window.port, entry, window)
        await until(lambda: ticket.ticket is not None and ticket.curve.samples, 10, "the ticket")
        await asyncio.sleep(0.5)
        await camera.shoot("ticket", ticket)
        (output_dir / "sample-ticket.pdf").write_bytes(
            html_to_pdf_bytes(ticket_html(ticket.ticket, runtime.reports.clock), f"Batch ticket {entry.mo_id}"))
        ticket.close()

        with runtime.engine.connect() as conn:
            from sqlalchemy import select

            from hmi.store.models import mo_batch

            templates = list(conn.execute(select(mo_batch)).mappings())
        with runtime.engine.begin() as conn:
            conn.execute(insert(mo_histories), sample_history(templates, utc_now()))

        window.tabs.setCurrentWidget(window.reports_tab)
        await until(lambda: window.reports_tab.loaded_once, 10, "the report")
        await asyncio.sleep(0.3)
        await camera.shoot("reports")
        report = window.reports_tab.report
        (output_dir / "sample-report.pdf").write_bytes(html_to_pdf_bytes(report_html(report), "report"))

        window.tabs.setCurrentWidget(window.trends_tab)
        await until(lambda: window.trends_tab.loaded_once, 10, "the trend")
        await asyncio.sleep(0.3)
        await camera.shoot("trends")
    finally:
        await close_demo(window, scheduler, runtime, demo)
    return camera


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    output_dir = Path(args[0]) if args else ROOT / "docs"
    return report_problems(run_capture(lambda: capture(output_dir), "report-screenshots", quiet=True))


if __name__ == "__main__":
    raise SystemExit(main())
