"""Which targets the sync refuses to download (hmi.services.dosable): pure, every edge by hand."""

from __future__ import annotations

import pytest

from hmi.domain import ManufacturingOrder, Silo, SiloTarget
from hmi.services.dosable import undosable_reason


def _mo(*targets: float, quantity: float = 1000.0) -> ManufacturingOrder:
    silos = list(Silo)
    return ManufacturingOrder(mo_id="WH/MO/1", product_name="P", quantity=quantity, equipment_code="PLC01",
                              bom_code="B", targets={silos[i]: SiloTarget(silos[i], f"C{i}", kg)
                                                     for i, kg in enumerate(targets)})


@pytest.mark.parametrize("targets, quantity, words", [
    ((5000.0,), 6000.0, None),  # at the cap: dosable
    ((5000.01,), 6000.0, "silo A target 5000.01 kg is above PLC_MAX_KG_PER_SILO (5000 kg)"),
    ((1000.0, 0.0), 1000.0, None),  # the whole MO from one silo; a zero target is no target
    ((1000.5,), 1000.0, "silo A target 1000.5 kg is above the MO's own quantity (1000 kg)"),
    ((999.0, 0.005), 1000.0, "silo B target 0.005 kg is below the PLC's resolution (0.01 kg) and would be sent as 0"),
    ((999.0, 0.006), 1000.0, None),  # encodes as 0.01: dosed, within the PLC's resolution
])
def test_targets_the_plc_cannot_dose_as_written_are_named(targets, quantity, words):
    reason = undosable_reason(_mo(*targets, quantity=quantity), 5000.0, 0.01)
    if words is None:
        assert reason is None
    else:
        assert reason is not None and words in reason and reason.endswith("left out, correct the MO in Odoo")


def test_a_float32_register_map_carries_small_targets():
    assert undosable_reason(_mo(999.0, 0.004), 5000.0, 0.0) is None
