"""Two in, one out (两进一出): what a plan delivers, collects and sends out, read from its
stops against the network's hand-in contract (spec 1.1); no solver.

Pickups are matched to their hand-ins by :mod:`islandroute.analysis.handins`. A parcel
is on time when handed in at a stop that arrives by its station's ``pickup_by`` (always,
without one); a cold parcel rides well when a refrigerated vehicle hands it in within
``max_ride`` minutes. Destinations split the on-time share by what a deadline means:
a processing centre's same-day/next-day trunk (当日达/次日达), a cross-border centre's
sailing or flight cut-off, a depot without deadline.

    from islandroute.analysis.flows import flows
    report = flows(net, plan)
    print(report.text()); report.by_carrier; report.by("day", "carrier")
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from islandroute.analysis.handins import (
    Batch,
    Destination,
    HandIn,
    Origin,
    Unmatched,
    ledger,
    origin,
)
from islandroute.model.network import Network
from islandroute.model.plan import Plan
from islandroute.tables import table

__all__ = [
    "COMPARED_FLOWS",
    "COMPARISON_COLUMNS",
    "DESTINATION_LABELS",
    "PROGRAMME_LABELS",
    "FlowKpis",
    "FlowRecord",
    "FlowReport",
    "flow_comparison_rows",
    "flow_row",
    "flows",
    "total",
]

GroupKey = Literal["day", "vehicle", "carrier", "station", "island", "programme", "destination"]

OUTBOUND: Destination = "cross_border_centre"

#: What a destination's deadline means for the pilot.
DESTINATION_LABELS: dict[str, str] = {
    "processing_centre": "processing centre (same-day/next-day trunk, 当日达/次日达)",
    "cross_border_centre": "cross-border centre (sailing/flight cut-off)",
    "depot": "depot (no deadline)",
    "other": "other hand-in point",
}
#: The pilot's three programmes.
PROGRAMME_LABELS: dict[str, str] = {
    "village": "快递进村 villages",
    "park": "快递进厂 parks",
    "outbound": "快递出海 outbound",
}
PERCENT = 100.0


class FlowKpis(BaseModel):
    """Parcel flows of a plan or a part of it (a day, carrier, island, destination).

    ``collected = handed_in + missing`` and ``handed_in = on_time + late``; cold minutes
    are minutes on board from pickup to hand-in, over the cold parcels handed in.
    """

    model_config = ConfigDict(frozen=True)

    delivered: int = 0
    collected: int = 0
    handed_in: int = 0
    on_time: int = 0
    outbound: int = 0
    cold: int = 0
    cold_handed_in: int = 0
    cold_ok: int = 0
    cold_minutes_max: float = 0.0
    cold_parcel_minutes: float = 0.0

    @property
    def late(self) -> int:
        """Handed in after the station's ``pickup_by``."""
        return self.handed_in - self.on_time

    @property
    def missing(self) -> int:
        """Collected but never handed in at their destination on the route."""
        return self.collected - self.handed_in

    @property
    def on_time_share(self) -> float | None:
        """Lead-time attainment: collected parcels handed in by their deadline (None when
        nothing was collected)."""
        return self.on_time / self.collected if self.collected else None

    @property
    def cold_minutes_mean(self) -> float | None:
        """Mean minutes on board of a cold parcel handed in (parcel-weighted)."""
        return self.cold_parcel_minutes / self.cold_handed_in if self.cold_handed_in else None

    @property
    def cold_breaches(self) -> int:
        """Cold parcels not handed in within ``max_ride`` on a refrigerated vehicle."""
        return self.cold - self.cold_ok

    def __add__(self, other: FlowKpis) -> FlowKpis:
        """Both flows together (counts add up, the longest cold ride is kept); built
        without validation, as both parts were validated."""
        data = {
            name: getattr(self, name) + getattr(other, name)
            for name in FlowKpis.model_fields
            if name != "cold_minutes_max"
        }
        data["cold_minutes_max"] = max(self.cold_minutes_max, other.cold_minutes_max)
        return FlowKpis.model_construct(**data)


@dataclass(frozen=True)
class FlowRecord(Origin):
    """The flows of one station, carrier and route (deliveries, or one batch's
    collection with its outcome), with every key it can be grouped by."""

    destination: Destination | None  # None for deliveries
    kpis: FlowKpis


def _delivery_records(net: Network, plan: Plan) -> list[FlowRecord]:
    """One record per stop and carrier that delivers parcels."""
    out = []
    for route in plan.routes:
        for stop in route.stops:
            for carrier, n in stop.deliver.items():
                if n > 0:
                    where = origin(net, route, stop, carrier)
                    out.append(
                        FlowRecord(**vars(where), destination=None, kpis=FlowKpis(delivered=n))
                    )
    return out


def _batch_record(batch: Batch, pieces: Sequence[HandIn]) -> FlowRecord:
    """A batch's collection and what became of it: handed in, on time, outbound, cold."""
    handed = sum(p.parcels for p in pieces)
    cold = list(pieces) if batch.cold else []
    kpis = FlowKpis(
        collected=batch.parcels,
        handed_in=handed,
        on_time=sum(p.parcels for p in pieces if p.on_time),
        outbound=handed if batch.kind == OUTBOUND else 0,
        cold=batch.parcels if batch.cold else 0,
        cold_handed_in=sum(p.parcels for p in cold),
        cold_ok=sum(p.parcels for p in cold if p.cold_ok),
        cold_minutes_max=max((p.ride for p in cold), default=0.0),
        cold_parcel_minutes=sum(p.ride * p.parcels for p in cold),
    )
    where = {f: getattr(batch, f) for f in Origin.__dataclass_fields__}
    return FlowRecord(**where, destination=batch.kind, kpis=kpis)


def total(parts: Iterable[FlowKpis]) -> FlowKpis:
    """Several flows together."""
    out = FlowKpis()
    for k in parts:
        out = out + k
    return out


@dataclass(frozen=True)
class FlowReport:
    """A plan's flows record by record, grouped on demand; ``days`` and ``carriers``
    give the order of groups (the others are sorted)."""

    network: str
    records: tuple[FlowRecord, ...]
    unmatched: tuple[Unmatched, ...] = ()
    days: tuple[str, ...] = ()
    carriers: tuple[str, ...] = ()

    @property
    def totals(self) -> FlowKpis:
        return total(r.kpis for r in self.records)

    def by(self, *keys: GroupKey) -> dict[tuple[str, ...], FlowKpis]:
        """Flows per combination of ``keys`` (records without a key, such as
        deliveries by destination, are left out)."""
        groups: dict[tuple[str, ...], FlowKpis] = {}
        for r in self.records:
            key = tuple(getattr(r, k) for k in keys)
            if None not in key:
                groups[key] = groups.get(key, FlowKpis()) + r.kpis
        return {k: groups[k] for k in sorted(groups, key=lambda k: self._rank(keys, k))}

    def _rank(self, keys: Sequence[str], values: tuple[str, ...]) -> tuple[Any, ...]:
        """Sort position: horizon order for days, network order for carriers."""
        order = {"day": self.days, "carrier": self.carriers}
        out: list[Any] = []
        for k, v in zip(keys, values, strict=True):
            known = order.get(k, ())
            out.append((known.index(v) if v in known else len(known), v))
        return tuple(out)

    def _by_one(self, key: GroupKey) -> dict[str, FlowKpis]:
        return {k[0]: v for k, v in self.by(key).items()}

    @property
    def by_day(self) -> dict[str, FlowKpis]:
        return self._by_one("day")

    @property
    def by_carrier(self) -> dict[str, FlowKpis]:
        return self._by_one("carrier")

    @property
    def by_island(self) -> dict[str, FlowKpis]:
        return self._by_one("island")

    @property
    def by_destination(self) -> dict[str, FlowKpis]:
        """Collections by where they are handed in (attainment per deadline kind)."""
        return self._by_one("destination")

    def programmes(self) -> dict[str, FlowKpis]:
        """Flows of the pilot's programmes by the kind of station: villages (快递进村)
        and parks (快递进厂); what goes out (快递出海) is ``totals.outbound``."""
        prog = self._by_one("programme")
        return {k: prog.get(k, FlowKpis()) for k in ("village", "park")}

    def outbound_by_day(self) -> dict[str, dict[str, int]]:
        """Outbound parcels (handed in at the cross-border centre), day -> carrier -> n."""
        out: dict[str, dict[str, int]] = {}
        for (day, carrier), k in self.by("day", "carrier").items():
            if k.outbound:
                out.setdefault(day, {})[carrier] = k.outbound
        return out

    def summary(self) -> str:
        """A few lines: delivered / collected / outbound, the same by programme, the
        on-time share by destination, cold minutes on board."""
        t = self.totals
        prog = "; ".join(
            f"{PROGRAMME_LABELS[k]}: delivered {v.delivered:,}, collected {v.collected:,}"
            for k, v in self.programmes().items()
        )
        dest = ", ".join(
            f"{k.replace('_', ' ')} {_share_text(v.on_time_share)}"
            for k, v in self.by_destination.items()
        )
        lines = [
            f"two in, one out (两进一出): delivered {t.delivered:,}, collected "
            f"{t.collected:,}, outbound {t.outbound:,}",
            f"  {prog}; {PROGRAMME_LABELS['outbound']}: {t.outbound:,}",
            f"  on time {_share_text(t.on_time_share)} ({dest or 'nothing collected'})",
        ]
        if t.missing or t.late:
            lines[-1] += f"; late {t.late:,}, never handed in {t.missing:,}"
        if t.cold:
            lines.append("  " + _cold_text(t))
        if self.unmatched:
            n = sum(u.parcels for u in self.unmatched)
            lines.append(f"  {n:,} parcels handed in that no earlier pickup was bound for")
        return "\n".join(lines)

    def rows(self, key: GroupKey) -> list[dict[str, Any]]:
        """Table rows per ``key`` (``day``, ``carrier``, ``island``, ...) plus a total."""
        groups = self._by_one(key)
        rows = [flow_row(key, PROGRAMME_LABELS.get(k, k), v) for k, v in groups.items()]
        return [*rows, flow_row(key, "total", total(groups.values()))]

    def text(self) -> str:
        """The summary and a table per carrier, for terminals."""
        return "\n".join([self.summary(), table(self.rows("carrier"), flow_columns("carrier"))])

    def markdown(self) -> str:
        """Markdown sections: programmes, per carrier, island, day and destination, and
        outbound parcels per day and carrier."""
        bullets = "\n".join(f"- {line.strip()}" for line in self.summary().splitlines())
        parts = [f"## Two in, one out (两进一出): {self.network}", bullets]
        for key in ("programme", "carrier", "island", "day", "destination"):
            title = "Collections by destination" if key == "destination" else f"By {key}"
            parts += [f"### {title}", table(self.rows(key), flow_columns(key), markdown=True)]
        parts += ["### Outbound per day and carrier", self._outbound_markdown()]
        return "\n\n".join(parts) + "\n"

    def _outbound_markdown(self) -> str:
        days = self.outbound_by_day()
        carriers = [c for c in self.carriers if any(c in v for v in days.values())]
        rows = [{"day": d, **v, "total": sum(v.values())} for d, v in days.items()]
        return table(rows, ["day", *carriers, "total"], markdown=True) if rows else "none"


def flow_columns(key: str) -> list[str]:
    """Columns of a flow table grouped by ``key``."""
    return [key, *FLOW_ROW_FIELDS]


FLOW_ROW_FIELDS = (
    "delivered",
    "collected",
    "outbound",
    "on time %",
    "late",
    "missing",
    "cold",
    "cold max min",
    "cold mean min",
)


def flow_row(key: str, name: str, k: FlowKpis) -> dict[str, Any]:
    """One table row of flows: counts, on-time share in %, cold minutes on board."""
    return {
        key: name,
        "delivered": k.delivered,
        "collected": k.collected,
        "outbound": k.outbound,
        "on time %": _pct(k.on_time_share),
        "late": k.late,
        "missing": k.missing,
        "cold": k.cold,
        "cold max min": float(k.cold_minutes_max) if k.cold else None,
        "cold mean min": k.cold_minutes_mean,
    }


def _pct(share: float | None) -> float | None:
    return None if share is None else PERCENT * share


def _share_text(share: float | None) -> str:
    return "n/a" if share is None else f"{PERCENT * share:.1f}%"


def _cold_text(t: FlowKpis) -> str:
    mean = t.cold_minutes_mean
    return (
        f"cold {t.cold:,} parcels: on board max {t.cold_minutes_max:.0f} min, mean "
        f"{'n/a' if mean is None else f'{mean:.1f}'} min; {t.cold_breaches:,} not "
        "within max_ride on a refrigerated vehicle"
    )


def flows(net: Network, plan: Plan) -> FlowReport:
    """The plan's flows: deliveries, and every pickup with its hand-ins."""
    book = ledger(net, plan)
    pieces: dict[int, list[HandIn]] = {}
    for p in book.handins:
        pieces.setdefault(id(p.batch), []).append(p)
    records = _delivery_records(net, plan) + [
        _batch_record(b, pieces.get(id(b), [])) for b in book.batches
    ]
    return FlowReport(
        network=plan.network,
        records=tuple(records),
        unmatched=book.unmatched,
        days=plan.days,
        carriers=net.carrier_ids,
    )


def flow_comparison_rows(
    separate: Mapping[str, FlowKpis], joint: Mapping[str, FlowKpis]
) -> list[dict[str, Any]]:
    """Two rows per carrier and for the total, ``week`` ``alone`` (its separate week) and
    ``joint``: delivered, collected, outbound, on-time share and cold minutes."""
    names = list(dict.fromkeys([*separate, *joint]))
    pairs = [(c, separate.get(c, FlowKpis()), joint.get(c, FlowKpis())) for c in names]
    pairs.append(("total", total(separate.values()), total(joint.values())))
    rows = []
    for who, a, b in pairs:
        for week, k in (("alone", a), ("joint", b)):
            row: dict[str, Any] = {"carrier": who, "week": week}
            row.update({label: value(k) for label, value in COMPARED_FLOWS.items()})
            rows.append(row)
    return rows


#: Columns of :func:`flow_comparison_rows`.
COMPARISON_COLUMNS: tuple[str, ...] = (
    "carrier",
    "week",
    "delivered",
    "collected",
    "outbound",
    "on time %",
    "cold max min",
)


#: The flows compared side by side, separate against joint.
COMPARED_FLOWS: dict[str, Callable[[FlowKpis], float | int | None]] = {
    "delivered": lambda k: k.delivered,
    "collected": lambda k: k.collected,
    "outbound": lambda k: k.outbound,
    "on time %": lambda k: _pct(k.on_time_share),
    "cold max min": lambda k: float(k.cold_minutes_max) if k.cold else None,
}
