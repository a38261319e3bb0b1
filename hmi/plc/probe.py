"""One-off PLC connection test for the engineer's Test button: connect, read the handshake word, close.

Never touches the running PlcLink; the answer is one line for the operator (an OperatorText, so the
window shows it in its language). Modbus TCP, FINS/UDP and FINS/TCP, as PLC_PROTOCOL says.
"""

from __future__ import annotations

import asyncio
import errno
import logging

from pymodbus.client import AsyncModbusTcpClient
from pymodbus.exceptions import ModbusException

from hmi.operator_text import QT_TRANSLATE_NOOP, OperatorText, first_line
from hmi.plc.errors import PlcError
from hmi.plc.register_map import RegisterMap, default_register_map

#: The test's own connection is not the plant's PLC link: its connect/lost lines stay out of the log.
_quiet = logging.getLogger("hmi.plc.probe")
_quiet.propagate = False
_quiet.addHandler(logging.NullHandler())

PROTOCOL_NAMES = {"modbus": "Modbus TCP", "fins-udp": "FINS/UDP", "fins-tcp": "FINS/TCP"}


def _say(template: str, **values) -> OperatorText:
    return OperatorText(template, **values)


async def _tcp_reachable(host: str, port: int, timeout: float, where: str) -> OperatorText | None:
    """A plain TCP connect: it tells "refused" from "no answer" from "no route", which the protocol
    clients fold into one "not connected". None when the port accepts connections."""
    try:
        _reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    except ConnectionRefusedError:
        return _say(QT_TRANSLATE_NOOP("OperatorText", "{where} refused the connection (nothing listens on port "
                                                      "{port})"), where=where, port=port)
    except asyncio.TimeoutError:
        return _say(QT_TRANSLATE_NOOP("OperatorText", "{where} did not answer within {seconds} s (switched off, "
                                                      "wrong address or a firewall)"),
                    where=where, seconds=f"{timeout:g}")
    except OSError as exc:
        if exc.errno in (errno.EHOSTUNREACH, errno.ENETUNREACH):
            return _say(QT_TRANSLATE_NOOP("OperatorText", "{where} is unreachable: no route to the host"),
                        where=where)
        return _say(QT_TRANSLATE_NOOP("OperatorText", "{where}: {reason}"), where=where,
                    reason=exc.strerror or str(exc))
    writer.close()
    try:
        await writer.wait_closed()
    except OSError:
        pass
    return None


async def probe_plc(host: str, port: int, unit: int, timeout: float,
                    register_map: RegisterMap | None = None, protocol: str = "modbus",
                    **fins_options) -> tuple[bool, OperatorText]:
    """(ok, one line) — e.g. 'PLC 192.168.1.10:502 refused the connection'."""
    register_map = register_map or default_register_map()
    if protocol in ("fins-udp", "fins-tcp"):
        return await _probe_fins(host, port, timeout, register_map, protocol, fins_options)
    where = f"PLC {host}:{port}"
    refused = await _tcp_reachable(host, port, timeout, where)
    if refused is not None:
        return False, refused
    address = register_map.write_ready_address
    client = AsyncModbusTcpClient(host, port=port, timeout=timeout, retries=0)
    try:
        if not await client.connect():
            return False, _say(QT_TRANSLATE_NOOP("OperatorText", "{where} accepted TCP but the Modbus connection "
                                                                 "failed"), where=where)
        answer = await client.read_holding_registers(address, count=1, device_id=unit)
        if answer.isError():
            return False, _say(QT_TRANSLATE_NOOP("OperatorText", "{where} answered with Modbus error {error} for "
                                                                 "unit {unit}, register {address}"),
                               where=where, error=str(answer), unit=unit, address=address)
        return True, _say(QT_TRANSLATE_NOOP("OperatorText", "{where} answered: unit {unit}, handshake word "
                                                            "{address} = {value}"),
                          where=where, unit=unit, address=address, value=answer.registers[0])
    except (ModbusException, asyncio.TimeoutError) as exc:
        return False, _say(QT_TRANSLATE_NOOP("OperatorText", "{where} accepted the connection but unit {unit} did "
                                                             "not answer a read ({error})"),
                           where=where, unit=unit, error=exc.__class__.__name__)
    finally:
        client.close()


async def _probe_fins(host: str, port: int, timeout: float, register_map: RegisterMap, protocol: str,
                      fins_options: dict) -> tuple[bool, OperatorText]:
    """FINS: TCP reachability first (FINS/TCP), then one read of the handshake word (D area)."""
    from hmi.plc.link import create_transport

    where = f"PLC {host}:{port} ({PROTOCOL_NAMES[protocol]})"
    if protocol == "fins-tcp":
        refused = await _tcp_reachable(host, port, timeout, where)
        if refused is not None:
            return False, refused
    address = register_map.write_ready_address
    try:
        transport = create_transport(protocol, host, port, timeout=timeout, backoff_initial=timeout,
                                     backoff_cap=timeout, logger=_quiet, **fins_options)
    except ValueError as exc:
        return False, _say(QT_TRANSLATE_NOOP("OperatorText", "{where}: {reason}"), where=where, reason=str(exc))
    await transport.start()
    try:
        if not await transport.wait_connected(timeout * 2):
            reason = transport.last_error or "no FINS session"
            return False, _say(QT_TRANSLATE_NOOP("OperatorText", "{where} did not open a FINS session: {reason}"),
                               where=where, reason=reason)
        value = (await transport.read(address, 1))[0]
        return True, _say(QT_TRANSLATE_NOOP("OperatorText", "{where} answered: handshake word D{address} = "
                                                            "{value}"),
                          where=where, address=address, value=value)
    except PlcError as exc:
        return False, _say(QT_TRANSLATE_NOOP("OperatorText", "{where} did not answer a FINS read of D{address} "
                                                             "({reason})"),
                           where=where, address=address, reason=first_line(exc))
    finally:
        await transport.stop()
