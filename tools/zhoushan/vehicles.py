"""Vehicle classes (cost_facts.csv), shifts and the vehicle record of the build."""

from __future__ import annotations

from dataclasses import dataclass

from islandroute.model.network import Vehicle


# ---- vehicle classes (cost_facts.csv; D = derived, E = estimate) -------------------
@dataclass(frozen=True)
class VanClass:
    """A vehicle type: capacity and the cost figures a Vehicle needs."""

    name: str
    capacity: int
    cost_per_km: float
    cost_per_hour: float
    cost_fixed: float
    co2_per_km: float
    electric: bool
    refrigerated: bool = False


# gasoline micro van: 9.8 L/100km (D) x 7.42 yuan/L (S, 2023-05) = 0.73 + 0.15 upkeep (E)
MICRO_VAN = VanClass("gasoline micro van", 400, 0.88, 30.0, 40.0, 0.216, False)
# 4.2 m light diesel truck: 14.1 L/100km (D) x 7.08 yuan/L (S) = 1.00 + 0.25 upkeep (E)
LIGHT_TRUCK = VanClass("4.2 m light diesel truck", 600, 1.25, 30.0, 80.0, 0.374, False)
# electric light van: 20 kWh/100km (E) x ~1.0 yuan/kWh (E) + 0.15 upkeep (E);
# CO2 0.20 kWh/km x 0.4974 kg/kWh (Zhejiang grid 2023, S)
ELECTRIC_VAN = VanClass("electric light van", 300, 0.35, 30.0, 50.0, 0.099, True)
# electric tricycle of a village postal agent: 5 kWh/100km (E), 0.025 kg CO2/km (D)
TRICYCLE = VanClass("electric tricycle", 150, 0.10, 20.0, 10.0, 0.025, True)

# refrigerated 4.2 m light truck (冷藏车): the light truck's 1.25 yuan/km (D) + a reefer unit
# burning ~1.5 L diesel/h (E) x 7.08 yuan/L (S) at ~40 km/h = +0.27 -> 1.55 yuan/km;
# ~180,000 yuan (E), 5 yr, 10 % residual = 89/day + insurance 5-7k/yr = 14-19/day -> 105;
# CO2 0.374 (S) + 1.5 L/h x 2.65 kg/L (D) / 40 km/h = +0.10 -> 0.47 kg/km; 250 foam boxes
# (E: an iced seafood box is two to three ordinary parcels in volume)
REEFER_TRUCK = VanClass("refrigerated light truck", 250, 1.55, 30.0, 105.0, 0.47, False, True)

VAN_SHIFT = (420, 1140)
SERVICE_MINUTES = 5.0  # the spec's default stop, taken for the hand-in at a centre
TRIKE_SHIFT = (450, 1110)


#: Carriers with cold pickups get refrigerated trucks at their Putuo depot, ~2 km from the
#: seafood market by road (E: one each; their daily cold load is under 250 boxes).
REEFER_BASE = "putuo"


def make_vehicle(
    vid: str, carrier: str | None, depot: str, cls: VanClass, shift: tuple[int, int]
) -> Vehicle:
    return Vehicle(
        id=vid,
        carrier=carrier,
        depot=depot,
        capacity=cls.capacity,
        shift=shift,
        cost_per_km=cls.cost_per_km,
        cost_per_hour=cls.cost_per_hour,
        cost_fixed=cls.cost_fixed,
        co2_per_km=cls.co2_per_km,
        electric=cls.electric,
        refrigerated=cls.refrigerated,
    )
