"""Whether an MO's silo targets can be downloaded at all (pure; the sync asks before it stores anything).

An MO is left out of the sync, with one reason naming the silo and the figures, when a silo or tank
target is
- above ``PLC_MAX_KG_PER_SILO`` (the PLC would dose it, but no reading of it could be accepted back),
- above the MO's own quantity (one component cannot weigh more than the whole batch),
- not zero but below what the PLC's REAL field carries (it would arrive as 0: a medicine never dosed).

A target below the resolution is refused, not rounded up: rounding 0.004 kg to 0.01 kg would dose
two and a half times the recipe, and either way the recipe in Odoo needs correcting.
"""

from __future__ import annotations

import math

from hmi.domain import ManufacturingOrder


#: Unit conversions leave noise in the last digits: a target equal to the quantity is no error.
_FLOAT_NOISE_KG = 1e-6


def undosable_reason(mo: ManufacturingOrder, max_kg_per_silo: float = math.inf,
                     resolution_kg: float = 0.0) -> str | None:
    """Why ``mo`` must not be downloaded, or None. ``resolution_kg``: the smallest non-zero target the
    PLC's REAL encoding carries (0: any; a target rounding to 0 steps of it encodes as 0)."""
    reasons = []
    for silo, target in mo.targets.items():
        kg = target.target_kg
        if kg > max_kg_per_silo:
            reasons.append(f"silo {silo.label} target {kg:g} kg is above PLC_MAX_KG_PER_SILO ({max_kg_per_silo:g} kg)")
        elif kg > mo.quantity + _FLOAT_NOISE_KG:
            reasons.append(f"silo {silo.label} target {kg:g} kg is above the MO's own quantity ({mo.quantity:g} kg)")
        elif 0 < kg and resolution_kg > 0 and round(kg / resolution_kg) == 0:  # as the codec rounds
            reasons.append(f"silo {silo.label} target {kg:g} kg is below the PLC's resolution ({resolution_kg:g} kg) "
                           "and would be sent as 0")
    if not reasons:
        return None
    return "; ".join(reasons) + "; left out, correct the MO in Odoo"
