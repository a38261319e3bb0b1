"""PlcLink: the batch protocol on top of one supervised word transport to the PLC.

The stack is layered like pymodbus' client: PlcLink (this module: slots, handshake, downloads)
→ the supervised transport (hmi.plc.transport: connection state, reconnect, typed errors) → one
wire protocol (Modbus TCP, FINS/UDP or FINS/TCP, carrying reads and writes of 16-bit words) →
pure codecs. This class knows the register map and the origin's handshake: read every READ slot,
download recipes, acknowledge a done batch, read and acknowledge the equipment-failure area. Both
wire protocols see the same map (in their own addresses, ``RegisterMap.for_protocol``) and the
same pure codec, so services never know which one runs.

PlcLink offers the batch protocol only. Connection supervision (state, endpoint, listeners,
start/stop, ``last_error``, the request counter) belongs to the transport, which the link shows
as one read-only attribute, ``connection``, rather than have the composition root hand out a
second object: the link is built around exactly one transport (it builds it from host and port,
or takes a ready one) and cannot work without it, so there is nothing to keep in step, and every
use of supervision (health, the poll's offline alarm, start/stop, tests) names ``.connection`` at
its call site. Services learn the map facts they need from ``text_length``, ``slot_count`` and
``has_failure_area``; ``register_map`` (read-only) is for the tools and tests that address words.

A download (``write_recipes``) ends in a ``DownloadOutcome``: WRITTEN, UNCERTAIN (it failed after
a write request went on the wire, so the PLC may hold part of it) or REFUSED (nothing was
written); the sync service decides from that value what the PLC may hold.

Everything runs on the caller's asyncio loop; no threads, no Qt.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Sequence

from hmi.clock import utc_now
from hmi.domain import BatchRecipe, ManualWeighingReading, PlcSlotReading
from hmi.plc.codec import decode_manual_weighing, decode_slot, decode_text, encode_empty_slot, encode_recipe
from hmi.plc.errors import PlcEncodingError, PlcError, PlcNotReady, PlcProtocolError
from hmi.plc.failure_area import PlcFailureRecord, decode_failure
from hmi.plc.read_plan import ReadRequest, plan_reads, slice_words
from hmi.plc.register_map import FAILURE_AREA_WORDS, RegisterMap, default_register_map
from hmi.plc.transport import WordTransport

log = logging.getLogger("hmi.plc")

PROTOCOLS = ("modbus", "fins-udp", "fins-tcp")


@dataclass(frozen=True)
class DownloadEvidence:
    """What the PLC's slots say about downloads (see PlcLink.download_evidence)."""

    read: frozenset[tuple[int, str]]
    write: dict[int, str]
    handshake: int

    def holds(self, batch_no: int, mo_text: str) -> bool:
        """The PLC has taken this batch (its READ slot shows it), or holds it ready to take (its WRITE
        slot shows it and the handshake word is 0, which only a download's last request sets)."""
        if not mo_text:
            return False
        return (batch_no, mo_text) in self.read or (self.write.get(batch_no) == mo_text and self.handshake == 0)


@dataclass(frozen=True)
class PlcScan:
    """What one poll read: the READ slots, and the manual-weighing area if the map has one."""

    slots: list[PlcSlotReading]
    manual_weighing: ManualWeighingReading | None = None


class Download(enum.Enum):
    """What a download did to the PLC's WRITE slots."""

    #: Every slot and the handshake word went through: the PLC has the recipes.
    WRITTEN = "written"
    #: It failed after a write request had gone on the wire (an error, a lost answer, the time
    #: limit): the PLC may hold none, part or all of it; only asking the PLC settles it.
    UNCERTAIN = "uncertain"
    #: Nothing was written: the PLC was not ready, a recipe does not fit the map, or the
    #: handshake check failed before the first write.
    REFUSED = "refused"


@dataclass(frozen=True)
class DownloadOutcome:
    """The result of ``PlcLink.write_recipes``.

    ``error`` is one line saying what went wrong (empty when WRITTEN), e.g. "PLC write failed at
    slot 4: …" or "PLC write did not finish within 60 s". ``failed_slot`` names the WRITE slot
    whose encoding or write failed; for an UNCERTAIN download it means the handshake word was
    never sent (it goes last, on its own), so the PLC cannot have taken the download.
    """

    result: Download
    error: str = ""
    failed_slot: int | None = None

    @property
    def written(self) -> bool:
        return self.result is Download.WRITTEN

    @property
    def uncertain(self) -> bool:
        return self.result is Download.UNCERTAIN

    @property
    def refused(self) -> bool:
        return self.result is Download.REFUSED


def create_transport(protocol: str, host: str, port: int | None = None, **options) -> WordTransport:
    """The word transport of ``protocol`` ("modbus", "fins-udp", "fins-tcp")."""
    if protocol == "modbus":
        from hmi.plc.modbus_transport import ModbusTransport

        for key in [key for key in options if key.startswith("fins_") or key == "local_port"]:
            options.pop(key)
        return ModbusTransport(host, 502 if port is None else port, **options)
    if protocol in ("fins-udp", "fins-tcp"):
        from hmi.plc.fins_transport import DEFAULT_FINS_PORT, FinsTcpTransport, FinsUdpTransport

        options.pop("device_id", None)
        retries = options.pop("retries", None)
        fins_options = dict(
            plc_node=options.pop("fins_node", None),
            client_node=options.pop("fins_client_node", None),
            network=options.pop("fins_network", 0),
            max_read_words=options.pop("fins_max_read_words", 999),
        )
        if retries is not None:
            fins_options["read_retries"] = retries
        if protocol == "fins-udp":
            return FinsUdpTransport(host, DEFAULT_FINS_PORT if port is None else port,
                                    local_port=options.pop("local_port", 0), **fins_options, **options)
        options.pop("local_port", None)
        return FinsTcpTransport(host, DEFAULT_FINS_PORT if port is None else port, **fins_options, **options)
    raise ValueError(f"unknown PLC protocol {protocol!r}; use one of {', '.join(PROTOCOLS)}")


class PlcLink:
    """The batch-slot operations on one PLC, over whichever wire protocol runs.

    ``PlcLink(host, port)`` is the Modbus TCP link as before; ``protocol="fins-udp"`` or
    ``"fins-tcp"`` picks FINS (options ``fins_node``, ``fins_client_node``, ``fins_network``,
    ``fins_max_read_words``, ``local_port``); ``transport=`` takes a ready transport.
    Construct it inside a running event loop; whoever owns it starts the connection once
    (``await link.connection.start()``) and stops it at the end (``await link.connection.stop()``).
    Operations raise PlcConnectionError immediately while not connected; the supervisor keeps
    trying to connect in the background, so a caller just tries again at its next tick.
    """

    def __init__(
        self,
        host: str | None = None,
        port: int | None = None,
        *,
        protocol: str = "modbus",
        register_map: RegisterMap | None = None,
        transport: WordTransport | None = None,
        **transport_options,
    ) -> None:
        if transport is None:
            if host is None:
                raise ValueError("PlcLink needs a host (or a transport)")
            transport = create_transport(protocol, host, port, **transport_options)
        self._transport = transport
        self.protocol = transport.protocol
        self._register_map = (register_map or default_register_map()).for_protocol(self.protocol)
        if hasattr(transport, "probe_address"):  # FINS/UDP proves the PLC answers by reading the ready word
            transport.probe_address = self.register_map.write_ready_address
        self.last_good_read: datetime | None = None
        #: The failure area as read by the last scan that carried it (None: not read yet).
        self.last_failure_record: PlcFailureRecord | None = None
        #: Read the equipment-failure area with every scan (set by the failure service).
        self.watch_failure_area = False
        # One operation at a time: a download is never interleaved with a poll.
        self._io_lock = asyncio.Lock()

    def _plan_scan(self, *, with_failure_area: bool) -> list[ReadRequest]:
        m = self.register_map
        ranges = [(m.read_slot_start(n), m.slot_length) for n in m.slots]
        if with_failure_area and self.register_map.failure_area is not None:
            ranges.append(self.register_map.failure_area)
        if self.register_map.manual_weighing is not None:
            # Planned with the READ slots: where a request can carry it (words right after the READ area),
            # the manual-weighing area costs no extra request; far away (the origin's D9000) it costs one.
            ranges.append((self.register_map.manual_weighing.start, self.register_map.manual_length))
        return plan_reads(ranges, max_count=self._transport.max_read_words,
                          through_gaps=self.register_map.read_through_gaps)

    # ---- the connection and the map's facts ---------------------------------------------------
    @property
    def connection(self) -> WordTransport:
        """The supervised transport this link talks through: its ``state``, ``endpoint``,
        ``last_error``, state listeners, ``wait_connected``, ``start``/``stop`` and request counter.
        Whoever supervises the connection (start/stop, health, tests) uses it; the batch
        operations below need none of it."""
        return self._transport

    @property
    def register_map(self) -> RegisterMap:
        """The map in this protocol's addresses (FINS: DM words), for tools and tests that address words."""
        return self._register_map

    @property
    def text_length(self) -> int:
        """Characters the PLC's MO text field holds."""
        return self._register_map.text_length

    @property
    def slot_count(self) -> int:
        """WRITE (and READ) slots: the most recipes one download carries."""
        return self._register_map.slot_count

    @property
    def real_resolution(self) -> float:
        """The smallest non-zero kg a REAL register carries (0.0 when the map has no such limit)."""
        return self._register_map.real_resolution

    @property
    def has_failure_area(self) -> bool:
        """The map has an equipment-failure area."""
        return self._register_map.failure_area is not None

    @property
    def read_plan(self) -> list[ReadRequest]:
        """The read requests one ``read_all_slots`` issues."""
        return list(self._plan_scan(with_failure_area=self.watch_failure_area))

    # ---- raw words (callers hold _io_lock) ------------------------------------------------------
    async def _read_ranges(self, requests) -> tuple[list[ReadRequest], list[list[int]]]:
        requests = list(requests)
        responses = []
        for request in requests:
            try:
                responses.append(await self._transport.read(request.start, request.count))
            except PlcError as exc:
                exc.request = request  # which read failed (the scan's failure-area fallback needs it)
                raise
        return requests, responses

    def _refused_failure_area(self, exc: PlcError) -> bool:
        """The refused request is one that reads failure-area words."""
        request = getattr(exc, "request", None)
        area = self.register_map.failure_area
        return request is not None and area is not None and request.start <= area[0] + area[1] - 1 \
            and area[0] <= request.end

    # ---- batch operations -----------------------------------------------------------------------
    async def read_all_slots(self) -> list[PlcSlotReading]:
        """Every READ slot, decoded, in slot order.

        Modbus: ≤ 8 requests for the default 10 slots; FINS: ceil(977 / max read words), 1 at the
        default. With ``watch_failure_area`` the failure area is read in the same scan, inside the
        last request where the map puts it next to the READ area (Modbus default), else as one more.
        """
        return (await self.scan()).slots

    async def scan(self) -> PlcScan:
        """One poll's read: every READ slot and, when the map has them, the equipment-failure area
        (with ``watch_failure_area``) and the manual-weighing area, in one combined read plan."""
        register_map = self.register_map
        with_failure = self.watch_failure_area and register_map.failure_area is not None
        async with self._io_lock:
            try:
                requests, responses = await self._read_ranges(self._plan_scan(with_failure_area=with_failure))
            except PlcProtocolError as exc:
                if not (with_failure and self._refused_failure_area(exc)):
                    raise
                # The PLC refuses the request that carries the failure area (a program without it):
                # scan without it, and stop asking if that works, rather than stop reading batches.
                requests, responses = await self._read_ranges(self._plan_scan(with_failure_area=False))
                first, count = register_map.failure_area
                log.warning("PLC refuses reads of the equipment-failure area %d-%d (%s); equipment failures are "
                            "not read (remove failure_area_start from the register map if the PLC has none)",
                            first, first + count - 1, exc)
                self.watch_failure_area = with_failure = False
        if with_failure:
            self.last_failure_record = decode_failure(slice_words(requests, responses, *register_map.failure_area))
        readings = [
            decode_slot(
                slice_words(requests, responses, register_map.read_slot_start(slot), register_map.slot_length),
                slot,
                register_map,
            )
            for slot in register_map.slots
        ]
        manual = None
        if register_map.manual_weighing is not None:
            manual = decode_manual_weighing(
                slice_words(requests, responses, register_map.manual_weighing.start, register_map.manual_length),
                register_map)
        self.last_good_read = utc_now()
        return PlcScan(readings, manual)

    async def read_slot(self, slot: int) -> PlcSlotReading:
        """One READ slot (one request)."""
        start = self.register_map.read_slot_start(slot)
        async with self._io_lock:
            words = await self._transport.read(start, self.register_map.slot_length)
        self.last_good_read = utc_now()
        return decode_slot(words, slot, self.register_map)

    async def is_write_ready(self) -> bool:
        """The origin's handshake: 7076 = 1, or every WRITE slot is empty (clean start)."""
        async with self._io_lock:
            return (await self._write_blockers()) is None

    async def _write_blockers(self) -> str | None:
        """None when a download may start, else why not.

        With FINS all 21 handshake words (WRITE and READ slot flags, failure flag) come in one 0104
        request and the MO texts (if needed) in a second; with Modbus the ready word is read first, then the slots' texts and
        flags in as few block reads as the map allows.
        """
        register_map = self.register_map
        ready_address = register_map.write_ready_address
        flag_ranges = [(register_map.write_field_address(n, "status_read_data"), 1) for n in register_map.slots]
        mo_ranges = [(register_map.write_field_address(n, "mo_id"), register_map.text_words) for n in register_map.slots]
        transport = self._transport
        handshake = self.handshake_addresses()
        if transport.supports_scattered_read(len(handshake)):
            words = dict(zip(handshake, await self._read_handshake_words(handshake)))
            flags = [words[address] for address, _ in flag_ranges]
            if flags[0] == 1:
                return None
            texts = await transport.read_ranges(mo_ranges, through_gaps=register_map.read_through_gaps)
        else:
            if (await transport.read(ready_address, 1))[0] == 1:
                return None
            words = await transport.read_ranges(mo_ranges + flag_ranges, through_gaps=register_map.read_through_gaps)
            texts, flags = words[: len(mo_ranges)], [w[0] for w in words[len(mo_ranges):]]
        busy = []
        for slot, (text_words, flag) in enumerate(zip(texts, flags), start=1):
            mo_id = decode_text(text_words)
            if mo_id or (slot > 1 and flag == 1):
                busy.append(f"{slot} ({mo_id or 'flag set'})")
        if not busy:
            return None
        return (
            f"PLC has not taken the previous recipes yet: handshake word {ready_address} is 0 "
            f"and WRITE slot(s) {', '.join(busy)} are in use"
        )

    def handshake_addresses(self) -> list[int]:
        """Every handshake word: status_read_data of each WRITE and READ slot, and the failure flag."""
        m = self.register_map
        addresses = [m.write_field_address(n, "status_read_data") for n in m.slots]
        addresses += [m.read_ack_address(n) for n in m.slots]
        if m.failure_ack_address is not None:
            addresses.append(m.failure_ack_address)
        return addresses

    async def _read_handshake_words(self, addresses: Sequence[int]) -> list[int]:
        return [words[0] for words in await self._transport.read_ranges([(a, 1) for a in addresses])]

    async def read_handshake_words(self) -> dict[int, int]:
        """address → value of every handshake word (FINS: one 0104 request for all 21)."""
        addresses = self.handshake_addresses()
        async with self._io_lock:
            return dict(zip(addresses, await self._read_handshake_words(addresses)))

    async def download_evidence(self) -> "DownloadEvidence":
        """What the PLC holds of downloads: the (batch_no, MO text) of every READ slot, the MO text of
        every WRITE slot, and the handshake word. Used to settle a download whose outcome is not known."""
        register_map = self.register_map
        readings = await self.read_all_slots()
        mo_ranges = [(register_map.write_field_address(n, "mo_id"), register_map.text_words) for n in register_map.slots]
        async with self._io_lock:
            handshake = (await self._transport.read(register_map.write_ready_address, 1))[0]
            texts = await self._transport.read_ranges(mo_ranges, through_gaps=register_map.read_through_gaps)
        return DownloadEvidence(
            read=frozenset((r.batch_no, r.mo_id) for r in readings if not r.is_empty),
            write={slot: decode_text(words) for slot, words in enumerate(texts, start=1)},
            handshake=handshake,
        )

    async def write_recipes(self, recipes: Sequence[BatchRecipe], *, clear_unused: bool = True,
                            timeout: float | None = None) -> DownloadOutcome:
        """Download a queue of recipes: recipe i goes to WRITE slot i (1-based); say how it ended.

        Every recipe is encoded before anything is sent, so a value the PLC cannot hold is REFUSED
        (``failed_slot`` set) with nothing written. Then: handshake check (REFUSED if the PLC has
        not taken the previous queue), one write per slot, slots beyond the queue cleared
        (``clear_unused``) so the PLC cannot run a stale recipe, and finally the handshake word 7076
        set to 0 in its own request — the PLC sets it back to 1 once it has taken the recipes.
        A PLC error, or ``timeout`` seconds running out, before the first write request went on
        the wire is REFUSED; after it, UNCERTAIN (a failed slot write sets ``failed_slot``).
        """
        register_map = self.register_map
        recipes = list(recipes)
        if not recipes:
            raise ValueError("no recipes to write (use clear_write_slots() to empty the PLC's slots)")
        if len(recipes) > register_map.slot_count:
            raise ValueError(f"{len(recipes)} recipes but the PLC has {register_map.slot_count} slots")
        encoded: list[list[int]] = []
        for slot, recipe in enumerate(recipes, start=1):
            try:
                encoded.append(encode_recipe(recipe, register_map))
            except PlcEncodingError as exc:
                exc.slot = slot
                return DownloadOutcome(Download.REFUSED, _download_failure(exc), slot)
        writes_from: int | None = None  # the request counter when the first write was about to go
        try:
            async with asyncio.timeout(timeout), self._io_lock:
                blocker = await self._write_blockers()
                if blocker is not None:
                    raise PlcNotReady(blocker)
                writes_from = self._transport.request_count
                for slot in register_map.slots:
                    if slot <= len(encoded):
                        words = encoded[slot - 1]
                    elif clear_unused:
                        words = encode_empty_slot(register_map)
                    else:
                        continue
                    await self._write_slot(slot, words)
                await self._transport.write(register_map.write_ready_address, [0])
        except (PlcError, TimeoutError) as exc:
            reached = writes_from is not None and self._transport.request_count > writes_from
            return DownloadOutcome(Download.UNCERTAIN if reached else Download.REFUSED,
                                   _download_failure(exc, timeout), getattr(exc, "slot", None))
        log.info("PLC: %d recipe(s) written to WRITE slots, handshake word set to 0", len(recipes))
        return DownloadOutcome(Download.WRITTEN)

    async def _write_slot(self, slot: int, words: Sequence[int]) -> None:
        """Write one slot; the handshake word is left out (it is written last, on its own)."""
        start = self.register_map.write_slot_start(slot)
        skip = self.register_map.write_ready_address - start
        segments = [(0, len(words))]
        if 0 <= skip < len(words):
            segments = [(0, skip), (skip + 1, len(words))]
        try:
            for first, stop in segments:
                if stop > first:
                    await self._transport.write(start + first, words[first:stop])
        except PlcError as exc:
            exc.slot = slot
            exc.args = (f"slot {slot}: {exc}",)
            log.warning("PLC write failed at slot %d: %s", slot, exc)
            raise

    async def clear_write_slots(self, slots: Sequence[int] | None = None) -> None:
        """Zero the WRITE slots ``slots`` (default: every one; no MO text = empty), e.g. after an
        operator reset, or one slot whose MO was cancelled.

        The handshake word is not touched; empty slots already count as "ready" for the next
        download.
        """
        chosen = list(self.register_map.slots) if slots is None else [s for s in slots if s in self.register_map.slots]
        async with self._io_lock:
            for slot in chosen:
                await self._write_slot(slot, encode_empty_slot(self.register_map))
        log.info("PLC: WRITE slot(s) %s cleared", "all" if slots is None else ", ".join(map(str, chosen)))

    async def acknowledge_read(self, slot: int) -> None:
        """Tell the PLC the HMI has read READ slot ``slot`` (its status_read_data := 1).

        The origin does this only for a slot whose batch is finished (status_manufacturing = 1).
        """
        address = self.register_map.read_ack_address(slot)
        async with self._io_lock:
            try:
                await self._transport.write(address, [1])
            except PlcError as exc:
                exc.slot = slot
                raise

    # ---- manual-weighing area -------------------------------------------------------------------
    async def acknowledge_manual_weighing(self) -> None:
        """Tell the PLC the HMI has taken the manual weighing it shows (its status_read_data := 1)."""
        address = self.register_map.manual_field_address("status_read_data")
        async with self._io_lock:
            await self._transport.write(address, [1])

    # ---- equipment-failure area -----------------------------------------------------------------
    def take_failure_record(self) -> PlcFailureRecord | None:
        """The failure area as the last scan read it (once; None if no scan carried it since)."""
        record, self.last_failure_record = self.last_failure_record, None
        return record

    async def read_failure_area(self) -> PlcFailureRecord:
        """The failure area on its own (one request); raises ValueError if the map has none."""
        area = self.register_map.failure_area
        if area is None:
            raise ValueError("the register map has no equipment-failure area")
        async with self._io_lock:
            words = await self._transport.read(area[0], FAILURE_AREA_WORDS)
        self.last_failure_record = decode_failure(words)
        return self.last_failure_record

    async def acknowledge_failure(self) -> None:
        """Tell the PLC the HMI has stored the failure record (its handshake word := 1)."""
        address = self.register_map.failure_ack_address
        if address is None:
            raise ValueError("the register map has no equipment-failure area")
        async with self._io_lock:
            await self._transport.write(address, [1])


def _download_failure(exc: BaseException, timeout: float | None = None) -> str:
    """The one line a failed download is reported with."""
    if isinstance(exc, TimeoutError):
        return f"PLC write did not finish within {timeout:g} s" if timeout else "PLC write timed out"
    slot = getattr(exc, "slot", None)
    where = f" at slot {slot}" if slot else ""
    return f"PLC write failed{where}: {exc}"
