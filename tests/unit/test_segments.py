"""The segment graph: direct reach, paths only through forwarding segments, the counter-example."""

from __future__ import annotations

from orgstack.model.segments import broken, path

REACHES = {
    "prod": ["shared", "onprem"],
    "nonprod": ["shared"],
    "shared": ["prod", "nonprod"],
    "onprem": ["prod", "shared"],
}


def test_a_segment_reaches_what_its_table_routes_to_and_no_further() -> None:
    assert path(REACHES, "nonprod", "shared") == ["nonprod", "shared"]
    # shared reaches prod, but a Transit Gateway does not route through the shared segment
    assert path(REACHES, "nonprod", "prod") is None
    assert path(REACHES, "prod", "prod") == ["prod"]
    assert path(REACHES, "dmz", "prod") is None


def test_a_forwarding_segment_carries_traffic_on_and_the_chain_shows_it() -> None:
    leaky = {**REACHES, "nonprod": ["shared", "onprem"]}
    assert path(leaky, "nonprod", "prod", forwarding={"onprem"}) == ["nonprod", "onprem", "prod"]
    assert path(leaky, "nonprod", "prod") is None  # onprem declared not to forward
    two = {"a": ["x"], "x": ["y"], "y": ["b"]}
    assert path(two, "a", "b", forwarding={"x", "y"}) == ["a", "x", "y", "b"]
    assert path(two, "a", "b", forwarding={"x"}) is None


def test_the_shortest_chain_in_name_order_is_shown() -> None:
    both = {"a": ["y", "x"], "x": ["b"], "y": ["b"]}
    assert path(both, "a", "b", forwarding={"x", "y"}) == ["a", "x", "b"]
    longer = {"a": ["b", "x"], "x": ["b"]}
    assert path(longer, "a", "b", forwarding={"x"}) == ["a", "b"]


def test_broken_invariants_name_the_path() -> None:
    leaky = {**REACHES, "nonprod": ["shared", "prod"]}
    assert broken(leaky, [("nonprod", "prod"), ("prod", "nonprod")]) == [
        "no_path from nonprod to prod is broken: nonprod → prod"
    ]
    assert broken(REACHES, [("nonprod", "prod")], forwarding={"onprem"}) == []
