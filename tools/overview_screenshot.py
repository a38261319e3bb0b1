"""Screenshot of the plant overview for docs/: five lines on one database, one offline, one in fault.

    QT_QPA_PLATFORM=offscreen python tools/overview_screenshot.py [OUTPUT_PNG]   (default: docs/screenshot-overview.png)

The scene is real rows in a SQLite database, written through the store as the lines'
instances would write them (``build_plant``; the overview's UI tests use the same scene):

- PLC01 DOSING its batch 2 (batch 1 done), PLC04 WAITING for the PLC to start, PLC05 IDLE;
- PLC02 in FAULT: a batch the PLC failed and a report to Odoo that needs attention
  (the tile's alarm summary counts them until line alarms exist);
- PLC03 OFFLINE: its instance's last heartbeat is 7 minutes old.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")
os.environ["QT_SCALE_FACTOR"] = "1"

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, update  # noqa: E402

from hmi.clock import utc_now  # noqa: E402
from hmi.store.log_records import LogRecordStore  # noqa: E402
from hmi.store.models import line_instances, mo_batch  # noqa: E402

HEARTBEAT_AGES = {"PLC01": 4, "PLC02": 12, "PLC03": 420, "PLC04": 21, "PLC05": 9}


def build_plant(store) -> None:
    """Five lines' rows, instances and log records, as their instances would have written them."""
    from tools.support.factories import make_mo, make_reading

    def mos(line: str, first: int, count: int):
        return [make_mo(first + i, silos=6, line=line, kg=150.0) for i in range(count)]

    one = mos("PLC01", 101, 4)
    store.insert_batches(one, line="PLC01")
    store.apply_plc_reading(make_reading(one[0], 1, 1.0, done=True), 10_000)
    store.apply_plc_reading(make_reading(one[1], 2, 0.62), 10_000)
    two = mos("PLC02", 201, 4)
    store.insert_batches(two, line="PLC02")
    store.apply_plc_reading(make_reading(two[0], 1, 1.0, done=True), 10_000)
    store.apply_plc_reading(make_reading(two[1], 2, 0.35, failed=True), 10_000)
    with store.engine.begin() as conn:
        conn.execute(update(mo_batch).where(mo_batch.c.mo_id == two[0].mo_id)
                     .values(needs_attention=True, push_attempts=5, last_push_error="Odoo answered HTTP 500"))
    store.insert_batches(mos("PLC03", 301, 2), line="PLC03")
    store.insert_batches(mos("PLC04", 401, 4), line="PLC04")
    now = utc_now()
    with store.engine.begin() as conn:
        for number, (line, age) in enumerate(HEARTBEAT_AGES.items(), start=1):
            conn.execute(insert(line_instances).values(
                line=line, host=f"batch-pc-{number}", pid=4000 + number, started_at=now - timedelta(hours=6),
                heartbeat_at=now - timedelta(seconds=age)))
    LogRecordStore(store.engine).write_log_records([
        {"timestamp": now - timedelta(minutes=5 - i), "level": level, "module": "hmi.sync", "message": message,
         "line": line, "mo_id": None, "batch_no": None, "actor": None}
        for i, (line, level, message) in enumerate([
            ("PLC01", "INFO", "Synced 4 MO(s) to the PLC"),
            ("PLC02", "INFO", "Synced 4 MO(s) to the PLC"),
            ("PLC02", "ERROR", "PLC reported batch 2 (WH/MO/00202) FAILED"),
            ("PLC02", "WARNING", "Reporting WH/MO/00201 to Odoo failed 5 times; needs attention"),
            ("PLC04", "INFO", "Synced 4 MO(s) to the PLC"),
        ])
    ])


def main(output: Path) -> int:
    import asyncio

    import qasync
    from PySide6.QtWidgets import QApplication

    from hmi.store import BatchStore, DbRunner, create_database_engine, migrate
    from hmi.store.plant import PlantReader
    from hmi.ui.overview_window import OverviewWindow
    from hmi.ui.theme import apply_theme

    app = QApplication.instance() or QApplication(["overview-screenshot"])
    apply_theme(app)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    folder = Path(tempfile.mkdtemp(prefix="overview-shot-"))
    engine = create_database_engine(f"sqlite:///{folder / 'plant.db'}")
    migrate(engine)
    build_plant(BatchStore(engine))
    reader = PlantReader(engine)
    runner = DbRunner(max_workers=1)

    async def detail(line: str):
        return await runner(reader.line_batches, line), await runner(reader.line_log, line)

    async def shoot() -> None:
        window = OverviewWindow(lambda: runner(reader.lines), detail, asyncio.ensure_future,
                                "postgresql+psycopg2://hmi:***@plant-db/batch_hmi")
        window.resize(1366, 768)
        window.show()
        await window.load()
        await asyncio.sleep(0.3)
        output.parent.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(output))
        window.close()
        await runner.stop()

    with loop:
        loop.run_until_complete(shoot())
    engine.dispose()
    print(f"written {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshot-overview.png"))
