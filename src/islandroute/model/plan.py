"""A week's plan as frozen models: routes of stops joined by road and ferry legs, with KPIs."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from islandroute.model.network import Frozen

PLAN_FORMAT = "islandroute.plan/1"
Mode = Literal["joint", "separate"]


class Stop(Frozen):
    """A stop of a route: the depot at either end, or a station visit with its hand-overs:
    parcels delivered, collected (``pickup``) and handed in (``handin``, spec 1.1)."""

    node: str
    arrive: float
    depart: float
    deliver: dict[str, int] = Field(default_factory=dict)
    pickup: dict[str, int] = Field(default_factory=dict)
    handin: dict[str, int] = Field(default_factory=dict)


class Leg(Frozen):
    """One road path, one ferry crossing or one drone's straight flight (``air``)."""

    from_: str = Field(alias="from")
    to: str
    mode: Literal["road", "ferry", "air"]
    depart: float
    arrive: float
    km: float = 0.0
    ferry: str | None = None


class Route(Frozen):
    """One vehicle's route on one day, depot to depot."""

    day: str
    vehicle: str
    carriers: tuple[str, ...]
    stops: tuple[Stop, ...]
    legs: tuple[Leg, ...]
    km: float
    cost: float
    co2_kg: float = 0.0
    minutes: float = 0.0
    ferry_fares: float = 0.0
    parcel_fares: float = 0.0

    @property
    def parcels(self) -> int:
        """Parcels delivered on this route, all carriers."""
        return sum(sum(s.deliver.values()) for s in self.stops)

    @property
    def ferry_crossings(self) -> int:
        return sum(1 for leg in self.legs if leg.mode == "ferry")


class Unserved(Frozen):
    """Parcels of one carrier at one station that a partial plan declares it could not
    deliver (a storm week), with the rule that stopped them."""

    station: str
    carrier: str
    parcels: int = Field(ge=0)
    rule: str
    message: str = ""


class Kpis(Frozen):
    """Cost and footprint of a plan (or a part of it: a carrier, an island)."""

    cost: float = 0.0
    km: float = 0.0
    vehicle_days: int = 0
    vehicles: int = 0
    driver_hours: float = 0.0
    ferry_crossings: int = 0
    ferry_fares: float = 0.0
    parcel_fares: float = 0.0
    co2_kg: float = 0.0
    electric_km_share: float = 0.0
    parcels: int = 0
    visits: int = 0


class Plan(Frozen):
    """A validated week of routes with its KPIs overall, per carrier and per island."""

    network: str
    mode: Mode
    days: tuple[str, ...]
    routes: tuple[Route, ...]
    totals: Kpis
    by_carrier: dict[str, Kpis] = Field(default_factory=dict)
    by_island: dict[str, Kpis] = Field(default_factory=dict)
    visit_days: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    stats: dict[str, Any] = Field(default_factory=dict)
    unserved: tuple[Unserved, ...] = ()

    @property
    def cost(self) -> float:
        return self.totals.cost

    def routes_on(self, day: str) -> list[Route]:
        """The routes of one day."""
        return [r for r in self.routes if r.day == day]

    def to_dict(self) -> dict[str, Any]:
        """The plan exchange document (``islandroute.plan/1``)."""
        from islandroute.model.exchange import plan_to_doc

        return plan_to_doc(self)

    def to_json(self, path: str | None = None, indent: int = 1) -> str:
        """The plan document as JSON text; written to ``path`` when given."""
        from islandroute.model.exchange import dumps

        return dumps(self.to_dict(), indent=indent, path=path)

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> Plan:
        """Read a plan document back (KPIs as far as the document carries them)."""
        from islandroute.model.exchange import plan_from_doc

        return plan_from_doc(doc)

    def summary(self) -> str:
        """A few readable lines: cost, km, vehicle-days, crossings, CO2. The cost is the
        routing cost the planner's progress shows plus the boat fares of parcels sent
        to island depots (which no route choice removes), said when there are any."""
        t = self.totals
        boat = f" (boat parcel fares {t.parcel_fares:,.0f})" if t.parcel_fares else ""
        return (
            f"{self.network} [{self.mode}] cost {t.cost:,.0f}{boat}  km {t.km:,.1f}  "
            f"vehicle-days {t.vehicle_days}  driver-h {t.driver_hours:,.1f}  "
            f"ferry crossings {t.ferry_crossings}  CO2 {t.co2_kg:,.0f} kg  "
            f"electric km {100 * t.electric_km_share:.0f}%"
        )

    def to_dataframe(self) -> Any:
        """One row per route (pandas), for notebooks."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "day": r.day,
                    "vehicle": r.vehicle,
                    "carriers": ",".join(r.carriers),
                    "stops": len(r.stops) - 2,
                    "parcels": r.parcels,
                    "km": r.km,
                    "minutes": r.minutes,
                    "ferry_crossings": r.ferry_crossings,
                    "cost": r.cost,
                    "co2_kg": r.co2_kg,
                }
                for r in self.routes
            ]
        )
