"""Modbus TCP front end of the simulated PLC (pymodbus server, holding registers).

pymodbus owns the register list it serves; one local read through the request hook hands that
live list to the simulated PLC, which then reads and changes it in place (the documented way to
change what the server answers). The hook never waits: a slow hook makes pymodbus answer with
the wrong transaction id.
"""

from __future__ import annotations

import logging

from pymodbus.server import ModbusTcpServer
from pymodbus.simulator import DataType, SimData, SimDevice

from hmi.sim.plc_core import SimulatedPlc

log = logging.getLogger("hmi.sim.plc")


class ModbusFrontEnd:
    protocol = "modbus"

    def __init__(self, plc: SimulatedPlc, host: str = "127.0.0.1", port: int = 5020, *, device_id: int = 1) -> None:
        self.plc = plc
        self.host = host
        self.port = port
        self.device_id = device_id
        self._server: ModbusTcpServer | None = None
        self._image: list[int] | None = None

    async def start(self) -> None:
        plc = self.plc
        first, last = plc.used_span()
        device = SimDevice(
            id=self.device_id,
            simdata=[SimData(first, count=last - first + 1, values=0, datatype=DataType.REGISTERS)],
            action=self._on_request,
        )
        self._server = ModbusTcpServer(device, address=(self.host, self.port))
        await self._server.serve_forever(background=True)
        self.port = self._server.transport.sockets[0].getsockname()[1]
        if self._image is None:
            await self._server.async_getValues(self.device_id, 3, first, 1)
            assert self._image is not None
            plc.attach_image(self._image, first)
            plc.initialise()

    async def stop(self) -> None:
        if self._server is not None:
            await self._server.shutdown()
            self._server = None

    async def _on_request(self, function_code, start_address, address, count, registers, set_values):
        if self._image is None:
            self._image = registers
        elif registers is not self._image:  # a restarted server: carry the image over
            registers[:] = self._image
            self._image = registers
            self.plc.attach_image(registers, self.plc.image_first)
        is_write = set_values is not None
        code = self.plc.refusal(address, count, is_write)
        if code is not None:
            return code
        if set_values is not None:
            self.plc.note_write(address, list(set_values))
        return None
