"""``kata bench``: training throughput of the tutorial's model, measured with pytest-benchmark.

The layers, each importing only those above it:

``base``      the data, the tutorial's model and loss, a timed :class:`Run`
``peers``     the same model in PyTorch and JAX (optional)
``recipes``   the registry of :class:`Recipe` objects, by name
``plan``      the model's FLOPs, the full and quick plans, the configurations
``roofline``  the machine's limit: a large fp32 matmul; the ceiling: a step's matmuls alone
``fused``     the recipes of issue 17 (batched tf.data, fused Adam without XLA)
``plain``     the in-graph XLA loop in plain TensorFlow (issue 17)
``threads``   a recipe on one thread, in a child process (issue 17)
``accuracy``  time to accuracy; accuracy after 10 epochs
``interleave`` the goals' configurations timed side by side, round after round
``rows``      pytest-benchmark records → rows; JSON; saved runs
``goals``     the goals of issues 5 and 17, measured
``render``    table, Markdown, chart, comparison
``command``   the ``kata bench`` command
``suite``     the benchmarks themselves (pytest files, shipped with the package)

The method is explained in ``docs/design/benchmarks.md``.  The names most
callers need are gathered here.
"""

from kata.bench.accuracy import accuracy_after_epochs, time_to_accuracy
from kata.bench.base import (
    LEARNING_RATE,
    STEPS_PER_EXECUTION,
    Data,
    Run,
    batched,
    load,
    tutorial_model,
)
from kata.bench.command import default_chart, pytest_args, storage
from kata.bench.goals import goals
from kata.bench.plan import (
    ACCURACY_EPOCHS,
    ACCURACY_RECIPES,
    BATCH_SIZES,
    FLOPS_PER_SAMPLE,
    FULL,
    KERAS_RECIPES,
    LESSON_RECIPES,
    PEER_RECIPES,
    QUICK,
    QUICK_BATCH_SIZES,
    TARGET_ACCURACY,
    TF_RECIPES,
    TIME_TO_ACCURACY,
    WEIGHTS,
    Config,
    Plan,
    configurations,
    plan,
)
from kata.bench.recipes import RECIPES, TITLES, Recipe, peer_module, prepare, register
from kata.bench.render import chart, comparison, goals_table, table
from kata.bench.roofline import MATMUL_SIZE, matmul
from kata.bench.rows import (
    Row,
    limit_samples_per_s,
    read_json,
    rows_from_benchmarks,
    rows_from_dicts,
    rows_from_saved_run,
    saved_runs,
    write_json,
)

__all__ = [
    "ACCURACY_EPOCHS", "ACCURACY_RECIPES", "accuracy_after_epochs",
    "BATCH_SIZES", "FLOPS_PER_SAMPLE", "FULL", "KERAS_RECIPES", "LEARNING_RATE", "LESSON_RECIPES",
    "MATMUL_SIZE", "PEER_RECIPES", "QUICK", "QUICK_BATCH_SIZES", "RECIPES", "STEPS_PER_EXECUTION",
    "TARGET_ACCURACY", "TF_RECIPES", "TIME_TO_ACCURACY", "TITLES", "WEIGHTS", "Config", "Data",
    "Plan", "Recipe", "Row", "Run", "batched", "chart", "comparison", "configurations",
    "default_chart", "goals", "goals_table", "limit_samples_per_s", "load", "matmul",
    "peer_module", "plan", "prepare", "pytest_args", "read_json", "register", "rows_from_benchmarks",
    "rows_from_dicts", "rows_from_saved_run", "saved_runs", "storage", "table",
    "time_to_accuracy", "tutorial_model", "write_json",
]  # fmt: skip
