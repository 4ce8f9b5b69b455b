"""Candidate station sites (合作设站): where a village's station could be, at what weekly
cost and in what opening hours."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from islandroute.model.network import ClockMinute, Coordinate, Id, Minute, Money, Name

CandidateKind = Literal["post_station", "terminal", "coop", "service_centre", "own"]
CANDIDATE_KINDS: tuple[str, ...] = ("post_station", "terminal", "coop", "service_centre", "own")
OWN = "own"  # the carrier's own station at a village: serves that village only
OPEN_DEFAULT = (480, 1080)  # 08:00 to 18:00, as a station's default window


class Candidate(BaseModel):
    """One possible station site: a village post station (村邮站), a passenger or freight
    terminal (客运站), a supply-and-marketing co-operative (供销社), a village service
    centre or the carrier's ``own`` station, with its weekly cost and opening hours.

    ``village`` names the station node whose list the site belongs to; it is required
    for ``own`` (an own station serves its village only). Any other site may serve every
    village on its island within the walking distance.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Id
    kind: CandidateKind
    island: Id
    lon: Coordinate
    lat: Coordinate
    weekly_cost: Money
    open: tuple[ClockMinute, Minute] = OPEN_DEFAULT
    village: Id | None = None
    name: Name = ""

    @field_validator("open")
    @classmethod
    def _window(cls, v: tuple[int, int]) -> tuple[int, int]:
        if v[1] <= v[0]:
            raise ValueError(f"opening window {list(v)} closes before it opens")
        return v

    @model_validator(mode="after")
    def _own_has_village(self) -> Candidate:
        if self.kind == OWN and self.village is None:
            raise ValueError("an 'own' station needs the village it belongs to")
        return self
