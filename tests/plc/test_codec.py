"""Codec: round trips for every in-range value, rejection of everything else, the origin's words."""

from __future__ import annotations

import logging
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hmi.domain import ALL_SILOS, BatchRecipe, Silo
from hmi.plc.codec import (
    decode_int,
    decode_real,
    decode_slot,
    decode_text,
    encode_int,
    encode_real,
    encode_recipe,
    encode_text,
)
from hmi.plc.errors import PlcEncodingError
from hmi.plc.register_map import RealEncoding, WordOrder, default_register_map

DEFAULT_MAP = default_register_map()
ALL_VARIANTS = [
    DEFAULT_MAP.with_options(real_encoding=encoding, word_order=order)
    for encoding in RealEncoding
    for order in WordOrder
]
VARIANT_IDS = [f"{m.real_encoding.value}-{m.word_order.value}" for m in ALL_VARIANTS]


@pytest.mark.parametrize("register_map", ALL_VARIANTS, ids=VARIANT_IDS)
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_real_round_trip_within_10_grams(register_map, data):
    value = data.draw(st.floats(min_value=0.0, max_value=register_map.max_real_value, allow_nan=False))
    words = encode_real(value, register_map, "quantity")
    assert len(words) == 2 and all(0 <= w <= 0xFFFF for w in words)
    assert abs(decode_real(words, register_map) - value) <= 0.01


@pytest.mark.parametrize("register_map", ALL_VARIANTS, ids=VARIANT_IDS)
@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_real_out_of_range_is_rejected_naming_the_field(register_map, data):
    limit = register_map.max_real_value
    value = data.draw(
        st.one_of(
            st.floats(max_value=-1e-9),  # negative
            st.floats(min_value=limit, exclude_min=True),  # too large (incl. +inf)
            st.just(math.nan),
            st.just(-math.inf),
            st.just(math.inf),
        )
    )
    with pytest.raises(PlcEncodingError) as caught:
        encode_real(value, register_map, "consumption_105")
    assert caught.value.field == "consumption_105"
    assert "consumption_105" in str(caught.value)


def test_origin_word_example_1000_kg():
    # origin-system.md §6.2: 1000.0 kg → 100000 → [0x0001, 0x86A0], high word first.
    assert encode_real(1000.0, DEFAULT_MAP) == [0x0001, 0x86A0]
    assert decode_real([0x0001, 0x86A0], DEFAULT_MAP) == 1000.0


def test_word_order_little_swaps_words_only():
    little = DEFAULT_MAP.with_options(word_order="little")
    assert encode_real(1000.0, little) == [0x86A0, 0x0001]
    floats = DEFAULT_MAP.with_options(real_encoding="float32")
    assert encode_real(1.0, floats) == [0x3F80, 0x0000]
    assert encode_real(1.0, floats.with_options(word_order="little")) == [0x0000, 0x3F80]


def test_round_not_truncate():
    # 0.29 × 100 = 28.999999999999996 in floating point; the origin's int() sent 28.
    assert encode_real(0.29, DEFAULT_MAP) == [0, 29]


def test_381_25_decodes_as_itself_not_as_negative_16_bit():
    # The origin's bug: 381.25 kg read back as −274.11 through a signed 16-bit conversion.
    assert decode_real(encode_real(381.25, DEFAULT_MAP), DEFAULT_MAP) == 381.25


def test_scaled_real_decodes_signed_so_noise_is_visible():
    assert decode_real([0xFFFF, 0xFFFF], DEFAULT_MAP) == -0.01


@given(st.integers(min_value=-0x8000, max_value=0x7FFF))
def test_int_round_trip(value):
    assert decode_int(encode_int(value, "batch_no")) == value


@given(st.one_of(st.integers(max_value=-0x8001), st.integers(min_value=0x8000)))
def test_int_out_of_range_rejected(value):
    with pytest.raises(PlcEncodingError, match="batch_no"):
        encode_int(value, "batch_no")


@given(st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), max_size=16))
def test_text_round_trip(text):
    words = encode_text(text, DEFAULT_MAP, "mo_id")
    assert len(words) == 8
    assert decode_text(words) == text


def test_text_high_byte_first_nul_padded():
    assert encode_text("WH/MO/00011", DEFAULT_MAP, "mo_id") == [
        0x5748, 0x2F4D, 0x4F2F, 0x3030, 0x3031, 0x3100, 0x0000, 0x0000,
    ]


def test_long_text_cut_with_warning_naming_field(caplog):
    with caplog.at_level(logging.WARNING, logger="hmi.plc"):
        words = encode_text("[10092] JF SAPOT 1B", DEFAULT_MAP, "product_name")
    assert decode_text(words) == "[10092] JF SAPOT"
    assert any("product_name" in r.getMessage() and r.name == "hmi.plc" for r in caplog.records)


def test_non_ascii_replaced_with_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="hmi.plc"):
        words = encode_text("Zäh", DEFAULT_MAP, "product_name")
    assert decode_text(words) == "Z?h"
    assert any("product_name" in r.getMessage() for r in caplog.records)


def test_decode_text_drops_noise_bytes():
    assert decode_text([0x5748, 0x00FF, 0x4100]) == "WHA"


def _recipe(**changes) -> BatchRecipe:
    values = dict(
        batch_no=3,
        mo_id="WH/MO/00011",
        bom_code="BOM/0042",
        product_name="PAKAN AYAM 1",
        quantity=2500.0,
        targets_kg={Silo.A: 1000.0, Silo.M: 12.34, Silo.LQ114: 0.29, Silo.LQ115: 75.5},
    )
    values.update(changes)
    return BatchRecipe(**values)


@pytest.mark.parametrize("register_map", ALL_VARIANTS, ids=VARIANT_IDS)
def test_recipe_slot_round_trip(register_map):
    recipe = _recipe()
    words = encode_recipe(recipe, register_map)
    assert len(words) == 77
    reading = decode_slot(words, 1, register_map)
    assert (reading.batch_no, reading.mo_id, reading.bom_code, reading.product_name) == (
        3, "WH/MO/00011", "BOM/0042", "PAKAN AYAM 1",
    )
    assert reading.quantity == pytest.approx(2500.0, abs=0.01)
    for silo in ALL_SILOS:
        assert reading.actual_kg[silo] == pytest.approx(recipe.targets_kg.get(silo, 0.0), abs=0.01)
        assert reading.silo_ids[silo] == silo.equipment_id
    assert not (reading.status_manufacturing or reading.status_operation or reading.status_read_data)


def test_recipe_words_at_documented_offsets():
    words = encode_recipe(_recipe(), DEFAULT_MAP)
    assert words[0] == 3
    assert words[25:27] == [0x0003, 0xD090]  # 2500.00 kg → 250000
    assert words[27] == 101 and words[28:30] == [0x0001, 0x86A0]  # silo A 1000 kg
    assert words[63] == 113 and words[64:66] == [0, 1234]
    assert words[66] == 114 and words[67:69] == [0, 29]
    assert words[69] == 115 and words[70:72] == [0, 7550]
    assert words[72] == 0 and words[73] == 0 and words[74:76] == [0, 0] and words[76] == 0


@pytest.mark.parametrize(
    "changes, field",
    [
        (dict(quantity=-1.0), "quantity"),
        (dict(quantity=math.nan), "quantity"),
        (dict(targets_kg={Silo.E: -0.5}), "consumption_105"),
        (dict(targets_kg={Silo.LQ115: math.inf}), "consumption_115"),
        (dict(targets_kg={Silo.B: 3e7}), "consumption_102"),
        (dict(batch_no=-1), "batch_no"),
        (dict(batch_no=40000), "batch_no"),
    ],
)
def test_recipe_with_unrepresentable_value_rejected(changes, field):
    with pytest.raises(PlcEncodingError) as caught:
        encode_recipe(_recipe(**changes), DEFAULT_MAP)
    assert caught.value.field == field


def test_the_resolution_says_which_targets_encode_as_zero():
    """hmi.services.dosable refuses a target the codec would send as 0: the two agree at the edge."""
    scaled = default_register_map()
    step = scaled.real_resolution
    assert step == 0.01
    assert decode_real(encode_real(0.005, scaled), scaled) == 0.0 and round(0.005 / step) == 0
    assert decode_real(encode_real(0.006, scaled), scaled) == 0.01 and round(0.006 / step) == 1
    float32 = scaled.with_options(real_encoding=RealEncoding.FLOAT32)
    assert float32.real_resolution == 0.0 and decode_real(encode_real(0.004, float32), float32) > 0
