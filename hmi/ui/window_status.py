"""What the window says about the plant, as pure functions over a status snapshot.

The banner (what is wrong, most urgent first), the idle panel's reason, the countdown and the
sentence for a sync's outcome are worked out here from a :class:`StatusSnapshot`, without a window,
so each rule can be tested on its own. The texts keep the "MainWindow" translation context they
always had (resources/i18n/batch_hmi_id.ts).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from hmi.domain import Batch, BatchState
from hmi.services.health import LinkQuality, OdooHealth, PlcHealth, SyncRecord
from hmi.ui.formatting import format_age, format_countdown
from hmi.ui.i18n import localized
from hmi.ui.status_badges import link_word

translate = QCoreApplication.translate

#: The banner's words for a fault (red); the alarm priorities CRITICAL and HIGH count as faults too.
#: Banner lines that start with any other word (stale, attention) make it amber.
FAULT_WORDS = (QT_TRANSLATE_NOOP("MainWindow", "PLC OFFLINE"), QT_TRANSLATE_NOOP("MainWindow", "DATABASE FAULT"),
               QT_TRANSLATE_NOOP("MainWindow", "SYNC ALERT"), QT_TRANSLATE_NOOP("MainWindow", "CRITICAL"),
               QT_TRANSLATE_NOOP("MainWindow", "HIGH"))


@dataclass(frozen=True)
class StatusSnapshot:
    """The plant as the window last saw it: links, database, alarms, table and sync timer."""

    now: datetime
    plc: PlcHealth | None = None
    odoo: OdooHealth | None = None
    #: The batch table could not be read (the error), and whether it has been read at all yet.
    db_error: str | None = None
    db_checked: bool = False
    #: The health monitor's sync alert (shown only when there is no alarm list to show it).
    sync_alert: object | None = None
    #: The alarm list's banner lines; None when the deployment has no alarm service.
    alarm_lines: tuple[str, ...] | None = None
    batches: tuple[Batch, ...] = ()
    #: Unacknowledged equipment failures and the newest of them.
    failures: int = 0
    newest_failure: object | None = None
    sync_running: bool = False
    auto_sync_enabled: bool = True
    next_sync_in: float | None = None
    last_sync: SyncRecord | None = None


def count(n: int, one: str, many: str) -> str:
    """'1 MO', '3 MOs' in the window's language (the words come translated)."""
    return f"{n} {one if n == 1 else many}"


def first_sentence(text: str) -> str:
    """The status bar has one line: what happened. The advice that follows is in the log and the banner."""
    head, dot, _rest = text.partition(". ")
    return head + ("" if head.endswith(".") else ".") if dot else text


def next_sync_phrase(s: StatusSnapshot) -> str:
    if not s.auto_sync_enabled:
        return translate("MainWindow", "Auto-sync is paused; Trigger sync tries now.")
    if s.next_sync_in is None:
        return translate("MainWindow", "Trigger sync tries now.")
    return translate("MainWindow", "Next sync in {time}; Trigger sync tries now.").format(
        time=format_countdown(s.next_sync_in))


def countdown_text(s: StatusSnapshot) -> str:
    """The status bar's sync countdown."""
    if s.sync_running:
        return translate("MainWindow", "sync running…")
    if not s.auto_sync_enabled:
        return translate("MainWindow", "auto-sync paused")
    if s.next_sync_in is None:
        return translate("MainWindow", "auto-sync waiting")
    return translate("MainWindow", "next sync in {time}").format(time=format_countdown(s.next_sync_in))


def banner_lines(s: StatusSnapshot) -> list[str]:
    """What is wrong, most urgent first: the PLC, then syncs, then batches Odoo did not take."""
    lines = []
    plc = s.plc
    if plc is not None and plc.quality in (LinkQuality.OFFLINE, LinkQuality.STALE):
        since = (translate("MainWindow", "last reading {age} ago").format(age=format_age(plc.last_good_read, s.now))
                 if plc.last_good_read else translate("MainWindow", "no reading since start-up"))
        link = "" if plc.link_state == "CONNECTED" else translate("MainWindow", ", link {state}").format(
            state=link_word(plc.link_state).lower())
        word = (translate("MainWindow", "PLC OFFLINE") if plc.quality is LinkQuality.OFFLINE
                else translate("MainWindow", "PLC STALE"))
        lines.append(translate("MainWindow", "{word}: PLC at {endpoint}, {since}{link}. Batch states and values below "
                                             "are the last ones read, NOT CURRENT. Check the PLC and its network; the "
                                             "link reconnects by itself.").format(
            word=word, endpoint=plc.endpoint, since=since, link=link))
    if s.db_error:
        lines.append(translate("MainWindow", "{word}: the batch table cannot be read; the table below is not current. "
                                             "Check the database server (details in the DB badge).").format(
            word=translate("MainWindow", FAULT_WORDS[1])))
    if s.alarm_lines is not None:
        # Then the alarm list, highest priority unacknowledged first: failing syncs, batches Odoo
        # did not take, held downloads and the rest are alarms there (docs/operations.md, Alarms).
        lines += s.alarm_lines
    else:
        lines += _lines_without_alarms(s)
    if s.failures and s.newest_failure is not None:
        newest = s.newest_failure
        more = translate("MainWindow", "; {count} unacknowledged").format(count=s.failures) if s.failures > 1 else ""
        lines.append(translate("MainWindow", "EQUIPMENT FAILURE: {code} - {info} (PLC time {time}){more}; acknowledge "
                                             "it in the Equipment failures tab").format(
            code=newest.equipment_code, info=newest.info, time=newest.failure_time_text, more=more))
    return lines


def _lines_without_alarms(s: StatusSnapshot) -> list[str]:
    """Without an alarm list the banner names the sync alert, the batches Odoo did not take and the held ones."""
    lines = []
    if s.sync_alert:
        lines.append(translate("MainWindow", "{word}: {alert}. {next}").format(
            word=translate("MainWindow", FAULT_WORDS[2]), alert=localized(s.sync_alert).rstrip("."),
            next=next_sync_phrase(s)))
    attention = [b for b in s.batches if b.state is BatchState.ATTENTION]
    if attention:
        which = ", ".join(translate("MainWindow", "batch {batch} (MO {mo})").format(batch=b.batch_no, mo=b.mo_id)
                          for b in attention[:3])
        if len(attention) > 3:
            which += translate("MainWindow", " and {n} more").format(n=len(attention) - 3)
        lines.append(translate("MainWindow", "ATTENTION: Odoo did not take the report of {which}. It is not retried "
                                             "automatically: select the row and press Details for Odoo's answer.").format(
            which=which))
    held = [b for b in s.batches if b.state is BatchState.HELD]
    if held:
        batches = count(len(held), translate("MainWindow", "batch"), translate("MainWindow", "batches"))
        mos = ", ".join(b.mo_id for b in held[:3]) + (" …" if len(held) > 3 else "")
        lines.append(translate("MainWindow", "HELD: the PLC has not confirmed the download of {batches} (MO {mos}); "
                                             "they are not downloaded again. The PLC is asked at every sync; if it was "
                                             "reset, Clear and release.").format(batches=batches, mos=mos))
    return lines


def banner_severity(lines: list[str]) -> str:
    """"fault" (red) for a PLC offline, database, sync alert or a critical/high alarm; else "warning" (amber).
    The shape and the first word say the same without colour."""
    fault_words = tuple(translate("MainWindow", word) for word in FAULT_WORDS) + FAULT_WORDS
    return "fault" if any(line.startswith(fault_words) for line in lines) else "warning"


def idle_shown(s: StatusSnapshot) -> bool:
    """The idle panel replaces the table when it has been read, is empty, and the database answers."""
    return not s.batches and s.db_checked and not s.db_error


def idle_reason(s: StatusSnapshot) -> str:
    """What an empty line is waiting for, in one or two sentences."""
    plc, odoo = s.plc, s.odoo
    if s.sync_running:
        return translate("MainWindow", "A sync is running: asking Odoo for the next MOs.")
    if plc is not None and plc.quality is LinkQuality.OFFLINE:
        return translate("MainWindow", "Waiting for the PLC: it is OFFLINE, so no recipes can be written to it. "
                                       "The next sync fetches MOs once the PLC answers again.")
    if odoo is not None and odoo.state == "FAULT":
        return translate("MainWindow", "Odoo unreachable: the last request failed. {when} The Odoo badge's tooltip "
                                       "has the error.").format(when=next_sync_phrase(s))
    if not s.auto_sync_enabled:
        return translate("MainWindow", "Auto-sync is paused: press Trigger sync to fetch the next MOs from Odoo, or "
                                       "Resume auto-sync.")
    last = s.last_sync
    nothing = translate("MainWindow", " Odoo had no MOs ready for this line at the last sync.") if last is not None \
        and last.outcome == "synced" and not last.count else ""
    return translate("MainWindow", "Waiting for the next sync.") + nothing + " " + next_sync_phrase(s)


def describe_outcome(outcome, english: bool = False) -> str:
    """One operator sentence for a sync result (``english``: for the log, which stays English)."""
    if english:
        def say(text: str) -> str:
            return text
    else:
        def say(text: str) -> str:
            return translate("MainWindow", text)
    if outcome.outcome == "skipped":
        batches = count(outcome.count, say(QT_TRANSLATE_NOOP("MainWindow", "batch")),
                        say(QT_TRANSLATE_NOOP("MainWindow", "batches")))
        return say(QT_TRANSLATE_NOOP("MainWindow", "Sync skipped: {batches} still in the table; new MOs are "
                                                   "fetched once the table is empty")).format(batches=batches)
    if outcome.outcome == "synced":
        if outcome.count:
            mos = count(outcome.count, say(QT_TRANSLATE_NOOP("MainWindow", "MO")),
                        say(QT_TRANSLATE_NOOP("MainWindow", "MOs")))
            return say(QT_TRANSLATE_NOOP("MainWindow", "Sync fetched {mos} from Odoo and wrote them to the "
                                                       "PLC")).format(mos=mos)
        return say(QT_TRANSLATE_NOOP("MainWindow", "Sync done: {message}")).format(message=outcome.message)
    if outcome.outcome == "failed":
        return say(QT_TRANSLATE_NOOP("MainWindow", "Sync failed: {reason}")).format(
            reason=first_sentence(outcome.message))
    return say(QT_TRANSLATE_NOOP("MainWindow", "Sync not started: {reason}")).format(
        reason=first_sentence(outcome.message))
