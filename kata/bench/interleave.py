"""The goals' rows measured side by side: round-robin rounds, one ratio per round.

A ``kata bench`` row is timed minutes after the row it is compared with, and
on a shared machine the load changes in between: a ratio of two such rows
says when each ran as much as what it does.  Here the configurations a goal
compares are built once and timed in turn, one round each, round after
round (the one that goes first changes every round), so a change of load
hits them alike.  A goal's ratio is then the median over rounds of the ratio
within each round.

The groups are the goals of issue 17: the Keras-only recipes against the
tutorial's ``fit`` at batch 32; the fastest TensorFlow recipes against the
peers at batch 32; and, at batch 512, the TensorFlow recipes against the
machine's limit, the better of a numpy and a TensorFlow fp32 matmul timed in the
same rounds (under heavy load one of the two BLAS libraries can collapse),
and beside them the ceiling of any recipe: the five matmuls of a training
step at batch 512 alone, back to back (:func:`kata.bench.roofline.step_matmuls`).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from kata.bench.plan import FLOPS_PER_SAMPLE, Config
from kata.bench.recipes import RECIPES

LIMITS = ("matmul-numpy", "matmul-tensorflow")  # group members that measure the limit, not recipes
CEILING = "step-matmuls"  # a group member timing only the matmuls of a training step: no recipe can beat it


@dataclass(frozen=True)
class Group:
    """The configurations one goal compares, timed side by side.

    Args:
        name: the group's id (``keras-b32``, ``peer-b32``, ``limit-b512``).
        members: recipe names (or one of :data:`LIMITS`), all at ``batch_size``.
        batch_size: images per step.
    """

    name: str
    members: tuple[str, ...]
    batch_size: int


GROUPS = (
    Group("keras-b32", ("fit", "fit-jit-spe", "fit-jit-spe-batches"), 32),
    Group("peer-b32", ("tf-loop", "tf-loop-plain", "tf-loop-plain-1t", "tf-loop-graph", "jax-scan", "torch"), 32),
    Group("limit-b512", (*LIMITS, CEILING, "tf-loop", "tf-loop-plain", "tf-loop-graph", "tf-loop-graph-1t"), 512),
)


def family(member: str) -> str:
    """``keras``, ``tensorflow``, ``jax``, ``torch``, ``limit`` or ``ceiling``."""
    if member == CEILING:
        return "ceiling"
    return "limit" if member in LIMITS else RECIPES[member].family


def title(member: str) -> str:
    from kata.bench.roofline import MATMUL_SIZE

    if member in LIMITS:
        return f"{MATMUL_SIZE}² fp32 matmul, {member.split('-')[1]} (limit)"
    if member == CEILING:
        return "the step's 5 matmuls alone, tensorflow (ceiling)"
    return RECIPES[member].title


def build(group: Group, data) -> dict[str, Callable[[], float]]:
    """Each member of ``group`` that can run here, ready to time; ``run()`` returns the
    samples it trained (a recipe) or the samples/s-equivalent FLOPs (the limit).

    A peer whose framework is not installed, or a recipe that can't be built
    here, is left out; the goal then compares what is left.
    """
    import importlib.util

    from kata.bench.recipes import prepare
    from kata.bench.roofline import matmul, step_matmuls

    runs: dict[str, Callable[[], float]] = {}
    for member in group.members:
        if member in LIMITS:
            flops = matmul(member.split("-")[1])
            runs[member] = lambda flops=flops: flops() / FLOPS_PER_SAMPLE
            continue
        if member == CEILING:
            runs[member] = step_matmuls("tensorflow", group.batch_size)
            continue
        needs = RECIPES[member].needs
        if needs and importlib.util.find_spec(needs) is None:
            continue
        try:
            runs[member] = prepare(Config(member, group.batch_size), data)
        except (NotImplementedError, ImportError):
            continue
    return runs


def round_robin(runs: dict[str, Callable[[], float]], rounds: int,
                clock: Callable[[], float] = time.perf_counter) -> dict[str, list[float]]:
    """Time each run once per round, in turn; the first to go moves by one each round.

    Args:
        runs: name → ``run()`` returning the work it did (samples).
        rounds: how many rounds.
        clock: seconds, monotonic (a fake in tests).

    Returns:
        name → the rate (work per second) of each round, in round order.
    """
    names = list(runs)
    rates: dict[str, list[float]] = {name: [] for name in names}
    for index in range(rounds):
        turn = index % len(names) if names else 0
        for name in names[turn:] + names[:turn]:
            start = clock()
            work = runs[name]()
            rates[name].append(work / max(clock() - start, 1e-9))
    return rates


def median_ratio(numerator: list[float], denominator: list[float]) -> float | None:
    """The median over rounds of ``numerator[r] / denominator[r]``."""
    ratios = [a / b for a, b in zip(numerator, denominator, strict=True) if b]
    return statistics.median(ratios) if ratios else None


def best_per_round(rates: dict[str, list[float]], members: list[str]) -> list[float]:
    """Round by round, the best rate among ``members`` (those measured)."""
    present = [rates[m] for m in members if rates.get(m)]
    return [max(values) for values in zip(*present, strict=True)] if present else []
