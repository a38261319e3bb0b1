"""The simulated batching PLC: one word image and the PLC program's scan, without any network.

It follows the register map of hmi.plc (default: the origin's DM layout):
- the HMI writes recipes into WRITE slots and then the handshake word (7076) = 0;
- the PLC takes them (copies each recipe's header into its READ slot), sets 7076 back to 1,
  and runs the batches one after another in slot order, ramping each silo's actual consumption
  toward its target (± a small deviation);
- a finished batch gets weight_finished_good and status_manufacturing = 1 and keeps showing;
  a batch whose MO is in ``fail_mo`` stops halfway with status_operation = 1;
- recipes that arrive while batches are still running wait (7076 stays 0) until the queue is
  done; then the READ area is reset for the new queue;
- ``raise_failure`` writes an equipment-failure record into the failure area (handshake word 0)
  as the PLC program does when a machine faults; the HMI sets the word to 1 after reading it.

A front end (hmi.sim.plc_modbus, hmi.sim.plc_fins) carries requests to and from the image; it
calls ``refusal`` before serving and ``note_write`` for every write, and never waits, so the
PLC logic runs in its own scan task like a PLC cycle.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterable, Sequence

from hmi.clock import PlantClock
from hmi.domain import ALL_SILOS, ManualWeighingReading, PlcSlotReading, Silo
from hmi.plc.codec import decode_slot, encode_field, encode_manual_weighing
from hmi.plc.failure_area import PlcFailureRecord, decode_failure, encode_failure
from hmi.plc.register_map import FAILURE_AREA_WORDS, RegisterMap, consumption_field, silo_id_field

#: The front ends a SimulatedPlc is served by (hmi.sim.plc picks one; hmi.sim.plc_cli offers them).
PROTOCOLS = ("modbus", "fins-udp", "fins-tcp")

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
    take_no: int = 0  # how many times the PLC had taken this MO when it took this run (1 = first)


@dataclass(frozen=True)
class FinishedBatch:
    """A batch the PLC finished (test hook): what its READ slot showed at that moment."""

    slot: int
    mo_id: str
    outcome: str  # "done" or "failed"
    take_no: int
    reading: PlcSlotReading


@dataclass(frozen=True)
class Refusal:
    first: int
    last: int
    reads: bool
    writes: bool
    code: object  # the front end's error: a Modbus ExcCodes or a FINS end code


class SimulatedPlc:
    """Image + scan. ``attach_image`` hands it the word list a front end serves from."""

    def __init__(
        self,
        register_map: RegisterMap,
        *,
        speed: float = 1.0,
        deviation: float = 0.02,
        fail_mo: Iterable[str] = (),
        batch_seconds: float = 10.0,
        scan_interval: float = 0.05,
        seed: int | None = None,
    ) -> None:
        if speed <= 0 or batch_seconds <= 0 or scan_interval <= 0:
            raise ValueError("speed, batch_seconds and scan_interval must be > 0")
        if not 0 <= deviation < 1:
            raise ValueError("deviation must be in [0, 1)")
        self.register_map = register_map
        self.speed = speed
        self.deviation = deviation
        self.fail_mo: set[str] = set(fail_mo)
        self.batch_seconds = batch_seconds
        self.scan_interval = scan_interval
        self._random = random.Random(seed)
        first, last = self.used_span()
        self.image_first = first
        self.image_count = last - first + 1
        self._image: list[int] | None = None
        self._scan_task: asyncio.Task | None = None
        self._download_pending = False
        self._queue: list[_RunningBatch] = []
        self._paused = False
        self.refusals: list[Refusal] = []
        #: Downloads taken so far (tests wait on this).
        self.downloads_taken = 0
        #: How many times the PLC took a recipe of each MO (its MO text): a dosing counter per MO.
        self.takes_by_mo: Counter[str] = Counter()
        #: Slots whose batch finished (done or failed) since start, in order.
        self.finished_slots: list[int] = []
        #: Every batch finished (done or failed) since start, with its READ slot at that moment.
        self.finished_batches: list[FinishedBatch] = []
        #: Failure records raised (and acknowledged) so far.
        self.failures_raised = 0
        self.failures_acknowledged = 0

    def used_span(self) -> tuple[int, int]:
        """First and last address of every area of the map."""
        spans = self.register_map.areas().values()
        return min(first for first, _ in spans), max(last for _, last in spans)

    # ---- image ----------------------------------------------------------------------------------
    def attach_image(self, image: list[int], first: int) -> None:
        """Serve from ``image`` (a live list; address ``first`` at index 0)."""
        self._image = image
        self.image_first = first
        self.image_count = len(image)

    def initialise(self) -> None:
        self._set_word(self.register_map.write_ready_address, 1)  # ready for the first download
        if self.register_map.failure_ack_address is not None:
            self._set_word(self.register_map.failure_ack_address, 1)  # no unread failure

    def read_registers(self, address: int, count: int = 1) -> list[int]:
        image = self._require_image()
        offset = address - self.image_first
        if offset < 0 or offset + count > len(image):
            raise ValueError(f"registers {address}-{address + count - 1} are outside the simulated image")
        return list(image[offset: offset + count])

    def write_registers(self, address: int, values: Sequence[int]) -> None:
        image = self._require_image()
        offset = address - self.image_first
        if offset < 0 or offset + len(values) > len(image):
            raise ValueError(f"registers {address}-{address + len(values) - 1} are outside the simulated image")
        if any(not 0 <= v <= 0xFFFF for v in values):
            raise ValueError("register values are 16-bit words")
        image[offset: offset + len(values)] = list(values)

    def set_field(self, area: str, slot: int, field_name: str, value: object) -> None:
        """Write one named field of a READ or WRITE slot, encoded per the register map."""
        if area == "read":
            address = self.register_map.read_field_address(slot, field_name)
        elif area == "write":
            address = self.register_map.write_field_address(slot, field_name)
        else:
            raise ValueError("area must be 'read' or 'write'")
        self.write_registers(address, encode_field(value, field_name, self.register_map))

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

    # ---- what front ends call -------------------------------------------------------------------
    def refusal(self, address: int, count: int, is_write: bool) -> object | None:
        """The error to answer a request touching address..address+count−1 with, or None."""
        for refusal in self.refusals:
            if address <= refusal.last and refusal.first <= address + count - 1 and (
                    refusal.writes if is_write else refusal.reads):
                return refusal.code
        return None

    def note_write(self, address: int, values: Sequence[int]) -> None:
        """A front end is writing ``values`` at ``address`` (never waits)."""
        ready = self.register_map.write_ready_address
        if address <= ready < address + len(values) and values[ready - address] == 0:
            self._download_pending = True  # the HMI finished a download; the scan takes it
        ack = self.register_map.failure_ack_address
        if ack is not None and address <= ack < address + len(values) and values[ack - address] == 1:
            if self.read_registers(ack)[0] == 0:
                self.failures_acknowledged += 1
                log.info("PLC simulator: equipment failure record acknowledged by the HMI")

    # ---- test hooks -----------------------------------------------------------------------------
    def pause(self) -> None:
        """Freeze the PLC scan: no handshake answer, no progress (the front end still answers)."""
        self._paused = True

    def resume(self) -> None:
        self._paused = False

    @property
    def paused(self) -> bool:
        return self._paused

    def panel_reset(self) -> None:
        """An operator resets the PLC at its panel: the running queue is dropped and every READ and
        WRITE slot is blanked; the handshake word says "ready" and a download not yet taken is lost."""
        m = self.register_map
        self._queue.clear()
        self._download_pending = False
        for slot in m.slots:
            self.write_registers(m.read_slot_start(slot), [0] * m.slot_length)
            self.write_registers(m.write_slot_start(slot), [0] * m.slot_length)
        self._set_word(m.write_ready_address, 1)
        log.info("PLC simulator: reset at the panel, every slot blanked")

    @property
    def queued_mo_ids(self) -> list[str]:
        """MO texts of the batches taken and not yet finished, running one first."""
        return [batch.mo_id for batch in self._queue]

    @property
    def download_pending(self) -> bool:
        """The HMI finished a download the PLC has not taken yet."""
        return self._download_pending

    @property
    def busy(self) -> bool:
        """A queue is running (batches not yet done or failed)."""
        return bool(self._queue)

    def raise_failure(self, equipment_code: str, info: str, occurred_at: datetime | None = None) -> None:
        """Write an equipment-failure record, flagged new (handshake word 0), as the PLC program does."""
        area = self.register_map.failure_area
        if area is None:
            raise ValueError("the register map has no equipment-failure area")
        when = (occurred_at or PlantClock().now().replace(tzinfo=None)).replace(microsecond=0)  # the PLC keeps plant time
        self.write_registers(area[0], encode_failure(equipment_code, info, when, self.register_map, flag=0))
        self.failures_raised += 1
        log.info("PLC simulator: equipment failure %s raised: %s (%s)", equipment_code, info, when)

    def failure_record(self) -> PlcFailureRecord:
        area = self.register_map.failure_area
        if area is None:
            raise ValueError("the register map has no equipment-failure area")
        return decode_failure(self.read_registers(area[0], FAILURE_AREA_WORDS))

    def manual_weigh(self, batch_no: int, mo_id: str, product_id: int, kg: float) -> None:
        """A scale station reports one weighed component: the record, then its flag 0 ("new")."""
        if self.register_map.manual_weighing is None:
            raise ValueError("the register map has no manual-weighing area")
        reading = ManualWeighingReading(batch_no, mo_id, product_id, kg, status_read_data=False)
        self.write_registers(self.register_map.manual_weighing.start,
                             encode_manual_weighing(reading, self.register_map))
        log.info("PLC simulator: manual weighing of product %d for batch %d (%s): %.2f kg",
                 product_id, batch_no, mo_id, kg)

    @property
    def manual_weighing_taken(self) -> bool:
        """The HMI set the manual-weighing flag: it took the weighing shown."""
        return bool(self.read_registers(self.register_map.manual_field_address("status_read_data"))[0])

    # ---- the PLC scan ---------------------------------------------------------------------------
    def start_scan(self) -> None:
        self._scan_task = asyncio.create_task(self._scan_forever(), name="plc-sim-scan")

    async def stop_scan(self) -> None:
        if self._scan_task is not None:
            self._scan_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._scan_task
            self._scan_task = None

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
        # New queue: reset the READ slots, then show each taken recipe's header.
        for slot in m.slots:
            self.write_registers(m.read_slot_start(slot), [0] * m.slot_length)
        for recipe in queued:
            for name in _HEADER_FIELDS:
                self.set_field("read", recipe.slot, name, getattr(recipe, name))
            for silo in ALL_SILOS:
                self.set_field("read", recipe.slot, silo_id_field(silo), recipe.silo_ids[silo])
            targets = {silo: kg for silo, kg in recipe.actual_kg.items() if kg > 0}
            deviations = {silo: self._random.uniform(-self.deviation, self.deviation) for silo in targets}
            self._queue.append(_RunningBatch(recipe.slot, recipe.mo_id, targets, deviations,
                                             take_no=self.takes_by_mo[recipe.mo_id] + 1))
            self.takes_by_mo[recipe.mo_id] += 1
        self._set_word(m.write_ready_address, 1)  # handshake: recipes taken
        self.downloads_taken += 1
        log.info("PLC simulator took %d %s: %s", len(queued), "recipe" if len(queued) == 1 else "recipes",
                 ", ".join(r.mo_id for r in queued) or "none")

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
        self.finished_batches.append(FinishedBatch(batch.slot, batch.mo_id, outcome, batch.take_no,
                                                   self.read_slot(batch.slot)))
        log.info("PLC simulator: slot %d (%s) %s", batch.slot, batch.mo_id, outcome)
