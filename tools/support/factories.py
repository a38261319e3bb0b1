"""Small builders for domain objects, used across the test suite, the tools and the benchmarks."""

from __future__ import annotations

from hmi.domain import ALL_SILOS, ManufacturingOrder, PlcSlotReading, Silo, SiloTarget

_INGREDIENTS = ["PKE PELLET", "KOPRA", "POLLARD ANGSA", "JAGUNG GILING", "CGF", "ONGGOK", "DDGS JAGUNG",
                "AMPOK JAGUNG", "SAWIT", "KULIT KOPI", "KATUL", "KLENTENG", "BSJ", "TETES", "FML"]


def make_mo(number: int, silos: int = 4, line: str = "PLC01", kg: float = 100.0) -> ManufacturingOrder:
    targets = {
        silo: SiloTarget(silo, _INGREDIENTS[index], kg + index)
        for index, silo in enumerate(ALL_SILOS[:silos])
    }
    return ManufacturingOrder(
        mo_id=f"WH/MO/{number:05d}",
        product_name=f"[{10000 + number}] JF SAPOT 1B",
        quantity=sum(t.target_kg for t in targets.values()),
        equipment_code=line,
        bom_code=f"BOM-{number}",
        targets=targets,
    )


def make_reading(
    mo: ManufacturingOrder,
    batch_no: int,
    fraction: float = 0.5,
    done: bool = False,
    failed: bool = False,
    overrides: dict[Silo, float] | None = None,
) -> PlcSlotReading:
    actual = {silo: round(t.target_kg * fraction, 2) for silo, t in mo.targets.items()}
    actual.update(overrides or {})
    return PlcSlotReading(
        slot=batch_no,
        batch_no=batch_no,
        mo_id=mo.mo_id,
        bom_code=mo.bom_code,
        product_name=mo.product_name[:16],
        quantity=mo.quantity,
        actual_kg=actual,
        silo_ids={silo: silo.equipment_id for silo in ALL_SILOS},
        status_manufacturing=done,
        status_operation=failed,
        weight_finished_good=round(sum(actual.values()), 2) if done else 0.0,
        status_read_data=False,
    )
