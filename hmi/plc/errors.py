"""Typed errors of the PLC layer.

Callers catch ``PlcError`` for "the PLC exchange did not happen"; the subclasses say why, and
every message names the address range and the Modbus function or FINS command, so a log line
alone is enough to find the fault on site.
"""

from __future__ import annotations


class PlcError(Exception):
    """Base of every PLC-layer failure.

    ``slot`` is set when the failure belongs to one slot of a multi-slot operation (a recipe
    download), so the caller can say "PLC write failed at slot 4".
    """

    def __init__(self, message: str, *, slot: int | None = None) -> None:
        super().__init__(message)
        self.slot = slot


class PlcConnectionError(PlcError):
    """No connection to the PLC (never made, lost, refused; for FINS/UDP: the PLC never answered)."""


class PlcTimeoutError(PlcError):
    """The PLC did not answer a request in time."""


class PlcProtocolError(PlcError):
    """The PLC refused the request: a Modbus exception reply (e.g. 2 = illegal data address) or a FINS
    error end code (``exception_code`` holds the raw end code, e.g. 0x2202 PROGRAM mode)."""

    def __init__(self, message: str, *, exception_code: int | None, slot: int | None = None) -> None:
        super().__init__(message, slot=slot)
        self.exception_code = exception_code


class PlcNotReady(PlcError):
    """The PLC has not taken the previous recipes yet (handshake word is 0 and slots are in use)."""


class PlcEncodingError(ValueError):
    """A value cannot be represented in its register field; ``field`` names the field."""

    def __init__(self, field: str, message: str, *, slot: int | None = None) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.slot = slot


class RegisterMapError(ValueError):
    """A register map file is malformed or its addresses do not fit."""
