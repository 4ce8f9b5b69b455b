"""Pickups handed in on the way (spec 1.1): at a centre by a deadline, cold ones on
refrigerated vehicles within their ride, the load within capacity at every point."""

from __future__ import annotations

import copy
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from islandroute import plan_week
from islandroute.datasets.synthetic import archipelago
from islandroute.errors import InfeasibleError
from islandroute.model.network import Network
from islandroute.model.plan import Plan, Route
from islandroute.network.reach import Reach
from islandroute.planning import week as week_module
from islandroute.planning.day import build_day, day_visits, working
from islandroute.planning.day_solver import DaySolver
from islandroute.planning.greedy import GreedyWeek
from islandroute.planning.instance import Instance
from islandroute.planning.options import PLAN_DEFAULTS
from islandroute.planning.ortools_adapter import BIG, DaySolution
from islandroute.planning.patterns import fixed_patterns
from islandroute.validate import validate

WEEK = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WORKDAYS = WEEK[:6]
DEADLINE = 720  # the park's parcels are due at the centre by noon


def _road(a: str, b: str, km: float, minutes: float) -> dict[str, Any]:
    return {"a": a, "b": b, "km": km, "minutes": minutes, "bridge": False}


def two_islands_with_park(
    *, park_pickup: int = 120, fish_pickup: int = 60, max_ride: int = 60, capacity: int = 200
) -> dict[str, Any]:
    """Island ``a``: a depot, a centre, a cold fish market and four villages open only in
    the afternoon; island ``b`` (a boat out at 08:00, back at 10:00): a park whose
    parcels are due at the centre by noon. A route that collects at the park must hand
    in at the centre mid-day, before its afternoon deliveries."""
    nodes = [
        {"id": "d", "kind": "depot", "island": "a", "lon": 122.0, "lat": 30.0},
        {"id": "c", "kind": "centre", "island": "a", "lon": 122.05, "lat": 30.0},
        {"id": "p1", "kind": "port", "island": "a", "lon": 122.0, "lat": 30.05},
        {"id": "p2", "kind": "port", "island": "b", "lon": 122.0, "lat": 30.1},
        {"id": "park", "kind": "park", "island": "b", "lon": 122.01, "lat": 30.11},
        {"id": "fish", "kind": "park", "island": "a", "lon": 121.97, "lat": 30.0},
    ] + [
        {"id": f"s{i}", "kind": "station", "island": "a", "lon": 122.0 + 0.01 * i, "lat": 29.98}
        for i in range(4)
    ]
    roads = [
        _road("d", "p1", 5, 10),
        _road("d", "c", 6, 12),
        _road("d", "fish", 4, 8),
        _road("p2", "park", 2, 5),
    ] + [_road("d", f"s{i}", 3 + i, 6 + 2 * i) for i in range(4)]
    ferries = [
        {"id": "out", "from": "p1", "to": "p2", "minutes": 30, "vehicles": True,
         "departures": {d: [480] for d in WORKDAYS}},
        {"id": "back", "from": "p2", "to": "p1", "minutes": 30, "vehicles": True,
         "departures": {d: [600] for d in WORKDAYS}},
    ]  # fmt: skip
    villages = [
        {"node": f"s{i}", "min_visits": 3, "open": [780, 1080],
         "demand": {"ems": 30, "zto": 20}, "pickup": {"ems": 3}}
        for i in range(4)
    ]  # fmt: skip
    parks = [
        {"node": "park", "min_visits": 6, "open": [480, 1080], "demand": {},
         "pickup": {"ems": park_pickup, "zto": park_pickup // 2},
         "pickup_to": "c", "pickup_by": DEADLINE},
        {"node": "fish", "min_visits": 6, "open": [360, 900], "demand": {},
         "pickup": {"ems": fish_pickup}, "pickup_to": "c", "pickup_by": 1000,
         "cold": True, "max_ride": max_ride},
    ]  # fmt: skip
    vehicles = [
        {"id": "e1", "carrier": "ems", "depot": "d", "capacity": capacity, "shift": [420, 1140]},
        {"id": "e2", "carrier": "ems", "depot": "d", "capacity": capacity, "shift": [420, 1140],
         "refrigerated": True},
        {"id": "z1", "carrier": "zto", "depot": "d", "capacity": capacity, "shift": [420, 1140]},
    ]  # fmt: skip
    return {
        "format": "islandroute.network/1.1",
        "name": "park-and-fish",
        "days": WEEK,
        "nodes": nodes,
        "roads": roads,
        "ferries": ferries,
        "carriers": [{"id": "ems", "name": "EMS"}, {"id": "zto", "name": "ZTO"}],
        "stations": villages + parks,
        "vehicles": vehicles,
    }


def loads(route: Route) -> list[int]:
    """The load leaving the depot and after every stop: all deliveries on board at the
    start, pickups on when collected, off when handed in."""
    now = sum(sum(s.deliver.values()) for s in route.stops)
    out = [now]
    for s in route.stops:
        now += sum(s.pickup.values()) - sum(s.deliver.values()) - sum(s.handin.values())
        out.append(now)
    return out


def check_hand_ins(net: Network, plan: Plan) -> None:
    """Every rule of the hand-in contract, checked from the plan's stops alone: the load
    within capacity everywhere and back to nothing, each station's pickups handed in at
    its place by its deadline, cold ones on refrigerated vehicles within their ride."""
    vehicles = {v.id: v for v in net.vehicles}
    stations = {s.node: s for s in net.stations}
    for r in plan.routes:
        v = vehicles[r.vehicle]
        assert max(loads(r)) <= v.capacity, (r.day, r.vehicle, loads(r))
        assert loads(r)[-1] == 0
        for i, s in enumerate(r.stops):
            if not s.pickup:
                continue
            st_ = stations[s.node]
            place = st_.pickup_to or v.depot
            later = [t for t in r.stops[i + 1 :] if t.node == place and t.handin]
            assert later, f"{s.node} on {r.day}: nothing handed in at {place}"
            hand = later[0]
            if st_.pickup_by is not None:
                assert hand.arrive <= st_.pickup_by
            if st_.cold:
                assert v.refrigerated
                assert hand.arrive - s.depart <= st_.max_ride


@pytest.fixture(scope="module")
def park_net() -> Network:
    return Network.from_dict(two_islands_with_park())


@pytest.fixture(scope="module", params=["joint", "separate"])
def park_plan(request: pytest.FixtureRequest, park_net: Network) -> Plan:
    return plan_week(park_net, mode=request.param, time_limit=4, seed=3)


def test_a_deadline_forces_a_mid_day_hand_in_at_the_centre(
    park_net: Network, park_plan: Plan
) -> None:
    assert validate(park_net, park_plan) == []
    check_hand_ins(park_net, park_plan)
    mid_day = 0
    for r in park_plan.routes:
        nodes = [s.node for s in r.stops]
        if "park" not in nodes:
            continue
        centre = nodes.index("c")
        assert r.stops[centre].arrive <= DEADLINE
        assert nodes.index("park") < centre < len(nodes) - 1
        mid_day += any(s.deliver for s in r.stops[centre + 1 :])
    assert mid_day > 0  # some route goes on delivering after handing in at noon


def test_cold_parcels_ride_refrigerated_within_their_ride(
    park_net: Network, park_plan: Plan
) -> None:
    fish = [r for r in park_plan.routes if any(s.node == "fish" for s in r.stops)]
    assert len({r.day for r in fish}) == 6  # every working day
    assert {r.vehicle for r in fish} == {"e2"}  # the only refrigerated van
    collected = sum(s.pickup.get("ems", 0) for r in fish for s in r.stops if s.node == "fish")
    assert collected == 60


def test_village_pickups_go_home_to_the_depot(park_net: Network, park_plan: Plan) -> None:
    for r in park_plan.routes:
        village = sum(s.pickup.get("ems", 0) for s in r.stops if s.node.startswith("s"))
        assert r.stops[-1].handin.get("ems", 0) == village


def test_a_deadline_no_vehicle_can_make_is_named_before_solving() -> None:
    doc = two_islands_with_park()
    doc["stations"][4]["pickup_by"] = 640  # the boat back lands at 10:30, the centre 22 min on
    with pytest.raises(InfeasibleError) as info:
        plan_week(Network.from_dict(doc), time_limit=2)
    text = str(info.value)
    assert "station 'park': pickup_by:" in text
    assert "cannot reach 'c' by 10:40" in text
    assert "(earliest 10:52 via ferry 'back' at 10:00; too late)" in text


def test_cold_parcels_without_a_refrigerated_vehicle_are_named() -> None:
    doc = two_islands_with_park()
    doc["vehicles"][1]["refrigerated"] = False
    with pytest.raises(InfeasibleError) as info:
        plan_week(Network.from_dict(doc), mode="separate", time_limit=2)
    text = str(info.value)
    assert "station 'fish': cold: its cold parcels ride only refrigerated vehicles" in text
    assert "no vehicle of ems's own vehicles that can reach it is one" in text


def test_a_ride_too_short_for_the_road_is_named() -> None:
    doc = two_islands_with_park(max_ride=10)  # fish -> depot -> centre is 20 minutes
    with pytest.raises(InfeasibleError) as info:
        plan_week(Network.from_dict(doc), time_limit=2)
    assert (
        "station 'fish': max_ride: its cold parcels cannot reach 'c' by 16:40 within 10 min"
        in str(info.value)
    )


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    park=st.integers(0, 240),
    fish=st.integers(0, 120),
    ride=st.integers(20, 300),
    capacity=st.integers(80, 400),
    mode=st.sampled_from(["joint", "separate"]),
    seed=st.integers(0, 5),
)
def test_every_plan_keeps_the_hand_in_rules(
    park: int, fish: int, ride: int, capacity: int, mode: str, seed: int
) -> None:
    doc = two_islands_with_park(
        park_pickup=park, fish_pickup=fish, max_ride=ride, capacity=capacity
    )
    net = Network.from_dict(copy.deepcopy(doc))
    try:
        plan = plan_week(net, mode=mode, time_limit=2, seed=seed)
    except InfeasibleError as err:  # too big for the vans: a named station and rule
        assert all(p.obj.startswith("station ") for p in err.problems)
        return
    assert validate(net, plan) == []
    check_hand_ins(net, plan)
    sent = {(s.node, c): q for s in net.stations for c, q in s.pickup.items() if q}
    got: dict[tuple[str, str], int] = {}
    for r in plan.routes:
        for s in r.stops:
            for c, q in s.pickup.items():
                got[(s.node, c)] = got.get((s.node, c), 0) + q
    assert got == sent


@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    seed=st.integers(0, 10_000),
    n_islands=st.integers(2, 5),
    parks=st.integers(1, 3),
    cold=st.integers(0, 1),
    share=st.sampled_from([0.0, 0.05, 0.15]),
    mode=st.sampled_from(["joint", "separate"]),
)
def test_generated_archipelagos_with_pickups_plan_valid(
    seed: int, n_islands: int, parks: int, cold: int, share: float, mode: str
) -> None:
    net = archipelago(
        24,
        n_islands=n_islands,
        n_carriers=2,
        seed=seed,
        parks=parks,
        pickup_share=share,
        cold_parks=min(cold, parks),
        deadlines=True,
    )
    plan = plan_week(net, mode=mode, time_limit=8, seed=seed)
    assert validate(net, plan) == []
    check_hand_ins(net, plan)
    for s in net.stations:
        if s.cold:
            riders = {
                r.vehicle for r in plan.routes for x in r.stops if x.node == s.node and x.pickup
            }
            assert riders and all(net.vehicle_by_id[v].refrigerated for v in riders)


def test_once_a_week_villages_hand_in_through_the_one_model_of_all_days(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Villages visited once a week choose their day inside one model of all days
    (``merged.py``); their hand-ins at the centre ride along, on the day chosen."""
    doc = two_islands_with_park()
    for s in doc["stations"][:4]:
        s.update(min_visits=1, pickup={"ems": 6}, pickup_to="c", pickup_by=1050)
    net = Network.from_dict(doc)
    models = []
    real = week_module.merge

    def spy(*args: Any, **kwargs: Any) -> Any:
        merged = real(*args, **kwargs)
        models.append(merged.model)
        return merged

    monkeypatch.setattr(week_module, "merge", spy)
    plan = plan_week(net, mode="joint", time_limit=6, seed=2)
    assert models and all(m.handins and m.load_change is not None for m in models)
    assert validate(net, plan) == []
    check_hand_ins(net, plan)
    for r in plan.routes:
        for i, s in enumerate(r.stops):
            if s.node.startswith("s") and s.pickup:
                assert any(t.node == "c" and t.handin for t in r.stops[i + 1 :])


def test_the_greedy_hand_planner_hands_in_straight_after_collecting(park_net: Network) -> None:
    """The greedy floor drives a due pickup straight to its place (by road only: the
    park beyond the boat is left to the search) within its deadline and ride."""
    inst = Instance(
        park_net, Reach(park_net), park_net.carrier_ids, list(park_net.vehicles), "joint"
    )
    floor = GreedyWeek(inst, fixed_patterns(inst, ("mon", "wed", "fri")))
    floor.run()
    routes = floor.routes(set())
    fish = [r for r in routes if any(s.node == "fish" and s.pickup for s in r.stops)]
    assert fish
    for r in fish:
        nodes = [s.node for s in r.stops]
        at = nodes.index("fish")
        assert nodes[at + 1] == "c" and r.stops[at + 1].handin
        assert r.stops[at + 1].arrive - r.stops[at].depart <= 60
        assert r.vehicle == "e2"
        assert max(loads(r)) <= 200 and loads(r)[-1] == 0
    assert all("park" not in [s.node for s in r.stops] for r in routes)


def test_a_visit_left_out_gets_routes_built_hardest_first(park_net: Network) -> None:
    """When OR-Tools leaves a visit out, routes built greedily with the visits fewest
    vehicles may make first (the fish market's one refrigerated van) seed it again."""
    inst = Instance(
        park_net, Reach(park_net), park_net.carrier_ids, list(park_net.vehicles), "joint"
    )
    assignment = fixed_patterns(inst, ("mon", "wed", "fri"))
    lay = build_day(inst, "mon", day_visits(inst, "mon", assignment), working(inst, "mon"), None)
    assert lay is not None
    fish = next(lay.first_visit + j for j, v in enumerate(lay.visits) if v.unit.node == "fish")
    left_out = DaySolution([[] for _ in lay.vehicles], [fish], BIG, 0.0, True)
    solver = DaySolver(inst, 1, PLAN_DEFAULTS.tuning)
    sol = solver._hardest_first(lay.model, left_out, 1.0)
    assert sol.dropped == []
    ridden = {lay.vehicles[k].id for k, seq in enumerate(sol.routes) if fish in seq}
    assert ridden == {"e2"}


def test_a_route_that_hands_in_at_its_own_depot_ends_there() -> None:
    """Pickups due at the collecting vans' depot by a time: a route whose last hand-in is
    at its depot ends with that stop (not a second stop at the same node, which no leg
    joins: found on a network built from tables)."""
    doc = two_islands_with_park()
    doc["stations"][5].update(pickup_to="d", pickup_by=900)
    net = Network.from_dict(doc)
    plan = plan_week(net, mode="separate", time_limit=4, seed=1)
    assert validate(net, plan) == []
    check_hand_ins(net, plan)
    for r in plan.routes:
        nodes = [s.node for s in r.stops]
        assert all(a != b for a, b in pairwise(nodes)), nodes
