"""Production report over known history rows: the totals written out by hand; plant days and shifts."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from hmi.domain import Silo, Verdict
from hmi.clock import PlantClock
from hmi.services.reports import ReportService, report_as_dict
from hmi.store import migrate
from tools.support.history_rows import history_row, write_history

UTC = timezone.utc
A, B, C, LQ114 = Silo.A, Silo.B, Silo.C, Silo.LQ114
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # 16:00 in Jakarta (UTC+7), 2026-11-30


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


KNOWN_ROWS = [
    # archived at (UTC)      product   status        silo: (target, actual)                finished
    ("MO/001", "GROWER", "completed", at("2026-11-30T01:00"), {A: (400, 402), B: (100, 99)}, 500.5),
    ("MO/002", "GROWER", "completed", at("2026-11-30T03:00"), {A: (400, 396), C: (200, 201)}, 596.0),
    ("MO/003", "LAYER", "completed", at("2026-11-30T05:00"), {A: (300, 300.5), LQ114: (20, 19.5)}, 319.0),
    ("MO/004", "LAYER", "failed", at("2026-11-30T06:00"), {A: (300, 150)}, None),
    ("MO/005", "GROWER", "cleared", at("2026-11-30T07:00"), {B: (100, 40)}, None),
    ("MO/006", "GROWER", "cancelled", at("2026-11-30T08:00"), {A: (300, None)}, None),
    # 23:59 on the 29th in Jakarta: yesterday, and the night shift that crosses midnight
    ("MO/007", "GROWER", "completed", at("2026-11-29T16:59"), {A: (400, 400)}, 400.0),
    # 05:30 on the 30th in Jakarta: today, and still the night shift that began at 22:00 on the 29th
    ("MO/009", "GROWER", "completed", at("2026-11-29T22:30"), {B: (100, 101)}, 101.0),
    # 00:00 on 1 December in Jakarta: not today
    ("MO/008", "LAYER", "completed", at("2026-11-30T17:00"), {A: (300, 300)}, 300.0),
]


@pytest.fixture
def known_history(engine):
    migrate(engine)
    write_history(engine, [history_row(mo, product, status, archived, dosing, finished, batch_no=n)
                           for n, (mo, product, status, archived, dosing, finished) in enumerate(KNOWN_ROWS, 1)])
    return engine


def service(engine, now=NOW, zone="Asia/Jakarta") -> ReportService:
    return ReportService(engine, None, PlantClock(zone, "06:00,14:00,22:00"), now=lambda: now)


def test_today_totals_equal_the_hand_computed_ones(known_history):
    reports = service(known_history)
    report = reports.report_blocking(reports.range_for("today"))
    data = report_as_dict(report)
    assert data["range"]["from"] == "2026-11-29T17:00:00+00:00" and data["range"]["to"] == "2026-11-30T17:00:00+00:00"
    assert data["range"]["timezone"] == "Asia/Jakarta"
    assert data["batches_by_status"] == {"completed": 4, "failed": 1, "cancelled": 1, "cleared": 1}
    assert data["total_batches"] == 7
    assert data["products"] == [
        # GROWER: MO/001, MO/002, MO/009. Targets 400+100+400+200+100, actuals 402+99+396+201+101
        {"product": "GROWER", "batches": 3, "target_kg": 1200.0, "actual_kg": 1199.0, "deviation_kg": -1.0,
         "deviation_percent": -0.08, "by_hand_kg": 0.0, "open_by_hand": 0, "finished_kg": 1197.5},
        # LAYER: MO/003 only (MO/004 failed). 300+20 against 300.5+19.5
        {"product": "LAYER", "batches": 1, "target_kg": 320.0, "actual_kg": 320.0, "deviation_kg": 0.0,
         "deviation_percent": 0.0, "by_hand_kg": 0.0, "open_by_hand": 0, "finished_kg": 319.0},
    ]
    assert data["completed_totals"] == {"batches": 4, "target_kg": 1520.0, "actual_kg": 1519.0,
                                        "deviation_kg": -1.0, "by_hand_kg": 0.0, "open_by_hand": 0,
                                        "finished_kg": 1516.5}
    # Every archived batch took material from its silos, whatever its outcome.
    assert data["silos"] == [
        {"silo": "A", "kg": 1248.5, "batches": 4},   # 402 + 396 + 300.5 + 150 (failed)
        {"silo": "B", "kg": 240.0, "batches": 3},    # 99 + 40 (cleared) + 101
        {"silo": "C", "kg": 201.0, "batches": 1},
        {"silo": "LQ114", "kg": 19.5, "batches": 1},
    ]
    assert data["out_of_tolerance"] == []  # no batch of the day was judged outside its tolerance


def test_batches_judged_outside_tolerance_are_listed_and_on_their_ticket(known_history, engine):
    from hmi.store.tolerances import SiloToleranceStore
    from hmi.store.repository import BatchStore

    # The completion round stored these verdicts: MO/002 silo A 4 kg short with 2 kg allowed.
    deviations = ('{"A": {"target": 400, "actual": 396, "deviation": -4.0, "allowed": 2.0, "within": false}, '
                  '"C": {"target": 200, "actual": 201, "deviation": 1.0, "allowed": 2.0, "within": true}}')
    store = SiloToleranceStore(engine)
    assert store.record_verdict("MO/002", "outside", deviations)
    assert store.record_verdict("MO/001", "within", '{"A": {"deviation": 2.0, "allowed": 8.0, "within": true}}')
    reports = service(engine)
    data = report_as_dict(reports.report_blocking(reports.range_for("today")))
    assert data["out_of_tolerance"] == [
        {"mo_id": "MO/002", "batch_no": 2, "product": "GROWER", "silos": "A under -4.00 kg (allowed ±2)"}]
    entry = next(e for e in BatchStore(engine).history.page(limit=20).entries if e.mo_id == "MO/002")
    ticket = reports.ticket_blocking(entry)
    # A record stored before the direction was: the sign of the deviation says under.
    assert {line.silo: line.verdict for line in ticket.lines} == {"A": Verdict.UNDER, "C": Verdict.WITHIN}
    assert ticket.within is False


def test_night_shift_crossing_midnight_counts_both_days(known_history):
    # 03:00 on the 30th in Jakarta: the shift that began at 22:00 on the 29th
    reports = service(known_history, now=at("2026-11-29T20:00"))
    time_range = reports.range_for("this-shift")
    assert (time_range.start, time_range.end) == (at("2026-11-29T15:00"), at("2026-11-29T23:00"))
    data = report_as_dict(reports.report_blocking(time_range))
    assert data["batches_by_status"]["completed"] == 2  # MO/007 (23:59) and MO/009 (05:30)
    assert data["products"][0] == {"product": "GROWER", "batches": 2, "target_kg": 500.0, "actual_kg": 501.0,
                                        "deviation_kg": 1.0, "deviation_percent": 0.2, "by_hand_kg": 0.0,
                                        "open_by_hand": 0, "finished_kg": 501.0}


def test_yesterday_and_last_seven_days(known_history):
    reports = service(known_history)
    yesterday = report_as_dict(reports.report_blocking(reports.range_for("yesterday")))
    assert yesterday["batches_by_status"]["completed"] == 1  # MO/007
    week = report_as_dict(reports.report_blocking(reports.range_for("last-7-days")))
    assert week["total_batches"] == 8  # everything but MO/008 (tomorrow in Jakarta)


def test_a_day_with_a_dst_change_is_counted_by_the_plant_clock(engine):
    migrate(engine)
    # Berlin leaves summer time on 2026-10-25: the day runs 22:00Z on the 24th to 23:00Z on the 25th (25 h).
    rows = [("DST/1", at("2026-10-24T21:59")), ("DST/2", at("2026-10-24T22:00")),
            ("DST/3", at("2026-10-25T22:30")), ("DST/4", at("2026-10-25T23:00"))]
    write_history(engine, [history_row(mo, "GROWER", "completed", when, {A: (100, 100)}, 100.0)
                           for mo, when in rows])
    reports = service(engine, now=at("2026-10-25T12:00"), zone="Europe/Berlin")
    today = reports.range_for("today")
    assert today.end - today.start == timedelta(hours=25)
    assert reports.report_blocking(today).by_status["completed"] == 2  # DST/2 and DST/3
    # The night shift of that day (22:00 CEST to 06:00 CET) is nine hours long.
    night = service(engine, now=at("2026-10-25T02:00"), zone="Europe/Berlin").range_for("this-shift")
    assert (night.start, night.end) == (at("2026-10-24T20:00"), at("2026-10-25T05:00"))
    # Spring: 2026-03-29 has 23 hours.
    spring = service(engine, now=at("2026-03-29T12:00"), zone="Europe/Berlin").range_for("today")
    assert spring.end - spring.start == timedelta(hours=23)


def test_hourly_consumption_for_the_trend(known_history):
    reports = service(known_history)
    hours = dict(reports.hourly_blocking(at("2026-11-30T00:00"), at("2026-11-30T09:00")))
    assert hours[at("2026-11-30T01:00")] == {"A": 402.0, "B": 99.0}
    assert hours[at("2026-11-30T06:00")] == {"A": 150.0}  # the failed batch took material too
    assert at("2026-11-30T08:00") not in hours  # the cancelled batch dosed nothing
    assert sorted(hours) == [at(f"2026-11-30T0{h}:00") for h in (1, 3, 5, 6, 7)]


def _hand_line(mo_id: str, product_id: int, name: str, target: float, weighed: float | None, archived_at: datetime,
               by: str = "ana") -> dict:
    return {"mo_id": mo_id, "equipment_code": "PLC01", "product_id": product_id, "product_name": name,
            "target_kg": target, "uom": "kg", "actual_kg": weighed,
            "confirmed_at": archived_at - timedelta(minutes=5) if weighed is not None else None,
            "confirmed_by": by if weighed is not None else None, "source": "operator" if weighed is not None else None,
            "created_at": archived_at - timedelta(hours=1), "archived_at": archived_at}


def test_hand_added_components_count_like_for_like_and_are_listed_per_product(known_history):
    """A confirmed hand-added component counts on both sides of its product's total, an open one on neither;
    both are listed per product, in the JSON, the CSV and the workbook."""
    from io import BytesIO

    from openpyxl import load_workbook
    from sqlalchemy import insert

    from hmi.services.report_export import report_csv, report_xlsx
    from hmi.store.models import hand_add_lines

    rows = {mo: archived for mo, _p, _s, archived, _d, _f in KNOWN_ROWS}
    with known_history.begin() as conn:
        conn.execute(insert(hand_add_lines), [
            _hand_line("MO/001", 901, "DEMITOX", 2.5, 2.6, rows["MO/001"]),
            _hand_line("MO/002", 901, "DEMITOX", 2.5, 2.4, rows["MO/002"], by="budi"),
            _hand_line("MO/002", 902, "PREMIX LAYER", 1.0, None, rows["MO/002"]),   # never confirmed
            _hand_line("MO/004", 901, "DEMITOX", 2.5, 2.5, rows["MO/004"]),          # failed: not in the products
            _hand_line("MO/008", 901, "DEMITOX", 2.5, 2.5, rows["MO/008"]),          # not today
        ])
    reports = service(known_history)
    data = report_as_dict(reports.report_blocking(reports.range_for("today")))
    grower = data["products"][0]
    # 1200 + 2.5 + 2.5 against 1199 + 2.6 + 2.4; the open PREMIX LAYER (1 kg) on neither side.
    assert (grower["target_kg"], grower["actual_kg"], grower["deviation_kg"]) == (1205.0, 1204.0, -1.0)
    assert (grower["by_hand_kg"], grower["open_by_hand"], grower["deviation_percent"]) == (5.0, 1, -0.08)
    assert data["products"][1]["by_hand_kg"] == 0.0  # LAYER: the failed batch's medicine is not production
    assert data["hand_added"] == [
        {"product": "GROWER", "component": "DEMITOX", "confirmed": 2, "target_kg": 5.0, "weighed_kg": 5.0,
         "open": 0, "open_target_kg": 0.0},
        {"product": "GROWER", "component": "PREMIX LAYER", "confirmed": 0, "target_kg": 0.0, "weighed_kg": 0.0,
         "open": 1, "open_target_kg": 1.0},
    ]
    report = reports.report_blocking(reports.range_for("today"))
    csv_text = report_csv(report)
    assert "Hand-added components (completed batches)" in csv_text
    assert "GROWER,PREMIX LAYER,0,0.000,0.000,1,1.000" in csv_text
    book = load_workbook(BytesIO(report_xlsx(report)))
    sheet = book["By hand"]
    assert [c.value for c in sheet[3]] == ["GROWER", "DEMITOX", 2, 5.0, 5.0, 0, 0.0]
    products = book["Products"]
    assert [c.value for c in products[2]][6:8] == ["By hand kg", "Open by hand"]
    assert [c.value for c in products[3]][:8] == ["GROWER", 3, 1205.0, 1204.0, -1.0, -0.08, 5.0, 1]


def test_a_batch_archived_hours_later_counts_in_the_shift_it_was_dosed(engine):
    """Odoo was down all night: the batch finished at 03:10 in Jakarta (night shift) and was archived
    at 09:00 (morning shift), when Odoo answered again. It belongs to the night shift."""
    from hmi.domain import HistoryStatus
    from hmi.store.repository import BatchStore
    from tools.support.factories import make_mo, make_reading

    store = BatchStore(engine)
    mo = make_mo(1, silos=2)
    store.insert_batches([mo])
    done_at = at("2026-11-29T20:10")  # 03:10 on the 30th in Jakarta
    store.apply_plc_reading(make_reading(mo, 1, fraction=0.5), 5000, now=at("2026-11-29T20:00"))
    store.apply_plc_reading(make_reading(mo, 1, fraction=1.0, done=True), 5000, now=done_at)
    store.apply_plc_reading(make_reading(mo, 1, fraction=1.0, done=True), 5000, now=at("2026-11-30T01:00"))
    assert store.archive(mo.mo_id, HistoryStatus.COMPLETED)  # archived now, days later

    night = service(engine, now=at("2026-11-29T21:00"))
    night_range = night.range_for("this-shift")
    assert night_range.start_text == "2026-11-29 22:00" and night_range.end_text == "2026-11-30 06:00"
    report = night.report_blocking(night_range)
    assert report.by_status["completed"] == 1
    assert report.products[0].actual_kg == 100.0 + 101.0
    morning = service(engine, now=at("2026-11-30T02:00"))  # 09:00 in Jakarta
    assert morning.report_blocking(morning.range_for("this-shift")).total_batches == 0
    hours = dict(night.hourly_blocking(at("2026-11-29T15:00"), at("2026-11-29T23:00")))
    assert list(hours) == [at("2026-11-29T20:00")]


def test_a_shift_starting_in_the_spring_gap_starts_when_the_clocks_jump(engine):
    """Berlin skips 02:00-03:00 on 2026-03-29: a shift set to start at 02:30 starts at 03:00 CEST
    (01:00 UTC), not at 03:30; the shift before it ends there."""
    clock = PlantClock("Europe/Berlin", "02:30,10:30,18:30")
    early = clock.shift_containing(at("2026-03-29T01:15"))  # 03:15 CEST
    assert (early.start, early.end) == (at("2026-03-29T01:00"), at("2026-03-29T08:30"))
    assert early.start_text == "2026-03-29 03:00"
    before = clock.shift_containing(at("2026-03-29T00:59"))  # 01:59 CET
    assert (before.start, before.end) == (at("2026-03-28T17:30"), at("2026-03-29T01:00"))
    # A time that happens twice (autumn) is its first occurrence: 02:30 CEST = 00:30 UTC.
    autumn = clock.shift_containing(at("2026-10-25T00:45"))
    assert autumn.start == at("2026-10-25T00:30")


def test_what_failed_and_cleared_batches_dosed_is_in_the_report_until_booked(engine):
    from hmi.clock import utc_now
    from hmi.domain import HistoryStatus
    from hmi.services.report_export import report_sections
    from hmi.store import BatchStore
    from hmi.store.bookings import BookingStore
    from tools.support.factories import make_mo, make_reading

    migrate(engine)
    store = BatchStore(engine)
    cleared, failed = make_mo(1, silos=2), make_mo(2, silos=1)
    store.insert_batches([cleared, failed])
    store.apply_plc_reading(make_reading(cleared, 1, fraction=0.5), 5000)
    store.apply_plc_reading(make_reading(failed, 2, fraction=0.25, failed=True), 5000)
    assert store.archive(failed.mo_id, HistoryStatus.CANCELLED, "Cancelled in Odoo (failed)")
    store.clear("rina")
    now = utc_now()
    report = service(engine, now=now).report_blocking(service(engine, now=now).range_for("today"))
    assert report.dosed_not_produced == [
        {"mo_id": failed.mo_id, "batch_no": 2, "outcome": "cancelled", "component": "silo101", "kg": 25.0,
         "booked_by": None},
        {"mo_id": cleared.mo_id, "batch_no": 1, "outcome": "cleared", "component": "silo101", "kg": 50.0,
         "booked_by": None},
        {"mo_id": cleared.mo_id, "batch_no": 1, "outcome": "cleared", "component": "silo102", "kg": 50.5,
         "booked_by": None}]
    assert report_as_dict(report)["dosed_not_produced"] == report.dosed_not_produced
    title, header, rows = report_sections(report)[-1]
    assert title.startswith("Dosed, not produced") and rows[0] == [failed.mo_id, 2, "CANCELLED", "silo101", 25.0,
                                                                  "OPEN"]
    first = BookingStore(engine).list()[0]
    BookingStore(engine).mark_booked([first.id], "sari", now)
    report = service(engine, now=now).report_blocking(service(engine, now=now).range_for("today"))
    assert report.dosed_not_produced[0]["booked_by"] == "sari"
