"""MO JSON -> domain mapping: component routing, validation policy, and a property test."""

from __future__ import annotations

import logging
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hmi.domain import Silo
from hmi.odoo.errors import OdooPayloadError
from hmi.odoo.mapping import map_mo, map_mo_list, silo_for_equipment_code


def component(name: str, code: str | None, to_consume: object = 100.0, **extra: object) -> dict:
    equipment = None if code is None else {"id": 1, "code": code, "name": code.upper()}
    product_id = extra.pop("product_id", 100 + sum(name.encode()) % 900)
    return {"product_id": product_id, "product_name": name, "to_consume": to_consume, "reserved": 0.0,
            "consumed": 0.0, "uom": "kg", "equipment": equipment, **extra}


def mo(mo_id: object = "WH/MO/00001", **overrides: object) -> dict:
    raw = {
        "mo_id": mo_id,
        "state": "confirmed",
        "product_name": "[10092] JF SAPOT 1B",
        "quantity": 1000.0,
        "equipment": {"id": 3, "code": "PLC01", "name": "Main PLC"},
        "bom_id": 7,
        "bom_code": "BOM-SAPOT",
        "components_consumption": [
            component("PKE PELLET", "silo101", 250.0),
            component("POLLARD ANGSA", "silo103", 300.5),
            component("TETES", "lq114", 40.0),
            component("FML", "lq115", 30.0),
            component("DEMITOX", "PLC01", 1.5),
            component("GARAM", "PLC01", 2.0),
        ],
    }
    raw.update(overrides)
    return raw


@pytest.mark.parametrize(
    ("code", "silo"),
    [("silo101", Silo.A), ("silo113", Silo.M), ("lq114", Silo.LQ114), ("lq115", Silo.LQ115),
     ("SILO_107", Silo.G), ("silo114", Silo.LQ114)],
)
def test_equipment_codes_map_to_silos(code: str, silo: Silo) -> None:
    assert silo_for_equipment_code(code) is silo


@pytest.mark.parametrize("code", ["PLC01", "silo100", "silo116", "silo999", "silo1015", "SILO_A", "", None, 101])
def test_other_equipment_codes_are_not_silos(code: object) -> None:
    assert silo_for_equipment_code(code) is None


def test_mo_fields_and_targets_are_mapped(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="hmi.odoo"):
        order = map_mo(mo())
    assert order.mo_id == "WH/MO/00001"
    assert order.product_name == "[10092] JF SAPOT 1B"
    assert order.quantity == 1000.0
    assert order.equipment_code == "PLC01"
    assert order.bom_code == "BOM-SAPOT"
    assert {s: t.target_kg for s, t in order.targets.items()} == {
        Silo.A: 250.0, Silo.C: 300.5, Silo.LQ114: 40.0, Silo.LQ115: 30.0}
    assert order.targets[Silo.C].component_name == "POLLARD ANGSA"
    assert order.unmapped_components == ("DEMITOX", "GARAM")
    assert [(c.product_name, c.target_kg, c.equipment_code) for c in order.hand_added] == [
        ("DEMITOX", 1.5, "PLC01"), ("GARAM", 2.0, "PLC01")]
    # The MO's total agrees with Odoo: silos and tanks plus what is added by hand.
    assert order.target_total_kg == pytest.approx(250.0 + 300.5 + 40.0 + 30.0 + 1.5 + 2.0)
    info = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert len(info) == 1 and "added by hand" in info[0]
    assert "DEMITOX 1.5 kg (PLC01)" in info[0] and "GARAM 2 kg (PLC01)" in info[0]


def test_bom_id_is_used_when_bom_code_is_empty() -> None:
    assert map_mo(mo(bom_code=False, bom_id=12)).bom_code == "12"
    assert map_mo(mo(bom_code=None, bom_id=False)).bom_code == ""


def test_consumed_is_the_fallback_when_to_consume_is_absent() -> None:
    comp = component("KOPRA", "silo102", None, consumed=123.0)
    del comp["to_consume"]
    assert map_mo(mo(components_consumption=[comp])).targets[Silo.B].target_kg == 123.0


def test_two_components_on_one_silo_are_summed_and_warned(caplog: pytest.LogCaptureFixture) -> None:
    comps = [component("JAGUNG GILING", "silo104", 200.0), component("JAGUNG GILING HALUS", "silo104", 50.0)]
    with caplog.at_level(logging.WARNING, logger="hmi.odoo"):
        order = map_mo(mo(components_consumption=comps))
    assert order.targets[Silo.D].target_kg == 250.0
    assert order.targets[Silo.D].component_name == "JAGUNG GILING + JAGUNG GILING HALUS"
    assert any("silo D" in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)


def test_component_without_equipment_is_unmapped() -> None:
    order = map_mo(mo(components_consumption=[component("CaCO3", None)]))
    assert order.targets == {}
    assert order.unmapped_components == ("CaCO3",)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"mo_id": None}, "mo_id"),
        ({"mo_id": "  "}, "mo_id"),
        ({"mo_id": 17}, "mo_id"),
        ({"quantity": None}, "quantity"),
        ({"quantity": "1000"}, "quantity"),
        ({"quantity": True}, "quantity"),
        ({"quantity": -1.0}, "quantity"),
        ({"quantity": math.nan}, "quantity"),
        ({"quantity": math.inf}, "quantity"),
        ({"components_consumption": {"a": 1}}, "components_consumption"),
        ({"components_consumption": [component("KATUL", "silo111", -5.0)]}, "components_consumption[0].to_consume"),
        ({"components_consumption": [component("KATUL", "silo111", "5")]}, "components_consumption[0].to_consume"),
        ({"components_consumption": [component("KATUL", "silo111", math.nan)]},
         "components_consumption[0].to_consume"),
        ({"components_consumption": ["x"]}, "components_consumption[0]"),
    ],
)
def test_invalid_mo_raises_payload_error_naming_field(overrides: dict, field: str) -> None:
    with pytest.raises(OdooPayloadError) as caught:
        map_mo(mo(**overrides))
    assert caught.value.field == field
    assert field in str(caught.value)


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        (component("DEMITOX", "PLC01", math.nan), "components_consumption[0].to_consume"),
        (component("DEMITOX", "PLC01", 1.5, product_id=False), "components_consumption[0].product_id"),
        (component("DEMITOX", "PLC01", 1.5, uom="Units"), "components_consumption[0].uom"),
    ],
)
def test_bad_hand_added_component_rejects_the_mo(bad: dict, field: str) -> None:
    # A hand-added component is part of the batch now: a batch must not silently lack its premix.
    with pytest.raises(OdooPayloadError) as caught:
        map_mo(mo(components_consumption=[bad, component("SAWIT", "silo109", 10.0)]))
    assert caught.value.field == field


def test_hand_added_grams_are_kept_in_kg_and_one_product_twice_is_summed() -> None:
    comps = [component("PREMIX LAYER", "PLC01", 2500.0, uom="g", product_id=7),
             component("PREMIX LAYER", "PLC01", 0.5, product_id=7)]
    (premix,) = map_mo(mo(components_consumption=comps)).hand_added
    assert (premix.product_id, premix.target_kg) == (7, 3.0)


def test_bad_mo_is_skipped_and_named_the_rest_kept(caplog: pytest.LogCaptureFixture) -> None:
    data = [mo("WH/MO/00001"), mo("WH/MO/00002", quantity=-3.0), mo(None), "junk", mo("WH/MO/00003")]
    with caplog.at_level(logging.WARNING, logger="hmi.odoo"):
        result = map_mo_list(data)
    assert [m.mo_id for m in result.mos] == ["WH/MO/00001", "WH/MO/00003"]
    assert result.received == 5
    assert [(r.position, r.mo_id, r.field) for r in result.rejected] == [
        (1, "WH/MO/00002", "quantity"), (2, None, "mo_id"), (3, None, "<MO>")]
    assert "WH/MO/00002" in caplog.text and "quantity" in caplog.text


def test_duplicate_mo_id_keeps_the_first_and_names_the_rest() -> None:
    result = map_mo_list([mo("WH/MO/00007", quantity=500.0), mo("WH/MO/00007", quantity=900.0)])
    assert [(m.mo_id, m.quantity) for m in result.mos] == [("WH/MO/00007", 500.0)]
    assert len(result.rejected) == 1
    assert result.rejected[0].mo_id == "WH/MO/00007" and "repeated" in str(result.rejected[0])


@pytest.mark.parametrize("data", [None, {"data": []}, "[]", 3])
def test_a_response_that_is_not_a_list_fails_the_fetch(data: object) -> None:
    with pytest.raises(OdooPayloadError) as caught:
        map_mo_list(data)
    assert caught.value.field == "data"


# ---- property test: any JSON-shaped input either maps or raises the documented error ----------------------

json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
equipment_codes = st.sampled_from(["silo101", "silo105", "silo113", "lq114", "lq115", "PLC01", "silo999"])
quantities = st.floats(allow_nan=True, allow_infinity=True) | st.integers() | json_scalars
components = st.fixed_dictionaries(
    {"product_name": st.text(max_size=10) | json_scalars},
    optional={
        "to_consume": quantities,
        "consumed": quantities,
        "equipment": st.none() | st.fixed_dictionaries({"code": equipment_codes | json_scalars}) | json_values,
    },
)
mo_objects = st.fixed_dictionaries(
    {},
    optional={
        "mo_id": st.sampled_from(["WH/MO/00001", "WH/MO/00002", ""]) | json_scalars,
        "quantity": quantities,
        "product_name": st.text(max_size=10) | json_scalars,
        "state": st.sampled_from(["confirmed", "progress"]) | json_scalars,
        "equipment": st.none() | json_values,
        "bom_id": json_values,
        "bom_code": json_values,
        "components_consumption": st.lists(components | json_values, max_size=5) | json_values,
    },
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(mo_objects | json_values, max_size=6) | json_values)
def test_mapping_never_raises_anything_but_payload_error(data: object) -> None:
    try:
        result = map_mo_list(data)
    except OdooPayloadError as exc:
        assert exc.field == "data"
        return
    ids = [m.mo_id for m in result.mos]
    assert len(ids) == len(set(ids))
    assert len(result.mos) + len(result.rejected) == result.received
    for order in result.mos:
        assert math.isfinite(order.quantity) and order.quantity >= 0
        for target in order.targets.values():
            assert math.isfinite(target.target_kg) and target.target_kg >= 0
