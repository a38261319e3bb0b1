"""Deterministic feed-mill data for the fake stock Odoo: products with internal references, units,
operation types, work centers and seeded MOs (confirmed, with raw moves), plus the demo silo assignment.

The internal references match DEMO_SILO_ASSIGNMENT, so the demo and the tests put every ordinary
component in a silo; MOs listed in `UNASSIGNED_MO_NUMBERS` carry one hand-added premix that sits in no
silo (the "left out of the sync" path).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from hmi.domain import Silo
from hmi.sim.odoo_catalogue import FEED_PRODUCTS, SILO_INGREDIENTS

#: Internal reference (default_code) of what each silo holds in the demo.
SILO_CODES: dict[Silo, str] = {
    Silo.A: "RM-PKE", Silo.B: "RM-KOPRA", Silo.C: "RM-POLLARD", Silo.D: "RM-CORN", Silo.E: "RM-CGF",
    Silo.F: "RM-ONGGOK", Silo.G: "RM-DDGS", Silo.H: "RM-AMPOK", Silo.I: "RM-SAWIT", Silo.J: "RM-COFFEE",
    Silo.K: "RM-KATUL", Silo.L: "RM-KLENTENG", Silo.M: "RM-BSJ", Silo.LQ114: "RM-TETES", Silo.LQ115: "RM-FML",
}

#: The demo silo assignment, as the admin API and the Silos dialog show it.
DEMO_SILO_ASSIGNMENT: list[dict[str, str]] = [
    {"silo": silo.label, "product_code": SILO_CODES[silo], "product_name": SILO_INGREDIENTS[silo]} for silo in Silo
]

PREMIX_CODE = "ADD-PREMIX"
PREMIX_NAME = "PREMIX LAYER"
UNASSIGNED_MO_NUMBERS = (3,)

#: uom.uom records: id -> (name, category, size in the category's base (kg for Weight), rounding).
#: "ton" is a custom unit meaning a short ton (907.18474 kg), "ons" a custom smaller one (100 g);
#: "sack" is a weight-sounding unit of a category without kg (it cannot be converted).
UOMS: dict[int, tuple[str, str, float, float]] = {
    1: ("Units", "Unit", 1.0, 0.01),
    12: ("kg", "Weight", 1.0, 0.001),
    13: ("g", "Weight", 0.001, 0.01),
    14: ("t", "Weight", 1000.0, 0.01),
    15: ("lb", "Weight", 0.45359237, 0.01),
    16: ("ton", "Weight", 907.18474, 0.001),
    17: ("ons", "Weight", 0.1, 0.01),
    18: ("sack", "Packaging", 1.0, 1.0),
}
UOM_KG, UOM_G, UOM_T, UOM_LB, UOM_SHORT_TON, UOM_ONS, UOM_SACK = 12, 13, 14, 15, 16, 17, 18
CATEGORIES = {"Unit": 1, "Weight": 2, "Packaging": 3}


def uom_records(version: int, weight_reference: int = UOM_KG) -> dict[int, dict]:
    """uom.uom records as Odoo `version` stores them, with `weight_reference` the reference (16–18) or root
    (19) of the weight units: 16–18 `category_id`, `factor` (units per reference unit), `uom_type`;
    19 `relative_uom_id`, `relative_factor` (one unit = relative_factor reference units), `factor`."""
    records: dict[int, dict] = {}
    for uom_id, (name, category, size, rounding) in UOMS.items():
        reference = weight_reference if category == "Weight" else uom_id
        reference_size = UOMS[reference][2]
        ratio = size / reference_size  # reference units in one unit
        record: dict = {"id": uom_id, "name": name, "rounding": rounding}
        if version <= 18:
            record.update(category_id=CATEGORIES[category], factor=1.0 / ratio,
                          uom_type="reference" if uom_id == reference else ("bigger" if ratio > 1 else "smaller"))
        else:
            record.update(relative_uom_id=False if uom_id == reference else reference, relative_factor=ratio,
                          factor=ratio)
        records[uom_id] = record
    return records

#: FML is stocked in grams (converted to kg for the PLC and back for Odoo).
GRAM_CODES = frozenset({"RM-FML"})

WAREHOUSES = {1: "WH", 2: "WH2"}
#: stock.picking.type: id -> (name, warehouse id). Two lines, two operation types.
PICKING_TYPES = {8: ("Manufacturing", 1), 21: ("Batching Line 2", 2)}
LINE_PICKING_TYPE = 8
OTHER_PICKING_TYPE = 21
#: mrp.workcenter: id -> (code, name)
WORKCENTERS = {1: ("MIX1", "Mixer line 1"), 2: ("MIX2", "Mixer line 2")}
LINE_WORKCENTER = 1


@dataclass
class SeedProduct:
    product_id: int
    default_code: str | None
    name: str
    uom_id: int


@dataclass
class SeedMove:
    product_id: int
    demand: float  # in the product's unit
    uom_id: int


@dataclass
class SeedMo:
    number: int
    name: str
    product_id: int
    product_qty: float
    bom_id: int
    date_start: datetime
    origin: str | False
    picking_type_id: int
    workcenter_id: int
    reservation_state: str
    consumption: str  # flexible / warning / strict (from the BoM)
    moves: list[SeedMove]


def seed_products() -> dict[int, SeedProduct]:
    products: dict[int, SeedProduct] = {}
    for index, name in enumerate(FEED_PRODUCTS):
        code = name[1:6]  # "[10092] JF SAPOT 1B" -> "10092"
        products[40 + index] = SeedProduct(40 + index, code, name.split("] ", 1)[1], UOM_KG)
    for index, silo in enumerate(Silo):
        code = SILO_CODES[silo]
        products[200 + index] = SeedProduct(200 + index, code, SILO_INGREDIENTS[silo],
                                            UOM_G if code in GRAM_CODES else UOM_KG)
    products[300] = SeedProduct(300, PREMIX_CODE, PREMIX_NAME, UOM_KG)
    return products


def seed_mos(count: int, seed: int = 1) -> list[SeedMo]:
    """`count` confirmed MOs, identical for the same (count, seed); every 5th belongs to the other line."""
    rng = random.Random(seed)
    products = seed_products()
    by_code = {p.default_code: p for p in products.values()}
    start = datetime(2026, 3, 2, 6, 0, 0)
    mos: list[SeedMo] = []
    for number in range(1, count + 1):
        index = rng.randrange(len(FEED_PRODUCTS))
        batch_kg = float(rng.choice((1000, 1000, 2000, 2500, 3000)))
        other_line = number % 5 == 0
        dry = rng.sample([s for s in Silo if not s.is_liquid], rng.randint(4, 7))
        liquids = [s for s in (Silo.LQ114, Silo.LQ115) if rng.random() < 0.7]
        liquid_kg = [round(batch_kg * rng.uniform(0.02, 0.05), 2) for _ in liquids]
        premix_kg = round(batch_kg * 0.005, 2) if number in UNASSIGNED_MO_NUMBERS else 0.0
        weights = [rng.uniform(1.0, 4.0) for _ in dry]
        dry_total = batch_kg - sum(liquid_kg) - premix_kg
        dry_kg = [round(dry_total * w / sum(weights), 2) for w in weights]
        moves: list[SeedMove] = []
        for silo, kg in zip([*dry, *liquids], [*dry_kg, *liquid_kg]):
            product = by_code[SILO_CODES[silo]]
            quantity = round(kg * 1000, 1) if product.uom_id == UOM_G else kg
            moves.append(SeedMove(product.product_id, quantity, product.uom_id))
        if premix_kg:
            moves.append(SeedMove(by_code[PREMIX_CODE].product_id, premix_kg, UOM_KG))
        mos.append(SeedMo(
            number=number, name=f"WH/MO/{number:05d}", product_id=40 + index, product_qty=batch_kg,
            bom_id=10 + index, date_start=start + timedelta(minutes=30 * number),
            origin=False if rng.random() < 0.5 else f"SO{1000 + number}",
            picking_type_id=OTHER_PICKING_TYPE if other_line else LINE_PICKING_TYPE,
            workcenter_id=2 if other_line else LINE_WORKCENTER,
            reservation_state="assigned" if number % 2 else "confirmed",
            consumption="warning" if number % 4 == 0 else "flexible",
            moves=moves,
        ))
    return mos
