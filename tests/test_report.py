"""The interactive report: one self-contained page, driven in a real headless Chromium.

The browser tests need Debian's Chromium (``make test`` installs it as root); they are
skipped without it, unless ``ISLANDROUTE_REQUIRE_BROWSER`` is set (as CI sets it), when a
missing browser fails them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from islandroute import Network, Plan, archipelago, plan_week
from islandroute.cli import main
from islandroute.report import CHROMIUM_FLAGS, IslandShading, report_html, write_report

#: Seconds the planner gets for the small weeks.
PLAN_SECONDS = 2
#: Distinct colours a drawn map shows at least (a blank page has one or two).
MIN_COLOURS = 20
VIEWPORT = {"width": 1400, "height": 900}


@pytest.fixture(scope="module")
def week() -> tuple[Network, Plan, Plan]:
    """A small archipelago (ferries, bridges) planned joint and separate."""
    net = archipelago(24, n_islands=4, n_carriers=2, seed=5)
    joint = plan_week(net, mode="joint", time_limit=PLAN_SECONDS, seed=0)
    separate = plan_week(net, mode="separate", time_limit=PLAN_SECONDS, seed=0)
    return net, joint, separate


def _data(page: str) -> dict[str, Any]:
    """The JSON the page carries."""
    found = re.search(r'<script id="report-data" type="application/json">(.*?)</script>', page)
    assert found, "the page carries its data"
    doc: dict[str, Any] = json.loads(found.group(1))
    return doc


def test_page_is_self_contained(week: tuple[Network, Plan, Plan]) -> None:
    net, joint, _ = week
    page = report_html(net, joint)
    assert "<script src" not in page and '<link rel="stylesheet"' not in page
    assert not re.search(r"""src=["']https?://|url\(["']?https?://|<link[^>]*https?://""", page)
    assert "L.map(" in page and "@@" not in page  # Leaflet inlined, every slot filled


def test_page_data_follows_the_plan(week: tuple[Network, Plan, Plan]) -> None:
    net, joint, separate = week
    data = _data(report_html(net, joint, separate))
    assert [p["label"] for p in data["plans"]] == ["joint", "separate"]
    for shown, plan in zip(data["plans"], (joint, separate), strict=True):
        assert Counter(r["day"] for r in shown["routes"]) == Counter(r.day for r in plan.routes)
        assert shown["kpis"]["cost"] == pytest.approx(plan.totals.cost, abs=0.1)
        assert shown["kpis"]["ferry_crossings"] == plan.totals.ferry_crossings
        for drawn, route in zip(shown["routes"], plan.routes, strict=True):
            modes = [p["mode"] for p in drawn["parts"]]
            assert modes.count("ferry") == route.ferry_crossings
            assert [s["node"] for s in drawn["stops"]] == [s.node for s in route.stops]
        visited = {s.node for r in plan.routes for s in r.stops if s.deliver}
        assert set(shown["calendar"]) >= visited
    assert len(data["islands"]) == len(net.islands)


def test_write_report_replaces_whole(tmp_path: Path, week: tuple[Network, Plan, Plan]) -> None:
    net, joint, _ = week
    target = tmp_path / "report.html"
    target.write_text("old")
    write_report(net, joint, target)
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_cli_report_to_file_and_stdout(
    tmp_path: Path, week: tuple[Network, Plan, Plan], capsys: pytest.CaptureFixture[str]
) -> None:
    net, joint, separate = week
    net_file, a, b = tmp_path / "net.json", tmp_path / "a.json", tmp_path / "b.json"
    net.to_json(str(net_file))
    joint.to_json(str(a))
    separate.to_json(str(b))
    out = tmp_path / "r.html"
    args = ["report", "--network", str(net_file), "--plan", str(a), "--compare", str(b)]
    assert main([*args, "--out", str(out)]) == 0
    data = _data(out.read_text(encoding="utf-8"))
    assert len(data["plans"]) == 2
    shading = data["shading"]  # the cost per parcel of each island, each plan
    assert shading["threshold"] == 3.0 and len(shading["values"]) == 2
    served = {net.node_by_id[s.node].island for s in net.stations}
    assert set(shading["values"][0]) == served
    assert all(v > 0 for v in shading["values"][0].values())
    capsys.readouterr()
    assert main([*args, "--out", "-"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("<!DOCTYPE html>") and "wrote -" in captured.err


def test_cli_report_refuses_another_networks_plan(
    tmp_path: Path, week: tuple[Network, Plan, Plan], capsys: pytest.CaptureFixture[str]
) -> None:
    _, joint, _ = week
    plan_file = tmp_path / "a.json"
    joint.to_json(str(plan_file))
    code = main(["report", "--network", "synthetic:10:2:1", "--plan", str(plan_file)])
    assert code == 2
    assert "--plan" in capsys.readouterr().err


# ---- in a real browser ------------------------------------------------------------------
def _chromium() -> str:
    """Debian's Chromium, or a skip (a failure when CI requires the browser)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("ISLANDROUTE_REQUIRE_BROWSER"):
        pytest.fail("ISLANDROUTE_REQUIRE_BROWSER is set but no chromium is on PATH")
    pytest.skip("no chromium on PATH (make test installs Debian's chromium as root)")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless Chromium driven by Playwright (its own browser never downloaded)."""
    executable = _chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=executable, args=list(CHROMIUM_FLAGS))
        yield chromium
        chromium.close()


class Opened:
    """A report page open in the browser, with every console message and request seen."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.messages: list[tuple[str, str]] = []
        self.requests: list[str] = []
        self.page = browser.new_page(viewport=VIEWPORT)
        self.page.on("console", lambda m: self.messages.append((m.type, m.text)))
        self.page.on("pageerror", lambda e: self.messages.append(("pageerror", str(e))))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(path.as_uri())
        self.page.wait_for_function("window.islandroute !== undefined")

    def drawn(self) -> list[int]:
        """Routes each map draws now, counted from its Leaflet layers."""
        counts: list[int] = self.page.evaluate("window.islandroute.drawnRoutes()")
        return counts

    def errors(self) -> list[tuple[str, str]]:
        return [m for m in self.messages if m[0] in ("error", "pageerror")]


def _opened(browser: Any, tmp_path: Path, net: Network, *plans: Plan) -> Opened:
    path = tmp_path / "report.html"
    write_report(net, plans[0], path, compare=plans[1] if len(plans) > 1 else None)
    return Opened(browser, path)


def test_loads_offline_without_console_errors(
    browser: Any, tmp_path: Path, week: tuple[Network, Plan, Plan]
) -> None:
    net, joint, _ = week
    opened = _opened(browser, tmp_path, net, joint)
    assert opened.errors() == []
    assert all(u.startswith(("file:", "data:", "about:")) for u in opened.requests)
    opened.page.close()


def test_day_selector_draws_that_days_routes(
    browser: Any, tmp_path: Path, week: tuple[Network, Plan, Plan]
) -> None:
    net, joint, separate = week
    opened = _opened(browser, tmp_path, net, joint, separate)
    counts = [Counter(r.day for r in p.routes) for p in (joint, separate)]
    for day in joint.days:
        opened.page.select_option("#day", day)
        assert opened.drawn() == [c[day] for c in counts], day
    opened.page.select_option("#day", "all")
    assert opened.drawn() == [len(joint.routes), len(separate.routes)]
    assert opened.errors() == []
    opened.page.close()


def test_vehicle_toggles_hide_and_show_routes(
    browser: Any, tmp_path: Path, week: tuple[Network, Plan, Plan]
) -> None:
    net, joint, _ = week
    opened = _opened(browser, tmp_path, net, joint)
    opened.page.select_option("#day", "all")
    vehicle = joint.routes[0].vehicle
    opened.page.uncheck(f"#vehicles-0 input[data-vehicle='{vehicle}']")
    assert opened.drawn() == [sum(r.vehicle != vehicle for r in joint.routes)]
    opened.page.click("#vehicles-0 button[data-all='0']")
    assert opened.drawn() == [0]
    opened.page.click("#vehicles-0 button[data-all='1']")
    assert opened.drawn() == [len(joint.routes)]
    opened.page.close()


def test_station_popup_shows_its_week(
    browser: Any, tmp_path: Path, week: tuple[Network, Plan, Plan]
) -> None:
    net, joint, _ = week
    opened = _opened(browser, tmp_path, net, joint)
    station = net.stations[0].node
    days = [
        d for d in joint.days if any(s.node == station for r in joint.routes_on(d) for s in r.stops)
    ]
    assert days, "the first station is visited"
    popup = opened.page.evaluate(f"window.islandroute.openPlace(0, {json.dumps(station)})")
    assert station in popup or net.node_by_id[station].name in popup
    for day in joint.days:
        row = re.search(f"<tr><td>{day}</td><td>([^<]*)</td>", popup)
        assert row is not None and bool(row.group(1)) == (day in days), day
    assert opened.page.locator(".leaflet-popup-content").count() == 1
    opened.page.close()


def test_screenshot_is_not_blank(
    browser: Any, tmp_path: Path, week: tuple[Network, Plan, Plan]
) -> None:
    from PIL import Image

    net, joint, separate = week
    opened = _opened(browser, tmp_path, net, joint, separate)
    shot = tmp_path / "shot.png"
    opened.page.screenshot(path=str(shot))
    with Image.open(shot) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) >= MIN_COLOURS
    opened.page.close()


def test_island_shading_colours_flags_and_lists_islands(
    browser: Any, tmp_path: Path, week: tuple[Network, Plan, Plan]
) -> None:
    net, joint, separate = week
    per_plan = tuple(
        {i: k.cost / k.parcels for i, k in p.by_island.items() if k.parcels}
        for p in (joint, separate)
    )
    threshold = sorted(per_plan[0].values())[len(per_plan[0]) // 2]
    shading = IslandShading("cost per parcel", per_plan, threshold)
    path = tmp_path / "shaded.html"
    write_report(net, joint, path, compare=separate, shading=shading)
    opened = Opened(browser, path)
    rows = opened.page.locator("#shading tbody tr")
    islands = set(per_plan[0]) | set(per_plan[1])
    assert rows.count() == len(islands)
    over = {i for m in per_plan for i, v in m.items() if v > threshold}
    assert opened.page.locator("#shading tbody tr.over").count() == len(over)
    assert opened.errors() == []
    opened.page.close()
    with pytest.raises(ValueError, match="per_plan"):
        report_html(net, joint, shading=shading)  # two mappings, one plan shown


def test_one_vans_day_opens_with_its_stops_in_order(
    browser: Any, tmp_path: Path, week: tuple[Network, Plan, Plan]
) -> None:
    net, joint, _ = week
    route = max(joint.routes, key=lambda r: r.ferry_crossings)
    opened = _opened(browser, tmp_path, net, joint)
    opened.page.select_option("#day", route.day)
    opened.page.click(f"#vehicles-0 a[data-focus='{route.vehicle}']")
    popup = opened.page.locator(".leaflet-popup-content").inner_html()
    names = re.findall(r"<tr><td>\d+</td><td>([^<]*)</td>", popup)
    assert names == [net.node_by_id[s.node].name or s.node for s in route.stops]
    assert popup.count("ferry ") == route.ferry_crossings
    none = opened.page.evaluate(f"window.islandroute.focusRoute(0, 'no-such-van', '{route.day}')")
    assert none is None and opened.errors() == []
    opened.page.close()


def test_drone_flights_are_drawn_as_their_own_mode(browser: Any, tmp_path: Path) -> None:
    from islandroute import plan_with_drones
    from islandroute.datasets.zhoushan_drones import with_drones_at_complexes

    net = with_drones_at_complexes(archipelago(20, n_islands=5, n_carriers=2, seed=4), "vtol")
    week = plan_with_drones(net, time_limit=3 * PLAN_SECONDS, seed=0, stations="all")
    flights = sum(leg.mode == "air" for r in week.plan.routes for leg in r.legs)
    assert flights > 0
    path = tmp_path / "drones.html"
    write_report(net, week.plan, path)
    drawn = _data(path.read_text(encoding="utf-8"))["plans"][0]["routes"]
    assert sum(p["mode"] == "air" for r in drawn for p in r["parts"]) == flights
    opened = Opened(browser, path)
    opened.page.select_option("#day", "all")
    assert opened.drawn() == [len(week.plan.routes)] and opened.errors() == []
    opened.page.close()
