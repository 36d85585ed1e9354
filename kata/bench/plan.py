"""What a ``kata bench`` run measures: the model's cost, the plans, the configurations.

The method (why 6× the weights, what the limit is, how rows are compared) is
in ``docs/design/benchmarks.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

from kata.bench.recipes import RECIPES

WEIGHTS = 784 * 128 + 128 * 10  # 101,632 multiply-adds per image, forward
FLOPS_PER_SAMPLE = 6 * WEIGHTS  # forward (2×) + backward (4×): the 6× rule
BATCH_SIZES = (32, 128, 512)
QUICK_BATCH_SIZES = (32, 512)
TARGET_ACCURACY = 0.88
ACCURACY_EPOCHS = 10  # every TensorFlow recipe's test accuracy after this many epochs, beside its speed


def _family(family: str) -> tuple[str, ...]:
    return tuple(name for name, recipe in RECIPES.items() if recipe.family == family)


KERAS_RECIPES = _family("keras")
TF_RECIPES = _family("tensorflow")
LESSON_RECIPES = _family("lesson")
PEER_RECIPES = tuple(name for name, recipe in RECIPES.items() if recipe.needs)
ACCURACY_RECIPES = KERAS_RECIPES + TF_RECIPES  # batch 32, on all 60,000 images
TIME_TO_ACCURACY = ("fit", "tf-loop")  # the tutorial's default and the fastest recipe, batch 32


@dataclass(frozen=True)
class Plan:
    """How much each benchmark trains: images per timed round, rounds, epochs allowed."""

    samples_per_round: int
    rounds: int
    warmup_rounds: int
    batch_sizes: tuple[int, ...]
    max_epochs: int  # time to accuracy gives up after this many epochs


FULL = Plan(samples_per_round=60_000, rounds=3, warmup_rounds=1, batch_sizes=BATCH_SIZES, max_epochs=20)
QUICK = Plan(samples_per_round=15_360, rounds=2, warmup_rounds=1, batch_sizes=QUICK_BATCH_SIZES, max_epochs=12)


def plan(quick: bool) -> Plan:
    """:data:`QUICK` for ``--quick``, else :data:`FULL`."""
    return QUICK if quick else FULL


@dataclass(frozen=True)
class Config:
    """One throughput benchmark: a recipe at a batch size (and, for lessons, a tree).

    Args:
        recipe: a name in :data:`kata.bench.recipes.RECIPES`.
        batch_size: images per step (0: the batch size the lesson chooses).
        tree: for lesson rows, ``"solutions"`` or the ``--impl`` tree.
    """

    recipe: str
    batch_size: int
    tree: str = ""

    @property
    def family(self) -> str:
        return RECIPES[self.recipe].family

    @property
    def name(self) -> str:
        title = RECIPES[self.recipe].title
        if RECIPES[self.recipe].lesson:
            title += " (reference)" if self.tree == "solutions" else f" ({self.tree or 'yours'})"
        return title

    @property
    def id(self) -> str:
        suffix = ""
        if RECIPES[self.recipe].lesson:
            suffix = "-reference" if self.tree == "solutions" else "-impl"
        return f"{self.recipe}{suffix}" + (f"-b{self.batch_size}" if self.batch_size else "")


def configurations(quick: bool = False, impl: str = "lessons") -> list[Config]:
    """Every throughput configuration of a run, in the order they are reported.

    Args:
        quick: the short plan's batch sizes.
        impl: whose lessons 05 and 11 to measure beside the reference's.

    Returns:
        The configurations; their ids are unique (they key saved runs).
    """
    sizes = plan(quick).batch_sizes
    configs = [Config(r, b) for r in KERAS_RECIPES + TF_RECIPES for b in sizes]
    impl_name = "yours" if impl in ("lessons", "", None) else str(impl)
    for name in LESSON_RECIPES:
        batch = RECIPES[name].lesson_batch_size
        if impl_name != "solutions":
            configs.append(Config(name, batch, tree=impl_name))
        configs.append(Config(name, batch, tree="solutions"))
    configs += [Config(r, b) for r in PEER_RECIPES for b in sizes]
    return configs
