"""SyncService: the seed's smart-wait sync, with a two-phase, durable download.

Count this line's rows in mo_batch. Any row left means the PLC is still working: skip.
An empty table means: fetch the next MOs of this line from Odoo, leave out every MO that
was already completed here or is on the Held list, and download the rest to the PLC
(batch_no 1..N into WRITE slots 1..N).

The rule this module keeps: **an MO whose recipe reached the PLC is never downloaded again
unless an operator releases it.** So the download has two phases, each durable:

1. the rows are stored as ``pending`` (committed) before anything is written to the PLC;
2. the recipes are written to the PLC (no database transaction is open meanwhile);
3. the rows become ``downloaded``.

The PLC write says how it ended (``hmi.plc.link.DownloadOutcome``): written; refused, when nothing
reached the PLC, and the rows are removed; or uncertain, when a write request had gone out, and
the PLC is asked at once what it holds, as below.

If the process dies, or the database refuses the last step, the rows stay ``pending``. The
next sync (also the first one after a restart) finds them and asks the PLC what it holds
before it does anything else: rows the PLC has become downloaded, rows it certainly does not
have are removed (nothing was dosed), and rows it cannot answer for are **held** with an
ERROR for the operator. A held row keeps the table non-empty, so nothing new is downloaded
over it; it is asked about again at every sync until the PLC answers.

Which MOs may be downloaded at all is one question to the dispatch ledger (hmi.store.dispatch):
every MO with a ledger row that is not ``released`` stays out, whatever Odoo offers. The
ledger row is reserved in the same transaction as the pending batch row, so it is committed
before the first PLC write.

The sync runs only while this instance owns its line (hmi.services.ownership): it asks before
it starts and again right before it writes the PLC; a write refused by the fence stops it.
Rows an earlier owner of the line left unconfirmed are settled only once that owner cannot
be writing any more (hmi.store.fencing); until then they are held, never removed.

Timer, toolbar button and API call this same method; a manual trigger obeys the same rule
and only skips the wait for the timer.
"""

from __future__ import annotations

import asyncio
import logging
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Sequence

from hmi.domain import Batch, BatchRecipe, DispatchState, DownloadState, FencedOut, ManufacturingOrder
from hmi.odoo import OdooError
from hmi.operator_text import QT_TRANSLATE_NOOP, OperatorText
from hmi.plc.errors import PlcError
from hmi.plc.keys import plc_keys
from hmi.services.crash_points import crash_point
from hmi.services.dosable import undosable_reason
from hmi.services.flight import Busy, SingleFlight
from hmi.services.health import HealthMonitor, SyncRecord
from hmi.services.messages import first_line
from hmi.store import BatchStore, DbRunner, DuplicateMo, TableNotEmpty
from hmi.clock import utc_now

if TYPE_CHECKING:
    from hmi.odoo import AsyncOdooClient
    from hmi.services.alarms import AlarmService
    from hmi.services.ownership import LineOwnership
    from hmi.plc.link import DownloadEvidence, PlcLink

log = logging.getLogger("hmi.sync")

TRIGGERS = ("timer", "manual", "api", "empty")

#: How long a failed download waits for the PLC link to come back and be asked what it holds.
LANDED_CHECK_SECONDS = 5.0

#: Paging through Odoo's MO list until this line has enough MOs: at most this many pages.
MAX_FETCH_PAGES = 20


def left_out_alarm_text(mo_id: str, reason: str) -> OperatorText:
    """The mo.left_out alarm's sentence (the reason is the mapping's or the dosable check's own, as it is)."""
    return OperatorText(QT_TRANSLATE_NOOP("OperatorText", "MO {mo} left out of the sync: {reason}"),
                        mo=mo_id, reason=reason)


def held_alarm_text(batch_no: int, mo_id: str, reason: str) -> OperatorText:
    """The batch.held alarm's sentence (the reason is a sentence of ours or the stored hold reason)."""
    return OperatorText(QT_TRANSLATE_NOOP("OperatorText", "Batch {batch} (MO {mo}) HELD: {reason}"),
                        batch=batch_no, mo=mo_id, reason=reason)


@dataclass(frozen=True)
class SyncOutcome:
    outcome: str  # "synced" | "skipped" | "failed" | "busy"
    message: str
    count: int = 0

    @property
    def ok(self) -> bool:
        return self.outcome in ("synced", "skipped")


class SyncService:
    def __init__(
        self,
        store: BatchStore,
        db: DbRunner,
        odoo: "AsyncOdooClient",
        plc: "PlcLink | None",
        health: HealthMonitor,
        table_lock: asyncio.Lock,
        batch_limit: int = 10,
        line: str | None = None,
        plc_write_timeout: float = 60.0,
        alarms: "AlarmService | None" = None,
        ownership: "LineOwnership | None" = None,
        max_kg_per_silo: float = math.inf,
    ) -> None:
        self.alarms = alarms
        # PLC_MAX_KG_PER_SILO: no target above it is downloaded (hmi.services.dosable).
        self.max_kg_per_silo = max_kg_per_silo
        self.ownership = ownership
        self.store = store
        self.db = db
        self.odoo = odoo
        self.plc = plc
        self.health = health
        self.batch_limit = batch_limit
        self.line = line
        self.plc_write_timeout = plc_write_timeout
        self.flight = SingleFlight("sync", exclusive_with=table_lock)
        self._unsettled_said: set[str] = set()  # held MOs already reported, so each is reported once

    @property
    def running(self) -> bool:
        return self.flight.running

    async def sync(self, trigger: str = "timer") -> SyncOutcome:
        if trigger not in TRIGGERS:
            raise ValueError(f"unknown sync trigger {trigger!r}")
        if self.ownership is not None and not await self.ownership.allows("Sync"):
            # Not a failed sync (Odoo is not to blame): the ownership alarm says what is wrong.
            return SyncOutcome("failed", f"Sync not run: {self.ownership.lost}")
        try:
            outcome = await self.flight.run(lambda: self._sync(trigger))
        except Busy:
            outcome = SyncOutcome("busy", "A sync or clear is already running; this trigger was skipped")
            log.info("Sync (%s) skipped: a sync or clear is already running", trigger)
            return outcome
        self.health.record_sync(SyncRecord(utc_now(), trigger, outcome.outcome, outcome.message, outcome.count))
        if self.alarms is not None:
            if self.health.alert is not None:
                await self.alarms.raise_alarm("odoo.sync_failing", self.health.alert)
            elif outcome.ok:
                await self.alarms.clear("odoo.sync_failing")
        return outcome

    async def _sync(self, trigger: str) -> SyncOutcome:
        try:
            return await self._sync_owned(trigger)
        except FencedOut as exc:
            if self.ownership is not None:
                await self.ownership.report(str(exc))
            return self._failed(f"Sync stopped: this instance does not own its line any more ({exc})")

    async def _sync_owned(self, trigger: str) -> SyncOutcome:
        log.info("Auto-sync task running... (trigger: %s)", trigger)
        try:
            await self._settle_downloads()
            count = await self.db(self.store.count_batches, self.line)
        except FencedOut:
            raise
        except Exception as exc:  # noqa: BLE001 - database down must not kill the scheduler
            return self._failed(f"Cannot read the batch table: {first_line(exc)}")
        if count > 0:
            message = f"Table mo_batch has {count} records. Skipping sync - waiting for PLC..."
            log.info(message)
            return SyncOutcome("skipped", message, count)

        log.info("Table mo_batch is empty. Fetching new batches from Odoo...")
        try:
            orders = await self._fetch_for_this_line()
        except OdooError as exc:
            return self._failed(f"Fetching MOs from Odoo failed: {exc}")
        except Exception as exc:  # noqa: BLE001 - database down while asking the dispatch ledger
            return self._failed(f"Cannot ask the dispatch ledger which MOs were sent before: {first_line(exc)}")
        if not orders:
            message = "Odoo has no MOs ready for this line; nothing to sync"
            log.info(message)
            return SyncOutcome("synced", message, 0)
        return await self._download(orders)

    # ------------------------------------------------------------------ fetch

    async def _fetch_for_this_line(self) -> list[ManufacturingOrder]:
        """Page through Odoo's MO list until this line has ``batch_limit`` MOs or Odoo has no more.

        One page is not enough: when the oldest MOs belong to other lines, a single page would
        leave this line with none while Odoo still holds its work.
        """
        wanted = self.batch_limit
        page_size = min(100, max(wanted, wanted * 5 if self.line else wanted))
        chosen: list[ManufacturingOrder] = []
        seen: set[str] = set()
        other_lines = 0
        offset = 0
        left_out: dict[str, str] = {}
        for _ in range(MAX_FETCH_PAGES):
            fetched = await self.odoo.fetch_mos(page_size, offset)
            offset += page_size
            for rejected in fetched.rejected:
                log.warning("MO left out of this sync: %s", rejected)
                if rejected.mo_id:
                    left_out.setdefault(rejected.mo_id, f"{rejected.field} {rejected.reason}")
            fresh = [mo for mo in fetched.mos if mo.mo_id not in seen]
            seen.update(mo.mo_id for mo in fresh)
            mine = [mo for mo in fresh if not self.line or mo.equipment_code == self.line]
            other_lines += len(fresh) - len(mine)
            chosen += await self._dosable(await self._not_blocked(mine), left_out)
            if len(chosen) >= wanted or fetched.received < page_size:
                break
        if other_lines:
            log.info("%d MO(s) for other lines left in Odoo", other_lines)
        if self.alarms is not None:  # an MO this fetch takes (or no longer leaves out) is over
            for mo_id, reason in left_out.items():
                await self.alarms.raise_alarm("mo.left_out", left_out_alarm_text(mo_id, reason), mo_id, mo_id=mo_id)
            await self.alarms.clear_all("mo.left_out", keep=set(left_out))
        return chosen[:wanted]

    async def _dosable(self, orders: list[ManufacturingOrder], left_out: dict[str, str]) -> list[ManufacturingOrder]:
        """Never download a target the PLC cannot dose as written (hmi.services.dosable): that MO stays
        out, with one line and the mo.left_out alarm, until it is corrected in Odoo."""
        resolution = self.plc.real_resolution if self.plc is not None else 0.0
        kept = []
        for mo in orders:
            reason = undosable_reason(mo, self.max_kg_per_silo, resolution)
            if reason is None:
                kept.append(mo)
                continue
            left_out.setdefault(mo.mo_id, reason)
            log.warning("MO left out of this sync: MO %s: %s", mo.mo_id, reason, extra={"mo_id": mo.mo_id})
        return kept

    async def _not_blocked(self, orders: list[ManufacturingOrder]) -> list[ManufacturingOrder]:
        """Never dose an MO twice: an MO with a dispatch ledger row that is not released stays out,
        even if Odoo offers it."""
        blocked = await self.db(self.store.ledger.dispatched_mo_ids, [mo.mo_id for mo in orders])
        for mo_id, state in sorted(blocked.items()):
            if state in ("reported", "closed"):
                log.warning("MO %s was already dosed and reported; left out (close it in Odoo)", mo_id,
                            extra={"mo_id": mo_id})
            elif state == "held":
                log.info("MO %s is on the Held list; left out until an operator releases it", mo_id,
                         extra={"mo_id": mo_id})
            else:
                log.warning("MO %s was sent to a PLC before (dispatch ledger: %s); left out", mo_id, state,
                            extra={"mo_id": mo_id})
        return [mo for mo in orders if mo.mo_id not in blocked]

    # ------------------------------------------------------------------ download

    async def _download(self, orders: list[ManufacturingOrder]) -> SyncOutcome:
        try:
            taken = await self.db(self.store.plc_keys_in_use)
            # An MO downloaded again (after a release) gets a key its earlier run never had.
            taken |= await self.db(self.store.ledger.earlier_plc_keys, [mo.mo_id for mo in orders])
            keys = self._keys_for(orders, taken)
        except ValueError as exc:
            return self._failed(f"Nothing stored: {exc}")
        except Exception as exc:  # noqa: BLE001 - a database error: nothing was stored
            return self._failed(f"Storing the batches failed, nothing stored or downloaded: {first_line(exc)}")
        recipes = [recipe_for(mo, batch_no, keys[mo.mo_id]) for batch_no, mo in enumerate(orders, start=1)]
        state = DownloadState.PENDING if self.plc is not None else DownloadState.DOWNLOADED
        try:
            stored = await self.db(self.store.insert_batches, orders, self.line, require_empty=True,
                                   plc_keys=keys, download_state=state)
        except FencedOut:
            raise
        except TableNotEmpty as exc:
            message = f"Table mo_batch has {exc.count} records. Skipping sync - waiting for PLC..."
            log.info("%s (filled by another instance meanwhile)", message)
            return SyncOutcome("skipped", message, exc.count)
        except DuplicateMo as exc:
            return self._failed(f"Nothing stored: {exc}")
        except Exception as exc:  # noqa: BLE001 - a database error: nothing was committed, nothing written
            return self._failed(f"Storing the batches failed, nothing stored or downloaded: {first_line(exc)}")

        crash_point("sync.after_store")
        if self.plc is not None:
            if self.ownership is not None and not self.ownership.ok:
                # Stored and reserved, never written: the instance that serves the line settles them.
                return self._failed(f"The line was lost before the PLC was written ({self.ownership.lost}); "
                                    "nothing was written, the stored batches stay unconfirmed")
            await self.db(self.store.mark_writing, [mo.mo_id for mo in orders])
            failure = await self._write_to_plc(recipes, [mo.mo_id for mo in orders])
            if failure is not None:
                return failure

        message = f"Auto-sync completed: {stored} MO batches synced"
        log.info(message)
        for recipe, mo in zip(recipes, orders):
            shown = mo.mo_id if recipe.mo_id == mo.mo_id else f"{mo.mo_id} (on the PLC as {recipe.mo_id})"
            log.info("Batch %d: MO %s, %s, %g kg, silos %s", recipe.batch_no, shown, mo.product_name, mo.quantity,
                     " ".join(s.label for s in mo.targets) or "-",
                     extra={"mo_id": mo.mo_id, "batch_no": recipe.batch_no})
        return SyncOutcome("synced", message, stored)

    def _keys_for(self, orders: Sequence[ManufacturingOrder], taken: set[str]) -> dict[str, str]:
        """What the PLC's MO field holds per MO: unique among these and every batch of the database."""
        if self.plc is None:
            return {mo.mo_id: mo.mo_id for mo in orders}
        length = self.plc.text_length
        keys = plc_keys([mo.mo_id for mo in orders], length, taken)
        for mo_id, key in keys.items():
            if key != mo_id:
                log.info("MO %s does not fit the PLC's %d-character MO field; the PLC sees it as %s",
                         mo_id, length, key, extra={"mo_id": mo_id})
        return keys

    async def _write_to_plc(self, recipes: list[BatchRecipe], mo_ids: list[str]) -> SyncOutcome | None:
        """Phase 2 and 3; None when the PLC has the recipes and the rows say so."""
        outcome = await self.plc.write_recipes(recipes, timeout=self.plc_write_timeout)
        if not outcome.written:
            failure = outcome.error
            if outcome.refused:  # nothing reached the PLC: not ready, a recipe it cannot hold, no first write
                await self._forget(mo_ids)
                return self._failed(f"{failure}; nothing stored")
            if outcome.failed_slot:
                # It failed at a slot, before the handshake word the PLC waits for: the PLC cannot
                # have taken this download, so its absence from the PLC is proof.
                await self.db(self.store.mark_not_written, mo_ids)
            log.warning("%s; asking the PLC what it holds", failure)
            try:
                settled = await self._settle(await self.db(self.store.undownloaded_batches, self.line))
            except Exception as db_exc:  # noqa: BLE001 - rows stay pending; the next sync settles them
                return self._failed(f"{failure}; the batches stay unconfirmed until the next sync asks the PLC "
                                    f"({first_line(db_exc)})")
            if settled.held_message:
                return SyncOutcome("failed", settled.held_message)
            if settled.removed:
                return self._failed(f"{failure}; nothing stored")
            log.warning("PLC write answer lost (%s), but the PLC holds all %d recipes; stored, not downloaded "
                        "again", failure, len(recipes))
            return None

        crash_point("sync.after_plc_write")
        try:
            recorded = await self.db(self.store.mark_downloaded, mo_ids)
        except FencedOut:
            raise
        except Exception as exc:  # noqa: BLE001 - the rows stay pending; the next sync settles them
            message = (f"The PLC has the {len(mo_ids)} recipe(s), but recording that failed "
                       f"({first_line(exc)}); the next sync asks the PLC and settles them, nothing is downloaded twice")
            log.error(message)
            return SyncOutcome("failed", message)
        crash_point("sync.after_mark_downloaded")
        if recorded != len(mo_ids):
            # Someone else settled (or removed) rows of this download meanwhile; the ledger keeps
            # every MO of it reserved, so none is fetched again: say it, never report success.
            message = (f"The PLC has the {len(mo_ids)} recipe(s), but only {recorded} of their rows could be "
                       "recorded as downloaded; the others were changed meanwhile. Their MOs stay in the dispatch "
                       "ledger and are not downloaded again; check the table and the Held list")
            log.error(message)
            return SyncOutcome("failed", message)
        return None

    async def _forget(self, mo_ids: list[str]) -> None:
        """The PLC certainly has none of these: drop the pending rows (the MOs stay open in Odoo)."""
        try:
            await self.db(self.store.remove_undownloaded, mo_ids)
        except FencedOut:
            raise
        except Exception as exc:  # noqa: BLE001 - they stay pending and are settled by the next sync
            log.error("Could not remove the rows of a download the PLC did not take (%s); the next sync "
                      "asks the PLC about them", first_line(exc))

    async def reconcile(self) -> bool:
        """After this instance took its line again: ask the PLC about every unconfirmed row before
        anything else runs. True when done (automation may resume)."""
        try:
            await self.flight.run(self._settle_downloads)
        except Busy:
            return False
        except Exception as exc:  # noqa: BLE001 - tried again at the next heartbeat
            log.error("Reconciling with the PLC after taking the line again failed (%s); tried again shortly",
                      first_line(exc))
            return False
        return True

    # ------------------------------------------------------------------ settle

    async def _settle_downloads(self) -> None:
        """Rows left pending (a restart, a refused commit) or held: ask the PLC before anything else."""
        await self._withdraw_orphaned_recipes()
        rows = await self.db(self.store.undownloaded_batches, self.line)
        if not rows:
            return
        if self.plc is None:
            await self.db(self.store.mark_downloaded, [b.mo_id for b in rows])
            return
        pending = [b for b in rows if b.download_state in (DownloadState.PENDING, DownloadState.WRITING)]
        if pending:
            log.warning("%d batch(es) were stored but their download was never confirmed (%s); asking the PLC "
                        "what it holds", len(pending), ", ".join(b.mo_id for b in pending))
        await self._settle(rows)

    async def withdraw_orphaned_recipes(self) -> bool:
        """The check below on its own (the first poll after a start runs it, before the first sync is
        due): True once the PLC was asked; False when a sync or clear is running (it does the same) or
        the PLC or database could not be asked (the next poll tries again)."""
        try:
            return await self.flight.run(self._withdraw_orphaned_recipes)
        except Busy:
            return False
        except FencedOut:
            return False  # not this instance's line any more: the ownership alarm says so
        except Exception as exc:  # noqa: BLE001 - the database away: tried again at the next poll
            log.debug("WRITE slots not checked for recipes left by a cut-off Clear: %s", first_line(exc))
            return False

    async def _withdraw_orphaned_recipes(self) -> bool:
        """Blank the WRITE slots that hold a recipe the PLC has not taken (handshake word 0) and no
        row of this line's table accounts for.

        A Clear (or a Cancel in Odoo) archives its rows first and blanks the WRITE slots after; cut
        off in between (the process died, the PLC did not answer), the recipes stay there, and a PLC
        still dosing its queue takes them later: it would dose MOs that were archived as cleared
        and held, and report batches no row matches, so their consumption never reaches Odoo. The
        first poll after a restart and every sync finish that blanking. Blanking a recipe the
        PLC has not taken cannot dose anything twice; a recipe a row accounts for is left alone (the
        settling below decides about it), and so is every slot once the PLC took the download."""
        if self.plc is None or (self.ownership is not None and not self.ownership.ok):
            return False
        try:
            evidence = await self.plc.download_evidence()  # first the PLC, then the rows (stored before any write)
        except (PlcError, TimeoutError) as exc:
            log.debug("WRITE slots not checked for recipes left by a cut-off Clear: %s", exc)
            return False
        if evidence.handshake != 0:
            return True
        waiting = {slot: text for slot, text in evidence.write.items() if text}
        if not waiting:
            return True
        rows = await self.db(self.store.list_batches, self.line)
        accounted = {(b.batch_no, b.plc_key) for b in rows}
        orphaned = {slot: text for slot, text in waiting.items() if (slot, text) not in accounted}
        if not orphaned:
            return True
        slots = sorted(orphaned)
        try:
            await self.plc.clear_write_slots(slots)
        except PlcError as exc:
            log.error("The PLC's WRITE slot(s) %s still hold recipe(s) it has not taken that no batch in the table "
                      "accounts for (%s), and could not be blanked (%s); tried again at the next sync. The PLC may "
                      "still start them: check it before releasing their MOs", ", ".join(map(str, slots)),
                      ", ".join(orphaned[s] for s in slots), first_line(exc))
            return False
        log.warning("The PLC's WRITE slot(s) %s still held recipe(s) it had not taken that no batch in the table "
                    "accounts for (%s): left by a Clear or Cancel cut off before it blanked them. Blanked, so the "
                    "PLC does not dose MOs taken out of the table", ", ".join(map(str, slots)),
                    ", ".join(orphaned[s] for s in slots))
        return True

    async def _settle(self, rows: list[Batch]) -> "Settled":
        """Settle each row by what the PLC holds: downloaded, removed (certainly not on the PLC) or held."""
        evidence = await self._ask_plc()
        if evidence is None:
            reason = OperatorText(QT_TRANSLATE_NOOP("OperatorText",
                "the PLC could not be asked whether it has the recipe; held, it is not downloaded "
                "again. It is asked again at every sync; if the PLC was reset, clear the table and release it"))
            return Settled(held_message=await self._hold(rows, reason))
        found = [b for b in rows if evidence.holds(b.batch_no, b.plc_key)]
        missing = [b for b in rows if b not in found]
        if missing:
            # The rest of a partial download is held in the ledger: its absence from the PLC proves
            # nothing (the PLC may have dosed and blanked it), so it stays held for an operator.
            states = await self.db(self.store.ledger.dispatch_states, [b.mo_id for b in missing])
            missing = [b for b in missing if states.get(b.mo_id) is not DispatchState.HELD]
        written = [b for b in missing if b.download_state is DownloadState.WRITING]
        if written and _never_taken(evidence, rows):
            written = []  # still in the WRITE slots, no handshake: the PLC cannot have taken this download
        if written:
            # The write of these had started when it was cut off (a crash, a lost answer): a PLC that
            # shows nothing of them may have taken them and lost them since (a reset at its panel).
            missing = [b for b in missing if b not in written]
            reason = OperatorText(QT_TRANSLATE_NOOP("OperatorText",
                "the PLC write of this batch had started when it was cut off, and the PLC shows nothing of "
                "it: it may have taken it and lost it (a reset). Held: check the PLC, then clear and release"))
            held_message = await self._hold(written, reason, partial=True)
            if found:
                await self.db(self.store.mark_downloaded, [b.mo_id for b in found])
            if missing:
                await self.db(self.store.remove_undownloaded, [b.mo_id for b in missing])
            return Settled(found, missing, held_message=held_message)
        fence = self.store.fence
        in_other_hands = [b for b in missing if fence is not None and fence.previous_may_write(b.epoch)]
        if in_other_hands:
            # Their writer lost the line but may still be writing the PLC: never call them "not there".
            missing = [b for b in missing if b not in in_other_hands]
            previous = fence.previous
            reason = OperatorText(QT_TRANSLATE_NOOP("OperatorText",
                "written by the instance that served the line before (host {host}, PID {pid}), which may still "
                "be writing the PLC; held, it is asked about again at the next sync"),
                host=previous.host if previous else "?", pid=previous.pid if previous else "?")
            held_message = await self._hold(in_other_hands, reason)
            if found:
                await self.db(self.store.mark_downloaded, [b.mo_id for b in found])
            return Settled(found, held_message=held_message)
        if found:
            await self.db(self.store.mark_downloaded, [b.mo_id for b in found])
            log.warning("The PLC holds %d batch(es) of an unconfirmed download (%s); recorded as downloaded, "
                        "not downloaded again", len(found), ", ".join(b.mo_id for b in found))
            for batch in found:
                self._unsettled_said.discard(batch.mo_id)
        if missing and found:
            reason = OperatorText(QT_TRANSLATE_NOOP("OperatorText",
                "the PLC holds only part of this download (it is missing from its slot); held, "
                "it is not downloaded again until an operator clears and releases it"))
            return Settled(found, held_message=await self._hold(missing, reason, partial=True))
        if missing:
            await self.db(self.store.remove_undownloaded, [b.mo_id for b in missing])
            log.warning("The PLC does not hold %d batch(es) of an unconfirmed download (%s); removed from the "
                        "table, their MOs stay open in Odoo", len(missing), ", ".join(b.mo_id for b in missing))
            for batch in missing:
                self._unsettled_said.discard(batch.mo_id)
        return Settled(found, missing)

    async def _hold(self, rows: list[Batch], reason: str, partial: bool = False) -> str:
        await self.db(self.store.mark_held, [b.mo_id for b in rows], str(reason), partial)
        fresh = [b.mo_id for b in rows if b.mo_id not in self._unsettled_said]
        message = f"Download of MO {', '.join(b.mo_id for b in rows)} not confirmed: {reason}"
        if fresh:
            self._unsettled_said.update(fresh)
            log.error("HELD: %s", message)
        if self.alarms is not None:
            for batch in rows:
                await self.alarms.raise_alarm("batch.held", held_alarm_text(batch.batch_no, batch.mo_id, reason),
                                              batch.mo_id, mo_id=batch.mo_id, batch_no=batch.batch_no)
        return message

    async def _ask_plc(self) -> "DownloadEvidence | None":
        """What the PLC's READ and WRITE slots hold; None if the PLC cannot be asked within a few seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + LANDED_CHECK_SECONDS
        while True:
            try:
                return await asyncio.wait_for(self.plc.download_evidence(),
                                              timeout=max(0.1, deadline - loop.time()))
            except (PlcError, TimeoutError):  # the link is still reconnecting
                if loop.time() >= deadline:
                    return None
                await asyncio.sleep(0.25)

    def _failed(self, message: str) -> SyncOutcome:
        log.error(message)
        return SyncOutcome("failed", message)


@dataclass(frozen=True)
class Settled:
    """What asking the PLC about unconfirmed rows decided."""

    downloaded: list[Batch] = field(default_factory=list)
    removed: list[Batch] = field(default_factory=list)
    held_message: str | None = None


def _never_taken(evidence: "DownloadEvidence", rows: list[Batch]) -> bool:
    """The PLC's WRITE slots still hold part of this download and its handshake word was never set:
    the PLC takes a download only as a whole, on the handshake, and a reset would have blanked the
    slots, so none of it was taken."""
    return evidence.handshake != 0 and any(evidence.write.get(b.batch_no) == b.plc_key for b in rows)


def recipe_for(mo: ManufacturingOrder, batch_no: int, plc_key: str | None = None) -> BatchRecipe:
    return BatchRecipe(
        batch_no=batch_no,
        mo_id=plc_key or mo.mo_id,
        bom_code=mo.bom_code,
        product_name=mo.product_name,
        quantity=mo.quantity,
        targets_kg={silo: target.target_kg for silo, target in mo.targets.items()},
    )

