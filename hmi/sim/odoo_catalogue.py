"""Deterministic feed-mill data for the fake Odoo: equipment, products, and seeded MOs.

Kept apart from the HTTP server so the seed can be read, changed and tested on its own. The silo
ingredients and equipment codes are the origin plant's (origin-system.md §5).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from hmi.domain import Silo

#: What each silo/tank holds at the origin plant.
SILO_INGREDIENTS: dict[Silo, str] = {
    Silo.A: "PKE PELLET",
    Silo.B: "KOPRA",
    Silo.C: "POLLARD ANGSA",
    Silo.D: "JAGUNG GILING",
    Silo.E: "CGF",
    Silo.F: "ONGGOK",
    Silo.G: "DDGS JAGUNG",
    Silo.H: "AMPOK JAGUNG",
    Silo.I: "SAWIT",
    Silo.J: "KULIT KOPI",
    Silo.K: "KATUL",
    Silo.L: "KLENTENG",
    Silo.M: "BSJ",
    Silo.LQ114: "TETES",
    Silo.LQ115: "FML",
}

#: Hand-added ingredients with no silo: Odoo shows them on the MO-level equipment PLC01.
PLC01_ADDITIVES: tuple[str, ...] = ("DEMITOX", "CaCO3", "GARAM", "SBM", "PREMIX LAYER")

#: Finished products (display names as Odoo shows them). Each fits the PLC's 16-character text
#: field, so the demo's own data never triggers the "cut to 16 characters" warning; the cutting
#: itself is covered by the codec tests with longer names.
FEED_PRODUCTS: tuple[str, ...] = (
    "[10092] SAPOT 1B",
    "[10093] SAPOT 2",
    "[10101] PEDAGING",
    "[10105] PETELUR",
    "[10117] SAPI KR",
    "[10120] KAMBING",
    "[10133] ITIK PTL",
    "[10140] BEBEK PD",
)

#: What the fake Odoo accepts and seeds unless told otherwise (hmi.sim.odoo, its command line).
DEFAULT_DB = "feedmill"
DEFAULT_LOGIN = "admin"
DEFAULT_PASSWORD = "admin"
DEFAULT_MO_COUNT = 42

PLC_EQUIPMENT_CODE = "PLC01"
SECOND_LINE_CODE = "PLC02"
ODOO_DATETIME = "%Y-%m-%dT%H:%M:%S"


def equipment_catalogue() -> dict[str, dict]:
    """scada.equipment records by code, with every field of the addon's EQUIPMENT object."""
    catalogue: dict[str, dict] = {
        PLC_EQUIPMENT_CODE: _equipment(3, PLC_EQUIPMENT_CODE, "Main PLC - Batching Line 1", "plc",
                                       manufacturer="OMRON", model="CJ2M-CPU33", port=9600, protocol="fins"),
        SECOND_LINE_CODE: _equipment(4, SECOND_LINE_CODE, "Main PLC - Batching Line 2", "plc",
                                     manufacturer="OMRON", model="CJ2M-CPU33", port=9600, protocol="fins"),
    }
    for offset, silo in enumerate(Silo):
        catalogue[silo.odoo_code] = _equipment(
            5 + offset, silo.odoo_code, silo.long_label, "tank" if silo.is_liquid else "silo",
            manufacturer="", model="", port=0, protocol="middleware",
        )
    return catalogue


def line_equipment(code: str) -> dict:
    """scada.equipment of one more batching line's PLC (PLC03, PLC04, ...), for plants with many lines."""
    digits = "".join(char for char in code if char.isdigit())
    number = int(digits) if digits else 0
    return _equipment(1000 + number, code, f"Main PLC - Batching Line {number or code}", "plc",
                      manufacturer="OMRON", model="CJ2M-CPU33", port=9600, protocol="fins")


def _equipment(eq_id: int, code: str, name: str, kind: str, *, manufacturer: str, model: str,
               port: int, protocol: str) -> dict:
    return {
        "id": eq_id, "code": code, "name": name, "equipment_type": kind, "manufacturer": manufacturer,
        "model_number": model, "serial_number": f"SN-{code.upper()}", "ip_address": "192.168.1.10" if port else "",
        "port": port, "protocol": protocol, "is_active": True, "connection_status": "connected",
        "sync_status": "synced", "last_connected": "2026-03-02T05:55:00",
    }


@dataclass
class FakeMove:
    """One raw-material line of a fake MO (BoM quantity + what was reported as consumed)."""

    move_id: int
    product_id: int
    product_name: str
    bom_qty: float
    equipment_code: str
    quantity_done: float = 0.0
    #: The unit bom_qty and quantity_done are in (the addon writes quantity_done as given).
    uom: str = "kg"


@dataclass
class FakeMo:
    """The part of an mrp.production the grt_scada routes read and write."""

    mo_db_id: int
    name: str
    state: str
    product_id: int
    product_name: str
    product_qty: float
    bom_id: int
    bom_code: str | None
    date_planned_start: datetime
    date_planned_finished: datetime
    origin: str | None
    moves: list[FakeMove] = field(default_factory=list)
    #: The unit of product_qty and qty_producing.
    uom: str = "kg"
    qty_producing: float = 0.0
    date_finished: str | None = None
    #: The MO-level equipment: the batching line (PLC) that doses it.
    line: str = "PLC01"


def seed_mos(count: int, seed: int = 1, name_format: str = "WH/MO/{number:05d}") -> list[FakeMo]:
    """`count` confirmed MOs, identical for the same (count, seed); ``name_format`` names them
    (a plant's longer sequence, e.g. "FEEDMILL/LINE1/MO/{number:05d}").

    Pairs of MOs share a planned start so the addon's order 'date_planned_start asc, id desc' is visible:
    WH/MO/00002 comes before WH/MO/00001.
    """
    rng = random.Random(seed)
    start = datetime(2026, 3, 2, 6, 0, 0)
    silos = [s for s in Silo if not s.is_liquid]
    move_ids = iter(range(1000, 1_000_000))
    product_ids = {name: 40 + i for i, name in enumerate(FEED_PRODUCTS)}
    ingredient_ids = {name: 200 + i for i, name in enumerate([*SILO_INGREDIENTS.values(), *PLC01_ADDITIVES])}
    mos: list[FakeMo] = []
    for number in range(1, count + 1):
        product_index = rng.randrange(len(FEED_PRODUCTS))
        product = FEED_PRODUCTS[product_index]
        batch_kg = float(rng.choice((1000, 1000, 2000, 2500, 3000)))
        planned = start + timedelta(minutes=30 * ((number - 1) // 2))
        mo = FakeMo(
            mo_db_id=number, name=name_format.format(number=number), state="confirmed",
            product_id=product_ids[product], product_name=product, product_qty=batch_kg,
            bom_id=10 + product_index, bom_code=None if rng.random() < 0.3 else f"BOM-{product[1:6]}",
            date_planned_start=planned, date_planned_finished=planned + timedelta(hours=1),
            origin=None if rng.random() < 0.5 else f"SO{1000 + number}",
        )
        # 5..9 dry silos + usually both tanks + 1..3 additives; shares sum to the batch weight.
        dry = rng.sample(silos, rng.randint(5, 9))
        liquids = [s for s in (Silo.LQ114, Silo.LQ115) if rng.random() < 0.8]
        additives = rng.sample(PLC01_ADDITIVES, rng.randint(1, 3))
        additive_kg = [round(batch_kg * rng.uniform(0.002, 0.01), 2) for _ in additives]
        liquid_kg = [round(batch_kg * rng.uniform(0.02, 0.05), 2) for _ in liquids]
        weights = [rng.uniform(1.0, 4.0) for _ in dry]
        dry_total = batch_kg - sum(additive_kg) - sum(liquid_kg)
        dry_kg = [round(dry_total * w / sum(weights), 2) for w in weights]
        for silo, kg in zip([*dry, *liquids], [*dry_kg, *liquid_kg]):
            name = SILO_INGREDIENTS[silo]
            mo.moves.append(FakeMove(next(move_ids), ingredient_ids[name], name, kg, silo.odoo_code))
        for name, kg in zip(additives, additive_kg):
            mo.moves.append(FakeMove(next(move_ids), ingredient_ids[name], name, kg, PLC_EQUIPMENT_CODE))
        mos.append(mo)
    return mos
