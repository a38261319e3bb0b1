"""PLC layer: register map (data), word codec (pure), PlcLink (pymodbus client). Qt-free."""

from hmi.plc.errors import (
    PlcConnectionError,
    PlcEncodingError,
    PlcError,
    PlcNotReady,
    PlcProtocolError,
    PlcTimeoutError,
    RegisterMapError,
)
from hmi.plc.link import PlcLink
from hmi.plc.register_map import RealEncoding, RegisterMap, WordOrder, default_register_map, load_register_map

__all__ = [
    "PlcConnectionError",
    "PlcEncodingError",
    "PlcError",
    "PlcLink",
    "PlcNotReady",
    "PlcProtocolError",
    "PlcTimeoutError",
    "RealEncoding",
    "RegisterMap",
    "RegisterMapError",
    "WordOrder",
    "default_register_map",
    "load_register_map",
]
