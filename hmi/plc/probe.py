"""One-off PLC connection test for the engineer's Test button: connect, read the handshake word, close.

Never touches the running PlcLink; the answer is one line for the operator.
"""

from __future__ import annotations

import asyncio
import errno

from pymodbus.client import AsyncModbusTcpClient
from pymodbus.exceptions import ModbusException

from hmi.plc.register_map import RegisterMap, default_register_map


async def probe_plc(host: str, port: int, unit: int, timeout: float,
                    register_map: RegisterMap | None = None) -> tuple[bool, str]:
    """(ok, one line) — e.g. 'PLC 192.168.1.10:502 refused the connection'."""
    where = f"PLC {host}:{port}"
    # A plain TCP connect first: it tells "refused" from "no answer" from "no route", which
    # the Modbus client folds into one "not connected".
    try:
        _reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    except ConnectionRefusedError:
        return False, f"{where} refused the connection (nothing listens on port {port})"
    except asyncio.TimeoutError:
        return False, f"{where} did not answer within {timeout:g} s (switched off, wrong address or a firewall)"
    except OSError as exc:
        if exc.errno in (errno.EHOSTUNREACH, errno.ENETUNREACH):
            return False, f"{where} is unreachable: no route to the host"
        reason = exc.strerror or str(exc)
        return False, f"{where}: {reason}"
    writer.close()
    try:
        await writer.wait_closed()
    except OSError:
        pass
    register_map = register_map or default_register_map()
    address = register_map.write_ready_address
    client = AsyncModbusTcpClient(host, port=port, timeout=timeout, retries=0)
    try:
        if not await client.connect():
            return False, f"{where} accepted TCP but the Modbus connection failed"
        answer = await client.read_holding_registers(address, count=1, device_id=unit)
        if answer.isError():
            return False, f"{where} answered with Modbus error {answer} for unit {unit}, register {address}"
        return True, f"{where} answered: unit {unit}, handshake word {address} = {answer.registers[0]}"
    except (ModbusException, asyncio.TimeoutError) as exc:
        return False, f"{where} accepted the connection but unit {unit} did not answer a read ({exc.__class__.__name__})"
    finally:
        client.close()
