"""The address plan: deterministic, stable allocation; the overlap proof; room left in a pool."""

from __future__ import annotations

import pytest

from orgstack.model.addressplan import Claim, Request, allocate, network, overlaps, room

POOLS = {"prod": network("10.0.0.0/12"), "nonprod": network("10.16.0.0/12")}


def test_new_ranges_are_the_lowest_free_blocks_owners_in_name_order() -> None:
    found = allocate(
        POOLS,
        [],
        [
            Request("web-prod", "prod", 22),
            Request("web-dev", "nonprod", 22),
            Request("api-dev", "nonprod", 20),
        ],
    )
    assert {k: str(v) for k, v in found.ranges.items()} == {
        "api-dev": "10.16.0.0/20",
        "web-dev": "10.16.16.0/22",
        "web-prod": "10.0.0.0/22",
    }
    assert found.new == ["api-dev", "web-dev", "web-prod"]
    assert found.problems == []


def test_adding_or_removing_an_owner_never_moves_another() -> None:
    first = allocate(
        POOLS, [], [Request("b-dev", "nonprod", 22), Request("c-dev", "nonprod", 22)]
    ).ranges
    recorded = [Request(name, "nonprod", 22, cidr) for name, cidr in first.items()]
    grown = allocate(POOLS, [], [Request("a-dev", "nonprod", 22), *recorded])
    assert grown.ranges["b-dev"] == first["b-dev"]
    assert grown.ranges["c-dev"] == first["c-dev"]
    assert str(grown.ranges["a-dev"]) == "10.16.8.0/22"
    assert grown.new == ["a-dev"]
    shrunk = allocate(POOLS, [], [recorded[1], Request("d-dev", "nonprod", 22)])
    assert shrunk.ranges["c-dev"] == first["c-dev"]
    assert str(shrunk.ranges["d-dev"]) == "10.16.0.0/22"  # b-dev's freed block is reused


def test_reserved_ranges_are_skipped_and_alignment_kept() -> None:
    onprem = Claim("onprem", network("10.16.0.0/23"), "onprem")
    found = allocate(POOLS, [onprem], [Request("x", "nonprod", 22), Request("y", "nonprod", 24)])
    assert str(found.ranges["x"]) == "10.16.4.0/22"
    assert str(found.ranges["y"]) == "10.16.2.0/24"


def test_an_exhausted_pool_a_range_outside_its_pool_and_an_unknown_pool_are_problems() -> None:
    small = {"shared": network("10.32.0.0/22"), **POOLS}
    found = allocate(
        small,
        [],
        [
            Request("a", "shared", 22),
            Request("b", "shared", 22),
            Request("c", "prod", 22, network("10.16.0.0/22")),
            Request("d", "dmz", 22),
        ],
    )
    assert found.problems == [
        "c: 10.16.0.0/22 is outside its pool prod (10.0.0.0/12)",
        "d: no pool named dmz",
        "b: pool shared (10.32.0.0/22) has no free /22 left",
    ]
    assert str(found.ranges["a"]) == "10.32.0.0/22"


def test_overlaps_name_both_owners_once_each() -> None:
    claims = [
        Claim("web-dev", network("10.16.0.0/22")),
        Claim("api-dev", network("10.16.2.0/24")),
        Claim("office", network("10.16.0.0/16"), "onprem"),
        Claim("web-prod", network("10.0.0.0/22")),
    ]
    assert [(a.owner, b.owner) for a, b in overlaps(claims)] == [
        ("office", "web-dev"),
        ("office", "api-dev"),
        ("web-dev", "api-dev"),
    ]
    assert overlaps(claims[3:]) == []


def test_room_counts_free_aligned_blocks() -> None:
    pool = network("10.16.0.0/20")  # sixteen /24s, four /22s
    assert room(pool, 22, []) == 4
    assert room(pool, 22, [Claim("a", network("10.16.0.0/22")).span]) == 3
    # a /24 in the second /22 spoils that whole /22, not the /24s around it
    taken = [Claim("b", network("10.16.5.0/24")).span]
    assert room(pool, 22, taken) == 3
    assert room(pool, 24, taken) == 15
    assert room(pool, 22, [Claim("far", network("10.200.0.0/16")).span]) == 4


def test_a_range_with_host_bits_is_refused() -> None:
    with pytest.raises(ValueError, match="has host bits set"):
        network("10.16.1.0/22")
