"""Take docs/screenshots/hand-added-checklist.png and hand-added-table.png (the grt_scada demo).

    python tools/hand_add_screenshot.py [output folder]     (offscreen; no display needed)

The demo runs as `python main.py --demo` would (PLC simulator, fake grt_scada Odoo whose MOs carry 1..3
additives on PLC01), with HAND_ADD_REQUIRED=true. After a sync, batch 1 is dosed by the PLC; its details
are opened, one additive is weighed and confirmed through the checklist, the others stay OPEN. The
dialog is grabbed, then the window with batch 1 "DONE — hand-add open".
"""

from __future__ import annotations

import dataclasses
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
from tools.support import until  # noqa: E402

from hmi.app.demo import DemoEnvironment  # noqa: E402
from hmi.app.runtime import Runtime  # noqa: E402
from hmi.app.scheduler import Scheduler  # noqa: E402
from hmi.config import load_settings  # noqa: E402
from hmi.domain import BatchState  # noqa: E402
from hmi.ui.hand_add_panel import CONFIRMED_WORD  # noqa: E402


async def capture(output_dir: Path) -> list[Path]:
    output_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="batch-hmi-hand-add-"))
    (work / "settings.ini").write_text("")
    base = load_settings(work / "settings.ini", environ={"API_ENABLED": "false", "HAND_ADD_REQUIRED": "true",
                                                         "SYNC_BATCH_LIMIT": "6"})
    demo = DemoEnvironment(base, batch_seconds=3.0)
    await demo.start()
    runtime = Runtime(dataclasses.replace(demo.settings, plc_poll_interval_seconds=0.3))
    await runtime.start()
    await runtime.plc.connection.wait_connected(timeout=5)
    scheduler = Scheduler(runtime, first_sync_delay_ms=3_600_000)
    runtime.admin.scheduler = scheduler
    window = await shots.signed_in_window(runtime, scheduler, work)
    window.resize(1366, 768)
    window.show()
    scheduler.start()
    paths: list[Path] = []
    try:
        window.sync.trigger_sync()
        await until(lambda: not window.sync.sync_running)
        await until(lambda: any(b.batch_no == 1 and b.state is BatchState.DONE
                                 for b in window.batch_model.batches), 30)
        await shots._refreshed(window)
        row = next(r for r, b in enumerate(window.batch_model.batches) if b.batch_no == 1)
        batch = window.batch_model.batch_at(row)
        window.workflows.show_batch_detail(window.batch_model.index(row, 0))
        dialog = window.workflows.detail_dialog
        checklist = dialog.checklist
        first = batch.hand_added[0]
        checklist.inputs[first.product_id].setText(f"{round(first.target_kg * 1.02, 2):g}")
        checklist.confirm_buttons[first.product_id].click()
        await until(lambda: checklist.state_labels[first.product_id].text() == CONFIRMED_WORD)
        if len(batch.hand_added) > 1:  # the next one is being weighed: the operator has typed the amount
            checklist.inputs[batch.hand_added[1].product_id].setText(f"{batch.hand_added[1].target_kg + 0.01:g}")
        QApplication.processEvents()
        path = output_dir / "hand-added-checklist.png"
        dialog.grab().save(str(path))
        paths.append(path)
        dialog.close()
        await shots._refreshed(window)
        QApplication.processEvents()
        path = output_dir / "hand-added-table.png"
        window.grab().save(str(path))
        paths.append(path)
        for saved in paths:
            print(f"saved {saved}")
    finally:
        await shots.close_demo(window, scheduler, runtime, demo)
    return paths


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    output_dir = Path(args[0]) if args else ROOT / "docs" / "screenshots"
    shots.run_capture(lambda: capture(output_dir), "hand-add-screenshot")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
