"""Co-sited stations: candidate tables, the location model, the sited network and week."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import archipelagos

import islandroute as ir
from islandroute.analysis.siting import (
    eligibility,
    estimate_routing,
    site,
    sited_network,
    solve_location,
    split_villages,
    with_own,
)
from islandroute.cli import main
from islandroute.datasets.candidates import (
    candidate_table,
    read_candidates,
    walking_km,
    write_candidates,
)
from islandroute.errors import NetworkError, OptionsError
from islandroute.model.candidate import Candidate

FAST = 2.0  # seconds: every planned week here


def tiny_network() -> ir.Network:
    """One island: a depot, two villages 0.3 km apart (v1, v2) and one 4 km away (v3)."""
    nodes = [
        {"id": "d", "kind": "depot", "island": "a", "lon": 122.0, "lat": 30.0},
        {"id": "v1", "kind": "station", "island": "a", "lon": 122.02, "lat": 30.0},
        {"id": "v2", "kind": "station", "island": "a", "lon": 122.023, "lat": 30.0},
        {"id": "v3", "kind": "station", "island": "a", "lon": 122.06, "lat": 30.0},
    ]
    return ir.Network.from_dict(
        {
            "name": "tiny",
            "nodes": nodes,
            "roads": [
                {"a": "d", "b": "v1", "km": 2.5, "minutes": 5, "bridge": False},
                {"a": "v1", "b": "v2", "km": 0.4, "minutes": 1, "bridge": False},
                {"a": "v1", "b": "v3", "km": 4.0, "minutes": 7, "bridge": False},
            ],
            "carriers": [{"id": "c", "name": "C"}],
            "stations": [
                {"node": v, "demand": {"c": 30}, "min_visits": 3, "open": [480, 1080]}
                for v in ("v1", "v2", "v3")
            ],
            "vehicles": [
                {"id": "van", "carrier": "c", "depot": "d", "capacity": 200, "shift": [420, 1140]}
            ],
        }
    )


def coop(cost: float) -> Candidate:
    """A co-operative between v1 and v2."""
    return Candidate(id="co", kind="coop", island="a", lon=122.0215, lat=30.0, weekly_cost=cost)


def choose(net: ir.Network, cands: list[Candidate], walk_km: float) -> dict[str, str]:
    villages, _kept = split_villages(net)
    cands = with_own(net, cands, villages)
    elig = eligibility(net, cands, villages, walk_km)
    est = estimate_routing(net, cands, villages, elig, "joint")
    return solve_location(net, cands, villages, elig, est, time_limit=FAST)


def test_sharing_clearly_cheaper_shares() -> None:
    choice = choose(tiny_network(), [coop(50.0)], walk_km=1.0)
    assert choice == {"v1": "co", "v2": "co", "v3": "own_v3"}


def test_dear_shared_site_is_not_chosen() -> None:
    choice = choose(tiny_network(), [coop(800.0)], walk_km=1.0)
    assert choice == {"v1": "own_v1", "v2": "own_v2", "v3": "own_v3"}


def test_site_beyond_walking_distance_is_not_used() -> None:
    choice = choose(tiny_network(), [coop(1.0)], walk_km=0.1)
    assert set(choice.values()) == {"own_v1", "own_v2", "own_v3"}


def test_site_plans_a_valid_week_and_reports_both() -> None:
    net = tiny_network()
    report = site(net, [coop(50.0)], time_limit=3 * FAST, rounds=1, seed=0)
    assert not ir.validate(report.sited_network, report.plan)
    assert report.sited.stations == 2 and report.baseline.stations == 3
    assert report.sited.station_cost == pytest.approx(50.0 + 350.0)
    assert report.baseline.station_cost == pytest.approx(3 * 350.0)
    assert report.sited.cost < report.baseline.cost
    assert "co-sited" in report.text()
    doc = report.to_dict()
    assert doc["sited"]["stations"] == 2 and doc["choice"]["v1"] == "co"
    merged = report.sited_network.station_by_node["site_co"]
    assert merged.demand == {"c": 60} and merged.open == coop(50.0).open


def test_site_is_deterministic() -> None:
    net = tiny_network()
    a = site(net, [coop(50.0)], time_limit=2 * FAST, rounds=0, seed=3)
    b = site(net, [coop(50.0)], time_limit=2 * FAST, rounds=0, seed=3)
    assert a.choice == b.choice and a.sited.route_cost == b.sited.route_cost


def test_bad_arguments_are_named() -> None:
    with pytest.raises(OptionsError, match="walk_km"):
        site(tiny_network(), [], walk_km=-1)


def test_unknown_island_and_village_are_named() -> None:
    bad = [
        Candidate(id="x", kind="coop", island="nowhere", lon=0, lat=0, weekly_cost=1),
        Candidate(id="y", kind="own", island="a", lon=0, lat=0, weekly_cost=1, village="d"),
    ]
    with pytest.raises(NetworkError) as err:
        site(tiny_network(), bad, time_limit=FAST)
    text = str(err.value)
    assert "candidate 'x': island: unknown island 'nowhere'" in text
    assert "candidate 'y': village: 'd' is not a station" in text


def test_candidate_csv_round_trip(tmp_path: Path) -> None:
    cands = candidate_table(tiny_network(), walk_km=1.0)
    path = write_candidates(cands, tmp_path / "sites.csv")
    assert read_candidates(path) == cands
    kinds = Counter(c.kind for c in cands)
    assert kinds["own"] == 3 and kinds["post_station"] == 3 and kinds["coop"] == 0
    assert kinds["service_centre"] == 1  # v1 and v2 are neighbours; one of them the centre


def test_candidate_csv_faults_name_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "id,kind,island,lon,lat,weekly_cost,open_from,open_to,village\n"
        "a,coop,x,1,2,10,,,\n"
        "b,shop,x,1,2,10,,,\n"
        "c,coop,x,1,2,lots,,,\n"
        "d,own,x,1,2,5,,,\n"
        "e,coop,x,1,2,5,18:00,08:00,\n"
        "a,coop,x,1,2,10,,,\n",
        encoding="utf-8",
    )
    with pytest.raises(NetworkError) as err:
        read_candidates(path)
    text = str(err.value)
    assert f"{path} row 3: kind: 'shop' is not one of" in text
    assert f"{path} row 4: weekly_cost: 'lots' is not a number" in text
    assert f"{path} row 5: village" in text or f"{path} row 5: row" in text
    assert f"{path} row 6: open_from/open_to: opening window" in text
    assert f"{path} row 7: id: duplicate id 'a'" in text


def test_missing_column_is_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("id,kind,island,lon,lat\n", encoding="utf-8")
    with pytest.raises(NetworkError, match="weekly_cost: missing column"):
        read_candidates(path)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(net=archipelagos(max_stations=14, max_islands=4), walk_km=st.floats(0.2, 8.0))
def test_every_village_gets_exactly_one_station_within_walking_distance(
    net: ir.Network, walk_km: float
) -> None:
    villages, _kept = split_villages(net)
    cands = with_own(net, candidate_table(net, walk_km), villages)
    elig = eligibility(net, cands, villages, walk_km)
    est = estimate_routing(net, cands, villages, elig, "joint")
    choice = solve_location(net, cands, villages, elig, est, time_limit=1.0)
    assert set(choice) == {s.node for s in villages}
    by_id = {c.id: c for c in cands}
    for v, cid in choice.items():
        c, node = by_id[cid], net.node_by_id[v]
        own = c.kind == "own" and c.village == v
        assert own or (c.island == node.island and walking_km(net, node, c) <= walk_km + 1e-9)
    sited, sites = sited_network(net, cands, choice)
    served = Counter(v for s in sites for v in s.villages)
    assert served == Counter({s.node: 1 for s in villages})
    _conserved(net, sited)


def _totals(net: ir.Network, field: str) -> Counter[str]:
    out: Counter[str] = Counter()
    for s in net.stations:
        out.update(getattr(s, field))
    return out


def _conserved(net: ir.Network, sited: ir.Network) -> None:
    """Parcels of every carrier, delivered and collected, are the same after siting."""
    for field in ("demand", "pickup"):
        assert _totals(net, field) == _totals(sited, field)


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(net=archipelagos(max_stations=10, max_islands=3, max_carriers=2))
def test_sited_week_is_valid(net: ir.Network) -> None:
    report = site(net, candidate_table(net, 3.0), walk_km=3.0, time_limit=4.0, rounds=0)
    assert not ir.validate(report.sited_network, report.plan)
    _conserved(net, report.sited_network)
    assert report.sited.stations == len(report.sites) + len(report.kept)


def _write_tiny(tmp_path: Path) -> tuple[str, str]:
    net_path = str(tmp_path / "net.json")
    tiny_network().to_json(net_path)
    sites = str(write_candidates([coop(50.0)], tmp_path / "sites.csv"))
    return net_path, sites


def test_cli_siting_writes_report(tmp_path: Path, capsys: Any) -> None:
    net_path, sites = _write_tiny(tmp_path)
    out = tmp_path / "out"
    argv = ["siting", "--network", net_path, "--candidates", sites, "--time-limit", "4"]
    code = main([*argv, "--rounds", "0", "--out", str(out), "--quiet"])
    assert code == 0
    assert "co-sited" in capsys.readouterr().out
    for name in ("report.json", "network.json", "plan.json", "parcel_cost.csv"):
        assert (out / name).is_file()


def test_cli_siting_bad_candidates_exit_2(tmp_path: Path, capsys: Any) -> None:
    net_path, _sites = _write_tiny(tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_text("id,kind,island,lon,lat,weekly_cost\nx,coop,a,122,30,-5\n", encoding="utf-8")
    code = main(["siting", "--network", net_path, "--candidates", str(bad), "--out", str(tmp_path)])
    assert code == 2
    assert "row 2: weekly_cost" in capsys.readouterr().err


def test_site_the_planner_cannot_serve_is_closed_with_its_diagnosis() -> None:
    night = coop(50.0).model_copy(update={"open": (180, 240)})  # 03:00-04:00: no van works
    report = site(tiny_network(), [night], time_limit=3 * FAST, rounds=1, seed=0)
    assert report.closed and "'site_co'" in str(report.closed[0])
    assert "co" not in report.choice.values()
    assert not ir.validate(report.sited_network, report.plan)


def test_site_honours_its_time_limit() -> None:
    import time

    net = ir.archipelago(12, 4, 2, seed=5)
    t0 = time.perf_counter()
    report = site(net, candidate_table(net, 3.0), walk_km=3.0, time_limit=4.0, rounds=10)
    elapsed = time.perf_counter() - t0
    assert elapsed <= 4.0 + 1.0 + 1.0  # the limit, the planner's margin, a second of slack
    assert report.stopped in ("time_limit", "choice_repeated", "rounds")


def test_one_site_a_place() -> None:
    net = tiny_network()
    twin = Candidate(id="p1", kind="post_station", island="a", lon=122.02, lat=30.0, weekly_cost=1)
    choice = choose(net, [twin, twin.model_copy(update={"id": "p2"})], walk_km=1.0)
    assert len({c for c in choice.values() if c in ("p1", "p2")}) == 1


def test_location_model_adapter_opens_the_cheaper_sites() -> None:
    from islandroute.planning.ortools_adapter import LocationModel, solve_location_model

    model = LocationModel(
        options={"a": ["own_a", "shared"], "b": ["own_b", "shared"]},
        open_cost={"own_a": 300, "own_b": 300, "shared": 250},
        hint={"a": "own_a", "b": "own_b"},
    )
    chosen, status = solve_location_model(model, 5.0, 0)
    assert chosen == {"a": "shared", "b": "shared"} and status == "optimal"
    tight = LocationModel(  # the shared site holds one client's parcels only
        options=model.options,
        open_cost=model.open_cost,
        limits=[({("a", "shared"): 10, ("b", "shared"): 10}, 15)],
    )
    chosen, _ = solve_location_model(tight, 5.0, 0)
    assert chosen is not None and sorted(chosen.values()).count("shared") == 1
    walked = LocationModel(  # walking to the shared site costs more than it saves
        options=model.options,
        open_cost=model.open_cost,
        assign_cost={("a", "shared"): 250, ("b", "shared"): 250},
    )
    chosen, _ = solve_location_model(walked, 5.0, 0)
    assert chosen == {"a": "own_a", "b": "own_b"}
