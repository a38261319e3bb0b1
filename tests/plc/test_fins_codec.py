"""The FINS codec against the frames of the Omron manuals (bytes written out by hand here)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hmi.plc import fins_codec as fins

ADDRESS = fins.FinsAddress(plc_node=2, client_node=1)


def test_read_of_the_whole_read_area_is_the_documented_frame():
    frame = fins.build_read(ADDRESS, 1, 6000, 977)
    assert frame.hex(" ") == "80 00 02 00 02 00 00 01 00 01 01 01 82 17 70 00 03 d1"


def test_write_of_one_recipe_slot_header_and_length():
    frame = fins.build_write(ADDRESS, 2, 7000, [0x1234] * 77)
    assert frame[:18].hex(" ") == "80 00 02 00 02 00 00 01 00 02 01 02 82 1b 58 00 00 4d"
    assert len(frame) == 172 and frame[18:20] == b"\x12\x34"


def test_multiple_read_lists_each_word_with_area_and_bit_zero():
    frame = fins.build_multi_read(ADDRESS, 3, [7076, 8022])
    assert frame[10:].hex(" ") == "01 04 82 1b a4 00 82 1f 56 00"


def test_reply_words_and_matching():
    command = fins.parse_command(fins.build_read(ADDRESS, 9, 6000, 2))
    reply = fins.parse_response(fins.build_response(command, 0, fins.words_to_bytes([1, 0xBEEF])))
    assert reply.header.da1 == 1 and reply.header.sa1 == 2 and reply.header.sid == 9
    assert fins.reply_matches(reply, ADDRESS, 9, fins.MEMORY_AREA_READ)
    assert not fins.reply_matches(reply, ADDRESS, 10, fins.MEMORY_AREA_READ)  # stale SID
    assert not fins.reply_matches(reply, fins.FinsAddress(plc_node=2, client_node=5), 9, fins.MEMORY_AREA_READ)
    assert not fins.reply_matches(reply, ADDRESS, 9, fins.MEMORY_AREA_WRITE)
    assert fins.read_words(reply, 2) == [1, 0xBEEF]


def test_multiple_read_reply_is_area_plus_word_per_element():
    command = fins.parse_command(fins.build_multi_read(ADDRESS, 4, [7076, 8022]))
    reply = fins.parse_response(fins.build_response(command, 0, bytes.fromhex("82 0001 82 0000")))
    assert fins.multi_read_words(reply, 2) == [1, 0]


@pytest.mark.parametrize("code, text", [
    (0x1103, "address out of range"),
    (0x2202, "PLC in PROGRAM mode: writes refused"),
    (0x110B, "response too long"),
    (0x0106, "used by another device"),
    (0x9005, "header error (network relay error)"),  # the origin's "0x9005" is relay flag + 1005
])
def test_error_end_codes_raise_with_operator_text(code, text):
    command = fins.parse_command(fins.build_write(ADDRESS, 1, 7000, [0]))
    reply = fins.parse_response(fins.build_response(command, code))
    with pytest.raises(fins.FinsEndCodeError) as info:
        fins.check_write(reply)
    assert text in str(info.value)
    assert f"{code:04X}" in str(info.value)


@pytest.mark.parametrize("code", [0x0000, 0x0040, 0x0080, 0x00C0])
def test_cpu_error_flags_still_mean_done(code):
    assert fins.end_code_ok(code)
    assert not fins.end_code_ok(0x8000)  # relay error is a failure


def test_limits_refused_before_anything_is_built():
    with pytest.raises(ValueError):
        fins.build_read(ADDRESS, 1, 6000, 1000)
    with pytest.raises(ValueError):
        fins.build_write(ADDRESS, 1, 7000, [0] * 997)
    with pytest.raises(ValueError):
        fins.build_read(ADDRESS, 1, 32768, 1)
    with pytest.raises(ValueError):
        fins.build_multi_read(ADDRESS, 1, list(range(168)))


def test_tcp_handshake_bytes_and_deframing_across_chunks():
    assert fins.build_tcp_node_request(0).hex(" ") == "46 49 4e 53 00 00 00 0c 00 00 00 00 00 00 00 00 00 00 00 00"
    reply = fins.build_tcp_node_reply(239, 2)
    assert reply.hex(" ") == ("46 49 4e 53 00 00 00 10 00 00 00 01 00 00 00 00 00 00 00 ef 00 00 00 02")
    stream = reply + fins.wrap_tcp(b"\xc0" + bytes(1990))
    deframer = fins.TcpDeframer()
    messages = deframer.feed(stream[:7]) + deframer.feed(stream[7:30]) + deframer.feed(stream[30:])
    assert [m.command for m in messages] == [fins.TCP_NODE_REPLY, fins.TCP_FRAME_SEND]
    assert fins.parse_tcp_node_reply(messages[0].payload) == (239, 2)
    assert len(messages[1].payload) == 1991
    with pytest.raises(fins.FinsFrameError):
        fins.TcpDeframer().feed(b"FONS" + bytes(12))


@given(st.integers(0, 32767), st.lists(st.integers(0, 0xFFFF), min_size=1, max_size=996), st.integers(0, 255))
def test_write_round_trips_through_the_plc_side_parser(word, values, sid):
    command = fins.parse_command(fins.build_write(ADDRESS, sid, word, values))
    assert command.header.sid == sid and command.command == fins.MEMORY_AREA_WRITE
    assert int.from_bytes(command.parameters[1:3], "big") == word
    assert fins.bytes_to_words(command.parameters[6:]) == values
