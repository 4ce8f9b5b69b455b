"""Sharing a joint cost among carriers: Shapley value (exact or sampled), proportional
rules, and the core check.

Everything here works on a plain cost function ``cost(coalition) -> float`` over
``frozenset``s of player ids (``cost(frozenset()) == 0``), so it is tested on made-up
games and used on planned ones alike.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import combinations

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "EXACT_MAX_PLAYERS",
    "Allocation",
    "CoreCheck",
    "CoreViolation",
    "CostFunction",
    "check_core",
    "permutation_sample",
    "proportional",
    "shapley",
    "shapley_exact",
    "shapley_monte_carlo",
]

CostFunction = Callable[[frozenset[str]], float]

#: Up to this many players the Shapley value is exact (every coalition is planned).
EXACT_MAX_PLAYERS = 8
#: Normal quantile of the stated Monte Carlo error (a 95 % interval).
Z95 = 1.959964


class Allocation(BaseModel):
    """Each player's share of the grand coalition's cost, with how it was obtained.

    ``error`` is the half-width of a 95 % confidence interval per player (Monte Carlo
    only; zero when exact); ``samples`` the permutations drawn.
    """

    model_config = ConfigDict(frozen=True)

    method: str
    shares: dict[str, float]
    error: dict[str, float] = Field(default_factory=dict)
    samples: int = 0

    @property
    def total(self) -> float:
        return float(sum(self.shares.values()))


class CoreViolation(BaseModel):
    """A coalition whose members together pay more than the coalition would alone."""

    model_config = ConfigDict(frozen=True)

    coalition: tuple[str, ...]
    allocated: float
    cost: float
    excess: float


class CoreCheck(BaseModel):
    """Result of the core check: ``ok`` when no coalition pays more than ``cost + tol``."""

    model_config = ConfigDict(frozen=True)

    ok: bool
    checked: int
    rel_tol: float
    abs_tol: float
    violations: tuple[CoreViolation, ...] = ()

    def describe(self) -> str:
        """One readable line (or one per broken coalition)."""
        if self.ok:
            return (
                f"core check passed: {self.checked} coalitions pay no more than alone "
                f"(tolerance {100 * self.rel_tol:.1f}% + {self.abs_tol:g})"
            )
        lines = [f"core check FAILED for {len(self.violations)} of {self.checked} coalitions:"]
        lines += [
            f"  {'+'.join(v.coalition)} pays {v.allocated:,.1f} jointly but {v.cost:,.1f} "
            f"alone (+{v.excess:,.1f})"
            for v in self.violations
        ]
        return "\n".join(lines)


def shapley_exact(players: Sequence[str], cost: CostFunction) -> Allocation:
    """The exact Shapley value: every player's marginal cost averaged over all orders,
    computed from the 2^n coalitions with the usual |S|!(n-|S|-1)!/n! weights."""
    n = len(players)
    fact = [math.factorial(k) for k in range(n + 1)]
    memo: dict[frozenset[str], float] = {frozenset(): 0.0}

    def c(s: frozenset[str]) -> float:
        if s not in memo:
            memo[s] = float(cost(s))
        return memo[s]

    shares = {}
    for p in players:
        others = [q for q in players if q != p]
        total = 0.0
        for k in range(n):
            w = fact[k] * fact[n - k - 1] / fact[n]
            for combo in combinations(others, k):
                s = frozenset(combo)
                total += w * (c(s | {p}) - c(s))
        shares[p] = total
    return Allocation(method="shapley", shares=shares, error={p: 0.0 for p in players})


def permutation_sample(players: Sequence[str], samples: int, seed: int) -> list[tuple[str, ...]]:
    """``samples`` random orders of the players (antithetic pairs: each order is followed
    by its reverse, which lowers the variance), the same for the same seed."""
    rng = np.random.default_rng(seed)
    out: list[tuple[str, ...]] = []
    while len(out) < samples:
        perm = tuple(players[i] for i in rng.permutation(len(players)))
        out.append(perm)
        if len(out) < samples:
            out.append(perm[::-1])
    return out


def shapley_monte_carlo(
    players: Sequence[str], cost: CostFunction, samples: int = 200, seed: int = 0
) -> Allocation:
    """Shapley value estimated over sampled orders of the players.

    Each order's marginal costs add up to the grand coalition's cost, so the estimate is
    efficient exactly. The stated error is 1.96 standard errors per player, estimated
    from the antithetic pair means (pairs are independent, their halves are not).
    """
    perms = permutation_sample(players, samples, seed)
    memo: dict[frozenset[str], float] = {frozenset(): 0.0}

    def c(s: frozenset[str]) -> float:
        if s not in memo:
            memo[s] = float(cost(s))
        return memo[s]

    idx = {p: i for i, p in enumerate(players)}
    marg = np.zeros((len(perms), len(players)))
    for r, perm in enumerate(perms):
        s: frozenset[str] = frozenset()
        prev = 0.0
        for p in perm:
            s = s | {p}
            now = c(s)
            marg[r, idx[p]] = now - prev
            prev = now
    mean = marg.mean(axis=0)
    pairs = len(perms) // 2
    if pairs >= 2:
        pm = marg[: 2 * pairs].reshape(pairs, 2, len(players)).mean(axis=1)
        se = pm.std(axis=0, ddof=1) / math.sqrt(pairs)
    elif len(perms) >= 2:
        se = marg.std(axis=0, ddof=1) / math.sqrt(len(perms))
    else:
        se = np.full(len(players), math.inf)
    return Allocation(
        method="shapley_monte_carlo",
        shares={p: float(mean[idx[p]]) for p in players},
        error={p: float(Z95 * se[idx[p]]) for p in players},
        samples=len(perms),
    )


def shapley(
    players: Sequence[str],
    cost: CostFunction,
    *,
    exact_max: int = EXACT_MAX_PLAYERS,
    samples: int = 200,
    seed: int = 0,
) -> Allocation:
    """Exact Shapley value up to ``exact_max`` players, Monte Carlo above."""
    if len(players) <= exact_max:
        return shapley_exact(players, cost)
    return shapley_monte_carlo(players, cost, samples=samples, seed=seed)


def proportional(weights: Mapping[str, float], total: float, method: str) -> Allocation:
    """``total`` split in proportion to ``weights`` (parcels, or stand-alone costs)."""
    w = sum(weights.values())
    if w <= 0:
        raise ValueError("proportional split needs positive weights")
    return Allocation(method=method, shares={p: total * x / w for p, x in weights.items()})


def check_core(
    shares: Mapping[str, float],
    cost: CostFunction,
    coalitions: Iterable[frozenset[str]],
    *,
    rel_tol: float = 0.01,
    abs_tol: float = 1e-6,
) -> CoreCheck:
    """Does any coalition pay more in the joint split than it would on its own?

    A coalition ``S`` breaks the core when ``sum(shares[S]) > c(S) * (1 + rel_tol) +
    abs_tol``; the tolerance absorbs solver noise (heuristic plans are not optimal, so
    ``c`` is only an upper bound of each coalition's true cost). The grand coalition
    (efficiency) is not checked: its members pay exactly its cost by construction.
    Coalitions whose cost is unknown (infinite) cannot break the core.
    """
    grand = frozenset(shares)
    violations = []
    checked = 0
    for s in coalitions:
        if not s or s == grand:
            continue
        cs = float(cost(s))
        if not math.isfinite(cs):
            continue
        checked += 1
        paid = sum(shares[p] for p in s)
        if paid > cs * (1 + rel_tol) + abs_tol:
            order = [p for p in shares if p in s]
            violations.append(
                CoreViolation(coalition=tuple(order), allocated=paid, cost=cs, excess=paid - cs)
            )
    violations.sort(key=lambda v: -v.excess)
    return CoreCheck(
        ok=not violations,
        checked=checked,
        rel_tol=rel_tol,
        abs_tol=abs_tol,
        violations=tuple(violations),
    )
