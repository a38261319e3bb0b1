"""Group register ranges into as few Modbus read requests as the 125-register limit allows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from hmi.plc.register_map import MAX_REGISTERS_PER_READ


@dataclass(frozen=True)
class ReadRequest:
    start: int
    count: int

    @property
    def end(self) -> int:
        """Last address read (inclusive)."""
        return self.start + self.count - 1


def plan_reads(
    ranges: Iterable[tuple[int, int]],
    *,
    max_count: int = MAX_REGISTERS_PER_READ,
    through_gaps: bool = True,
) -> list[ReadRequest]:
    """Cover every (start, count) range with read requests of at most ``max_count`` registers.

    With ``through_gaps`` a request runs on across unused words into the next range (fewer
    requests; the unused words are read and thrown away). Greedy filling is optimal here:
    each request starts at the first word still needed and takes as much as the limit allows.
    Without it, every range is read on its own (split only if longer than the limit).
    """
    wanted = sorted((start, start + count) for start, count in ranges if count > 0)
    if not through_gaps:
        requests = []
        for start, stop in wanted:
            for chunk in range(start, stop, max_count):
                requests.append(ReadRequest(chunk, min(max_count, stop - chunk)))
        return requests

    requests: list[ReadRequest] = []
    position = None  # first address not yet covered
    index = 0
    while index < len(wanted):
        start, stop = wanted[index]
        if position is not None and stop <= position:
            index += 1
            continue
        first = start if position is None or start >= position else position
        window_stop = first + max_count
        # Trim the request to the last wanted word inside the window, so it never reads past
        # the final range (those addresses may not exist on the PLC).
        last_needed = first
        probe = index
        while probe < len(wanted) and wanted[probe][0] < window_stop:
            last_needed = max(last_needed, min(wanted[probe][1], window_stop))
            probe += 1
        requests.append(ReadRequest(first, last_needed - first))
        position = last_needed
    return requests


def slice_words(requests: Sequence[ReadRequest], responses: Sequence[Sequence[int]], start: int, count: int) -> list[int]:
    """Cut the words start..start+count−1 out of the responses to ``requests``."""
    words: list[int] = []
    for address in range(start, start + count):
        for request, response in zip(requests, responses):
            if request.start <= address <= request.end:
                words.append(response[address - request.start])
                break
        else:
            raise ValueError(f"address {address} was not read")
    return words
