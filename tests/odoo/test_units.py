"""Every figure in its unit: what the PLC is given (kg) and what Odoo books (the move's own unit, rounded as
Odoo rounds it), on the grt_scada fake and the stock 16–19 fakes, over real loopback sockets."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Iterator

import pytest

from hmi.domain import Silo
from hmi.odoo.client import OdooClient
from hmi.odoo.errors import OdooApplicationError
from hmi.odoo.rpc import Json2Transport, JsonRpcTransport
from hmi.odoo.stock_client import StockOdooClient
from hmi.odoo.units import Unit, round_like_odoo, unit_by_name, weight_units
from hmi.silo_assignment import parse_entries
from hmi.sim.odoo import DEFAULT_DB, DEFAULT_LOGIN, DEFAULT_PASSWORD, FakeOdoo
from hmi.sim.stock_catalogue import (
    DEMO_SILO_ASSIGNMENT,
    UOM_G,
    UOM_KG,
    UOM_LB,
    UOM_ONS,
    UOM_SACK,
    UOM_SHORT_TON,
    UOM_T,
    uom_records,
)
from hmi.sim.stock_http import FakeStockOdoo

ASSIGNMENT = parse_entries(DEMO_SILO_ASSIGNMENT)
#: uom id, a demand in that unit, the same demand in kg.
WEIGHTS = [
    pytest.param(UOM_G, 82969.0, 82.969, id="g"),
    pytest.param(UOM_T, 0.5, 500.0, id="t"),
    pytest.param(UOM_LB, 100.0, 45.359237, id="lb"),
    pytest.param(UOM_SHORT_TON, 1.0, 907.18474, id="custom-bigger-short-ton"),
    pytest.param(UOM_ONS, 30.0, 3.0, id="custom-smaller-ons"),
]


# ---- the conversion itself ---------------------------------------------------------------------------------


@pytest.mark.parametrize("version", [16, 18, 19])
@pytest.mark.parametrize("reference", [UOM_KG, UOM_LB, UOM_G], ids=["kg-ref", "lb-ref", "g-ref"])
def test_every_weight_unit_converts_through_its_reference(version, reference):
    units = weight_units(uom_records(version, reference).values())
    assert units[UOM_KG].kg == pytest.approx(1.0)
    assert units[UOM_G].kg == pytest.approx(0.001)
    assert units[UOM_T].kg == pytest.approx(1000.0)
    assert units[UOM_LB].kg == pytest.approx(0.45359237)
    assert units[UOM_SHORT_TON].kg == pytest.approx(907.18474)  # named "ton", but not 1,000 kg
    assert units[UOM_ONS].kg == pytest.approx(0.1)
    assert UOM_SACK not in units and 1 not in units  # no kg in their category: not weights


def test_rounding_is_odoos_half_up():
    assert round_like_odoo(0.65889, 0.01) == 0.66
    assert round_like_odoo(0.655, 0.01) == 0.66  # half up, not to even
    assert round_like_odoo(2.5, 1.0) == 3.0
    assert round_like_odoo(1.23456789, 0) == 1.234568
    assert Unit("t", 1000.0, 0.01).booked(658.89) == 0.66


def test_grt_scada_names_only_the_units_it_can_be_sure_of():
    assert unit_by_name("g").kg == 0.001 and unit_by_name(" T ").kg == 1000.0 and unit_by_name("lb").kg == 0.45359237
    assert unit_by_name("ton") is None  # short or metric: refused, never guessed
    assert unit_by_name("sak") is None and unit_by_name(None) is None


# ---- grt_scada -----------------------------------------------------------------------------------------------


@pytest.fixture
def scada() -> Iterator[FakeOdoo]:
    fake = FakeOdoo(port=0, mo_count=6, seed=7)
    fake.start()
    yield fake
    fake.stop()


def scada_client(fake: FakeOdoo) -> OdooClient:
    return OdooClient(fake.base_url, DEFAULT_DB, DEFAULT_LOGIN, DEFAULT_PASSWORD, timeout=5.0)


def _first_silo_component(fake: FakeOdoo, name: str) -> tuple[str, str]:
    component = next(c for c in fake.mo(name)["components_consumption"] if c["equipment"]["code"].startswith("silo"))
    return component["equipment"]["code"], component["product_name"]


@pytest.mark.parametrize("uom, amount, kg", [("g", 30000.0, 30.0), ("t", 0.5, 500.0), ("lb", 100.0, 45.359237),
                                             ("kg", 12.5, 12.5)])
def test_grt_scada_targets_are_kg_and_actuals_go_back_in_the_moves_unit(scada, uom, amount, kg):
    name = "WH/MO/00001"
    code, product = _first_silo_component(scada, name)
    scada.set_units(name, {product: (amount, uom)}, mo_uom="t", mo_qty=1.0)
    with scada_client(scada) as client:
        order = next(mo for mo in client.fetch_mos(limit=10).mos if mo.mo_id == name)
        silo = next(s for s in order.targets if s.odoo_code == code)
        assert order.targets[silo].target_kg == pytest.approx(kg)
        assert order.quantity == pytest.approx(1000.0)  # 1 t
        client.push_consumption(name, 998.5, {silo: kg})
    body = scada.pushes[-1]["body"]
    assert body[code] == pytest.approx(amount)  # in the move's unit
    assert body["quantity"] == pytest.approx(0.9985)  # in the MO's unit (t)
    assert scada.mo(name)["fake"]["quantity_done_by_product"][product] == pytest.approx(amount)


def test_grt_scada_write_back_after_a_restart_finds_the_units_again(scada):
    name = "WH/MO/00002"
    code, product = _first_silo_component(scada, name)
    scada.set_units(name, {product: (82969.0, "g")}, mo_uom="t", mo_qty=1.0)
    with scada_client(scada) as client:  # a client that never fetched this MO (the app restarted)
        client.push_consumption(name, 0.0, {code: 82.9})
        client.mark_done(name, 1000.0, datetime(2026, 3, 2, 8))
    assert scada.pushes[-1]["body"][code] == pytest.approx(82900.0)
    assert scada.mark_dones[-1]["body"]["finished_qty"] == pytest.approx(1.0)  # 1,000 kg in the MO's unit (t)


@pytest.mark.parametrize("uom", ["ton", "ons", "sack", "Units"])
def test_grt_scada_unknown_unit_leaves_the_mo_out_named(scada, uom, caplog):
    caplog.set_level(logging.WARNING)
    name = "WH/MO/00001"
    _code, product = _first_silo_component(scada, name)
    scada.set_units(name, {product: (3.0, uom)})
    with scada_client(scada) as client:
        fetched = client.fetch_mos(limit=10)
        assert name not in [mo.mo_id for mo in fetched.mos]
        [rejected] = [r for r in fetched.rejected if r.mo_id == name]
        assert f"unit '{uom}' of {product} is not a weight the app knows" in rejected.reason
        # And a write-back for it (say the unit changed after the download) writes nothing in a guessed unit.
        with pytest.raises(OdooApplicationError, match="cannot be converted"):
            client.push_consumption(name, 100.0, {Silo.A: 10.0})
    assert not [p for p in scada.pushes if p["mo_id"] == name]
    assert any(name in message and uom in message for message in caplog.messages)


def test_grt_scada_two_units_on_one_silo_leave_the_mo_out(scada):
    name = "WH/MO/00001"
    code, product = _first_silo_component(scada, name)
    scada.add_mo_json({**scada.mo(name), "mo_id": "WH/MO/09999", "components_consumption": [
        {"product_id": 1, "product_name": "CORN A", "to_consume": 500.0, "uom": "g", "equipment": {"code": code}},
        {"product_id": 2, "product_name": "CORN B", "to_consume": 0.5, "uom": "kg", "equipment": {"code": code}}]})
    with scada_client(scada) as client:
        fetched = client.fetch_mos(limit=10)
    [rejected] = [r for r in fetched.rejected if r.mo_id == "WH/MO/09999"]
    assert "one figure per silo" in rejected.reason


def test_grt_scada_mo_below_the_smallest_batch_is_not_downloaded(scada):
    scada.set_units("WH/MO/00001", {}, mo_qty=1.5)
    with OdooClient(scada.base_url, DEFAULT_DB, DEFAULT_LOGIN, DEFAULT_PASSWORD, timeout=5.0,
                    min_batch_kg=2.0) as client:
        fetched = client.fetch_mos(limit=10)
    assert "WH/MO/00001" not in [mo.mo_id for mo in fetched.mos]
    [rejected] = [r for r in fetched.rejected if r.mo_id == "WH/MO/00001"]
    assert "is 1.5 kg, below the smallest batch the line doses (2 kg)" in rejected.reason


# ---- stock Odoo 16–19 ----------------------------------------------------------------------------------------


@pytest.fixture(params=[16, 17, 18, 19], ids=["odoo16", "odoo17", "odoo18", "odoo19"])
def stock(request) -> Iterator[FakeStockOdoo]:
    server = FakeStockOdoo(port=0, version=request.param, mo_count=6)
    server.start()
    yield server
    server.stop()


def stock_client(fake: FakeStockOdoo, **options) -> StockOdooClient:
    if fake.version >= 19:
        transport = Json2Transport(fake.base_url, fake.db, fake.login, fake.api_key, 5.0)
    else:
        transport = JsonRpcTransport(fake.base_url, fake.db, fake.login, "admin", 5.0)
    return StockOdooClient(transport, lambda: ASSIGNMENT, picking_type="Manufacturing", **options)


def _first_move(fake: FakeStockOdoo, name: str = "WH/MO/00001") -> dict:
    mo = fake.state.mo_by_name(name)
    return fake.state.records["stock.move"][mo["move_raw_ids"][0]]


def _silo_of(fake: FakeStockOdoo, move: dict) -> Silo:
    code = fake.state.records["product.product"][move["product_id"]]["default_code"]
    return ASSIGNMENT.silo_for_code(code)


def _done(fake: FakeStockOdoo, move: dict) -> float:
    return move["quantity_done"] if fake.version <= 16 else move["quantity"]


@pytest.mark.parametrize("reference", [UOM_KG, UOM_LB], ids=["kg-reference", "lb-reference"])
@pytest.mark.parametrize("uom_id, demand, kg", WEIGHTS)
def test_stock_targets_are_kg_and_actuals_are_booked_in_the_moves_unit(stock, reference, uom_id, demand, kg):
    if reference != UOM_KG:
        stock.state.use_weight_reference(reference)
    move = _first_move(stock)
    move.update(product_uom=uom_id, product_uom_qty=demand, product_qty=demand)
    silo = _silo_of(stock, move)
    client = stock_client(stock)
    order = next(mo for mo in client.fetch_mos(5).mos if mo.mo_id == "WH/MO/00001")
    assert order.targets[silo].target_kg == pytest.approx(kg)
    actual = {s: t.target_kg for s, t in order.targets.items()}
    client.push_consumption(order.mo_id, order.quantity, actual)
    assert _done(stock, move) == pytest.approx(demand, abs=0.006)  # the demand, in its unit, as Odoo rounds it


def test_stock_unit_that_is_no_weight_leaves_the_mo_out_named(stock):
    move = _first_move(stock)
    move.update(product_uom=UOM_SACK)
    fetched = stock_client(stock).fetch_mos(5)
    assert "WH/MO/00001" not in [mo.mo_id for mo in fetched.mos]
    [rejected] = [r for r in fetched.rejected if r.mo_id == "WH/MO/00001"]
    assert "unit sack is not a weight" in rejected.reason


def _second_move_like(fake: FakeStockOdoo, move: dict, demand: float, uom_id: int) -> dict:
    state = fake.state
    new_id = max(state.records["stock.move"]) + 1
    state.records["stock.move"][new_id] = state._new_move(new_id, move["product_id"], demand, uom_id,
                                                          move["raw_material_production_id"])
    state.records["mrp.production"][move["raw_material_production_id"]]["move_raw_ids"].append(new_id)
    return state.records["stock.move"][new_id]


def test_two_moves_of_one_silo_in_different_units_share_it_in_kg(stock):
    grams = _first_move(stock)
    grams.update(product_uom=UOM_G, product_uom_qty=500.0, product_qty=500.0)
    kilos = _second_move_like(stock, grams, 0.5, UOM_KG)
    silo = _silo_of(stock, grams)
    client = stock_client(stock)
    order = next(mo for mo in client.fetch_mos(5).mos if mo.mo_id == "WH/MO/00001")
    assert order.targets[silo].target_kg == pytest.approx(1.0)
    actual = {s: t.target_kg for s, t in order.targets.items()}
    client.push_consumption(order.mo_id, order.quantity, actual)
    assert _done(stock, grams) == pytest.approx(500.0) and _done(stock, kilos) == pytest.approx(0.5)


def test_rounding_of_the_unit_is_what_the_log_says_odoo_booked(stock, caplog):
    caplog.set_level(logging.INFO, logger="hmi.odoo")
    move = _first_move(stock)
    move.update(product_uom=UOM_T, product_uom_qty=0.65707, product_qty=0.65707)  # t rounds to 0.01 t
    silo = _silo_of(stock, move)
    client = stock_client(stock)
    order = next(mo for mo in client.fetch_mos(5).mos if mo.mo_id == "WH/MO/00001")
    actual = {s: t.target_kg for s, t in order.targets.items()}
    actual[silo] = 658.89
    receipt = client.push_consumption(order.mo_id, order.quantity, actual)
    assert _done(stock, move) == pytest.approx(0.66)
    code = stock.state.records["product.product"][move["product_id"]]["default_code"]
    assert receipt.applied[code] == pytest.approx(660.0)
    [line] = [m for m in caplog.messages if m.startswith("Wrote the actuals of MO WH/MO/00001")]
    assert f"{silo.odoo_code} {code}=0.66 t (660 kg booked for 658.89 kg" in line
    assert "+-1.11" not in line and "-1.11 kg of the silo's 658.89 kg not booked" in line


def test_rounding_remainder_goes_to_the_next_move_of_the_silo(stock):
    tonnes = _first_move(stock)
    tonnes.update(product_uom=UOM_T, product_uom_qty=0.33, product_qty=0.33)
    kilos = _second_move_like(stock, tonnes, 328.89, UOM_KG)
    silo = _silo_of(stock, tonnes)
    client = stock_client(stock)
    order = next(mo for mo in client.fetch_mos(5).mos if mo.mo_id == "WH/MO/00001")
    actual = {s: t.target_kg for s, t in order.targets.items()}
    actual[silo] = 661.0
    client.push_consumption(order.mo_id, order.quantity, actual)
    booked_kg = _done(stock, tonnes) * 1000 + _done(stock, kilos)
    assert _done(stock, tonnes) == pytest.approx(0.33)
    assert booked_kg == pytest.approx(661.0, abs=0.0005)  # the batch total is not lost to the rounding


def _backorders(fake: FakeStockOdoo, name: str) -> list[dict]:
    return [mo for mo in fake.state.records["mrp.production"].values() if mo["name"].startswith(name + "-")
            and mo["state"] != "done"]


def _tolerance(target_kg: float) -> float:
    return max(2.0, 0.02 / 100 * target_kg)  # DOSING_TOLERANCE_KG 2, a tight 0.02 %


def test_scale_shortfall_within_tolerance_closes_the_mo_without_backorder(stock):
    client = stock_client(stock, backorder="backorder", shortfall_tolerance=_tolerance)
    order = client.fetch_mos(1).mos[0]
    produced = order.quantity - 1.5
    client.push_consumption(order.mo_id, produced, {s: t.target_kg for s, t in order.targets.items()})
    result = client.mark_done(order.mo_id, produced, datetime(2026, 3, 2, 8))
    assert "closed without backorder: 1.5 kg short" in result.message
    assert not _backorders(stock, order.mo_id)


def test_real_partial_production_makes_a_backorder_and_a_tiny_one_is_not_downloaded(stock):
    client = stock_client(stock, backorder="backorder", shortfall_tolerance=_tolerance, min_batch_kg=2.0)
    order = client.fetch_mos(1).mos[0]
    produced = order.quantity * 0.6
    client.push_consumption(order.mo_id, produced, {s: t.target_kg * 0.6 for s, t in order.targets.items()})
    result = client.mark_done(order.mo_id, produced, datetime(2026, 3, 2, 8))
    assert "backorder created for the rest" in result.message
    [backorder] = _backorders(stock, order.mo_id)
    assert backorder["product_qty"] == pytest.approx(order.quantity * 0.4)
    assert backorder["name"] in [mo.mo_id for mo in client.fetch_mos(10).mos]
    backorder["product_qty"] = 1.5  # what a scale shortfall left before: never a batch
    fetched = client.fetch_mos(10)
    assert backorder["name"] not in [mo.mo_id for mo in fetched.mos]
    [rejected] = [r for r in fetched.rejected if r.mo_id == backorder["name"]]
    assert "below the smallest batch the line doses (2 kg)" in rejected.reason
