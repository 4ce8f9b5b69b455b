"""What-if networks, and the comparison under several of them side by side."""

from __future__ import annotations

import pytest

from islandroute.analysis.scenarios import (
    cancel_ferries,
    compare_scenarios,
    default_scenarios,
    electric_share,
    scale_demand,
    visit_frequency,
)
from islandroute.datasets.synthetic import archipelago


@pytest.fixture(scope="module")
def net():
    return archipelago(
        n_stations=6, n_islands=2, n_carriers=2, seed=2, share_bridge=0, share_boat_only=0
    )


def test_scale_demand(net) -> None:
    up = scale_demand(net, 1.5)
    assert up.weekly_parcels() == pytest.approx(1.5 * net.weekly_parcels(), rel=0.05)
    assert [s.node for s in up.stations] == [s.node for s in net.stations]
    with pytest.raises(ValueError):
        scale_demand(net, 0)


def test_cancel_ferries(net) -> None:
    assert net.ferries
    one = net.ferries[0].id
    cut = cancel_ferries(net, ["wed"], [one])
    assert "wed" not in cut.ferry_by_id[one].departures
    others = [f for f in cut.ferries if f.id != one]
    assert all(f == net.ferry_by_id[f.id] for f in others)
    everything = cancel_ferries(net, ["mon", "tue"])
    assert all(not set(f.departures) & {"mon", "tue"} for f in everything.ferries)
    with pytest.raises(ValueError):
        cancel_ferries(net, ["wed"], ["no-such-line"])
    with pytest.raises(ValueError):
        cancel_ferries(net, ["someday"])


def test_visit_frequency(net) -> None:
    five = visit_frequency(net, 5)
    assert all(s.min_visits == 5 for s in five.stations)
    assert all(len(p) == 5 for p in five.allowed_patterns(five.stations[0]))


def test_electric_share(net) -> None:
    half = electric_share(net, 0.5, seed=1)
    ev = [v for v in half.vehicles if v.electric]
    assert len(ev) >= len(net.vehicles) / 2
    assert electric_share(net, 0.5, seed=1) == half  # seeded
    assert all(v.co2_per_km < 0.2 for v in ev)
    assert [v.capacity for v in half.vehicles] == [v.capacity for v in net.vehicles]
    assert not [
        v
        for v in electric_share(net, 0.0).vehicles
        if v.electric and not net.vehicle_by_id[v.id].electric
    ]


def test_scenarios_side_by_side(net) -> None:
    scen = default_scenarios(today_factor=0.8, cancel_days=("wed",), visits=5, electric=1.0)
    scen["storm all week"] = lambda n: cancel_ferries(n, n.days)
    lines: list[str] = []
    rep = compare_scenarios(net, scen, time_limit=1.5, seed=0, workers=2, progress=lines.append)
    df = rep.to_dataframe()
    assert len(rep.reports) == 5 and "storm all week" in rep.errors
    assert set(df.index) == set(scen)
    base = rep.reports["2025 target (as given)"]
    today = next(r for k, r in rep.reports.items() if k.startswith("today"))
    assert today.joint.parcels < base.joint.parcels
    five = rep.reports["5 visits a week"]
    assert five.joint.visits > base.joint.visits
    ev = rep.reports["100% electric"]
    assert ev.separate.electric_km_share == ev.joint.electric_km_share == 1.0
    # two timed runs drive different km, so emissions are compared per km driven
    for mode in ("separate", "joint"):
        e, b = getattr(ev, mode), getattr(base, mode)
        assert e.co2_kg / e.km <= b.co2_kg / b.km + 1e-3  # routes round CO2 to 0.1 g
    for name, r in rep.reports.items():
        assert df.loc[name, "joint_cost"] == pytest.approx(r.joint.cost)
    assert any("weekly plans for 6 network(s)" in m for m in lines)
