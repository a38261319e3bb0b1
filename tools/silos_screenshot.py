"""Take docs/screenshot-silos.png: the Silos dialog of `--demo --flavor stock --odoo-version 19`.

    python tools/silos_screenshot.py [output folder]     (offscreen; no display needed)

The demo runs as `python main.py --demo --flavor stock --odoo-version 19` would: fake stock Odoo 19 over
JSON-2, PLC simulator, temporary database with the demo silo assignment. The dialog is opened from the
window's Silos action, a product search for "RM-C" is run, and the dialog is grabbed.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["QT_SCALE_FACTOR"] = "1"

from PySide6.QtWidgets import QApplication  # noqa: E402


from tools import screenshots as shots  # noqa: E402

from hmi.app.demo import DemoEnvironment  # noqa: E402
from hmi.app.runtime import Runtime  # noqa: E402
from hmi.app.scheduler import Scheduler  # noqa: E402
from hmi.config import load_settings  # noqa: E402


async def capture(output_dir: Path) -> Path:
    work = Path(tempfile.mkdtemp(prefix="batch-hmi-silos-"))
    (work / "settings.ini").write_text("")
    demo = DemoEnvironment(load_settings(work / "settings.ini", environ={"API_ENABLED": "false"}),
                           flavor="stock", odoo_version=19)
    await demo.start()
    runtime = Runtime(demo.settings)
    await runtime.start()
    scheduler = Scheduler(runtime, first_sync_delay_ms=3_600_000)
    runtime.admin.scheduler = scheduler
    window = await shots.signed_in_window(runtime, scheduler, work)
    window.show()
    try:
        window.silos_action.trigger()
        dialog = window.window_dialogs.silos_dialog
        await shots._until(lambda: not dialog.busy and dialog.table.item(0, 1).text())
        dialog.search_edit.setText("RM-C")
        dialog.search()
        await asyncio.sleep(0.1)
        await shots._until(lambda: not dialog.busy and dialog.results.rowCount())
        dialog.table.selectRow(3)
        QApplication.processEvents()
        path = output_dir / "screenshot-silos.png"
        dialog.grab().save(str(path))
        print(f"saved {path}")
        dialog.close()
    finally:
        await shots.close_demo(window, scheduler, runtime, demo)
    return path


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    output_dir = Path(args[0]) if args else ROOT / "docs"
    shots.run_capture(lambda: capture(output_dir), "silos-screenshot")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
