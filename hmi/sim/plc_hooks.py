"""The test and demo hooks of the PLC simulator, handed on to its simulated PLC (hmi.sim.plc_core).

``PlcSimulator`` (hmi.sim.plc) is served by a Modbus or FINS front end; what a test or the demo reads and
steps on the PLC itself (the word image, the scan, the counters, failure and manual-weighing records) is
this mixin's: every hook here is one call on ``self.plc``, a ``SimulatedPlc``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Sequence

from hmi.domain import PlcSlotReading
from hmi.plc.failure_area import PlcFailureRecord
from hmi.plc.register_map import RegisterMap
from hmi.sim.plc_core import SimulatedPlc


class PlcHooks:
    """What PlcSimulator shows of its SimulatedPlc (``plc``) and the hooks that step it."""

    plc: SimulatedPlc

    @property
    def register_map(self) -> RegisterMap:
        return self.plc.register_map

    @property
    def speed(self) -> float:
        return self.plc.speed

    @property
    def batch_seconds(self) -> float:
        return self.plc.batch_seconds

    @property
    def fail_mo(self) -> set[str]:
        return self.plc.fail_mo

    @property
    def downloads_taken(self) -> int:
        return self.plc.downloads_taken

    @property
    def finished_slots(self) -> list[int]:
        return self.plc.finished_slots

    @property
    def finished_batches(self):
        """Every batch finished (done or failed), with its READ slot at that moment (hmi.sim.plc_core.FinishedBatch)."""
        return self.plc.finished_batches

    @property
    def queued_mo_ids(self) -> list[str]:
        return self.plc.queued_mo_ids

    @property
    def download_pending(self) -> bool:
        return self.plc.download_pending

    def panel_reset(self) -> None:
        """Reset at the PLC's panel: queue dropped, every READ and WRITE slot blanked."""
        self.plc.panel_reset()

    @property
    def takes_by_mo(self):
        """How many times the PLC took a recipe of each MO (by its MO text)."""
        return self.plc.takes_by_mo

    @property
    def busy(self) -> bool:
        return self.plc.busy

    @property
    def paused(self) -> bool:
        return self.plc.paused

    def pause(self) -> None:
        self.plc.pause()

    def resume(self) -> None:
        self.plc.resume()

    def scan(self, seconds: float) -> None:
        self.plc.scan(seconds)

    def read_registers(self, address: int, count: int = 1) -> list[int]:
        return self.plc.read_registers(address, count)

    def write_registers(self, address: int, values: Sequence[int]) -> None:
        self.plc.write_registers(address, values)

    def set_field(self, area: str, slot: int, field_name: str, value: object) -> None:
        self.plc.set_field(area, slot, field_name, value)

    def read_slot(self, slot: int, area: str = "read") -> PlcSlotReading:
        return self.plc.read_slot(slot, area)

    def raise_failure(self, equipment_code: str, info: str, occurred_at: datetime | None = None) -> None:
        self.plc.raise_failure(equipment_code, info, occurred_at)

    def failure_record(self) -> PlcFailureRecord:
        return self.plc.failure_record()

    def manual_weigh(self, batch_no: int, mo_id: str, product_id: int, kg: float) -> None:
        """A scale station reports one weighed hand-added component (flag 0: new)."""
        self.plc.manual_weigh(batch_no, mo_id, product_id, kg)

    @property
    def manual_weighing_taken(self) -> bool:
        return self.plc.manual_weighing_taken

