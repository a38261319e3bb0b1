"""PLC simulator: a Modbus TCP server that behaves like the batching PLC program.

It speaks the register map of hmi.plc (default: the origin's DM layout on holding registers):
- the HMI writes recipes into WRITE slots and then the handshake word (7076) = 0;
- the simulator takes them (copies each recipe's header into its READ slot), sets 7076 back to 1,
  and runs the batches one after another in slot order, ramping each silo's actual consumption
  toward its target (± a small deviation);
- a finished batch gets weight_finished_good and status_manufacturing = 1 and keeps showing;
  a batch whose MO is in ``fail_mo`` stops halfway with status_operation = 1;
- recipes that arrive while batches are still running wait (7076 stays 0) until the queue is
  done; then the READ area is reset for the new queue.

The pymodbus server is only the transport. Its request hook never waits (a slow hook makes
pymodbus answer with the wrong transaction id, see docs); the PLC logic runs as its own asyncio
"scan" task, like a PLC cycle.

Run alone: ``python -m hmi.sim.plc --port 5020``; in-process: ``PlcSimulator(...).start()``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import random
import signal
import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from pymodbus.constants import ExcCodes
from pymodbus.server import ModbusTcpServer
from pymodbus.simulator import DataType, SimData, SimDevice

from hmi.domain import ALL_SILOS, ManualWeighingReading, PlcSlotReading, Silo
from hmi.plc.codec import decode_slot, encode_field, encode_manual_weighing
from hmi.plc.errors import RegisterMapError
from hmi.plc.register_map import RegisterMap, consumption_field, default_register_map, load_register_map, silo_id_field

log = logging.getLogger("hmi.sim.plc")

_HEADER_FIELDS = ("batch_no", "mo_id", "bom_code", "product_name", "quantity")


@dataclass
class _RunningBatch:
    slot: int
    mo_id: str
    targets_kg: dict[Silo, float]
    deviations: dict[Silo, float]
    elapsed: float = 0.0  # simulated seconds (speed applied), frozen while paused
    failed: bool = False
    actuals: dict[Silo, float] = field(default_factory=dict)


class PlcSimulator:
    """In-process PLC simulator on the current asyncio loop.

    ``port=0`` picks a free port; ``port`` holds the bound one after ``start()``.
    Test hooks: ``pause()``/``resume()`` freeze the scan; ``read_registers``/``write_registers``
    access the register image directly (no Modbus, no hook); ``set_field`` writes one named field
    of a READ or WRITE slot; ``read_slot`` decodes a READ slot; ``fail_mo`` is a live set.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 5020,
        *,
        speed: float = 1.0,
        deviation: float = 0.02,
        fail_mo: Iterable[str] = (),
        batch_seconds: float = 10.0,
        register_map: RegisterMap | None = None,
        device_id: int = 1,
        scan_interval: float = 0.05,
        seed: int | None = None,
    ) -> None:
        if speed <= 0 or batch_seconds <= 0 or scan_interval <= 0:
            raise ValueError("speed, batch_seconds and scan_interval must be > 0")
        if not 0 <= deviation < 1:
            raise ValueError("deviation must be in [0, 1)")
        self.host = host
        self.port = port
        self.speed = speed
        self.deviation = deviation
        self.fail_mo: set[str] = set(fail_mo)
        self.batch_seconds = batch_seconds
        self.register_map = register_map or default_register_map()
        self.device_id = device_id
        self.scan_interval = scan_interval
        self._random = random.Random(seed)

        m = self.register_map
        read_last = m.read_slot_start(m.slot_count) + m.slot_length - 1
        write_last = m.write_slot_start(m.slot_count) + m.slot_length - 1
        self._image_first = min(m.read_area_start, m.write_area_start)
        image_last = max(read_last, write_last)
        if m.manual_weighing is not None:  # the scale station's area (origin D9000…)
            self._image_first = min(self._image_first, m.manual_weighing.start)
            image_last = max(image_last, m.manual_weighing.start + m.manual_length - 1)
        self._image_count = image_last - self._image_first + 1

        self._server: ModbusTcpServer | None = None
        self._scan_task: asyncio.Task | None = None
        self._image: list[int] | None = None  # the server's live register list
        self._download_pending = False
        self._queue: list[_RunningBatch] = []
        self._paused = False
        self._refusals: list[tuple[int, int, bool, bool, ExcCodes]] = []
        #: Downloads taken so far (tests wait on this).
        self.downloads_taken = 0
        #: How many times the PLC took a recipe of each MO (its MO text): a dosing counter per MO.
        self.takes_by_mo: Counter[str] = Counter()
        #: Slots whose batch finished (done or failed) since start, in order.
        self.finished_slots: list[int] = []

    # ---- lifecycle ------------------------------------------------------------------------------
    async def start(self) -> None:
        device = SimDevice(
            id=self.device_id,
            simdata=[SimData(self._image_first, count=self._image_count, values=0, datatype=DataType.REGISTERS)],
            action=self._on_request,
        )
        self._server = ModbusTcpServer(device, address=(self.host, self.port))
        await self._server.serve_forever(background=True)
        self.port = self._server.transport.sockets[0].getsockname()[1]
        # One local read through the hook hands us the live register list (the documented way to
        # change what the server answers is to modify that list in place).
        await self._server.async_getValues(self.device_id, 3, self._image_first, 1)
        assert self._image is not None
        self._set_word(self.register_map.write_ready_address, 1)  # ready for the first download
        self._scan_task = asyncio.create_task(self._scan_forever(), name="plc-sim-scan")
        log.info(
            "PLC simulator listening on %s:%d (%d slots, %.1f s per batch at speed %g)",
            self.host, self.port, self.register_map.slot_count, self.batch_seconds, self.speed,
        )

    async def stop(self) -> None:
        if self._scan_task is not None:
            self._scan_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._scan_task
            self._scan_task = None
        if self._server is not None:
            await self._server.shutdown()
            self._server = None
            log.info("PLC simulator on %s:%d stopped", self.host, self.port)

    async def __aenter__(self) -> "PlcSimulator":
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # ---- Modbus request hook: never waits ------------------------------------------------------
    async def _on_request(self, function_code, start_address, address, count, registers, set_values):
        self._image = registers
        is_write = set_values is not None
        for first, last, reads, writes, code in self._refusals:
            if address <= last and first <= address + count - 1 and (writes if is_write else reads):
                return code
        ready = self.register_map.write_ready_address
        if set_values is not None and address <= ready < address + count:
            if set_values[ready - address] == 0:
                self._download_pending = True  # the HMI finished a download; the scan takes it
        return None

    # ---- test hooks -----------------------------------------------------------------------------
    def pause(self) -> None:
        """Freeze the PLC scan: no handshake answer, no progress (the server still answers)."""
        self._paused = True

    def resume(self) -> None:
        self._paused = False

    def refuse(
        self, address: int, count: int = 1, *, reads: bool = True, writes: bool = True,
        code: ExcCodes = ExcCodes.DEVICE_BUSY,
    ) -> None:
        """Answer requests touching address..address+count−1 with a Modbus exception (an interlock)."""
        self._refusals.append((address, address + count - 1, reads, writes, code))

    def clear_refusals(self) -> None:
        self._refusals.clear()

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def busy(self) -> bool:
        """A queue is running (batches not yet done or failed)."""
        return bool(self._queue)

    def read_registers(self, address: int, count: int = 1) -> list[int]:
        image = self._require_image()
        offset = address - self._image_first
        if offset < 0 or offset + count > len(image):
            raise ValueError(f"registers {address}-{address + count - 1} are outside the simulated image")
        return list(image[offset : offset + count])

    def write_registers(self, address: int, values: Sequence[int]) -> None:
        image = self._require_image()
        offset = address - self._image_first
        if offset < 0 or offset + len(values) > len(image):
            raise ValueError(f"registers {address}-{address + len(values) - 1} are outside the simulated image")
        if any(not 0 <= v <= 0xFFFF for v in values):
            raise ValueError("register values are 16-bit words")
        image[offset : offset + len(values)] = list(values)

    def set_field(self, area: str, slot: int, field_name: str, value: object) -> None:
        """Write one named field of a READ or WRITE slot, encoded per the register map."""
        if area == "read":
            address = self.register_map.read_field_address(slot, field_name)
        elif area == "write":
            address = self.register_map.write_field_address(slot, field_name)
        else:
            raise ValueError("area must be 'read' or 'write'")
        self.write_registers(address, encode_field(value, field_name, self.register_map))

    def manual_weigh(self, batch_no: int, mo_id: str, product_id: int, kg: float) -> None:
        """A scale station reports one weighed component: the record, then its flag 0 ("new")."""
        reading = ManualWeighingReading(batch_no, mo_id, product_id, kg, status_read_data=False)
        self.write_registers(self.register_map.manual_weighing.start,
                             encode_manual_weighing(reading, self.register_map))

    @property
    def manual_weighing_taken(self) -> bool:
        """The HMI set the manual-weighing flag: it took the weighing shown."""
        return bool(self.read_registers(self.register_map.manual_field_address("status_read_data"))[0])

    def read_slot(self, slot: int, area: str = "read") -> PlcSlotReading:
        m = self.register_map
        start = m.read_slot_start(slot) if area == "read" else m.write_slot_start(slot)
        return decode_slot(self.read_registers(start, m.slot_length), slot, m)

    def _require_image(self) -> list[int]:
        if self._image is None:
            raise RuntimeError("simulator not started")
        return self._image

    def _set_word(self, address: int, value: int) -> None:
        self.write_registers(address, [value])

    # ---- the PLC scan ---------------------------------------------------------------------------
    async def _scan_forever(self) -> None:
        while True:
            await asyncio.sleep(self.scan_interval)
            if self._paused:
                continue
            try:
                self.scan(self.scan_interval)
            except Exception:  # keep the simulated PLC alive; a test may have injected garbage
                log.exception("PLC simulator scan failed")

    def scan(self, seconds: float) -> None:
        """One PLC cycle covering ``seconds`` of wall time (public so tests can step it by hand)."""
        if self._download_pending and not self._queue:
            self._take_download()
        if self._queue:
            self._advance(self._queue[0], seconds * self.speed)

    def _take_download(self) -> None:
        m = self.register_map
        self._download_pending = False
        recipes = [self.read_slot(slot, area="write") for slot in m.slots]
        queued = [recipe for recipe in recipes if recipe.mo_id]
        if not queued:  # handshake without recipes (e.g. after a reset): nothing to run, keep READ as is
            self._set_word(m.write_ready_address, 1)
            log.info("PLC simulator: handshake without recipes, nothing to run")
            return
        # New queue: reset the whole READ area, then show each taken recipe's header.
        self.write_registers(m.read_area_start, [0] * (m.read_slot_start(m.slot_count) + m.slot_length - m.read_area_start))
        for recipe in queued:
            for name in _HEADER_FIELDS:
                self.set_field("read", recipe.slot, name, getattr(recipe, name))
            for silo in ALL_SILOS:
                self.set_field("read", recipe.slot, silo_id_field(silo), recipe.silo_ids[silo])
            targets = {silo: kg for silo, kg in recipe.actual_kg.items() if kg > 0}
            deviations = {silo: self._random.uniform(-self.deviation, self.deviation) for silo in targets}
            self._queue.append(_RunningBatch(recipe.slot, recipe.mo_id, targets, deviations))
        self._set_word(m.write_ready_address, 1)  # handshake: recipes taken
        self.downloads_taken += 1
        self.takes_by_mo.update(recipe.mo_id for recipe in queued)
        log.info("PLC simulator took %d recipe(s): %s", len(queued), ", ".join(r.mo_id for r in queued) or "none")

    def _advance(self, batch: _RunningBatch, simulated_seconds: float) -> None:
        batch.elapsed += simulated_seconds
        progress = min(1.0, batch.elapsed / self.batch_seconds)
        limit = self.register_map.max_real_value
        for silo, target in batch.targets_kg.items():
            final = min(limit, max(0.0, target * (1.0 + batch.deviations[silo])))
            batch.actuals[silo] = round(final * progress, 2)
            self.set_field("read", batch.slot, consumption_field(silo), batch.actuals[silo])
        if batch.mo_id in self.fail_mo and progress >= 0.5:
            self.set_field("read", batch.slot, "status_operation", True)
            self._finish(batch, "failed")
        elif progress >= 1.0:
            self.set_field("read", batch.slot, "weight_finished_good", round(min(limit, sum(batch.actuals.values())), 2))
            self.set_field("read", batch.slot, "status_manufacturing", True)
            self._finish(batch, "done")

    def _finish(self, batch: _RunningBatch, outcome: str) -> None:
        self._queue.pop(0)
        self.finished_slots.append(batch.slot)
        log.info("PLC simulator: slot %d (%s) %s", batch.slot, batch.mo_id, outcome)


# ---- command line ---------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m hmi.sim.plc",
        description="Simulated batching PLC on Modbus TCP (origin register map on holding registers).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=5020, help="TCP port (default 5020; 0 = any free port)")
    parser.add_argument("--speed", type=float, default=1.0, help="time factor; 10 runs batches ten times faster")
    parser.add_argument("--batch-seconds", type=float, default=10.0, help="seconds per batch at speed 1 (default 10)")
    parser.add_argument("--deviation", type=float, default=0.02, help="max relative deviation of actuals (default 0.02)")
    parser.add_argument(
        "--fail-mo", action="append", default=[], metavar="MO",
        help="make the batch of this MO fail halfway (status_operation = 1); repeatable",
    )
    parser.add_argument("--slots", type=int, default=None, help="number of batch slots (default: the map's, 10)")
    parser.add_argument("--register-map", default=None, metavar="PATH", help="register map JSON (default: built-in)")
    parser.add_argument("--device-id", type=int, default=1, help="Modbus unit id (default 1)")
    parser.add_argument("--seed", type=int, default=None, help="random seed for reproducible deviations")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    return parser


async def _serve(args: argparse.Namespace) -> None:
    register_map = load_register_map(args.register_map, slot_count=args.slots)
    simulator = PlcSimulator(
        args.host, args.port, speed=args.speed, deviation=args.deviation, fail_mo=args.fail_mo,
        batch_seconds=args.batch_seconds, register_map=register_map, device_id=args.device_id, seed=args.seed,
    )
    stop_requested = asyncio.Event()
    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError):  # no signal handlers on Windows' loop
        loop.add_signal_handler(signal.SIGTERM, stop_requested.set)
    await simulator.start()
    print(f"PLC simulator listening on {args.host}:{simulator.port} - press Ctrl+C to stop", flush=True)
    try:
        await stop_requested.wait()
    finally:
        await simulator.stop()


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        load_register_map(args.register_map, slot_count=args.slots)  # fail early with a readable message
    except RegisterMapError as exc:
        parser.error(str(exc))
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if not args.verbose:
        logging.getLogger("pymodbus").setLevel(logging.WARNING)
    try:
        asyncio.run(_serve(args))
    except KeyboardInterrupt:
        print("PLC simulator stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
