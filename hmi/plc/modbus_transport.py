"""Modbus TCP word transport over pymodbus' AsyncModbusTcpClient (holding registers, fc 3 and 16)."""

from __future__ import annotations

import asyncio
from typing import Sequence

from pymodbus.client import AsyncModbusTcpClient
from pymodbus.exceptions import ConnectionException, ModbusException, ModbusIOException

from hmi.plc.errors import PlcProtocolError
from hmi.plc.register_map import MAX_REGISTERS_PER_READ, MAX_REGISTERS_PER_WRITE
from hmi.plc.transport import NoAnswer, TransportLost, WordTransport

READ_HOLDING_REGISTERS = 3
WRITE_MULTIPLE_REGISTERS = 16

_EXCEPTION_NAMES = {
    1: "illegal function",
    2: "illegal data address",
    3: "illegal data value",
    4: "device failure",
    5: "acknowledge",
    6: "device busy",
    8: "memory parity error",
    10: "gateway path unavailable",
    11: "gateway target failed to respond",
}


class ModbusTransport(WordTransport):
    protocol = "modbus"
    max_read_words = MAX_REGISTERS_PER_READ
    max_write_words = MAX_REGISTERS_PER_WRITE

    def __init__(self, host: str, port: int = 502, *, device_id: int = 1, retries: int = 0, **supervision) -> None:
        super().__init__(host, port, **supervision)
        self.device_id = device_id
        # retries=0 by default: pymodbus resends a timed-out request with the same transaction id,
        # which would repeat a recipe or handshake write behind our back.
        self.retries = retries
        self._client: AsyncModbusTcpClient | None = None

    def _guard_seconds(self) -> float:
        return self.timeout * (self.retries + 1) + 1.0

    async def start(self) -> None:
        if self._client is None:
            self._client = AsyncModbusTcpClient(
                self.host,
                port=self.port,
                timeout=self.timeout,
                retries=self.retries,
                # 0 = pymodbus does not reconnect by itself; the supervisor owns reconnecting so the
                # first connect and later reconnects follow one backoff policy and one state machine.
                reconnect_delay=0,
                trace_connect=self._on_transport_change,
            )
        await super().start()

    async def stop(self) -> None:
        await super().stop()
        self._client = None

    def _on_transport_change(self, connected: bool) -> None:
        if not connected and not self._stopping:
            self._connection_lost("connection closed")

    async def _open(self) -> str | None:
        client = self._client
        assert client is not None
        try:
            ok = await asyncio.wait_for(client.connect(), self.timeout + 1.0)
        except asyncio.TimeoutError:
            return f"connect timed out after {self.timeout} s"
        except (OSError, ModbusException) as exc:
            return str(exc) or type(exc).__name__
        if ok and client.connected:
            return None
        return "connection refused or unreachable"

    def _close(self) -> None:
        if self._client is not None:
            self._client.close()

    def _is_open(self) -> bool:
        return self._client is not None and self._client.connected

    def describe_read(self, start: int, count: int) -> str:
        return f"read holding registers {start}-{start + count - 1} (fc {READ_HOLDING_REGISTERS})"

    def describe_write(self, start: int, count: int) -> str:
        return f"write holding registers {start}-{start + count - 1} (fc {WRITE_MULTIPLE_REGISTERS})"

    async def _call(self, request):
        client = self._client
        assert client is not None
        try:
            response = await request(client)
        except ConnectionException as exc:
            raise TransportLost(str(exc)) from exc
        except ModbusIOException as exc:
            raise NoAnswer(str(exc)) from exc
        except ModbusException as exc:
            raise PlcProtocolError(str(exc), exception_code=None) from exc
        if response.isError():
            code = getattr(response, "exception_code", None)
            name = _EXCEPTION_NAMES.get(code, "unknown exception")
            raise PlcProtocolError(f"PLC answered exception {code} ({name})", exception_code=code)
        return response

    async def _read(self, start: int, count: int) -> list[int]:
        response = await self._call(
            lambda client: client.read_holding_registers(start, count=count, device_id=self.device_id))
        return list(response.registers)

    async def _write(self, start: int, values: Sequence[int]) -> None:
        await self._call(lambda client: client.write_registers(start, list(values), device_id=self.device_id))
