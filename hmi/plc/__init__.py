"""PLC layer: register map (data), word codec (pure), supervised transports (Modbus TCP, FINS/UDP,
FINS/TCP) and PlcLink, the batch protocol over any of them. Qt-free."""

from hmi.plc.errors import (
    PlcConnectionError,
    PlcEncodingError,
    PlcError,
    PlcNotReady,
    PlcProtocolError,
    PlcTimeoutError,
    RegisterMapError,
)
from hmi.plc.link import PROTOCOLS, Download, DownloadOutcome, PlcLink, create_transport
from hmi.plc.register_map import RealEncoding, RegisterMap, WordOrder, default_register_map, load_register_map

__all__ = [
    "Download",
    "DownloadOutcome",
    "PlcConnectionError",
    "PlcEncodingError",
    "PlcError",
    "PROTOCOLS",
    "PlcLink",
    "create_transport",
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
