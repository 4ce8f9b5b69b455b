"""Drones planned with vans (issue 14): a two-island case where a drone takes the far
station and saves the ferry crossings, weather, payload and range, bad drone input,
the validator's drone rules on tampered plans, and a property over generated networks."""

from __future__ import annotations

import copy
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import islandroute as ir
from islandroute.datasets.synthetic import archipelago
from islandroute.errors import NetworkError
from islandroute.planning.drones import Drop, ground_drones, pack_day, plan_with_drones
from islandroute.validate import validate

Doc = dict[str, Any]
WEEK = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
TIME_LIMIT = 1.0  # seconds per van planning run
PAYLOAD = 12
RANGE_KM = 80.0
SPEED_KMH = 60.0
LOAD_MINUTES = 10.0


def _drone(**extra: Any) -> Doc:
    return {
        "id": "dr1",
        "carrier": None,
        "depot": "dep",
        "capacity": PAYLOAD,
        "shift": [420, 1140],
        "kind": "drone",
        "range_km": RANGE_KM,
        "speed_kmh": SPEED_KMH,
        "load_minutes": LOAD_MINUTES,
        "cost_per_km": 0.2,
        "cost_per_hour": 5.0,
        "cost_fixed": 10.0,
        "cost_week": 50.0,
        "co2_per_km": 0.01,
        "electric": True,
        **extra,
    }


def _doc(**drone: Any) -> Doc:
    """Main island: the depot (the drone's base too) and a near station; a far island 30
    km off by vehicle ferry with one station. Planar: coordinates are km."""
    sailings = {d: [480, 720, 960] for d in WEEK}
    return {
        "format": "islandroute.network/1.1",
        "name": "two-islands",
        "geometry": "planar",
        "nodes": [
            {"id": "dep", "kind": "depot", "island": "main", "lon": 0, "lat": 0},
            {"id": "near", "kind": "station", "island": "main", "lon": 4, "lat": 0},
            {"id": "p1", "kind": "port", "island": "main", "lon": 10, "lat": 0},
            {"id": "p2", "kind": "port", "island": "far", "lon": 25, "lat": 0},
            {"id": "far", "kind": "station", "island": "far", "lon": 30, "lat": 0},
        ],
        "roads": [
            {"a": "dep", "b": "near", "km": 4, "minutes": 8, "bridge": False},
            {"a": "near", "b": "p1", "km": 6, "minutes": 12, "bridge": False},
            {"a": "p2", "b": "far", "km": 5, "minutes": 10, "bridge": False},
        ],
        "ferries": [
            {"id": "f-out", "from": "p1", "to": "p2", "minutes": 60, "vehicles": True,
             "departures": sailings, "fare_vehicle": 120},
            {"id": "f-back", "from": "p2", "to": "p1", "minutes": 60, "vehicles": True,
             "departures": sailings, "fare_vehicle": 120},
        ],
        "carriers": [{"id": "ems", "name": "EMS"}, {"id": "zto", "name": "ZTO"}],
        "stations": [
            {"node": "near", "min_visits": 3, "open": [480, 1080], "demand": {"ems": 30}},
            {"node": "far", "min_visits": 3, "open": [480, 1080],
             "demand": {"ems": 40, "zto": 20}, "pickup": {"ems": 6}},
        ],
        "vehicles": [
            {"id": "van1", "carrier": None, "depot": "dep", "capacity": 200,
             "shift": [420, 1140], "cost_per_km": 1.0, "cost_per_hour": 40.0,
             "cost_fixed": 100.0},
            _drone(**drone),
        ],
    }  # fmt: skip


def _net(**drone: Any) -> ir.Network:
    return ir.Network.from_dict(_doc(**drone))


@pytest.fixture(scope="module")
def far_week() -> Any:
    """The drone forced to the far station (planned once for the module)."""
    return plan_with_drones(_net(), time_limit=TIME_LIMIT, seed=1, stations=["far"])


def _drone_routes(plan: ir.Plan, drone: str = "dr1") -> list[ir.Route]:
    return [r for r in plan.routes if r.vehicle == drone]


def _flights(route: ir.Route, base: str) -> list[tuple[list[Any], list[Any]]]:
    """(stops, legs) of each flight of a drone route, base to base."""
    out: list[tuple[list[Any], list[Any]]] = []
    for s in route.stops[:-1]:
        if s.node == base:
            out.append(([], []))
        else:
            out[-1][0].append(s)
    k = 0
    for g in route.legs:
        out[k][1].append(g)
        if g.to == base:
            k += 1
    return out


def _check_drone_plan(net: ir.Network, plan: ir.Plan) -> None:
    """An independent check of the drone rules: air legs, payload, range, weather."""
    for r in plan.routes:
        v = net.vehicle_by_id[r.vehicle]
        if not v.is_drone:
            assert all(g.mode != "air" for g in r.legs)
            continue
        assert all(g.mode == "air" for g in r.legs)
        assert r.day in (v.weather_days if v.weather_days is not None else net.days)
        for stops, legs in _flights(r, v.depot):
            assert sum(sum(s.deliver.values()) for s in stops) <= v.capacity
            assert sum(sum(s.pickup.values()) for s in stops) <= v.capacity
            km = 0.0
            for g in legs:
                a, b = net.node_by_id[g.from_], net.node_by_id[g.to]
                km += _straight(net, a, b)
            assert v.range_km is not None and km <= v.range_km + 1e-6


def _straight(net: ir.Network, a: ir.Node, b: ir.Node) -> float:
    if net.geometry == "planar":
        return math.hypot(a.lon - b.lon, a.lat - b.lat)
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dl = math.radians(b.lon - a.lon)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


# ---- planning ----------------------------------------------------------------------------


def test_drone_takes_the_far_station_and_saves_the_crossings(far_week: Any) -> None:
    net = _net()
    assert set(far_week.served) == {"far"}
    assert far_week.baseline.totals.ferry_crossings > 0
    assert far_week.plan.totals.ferry_crossings == 0
    assert far_week.saved_crossings == far_week.baseline.totals.ferry_crossings
    assert not validate(net, far_week.plan)
    assert not validate(net, far_week.baseline)
    _check_drone_plan(net, far_week.plan)
    assert far_week.plan.stats["drones"]["saved_ferry_crossings"] == far_week.saved_crossings


def test_a_carrier_with_fewer_parcels_than_visits_is_still_visited_each_time() -> None:
    # 1 ZTO parcel a week over 3 drone visits: 2 visits bring ZTO nothing, yet they visit
    # for ZTO (the validator counts a visit per carrier the route serves), as vans do
    doc = _doc(capacity=5)
    doc["stations"][1]["demand"] = {"ems": 40, "zto": 1}
    net = ir.Network.from_dict(doc)
    week = plan_with_drones(net, time_limit=TIME_LIMIT, seed=1, stations=["far"])
    assert set(week.served) == {"far"}
    assert validate(net, week.plan) == []
    zto_days = {r.day for r in _drone_routes(week.plan) if "zto" in r.carriers}
    assert len(zto_days) >= 3


def test_drones_chosen_by_cost_take_the_far_station() -> None:
    net = _net()
    week = plan_with_drones(net, time_limit=TIME_LIMIT, seed=1)
    assert "far" in week.served
    assert week.plan.totals.cost < week.baseline.totals.cost
    assert not validate(net, week.plan)


def test_weather_grounds_a_day() -> None:
    flyable = ["mon", "wed", "fri", "sat"]
    net = _net(weather_days=flyable)
    week = plan_with_drones(net, time_limit=TIME_LIMIT, seed=1, stations=["far"])
    assert {r.day for r in _drone_routes(week.plan)} <= set(flyable)
    assert set(week.served["far"].days) <= set(flyable)
    assert not validate(net, week.plan)


def test_grounding_twice_keeps_the_drone_grounded() -> None:
    net = ground_drones(ground_drones(_net(), ["mon"]), ["tue"])
    assert net.vehicle_by_id["dr1"].weather_days == ("wed", "thu", "fri", "sat", "sun")
    assert ground_drones(ground_drones(_net()), ["mon"]).vehicle_by_id["dr1"].weather_days == ()


def test_grounded_drone_leaves_the_station_to_the_vans_with_a_diagnosis() -> None:
    net = ground_drones(_net())
    week = plan_with_drones(net, time_limit=TIME_LIMIT, seed=1)
    assert not week.served and not _drone_routes(week.plan)
    rules = {(p.obj, p.field) for p in week.problems}
    assert ("station 'far'", "weather_days") in rules
    with pytest.raises(ir.InfeasibleError, match="weather_days"):
        plan_with_drones(net, time_limit=TIME_LIMIT, seed=1, stations=["far"])


def test_payload_and_range_respected(far_week: Any) -> None:
    net = _net()
    routes = _drone_routes(far_week.plan)
    assert routes
    # 60 parcels a week on 3 days: more than one flight a day at a payload of 12
    assert any(len(_flights(r, "dep")) > 1 for r in routes)
    _check_drone_plan(net, far_week.plan)


def test_out_of_range_station_is_no_candidate() -> None:
    net = _net(range_km=50.0)  # far is 30 km off: 60 km out and back
    with pytest.raises(ir.InfeasibleError, match="far"):
        plan_with_drones(net, time_limit=TIME_LIMIT, seed=1, stations=["far"])


def test_pack_day_splits_by_payload_and_range() -> None:
    net = _net()
    drone = net.vehicle_by_id["dr1"]
    drops = [Drop("far", {"ems": 25}, {"ems": 3}), Drop("near", {"ems": 7}, {})]
    flights = pack_day(net, drone, drops)
    assert sum(sum(x.deliver.values()) for f in flights for x in f.drops) == 32
    assert all(sum(sum(x.deliver.values()) for x in f.drops) <= PAYLOAD for f in flights)
    assert all(f.km <= RANGE_KM for f in flights)


def test_plan_week_ignores_drones() -> None:
    net = _net()
    plan = ir.plan_week(net, time_limit=TIME_LIMIT, seed=1)
    assert not _drone_routes(plan)
    assert not validate(net, plan)


# ---- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"range_km": None}, "range_km"),
        ({"speed_kmh": None}, "speed_kmh"),
        ({"weather_days": ["mon", "xyz"]}, "weather_days"),
        ({"range_km": -5.0}, "range_km"),
        ({"range_km": "40"}, "range_km"),
        ({"kind": "helicopter"}, "kind"),
    ],
)
def test_bad_drone_input_names_the_vehicle_and_field(change: Doc, field: str) -> None:
    doc = _doc()
    doc["vehicles"][1].update(change)
    with pytest.raises(NetworkError) as err:
        ir.Network.from_dict(doc)
    assert "vehicle 'dr1'" in str(err.value) and field in str(err.value)


def test_a_van_with_drone_fields_is_refused() -> None:
    doc = _doc()
    doc["vehicles"][0]["range_km"] = 40.0
    with pytest.raises(NetworkError, match=r"vehicle 'van1'.*range_km"):
        ir.Network.from_dict(doc)


def test_old_documents_unchanged() -> None:
    doc = _doc()
    doc["vehicles"] = doc["vehicles"][:1]
    net = ir.Network.from_dict(doc)
    assert net.vehicles[0].kind == "van"
    assert "kind" not in net.to_dict()["vehicles"][0]
    assert ir.Network.from_dict(_net().to_dict()) == _net()


# ---- the validator's drone rules on tampered plans ------------------------------------------

# the validator's rules each tamper test below fires (test_validate_tampered checks that
# every documented rule is tampered somewhere)
DRONE_TAMPERED = frozenset(
    {
        "air-leg",
        "air-km",
        "air-time",
        "capacity",
        "drone-range",
        "drone-load",
        "drone-flights",
        "drone-weather",
    }
)


def _rules(net_doc: Doc, plan_doc: Doc) -> set[str]:
    return {v.rule for v in validate(net_doc, plan_doc)}


def _docs(week: Any) -> tuple[Doc, Doc]:
    return _net().to_dict(), copy.deepcopy(week.plan.to_dict())


def _first_drone_route(plan_doc: Doc) -> Doc:
    return next(r for r in plan_doc["routes"] if r["vehicle"] == "dr1")


def test_tampered_drone_leg_not_air(far_week: Any) -> None:
    net_doc, plan_doc = _docs(far_week)
    _first_drone_route(plan_doc)["legs"][0]["mode"] = "road"
    assert "air-leg" in _rules(net_doc, plan_doc)


def test_tampered_van_leg_in_the_air(far_week: Any) -> None:
    net_doc, plan_doc = _docs(far_week)
    van = next(r for r in plan_doc["routes"] if r["vehicle"] == "van1")
    van["legs"][0]["mode"] = "air"
    assert "air-leg" in _rules(net_doc, plan_doc)


def test_tampered_air_km(far_week: Any) -> None:
    net_doc, plan_doc = _docs(far_week)
    _first_drone_route(plan_doc)["legs"][0]["km"] += 3.0
    assert "air-km" in _rules(net_doc, plan_doc)


def test_tampered_air_time(far_week: Any) -> None:
    net_doc, plan_doc = _docs(far_week)
    leg = _first_drone_route(plan_doc)["legs"][0]
    leg["arrive"] = leg["depart"] + 1
    assert "air-time" in _rules(net_doc, plan_doc)


def test_tampered_payload(far_week: Any) -> None:
    net_doc, plan_doc = _docs(far_week)
    net_doc["vehicles"][1]["capacity"] = 2
    assert "capacity" in _rules(net_doc, plan_doc)


def test_tampered_range(far_week: Any) -> None:
    net_doc, plan_doc = _docs(far_week)
    net_doc["vehicles"][1]["range_km"] = 59.0
    assert "drone-range" in _rules(net_doc, plan_doc)


def test_tampered_load_minutes(far_week: Any) -> None:
    net_doc, plan_doc = _docs(far_week)
    net_doc["vehicles"][1]["load_minutes"] = LOAD_MINUTES + 30
    assert "drone-load" in _rules(net_doc, plan_doc)


def test_tampered_flights_per_day(far_week: Any) -> None:
    net_doc, plan_doc = _docs(far_week)
    net_doc["vehicles"][1]["flights_per_day"] = 1
    assert "drone-flights" in _rules(net_doc, plan_doc)


def test_tampered_weather(far_week: Any) -> None:
    net_doc, plan_doc = _docs(far_week)
    flown = _first_drone_route(plan_doc)["day"]
    net_doc["vehicles"][1]["weather_days"] = [d for d in WEEK if d != flown]
    assert "drone-weather" in _rules(net_doc, plan_doc)


def test_untampered_is_valid(far_week: Any) -> None:
    net_doc, plan_doc = _docs(far_week)
    assert _rules(net_doc, plan_doc) == set()


# ---- property: generated archipelagos with a drone base ------------------------------------


@st.composite
def _drone_networks(draw: st.DrawFn) -> tuple[ir.Network, str]:
    """A small generated archipelago with one drone at the processing centre, and the
    mode (in separate mode the drone belongs to the first carrier)."""
    net = archipelago(
        n_stations=draw(st.integers(3, 7)),
        n_islands=draw(st.integers(1, 3)),
        n_carriers=draw(st.integers(1, 2)),
        share_bridge=0.0,
        share_vehicle_ferry=0.5,
        share_boat_only=0.5,
        pickup_share=draw(st.sampled_from([0.0, 0.3])),
        seed=draw(st.integers(0, 2**16)),
    )
    hub = next(n for n in net.nodes if n.kind == "hub")
    weather = draw(st.sets(st.sampled_from(WEEK), min_size=3))
    mode = draw(st.sampled_from(["joint", "separate"]))
    drone = ir.Vehicle(
        id="drone",
        carrier=net.carriers[0].id if mode == "separate" else None,
        depot=hub.id,
        capacity=draw(st.integers(5, 40)),
        kind="drone",
        range_km=float(draw(st.integers(20, 150))),
        speed_kmh=float(draw(st.integers(30, 90))),
        load_minutes=float(draw(st.integers(0, 15))),
        weather_days=tuple(d for d in WEEK if d in weather),
        cost_per_km=0.3,
        cost_per_hour=10.0,
        cost_fixed=20.0,
        cost_week=100.0,
    )
    return net.replace(vehicles=[*net.vehicles, drone]), mode


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_drone_networks(), st.booleans())
def test_property_drone_plans_are_valid(case: tuple[ir.Network, Any], every: bool) -> None:
    net, mode = case
    take = "all" if every else None
    week = plan_with_drones(net, mode, time_limit=TIME_LIMIT, seed=0, stations=take)
    assert validate(net, week.plan) == []
    _check_drone_plan(net, week.plan)
    for service in week.served.values():
        drone = net.vehicle_by_id[service.drone]
        assert set(service.days) <= set(drone.weather_days or WEEK)
        assert service.carrier == (drone.carrier if mode == "separate" else None)
        vans = [r for r in week.plan.routes if r.vehicle != "drone"]
        carried = {c for r in vans for s in r.stops if s.node == service.station for c in s.deliver}
        assert service.carrier not in carried if service.carrier else not carried


# ---- scenario, CLI and the Zhoushan fleet ---------------------------------------------------


def test_scenario_per_small_island() -> None:
    net = _net()
    sc = ir.drone_scenarios(net, grounded=["mon", "tue", "wed"], time_limit=TIME_LIMIT, seed=1)
    assert sc.scenarios == ["vans", "drones", "grounded"]
    assert [r.island for r in sc.rows] == ["far"]  # main is the base's island
    row = sc.rows[0]
    assert row.drone_stations["drones"] == 1
    assert set(row.visit_days["grounded"]).isdisjoint({"mon", "tue", "wed"}) or (
        row.drone_stations["grounded"] == 0
    )
    assert row.co2_kg["drones"] < row.co2_kg["vans"]
    for c in sc.scenarios:
        assert validate(net, sc.plan(c)) == []
    assert "| far" in sc.table()
    assert sc.to_dict()["drones"]["drones"]["stations"]


def test_cli_drones(tmp_path: Any, capsys: Any) -> None:
    from islandroute.cli import main

    src = tmp_path / "net.json"
    _net().to_json(str(src))
    out = tmp_path / "plan.json"
    args = ["drones", "--network", str(src), "--time-limit", "1", "--grounded", "--out", str(out)]
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "| far" in text and "drones: drones serve 1 stations" in text
    assert validate(_net(), ir.Plan.from_dict(__import__("json").loads(out.read_text()))) == []


def test_cli_drones_bad_input(tmp_path: Any, capsys: Any) -> None:
    from islandroute.cli import main

    src = tmp_path / "net.json"
    _net().to_json(str(src))
    assert main(["drones", "--network", str(src), "--grounded", "mon,xyz"]) == 2
    assert "error: drones: grounded: unknown days ['xyz']" in capsys.readouterr().err
    assert main(["drones", "--network", "synthetic:6:1:1", "--time-limit", "1"]) == 2
    assert "the network has no drone" in capsys.readouterr().err


def test_zhoushan_fleet_bases_and_figures() -> None:
    from islandroute.datasets.zhoushan_drones import MODEL_FIELDS, _document
    from islandroute.planning.drones import candidates, drone_islands

    net = ir.zhoushan_with_drones()
    fleet = [v for v in net.vehicles if v.is_drone]
    assert {v.depot for v in fleet} == {"h_cc_putuo", "h_cc_daishan", "h_cc_shengsi"}
    doc = _document()
    for model in doc["models"].values():
        for f in MODEL_FIELDS:  # every figure sourced or marked estimated
            assert model[f].get("estimated") is True or model[f].get("source")
    cands, _ = candidates(net)
    islands = drone_islands(net)
    assert {"dongji", "huaniao", "taohua"} <= set(islands)
    assert "zhoushan" not in islands  # the big islands keep their vans
    assert all(net.node_by_id[node].island in islands for node, _ in cands)
    assert "drones" in ir.datasets.zhoushan_drones.drone_provenance_text().lower()


def test_geojson_draws_flights_straight() -> None:
    from islandroute.geojson import plan_geojson

    net = archipelago(7, 3, 2, seed=0, share_bridge=0.0, share_vehicle_ferry=0.5)
    hub = next(n for n in net.nodes if n.kind == "hub")
    drone = ir.Vehicle(
        id="drone", carrier=None, depot=hub.id, capacity=10, kind="drone", range_km=120.0,
        speed_kmh=60.0,
    )  # fmt: skip
    net = net.replace(vehicles=[*net.vehicles, drone])
    week = plan_with_drones(net, time_limit=TIME_LIMIT, seed=0, stations="all")
    doc = plan_geojson(net, week.plan)
    flown = [f for f in doc["features"] if f["properties"].get("layer") == "route"]
    flown = [f for f in flown if f["properties"]["vehicle"] == "drone"]
    assert flown and all(set(f["properties"]["parts"]) == {"air"} for f in flown)


def test_same_seed_same_week(far_week: Any) -> None:
    again = plan_with_drones(_net(), time_limit=TIME_LIMIT, seed=1, stations=["far"])
    assert again.plan.routes == far_week.plan.routes
    assert again.served == far_week.served


def test_drone_plan_on_a_network_without_the_drone(far_week: Any) -> None:
    net_doc, plan_doc = _docs(far_week)
    net_doc["vehicles"] = net_doc["vehicles"][:1]
    assert "vehicle" in _rules(net_doc, plan_doc)  # named, never raised


def test_zhoushan_drones_by_name() -> None:
    net = ir.load_network("zhoushan-drones")
    assert net.name == "zhoushan" and len([v for v in net.vehicles if v.is_drone]) == 6


# ---- separate mode: each carrier's drones carry its own parcels -----------------------------


def _separate_net(drone_carrier: str | None = "ems") -> ir.Network:
    """The two islands with a van per carrier and an EMS drone (or a shared one)."""
    doc = _doc(carrier=drone_carrier)
    van = doc["vehicles"][0]
    doc["vehicles"][:1] = [
        {**van, "id": "van_ems", "carrier": "ems"},
        {**van, "id": "van_zto", "carrier": "zto"},
    ]
    return ir.Network.from_dict(doc)


def test_separate_mode_drone_carries_its_carrier_only() -> None:
    net = _separate_net()
    week = plan_with_drones(net, "separate", time_limit=TIME_LIMIT, seed=1, stations=["far"])
    assert set(week.served) == {"far/ems"}
    assert week.plan.mode == "separate"
    for r in _drone_routes(week.plan):
        assert r.carriers == ("ems",)
    zto_far = [
        r for r in week.plan.routes if r.vehicle == "van_zto" and "far" in {s.node for s in r.stops}
    ]
    assert zto_far  # ZTO's parcels still go by van
    assert week.plan.visit_days["far/ems"] == week.served["far/ems"].days
    assert validate(net, week.plan) == []
    _check_drone_plan(net, week.plan)


def test_separate_mode_shared_drone_is_diagnosed() -> None:
    net = _separate_net(drone_carrier=None)
    week = plan_with_drones(net, "separate", time_limit=TIME_LIMIT, seed=1)
    assert not week.served
    assert {p.field for p in week.problems if p.obj == "station 'far'"} == {
        "demand.ems",
        "demand.zto",
    }
    assert validate(net, week.plan) == []


def test_cli_drones_on_a_network_without_drones(tmp_path: Any, capsys: Any) -> None:
    from islandroute.cli import main

    spec = "synthetic:12:2:4"
    out = tmp_path / "week.json"
    args = ["drones", "--network", spec, "--time-limit", "4", "--every-reachable"]
    assert main([*args, "--drone-model", "multirotor", "--out", str(out)]) == 0
    with_drones = tmp_path / "week.network.json"
    net = ir.Network.from_json(str(with_drones))
    assert [v.kind for v in net.vehicles].count("drone") >= 1
    capsys.readouterr()
    assert main(["validate", "--network", str(with_drones), "--plan", str(out)]) == 0
    assert "0 violations" in capsys.readouterr().out
    assert main(args) == 2  # no drone and no model: said, not a traceback
    assert "no drone" in capsys.readouterr().err


def _boat_only(**drone: Any) -> ir.Network:
    """The far island reached by a passenger boat only, with no vehicle of its own."""
    doc = _doc(**drone)
    for ferry in doc["ferries"]:
        ferry["vehicles"] = False
    return ir.Network.from_dict(doc)


def test_a_station_only_a_drone_reaches_goes_to_the_drone() -> None:
    net = _boat_only()
    with pytest.raises(ir.InfeasibleError, match="'far'"):
        ir.plan_week(net, time_limit=TIME_LIMIT, seed=1)  # vans alone cannot
    week = plan_with_drones(net, time_limit=4 * TIME_LIMIT, seed=1)  # chosen by cost
    assert set(week.served) == {"far"} and week.plan.unserved == ()
    assert validate(net, week.plan) == []
    assert week.baseline.unserved  # the vans-only week left it out, as declared


def test_a_station_no_van_nor_drone_reaches_is_named() -> None:
    net = _boat_only(range_km=10.0)  # 60 km out and back needed
    with pytest.raises(ir.InfeasibleError) as err:
        plan_with_drones(net, time_limit=4 * TIME_LIMIT, seed=1)
    named = {p.obj for p in err.value.problems}
    assert "station 'far'" in named


def test_grounded_scenario_declares_what_only_drones_reach() -> None:
    from islandroute.analysis.drones import DRONES, GROUNDED, VANS, drone_scenarios

    net = _boat_only()
    sc = drone_scenarios(net, grounded=None, time_limit=6 * TIME_LIMIT, seed=1)
    assert {u.station for u in sc.plan(VANS).unserved} == {"far"}
    assert {u.station for u in sc.plan(GROUNDED).unserved} == {"far"}
    assert sc.plan(DRONES).unserved == ()
    for c in sc.scenarios:
        assert validate(net, sc.plan(c)) == []
