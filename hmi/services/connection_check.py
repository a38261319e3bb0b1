"""The engineer's Test buttons: try a connection with the values in the Settings dialog (not yet saved).

Each test runs on the event loop (Odoo's blocking calls in a worker thread, Modbus natively), never
blocks the window, and ends with one line saying what happened (an OperatorText: English in the
log, the window's language on screen).
"""

from __future__ import annotations

import asyncio

import requests

from hmi.config import Settings, plc_protocol_options
from hmi.odoo.factory import build_odoo_client
from hmi.operator_text import QT_TRANSLATE_NOOP, OperatorText, first_line
from hmi.plc.probe import probe_plc
from hmi.silo_assignment import SiloAssignment


def _odoo_version(base_url: str, timeout: float) -> str | None:
    """Odoo's server version ('18.0'), or None when it does not say."""
    try:
        response = requests.post(f"{base_url}/web/webclient/version_info",
                                 json={"jsonrpc": "2.0", "method": "call", "params": {}}, timeout=timeout)
        info = response.json().get("result") or {}
        version = info.get("server_version")
        return str(version) if version else None
    except (requests.RequestException, ValueError, AttributeError):
        return None


async def check_odoo(settings: Settings, assignment: SiloAssignment | None = None) -> tuple[bool, OperatorText]:
    """Sign in and ask for this line's MOs: 'Odoo 18.0 answered; signed in as uid 7; 12 MOs ready'."""
    client = build_odoo_client(settings, (lambda: assignment or SiloAssignment(())))
    try:
        version = await asyncio.to_thread(_odoo_version, settings.odoo_base_url, settings.odoo_timeout_seconds)
        uid = await client.login()
        fetched = await client.fetch_mos(settings.sync_batch_limit)
    except Exception as exc:  # noqa: BLE001 - the test says what went wrong, whatever it is (OdooError too)
        return False, OperatorText(QT_TRANSLATE_NOOP("OperatorText", "Odoo {url}: {reason}"),
                                   url=settings.odoo_base_url, reason=first_line(exc))
    finally:
        try:
            await asyncio.wait_for(client.close(), 2)
        except Exception:  # noqa: BLE001
            pass
    name = (OperatorText("Odoo {version}", version=version) if version else
            OperatorText(QT_TRANSLATE_NOOP("OperatorText", "Odoo at {url}"), url=settings.odoo_base_url))
    count = len(fetched.mos)
    more = "+" if fetched.received >= settings.sync_batch_limit else ""
    if count == 1:
        return True, OperatorText(QT_TRANSLATE_NOOP("OperatorText", "{name} answered; signed in as uid {uid}; "
                                                                    "1 MO ready"), name=name, uid=uid)
    return True, OperatorText(QT_TRANSLATE_NOOP("OperatorText", "{name} answered; signed in as uid {uid}; "
                                                                "{count} MOs ready"),
                              name=name, uid=uid, count=f"{count}{more}")


async def check_plc(settings: Settings) -> tuple[bool, OperatorText]:
    """Connect with the configured protocol (Modbus TCP, FINS/UDP, FINS/TCP) and read the handshake word."""
    options = plc_protocol_options(settings)
    options.pop("device_id", None)
    return await probe_plc(settings.plc_host, settings.plc_port, settings.plc_unit_id, settings.plc_timeout_seconds,
                           protocol=settings.plc_protocol, **options)
