"""PLC simulator: one simulated batching PLC (hmi.sim.plc_core) behind a Modbus TCP or an Omron
FINS (UDP or TCP) front end, plus the command line.

The PLC program's behaviour (handshake, batches running in slot order, failures) lives once in
``SimulatedPlc``; ``ModbusFrontEnd`` (hmi.sim.plc_modbus) and ``FinsFrontEnd`` (hmi.sim.plc_fins)
only carry requests to its word image, so Modbus and FINS tests see the same PLC.

Run alone: ``python -m hmi.sim.plc --port 5020`` (Modbus) or ``--protocol fins-udp`` (port 9600);
in-process: ``PlcSimulator(...).start()``.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from typing import Iterable, Sequence

from pymodbus.constants import ExcCodes

from hmi.plc.register_map import RegisterMap, default_register_map
from hmi.sim import plc_cli
from hmi.sim.plc_core import PROTOCOLS, Refusal, SimulatedPlc
from hmi.sim.plc_fins import FinsFaults, FinsFrontEnd
from hmi.sim.plc_hooks import PlcHooks
from hmi.sim.plc_modbus import ModbusFrontEnd

log = logging.getLogger("hmi.sim.plc")

DEFAULT_PORTS = {"modbus": 5020, "fins-udp": 9600, "fins-tcp": 9600}


class PlcSimulator(PlcHooks):
    """In-process PLC simulator on the current asyncio loop.

    ``protocol`` "modbus" (default), "fins-udp" or "fins-tcp"; ``port=0`` picks a free port;
    ``port`` holds the bound one after ``start()``. ``register_map`` is given in Modbus terms;
    a FINS simulator serves it at the map's FINS (DM) addresses.
    Test hooks (hmi.sim.plc_hooks, on the SimulatedPlc ``plc``): ``pause()``/``resume()`` freeze
    the scan; ``read_registers``/``write_registers`` access the word image directly (no network, no
    hook); ``set_field`` writes one named field of a READ or WRITE slot; ``read_slot`` decodes a READ
    slot; ``fail_mo`` is a live set; ``raise_failure`` writes an equipment-failure record. Of the
    front end: ``faults`` (FINS) injects reply faults; ``refuse`` answers an address range with an
    error; ``restart()`` stops and starts the front end on the same port, keeping the image.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int | None = None,
        *,
        protocol: str = "modbus",
        speed: float = 1.0,
        deviation: float = 0.02,
        fail_mo: Iterable[str] = (),
        batch_seconds: float = 10.0,
        register_map: RegisterMap | None = None,
        device_id: int = 1,
        scan_interval: float = 0.05,
        seed: int | None = None,
        fins_node: int | None = None,
    ) -> None:
        if protocol not in PROTOCOLS:
            raise ValueError(f"protocol must be one of {', '.join(PROTOCOLS)}")
        self.protocol = protocol
        self.host = host
        self._requested_port = DEFAULT_PORTS[protocol] if port is None else port
        self.plc = SimulatedPlc(
            (register_map or default_register_map()).for_protocol(protocol),
            speed=speed, deviation=deviation, fail_mo=fail_mo, batch_seconds=batch_seconds,
            scan_interval=scan_interval, seed=seed,
        )
        if protocol == "modbus":
            self.front_end: ModbusFrontEnd | FinsFrontEnd = ModbusFrontEnd(
                self.plc, host, self._requested_port, device_id=device_id)
        else:
            self.front_end = FinsFrontEnd(self.plc, host, self._requested_port, transport=protocol[5:],
                                          node=fins_node)
        self._running = False

    # ---- lifecycle ------------------------------------------------------------------------------
    async def start(self) -> None:
        await self.front_end.start()
        self.plc.start_scan()
        self._running = True
        log.info(
            "PLC simulator listening on %s:%d%s (%d slots, %.1f s per batch at speed %g)",
            self.host, self.port, "" if self.protocol == "modbus" else f" {self.protocol}",
            self.register_map.slot_count, self.batch_seconds, self.speed,
        )

    async def stop(self) -> None:
        if not self._running:
            return
        self._running = False
        await self.plc.stop_scan()
        await self.front_end.stop()
        log.info("PLC simulator on %s:%d stopped", self.host, self.port)

    async def restart(self, down_seconds: float = 0.0) -> None:
        """Stop the front end (as a PLC or its Ethernet unit restarting), then serve again on the
        same port with the same image."""
        await self.front_end.stop()
        if down_seconds:
            await asyncio.sleep(down_seconds)
        await self.front_end.start()

    async def __aenter__(self) -> "PlcSimulator":
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # ---- the front end (the hooks on the simulated PLC: hmi.sim.plc_hooks) ------------------------
    @property
    def port(self) -> int:
        return self.front_end.port

    @property
    def faults(self) -> FinsFaults:
        """Reply faults of the FINS front end (drop, delay, duplicate, wrong SID, other node, end codes)."""
        if not isinstance(self.front_end, FinsFrontEnd):
            raise AttributeError("reply fault injection is a FINS front-end feature")
        return self.front_end.faults

    def refuse(self, address: int, count: int = 1, *, reads: bool = True, writes: bool = True,
               code: object = None) -> None:
        """Answer requests touching address..address+count−1 with an error (an interlock):
        a Modbus exception (default DEVICE_BUSY) or a FINS end code (default 2101 read-only)."""
        if code is None:
            code = ExcCodes.DEVICE_BUSY if self.protocol == "modbus" else 0x2101
        self.plc.refusals.append(Refusal(address, address + count - 1, reads, writes, code))

    def clear_refusals(self) -> None:
        self.plc.refusals.clear()


# ---- command line (hmi.sim.plc_cli), reachable as `python -m hmi.sim.plc` and `main.py --sim plc` ------------
def main(argv: Sequence[str] | None = None) -> int:
    return plc_cli.main(argv, PlcSimulator)


if __name__ == "__main__":
    sys.exit(main())
