"""The benchmark machinery (kata.bench, its suite kata/bench/suite): rows, JSON, chart, configurations.

Fast and without TensorFlow: the rows are computed from made-up records, so
every expected number here is worked out by hand.  No timing is asserted.
"""

import io
import json
import subprocess
import sys
from types import SimpleNamespace

import numpy as np
import pytest

from kata import bench
from kata.bench.command import SUITE
from kata.checkout import Checkout
from kata.impl import ROOT

HERE = Checkout(ROOT)

GFLOPS = 200.0
LIMIT = GFLOPS * 1e9 / (6 * 101_632)  # samples/s


def records():
    """pytest-benchmark records as the benchmarks write them: a roofline, three throughputs, two times to accuracy."""

    def throughput(recipe, batch, samples, median, minimum=None):
        config = bench.Config(recipe, batch)
        return {
            "extra_info": {"kind": "throughput", "recipe": recipe, "family": config.family, "id": config.id,
                           "name": config.name, "batch_size": batch, "samples_per_round": samples},
            "stats": {"median": median, "min": minimum or median, "rounds": 3},
        }

    def tta(recipe, seconds, epochs, reached=True):
        return {
            "extra_info": {"kind": "time_to_accuracy", "recipe": recipe, "family": "keras", "id": f"tta-{recipe}-b32",
                           "name": f"time to 0.88: {recipe}", "batch_size": 32, "seconds": seconds, "epochs": epochs,
                           "test_accuracy": 0.881 if reached else 0.87, "reached": reached, "samples": 60_000 * epochs},
            "stats": {"median": seconds + 1, "min": seconds + 1, "rounds": 1},
        }

    return [
        {"extra_info": {"kind": "roofline", "recipe": "matmul-numpy", "family": "numpy", "id": "matmul-numpy",
                        "name": "matmul numpy", "flops_per_round": 2e9}, "stats": {"min": 2e9 / (GFLOPS * 1e9), "median": 0.02}},
        {"extra_info": {"kind": "roofline", "recipe": "matmul-tensorflow", "family": "tensorflow", "id": "matmul-tensorflow",
                        "name": "matmul tf", "flops_per_round": 2e9}, "stats": {"min": 0.02, "median": 0.03}},
        throughput("fit", 32, 60_000, 3.0, 2.5),
        throughput("fit-jit-spe", 32, 60_000, 1.0),
        throughput("tf-loop", 32, 59_968, 0.5),
        throughput("tf-loop", 512, 59_904, 59_904 / (0.91 * LIMIT)),
        throughput("jax-scan", 32, 59_968, 0.49),
        {"extra_info": {"kind": "accuracy", "recipe": "fit-jit-spe", "family": "keras", "id": "acc10-fit-jit-spe-b32",
                        "name": "accuracy after 10 epochs: fit-jit-spe", "batch_size": 32, "test_accuracy": 0.885,
                        "epochs": 10, "seconds": 10.0, "samples": 600_000},
         "stats": {"median": 12.0, "min": 12.0, "rounds": 1}},
        tta("fit", 20.0, 8),
        tta("tf-loop", 4.0, 8),
    ]


def by_id(rows):
    return {row.id: row for row in rows}


def test_flops_per_sample_follow_the_6x_rule():
    assert bench.WEIGHTS == 784 * 128 + 128 * 10 == 101_632
    assert bench.FLOPS_PER_SAMPLE == 6 * 101_632


def test_rows_compute_samples_per_second_ratio_and_share_of_the_limit():
    rows = by_id(bench.rows_from_benchmarks(records()))
    default = rows["fit-b32"]
    assert default.samples_per_s == pytest.approx(20_000)  # 60,000 images / 3.0 s (the median round)
    assert default.samples_per_s_best == pytest.approx(24_000)  # / 2.5 s (the best round)
    assert default.x_default == pytest.approx(1.0)
    assert default.pct_roofline == pytest.approx(100 * 20_000 / LIMIT)
    assert rows["fit-jit-spe-b32"].x_default == pytest.approx(3.0)
    assert rows["tf-loop-b32"].x_default == pytest.approx(59_968 / 0.5 / 20_000)
    assert rows["tf-loop-b512"].pct_roofline == pytest.approx(91.0)
    assert bench.limit_samples_per_s(list(rows.values())) == pytest.approx(LIMIT)  # the better of the two matmuls
    assert rows["matmul-numpy"].extra["gflops"] == pytest.approx(GFLOPS)
    assert rows["matmul-tensorflow"].pct_roofline == pytest.approx(50.0)  # 100 GFLOP/s of 200


def test_time_to_accuracy_rows_use_training_seconds_and_compare_with_the_default():
    rows = by_id(bench.rows_from_benchmarks(records()))
    fast = rows["tta-tf-loop-b32"]
    assert fast.extra["seconds_to_target"] == 4.0
    assert fast.extra["fraction_of_default_time"] == pytest.approx(4.0 / 20.0)
    assert fast.samples_per_s == pytest.approx(8 * 60_000 / 4.0)


def test_a_target_never_reached_has_no_seconds_to_target():
    data = records()
    data[-1]["extra_info"].update(reached=False)
    fast = by_id(bench.rows_from_benchmarks(data))["tta-tf-loop-b32"]
    assert fast.extra["seconds_to_target"] is None
    assert fast.extra["fraction_of_default_time"] is None


def test_rows_without_a_default_or_a_roofline_leave_those_columns_empty():
    data = [r for r in records() if r["extra_info"]["id"] not in ("fit-b32", "matmul-numpy", "matmul-tensorflow")]
    rows = bench.rows_from_benchmarks(data)
    assert rows and all(r.x_default is None and r.pct_roofline is None for r in rows)


def test_accuracy_after_10_epochs_is_shown_beside_the_recipes_speed():
    rows = by_id(bench.rows_from_benchmarks(records()))
    assert rows["fit-jit-spe-b32"].extra["test_accuracy"] == 0.885, "the accuracy record belongs to fit-jit-spe at batch 32"
    assert rows["fit-jit-spe-b32"].extra["accuracy_epochs"] == 10
    assert "test_accuracy" not in rows["fit-b32"].extra, "fit at batch 32 has no accuracy record, so no accuracy"
    assert rows["acc10-fit-jit-spe-b32"].x_default is None, "an accuracy row is not a throughput to compare"
    from rich.console import Console

    console = Console(file=io.StringIO(), width=200)
    console.print(bench.table(list(rows.values())))
    assert "test accuracy 0.885 after 10 epochs" in console.file.getvalue()


def test_goals_are_measured_not_assumed():
    measured = {goal: met for goal, _, met in bench.goals(bench.rows_from_benchmarks(records()))}
    assert measured == {
        "fastest TensorFlow recipe at batch 32 ≥ 1.0× the best peer": False,  # 0.49 s against JAX's 0.5 s: 0.98×
        "best Keras-only recipe at batch 32 ≥ 3× default": True,  # 60,000 / 1.0 s = 3×
        "fastest TensorFlow recipe at batch 512 ≥ 90 % of limit": True,  # 91 %
        f"time to {bench.TARGET_ACCURACY} ≤ 1/4 of default's": True,  # 4 s of 20 s
    }


def test_json_is_a_list_of_rows_with_the_documented_fields(tmp_path):
    path = bench.write_json(bench.rows_from_benchmarks(records()), tmp_path / "out" / "rows.json")
    rows = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(rows, list) and len(rows) == len(records())
    for row in rows:
        assert {"name", "batch_size", "samples_per_s", "x_default", "pct_roofline", "kind"} <= set(row)
    tta = next(r for r in rows if r["id"] == "tta-fit-b32")
    assert tta["seconds_to_target"] == 20.0 and tta["epochs"] == 8
    again = bench.rows_from_dicts(rows)
    assert [r.as_dict() for r in again] == rows


def test_chart_is_a_png_file(tmp_path):
    path = bench.chart(bench.rows_from_benchmarks(records()), tmp_path / "chart.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert path.stat().st_size > 5_000


def test_quick_configuration_list():
    quick = bench.configurations(quick=True)
    full = bench.configurations(quick=False)
    assert {c.batch_size for c in quick if c.family == "keras"} == {32, 512}
    assert {c.batch_size for c in full if c.family == "keras"} == {32, 128, 512}
    for configs in (quick, full):
        ids = [c.id for c in configs]
        assert len(ids) == len(set(ids)), "configuration ids must be unique: they key saved runs"
        recipes = {c.recipe for c in configs}
        assert set(bench.KERAS_RECIPES + bench.TF_RECIPES + bench.LESSON_RECIPES + bench.PEER_RECIPES) <= recipes
        assert {"lesson05-impl-b32", "lesson05-reference-b32", "lesson11-impl", "lesson11-reference"} <= set(ids)
    with_reference = [c.id for c in bench.configurations(quick=True, impl="solutions") if c.family == "lesson"]
    assert with_reference == ["lesson05-reference-b32", "lesson11-reference"], "--impl=solutions: no duplicate rows"
    assert bench.plan(True).samples_per_round < bench.plan(False).samples_per_round
    assert bench.plan(True).rounds <= bench.plan(False).rounds


def test_comparison_matches_rows_by_configuration(tmp_path):
    rows = bench.rows_from_benchmarks(records())
    earlier = bench.rows_from_benchmarks(records())
    for row in earlier:
        if row.samples_per_s:
            row.samples_per_s /= 2
    from rich.console import Console

    console = Console(file=open(tmp_path / "out.txt", "w"), width=200)  # noqa: SIM115
    console.print(bench.comparison(rows, [("0001 earlier", earlier)]))
    console.file.close()
    text = (tmp_path / "out.txt").read_text(encoding="utf-8")
    assert "10,000 (2.00×)" in text  # the default: 20,000 now, 10,000 before


def test_saved_runs_are_read_back_as_rows(tmp_path):
    folder = tmp_path / "Linux-CPython-3.11-64bit"
    folder.mkdir()
    run = folder / "0001_abc_20260101_000000.json"
    run.write_text(json.dumps({"benchmarks": records()}), encoding="utf-8")
    assert bench.saved_runs(tmp_path) == [run]
    assert by_id(bench.rows_from_saved_run(run))["fit-b32"].samples_per_s == pytest.approx(20_000)


def test_kata_bench_runs_the_benchmark_suite_with_its_options(tmp_path):
    from kata.cli import build_parser

    args = build_parser().parse_args(["bench", "--quick", "--json", str(tmp_path / "r.json"), "--compare", "--impl", "solutions"])
    argv = bench.pytest_args(args, tmp_path / "r.json", HERE)
    assert str(SUITE) in argv
    assert {"--benchmark-only", "--benchmark-autosave", "--bench-quick", "--impl=solutions"} <= set(argv)
    assert f"--benchmark-storage=file://{bench.storage(HERE)}" in argv
    assert f"--bench-json={tmp_path / 'r.json'}" in argv
    assert "--bench-quick" not in bench.pytest_args(SimpleNamespace(quick=False, impl="lessons"), tmp_path / "r.json", HERE)


def run_pytest(*args):
    return subprocess.run(
        [sys.executable, "-m", "pytest", str(SUITE), "-p", "no:cacheprovider", "-q", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )


def test_benchmarks_collect_the_quick_list_and_skip_in_an_ordinary_run():
    listed = run_pytest("--bench-quick", "--collect-only")
    for config in bench.configurations(quick=True):
        assert f"test_throughput[{config.id}]" in listed.stdout
    assert "b128" not in listed.stdout
    ordinary = run_pytest("--bench-quick", "-k", "matmul or fit-b32")
    assert ordinary.returncode == 0, ordinary.stdout + ordinary.stderr
    assert "skipped" in ordinary.stdout and "passed" not in ordinary.stdout


def test_the_batched_pipeline_gives_every_image_once_per_epoch_in_a_new_order():
    from kata.bench.fused import batch_dataset

    images = np.arange(100, dtype="float32").reshape(100, 1, 1) * np.ones((1, 28, 28), "float32")
    labels = np.arange(100, dtype="int32")
    dataset = batch_dataset(images, labels, 32, seed=1)
    first = np.concatenate([y.numpy() for _, y in dataset])
    second = np.concatenate([y.numpy() for _, y in dataset])
    assert sorted(first) == list(range(100)), "every image should come exactly once per epoch"
    assert not np.array_equal(first, second), "the order should change from one epoch to the next, as fit shuffles"
    assert not np.array_equal(first, labels), "the images should be shuffled, not in the order they came in"
    for x, y in dataset.take(2):
        assert np.array_equal(x.numpy()[:, 0, 0], y.numpy().astype("float32")), "each image should keep its own label"


def test_the_fused_adam_step_updates_the_weights_as_keras_adam_does():
    import tensorflow as tf

    from kata.bench import recipes
    from kata.bench.fused import fused_adam_step

    keras_model, fused_model = bench.tutorial_model(), bench.tutorial_model()
    fused_model.set_weights(keras_model.get_weights())
    keras_step = recipes.make_train_step(keras_model, recipes._adam(keras_model))
    fused_step = fused_adam_step(fused_model)
    rng = np.random.default_rng(0)
    for _ in range(3):
        x = tf.constant(rng.random((32, 28, 28), dtype="float32"))
        y = tf.constant(rng.integers(0, 10, 32, dtype="int32"))
        keras_step(x, y)
        fused_step(x, y)
    # The two steps add up the gradients in another order, so a few weights may differ: a unit whose input sits
    # at ReLU's kink can go either way, and then its whole column differs (seen: 740 of 100,352 weights, 1 of 60
    # runs). A wrong Adam (bias correction, epsilon, betas) moves nearly every weight otherwise.
    step = 1e-5  # 1% of one Adam step at the tutorial's learning rate, 1e-3
    for mine, theirs in zip(fused_model.get_weights(), keras_model.get_weights(), strict=True):
        apart = np.abs(mine - theirs) > step
        assert apart.mean() <= 0.02, (
            f"after 3 steps the fused Adam should leave the same weights as Keras' Adam (within {step}); "
            f"{apart.sum()} of {apart.size} weights differ by more, up to {np.abs(mine - theirs).max():.2e}")


# --- the goals' configurations side by side (kata.bench.interleave) ----------------------


def test_round_robin_times_each_run_once_a_round_and_moves_the_first_one():
    from kata.bench import interleave

    order, now = [], [0.0]
    seconds = {"a": 1.0, "b": 2.0, "c": 4.0}

    def runner(name):
        def run():
            order.append(name)
            now[0] += seconds[name]
            return 100
        return run

    rates = interleave.round_robin({n: runner(n) for n in "abc"}, rounds=4, clock=lambda: now[0])
    assert order == list("abc" "bca" "cab" "abc")
    assert rates == {"a": [100.0] * 4, "b": [50.0] * 4, "c": [25.0] * 4}


def test_a_goal_side_by_side_is_the_median_of_the_ratios_within_each_round():
    from kata.bench import interleave

    # Round 2 was slow for both (the load rose): their ratio stays 2.
    assert interleave.median_ratio([20, 10, 20], [10, 5, 10]) == 2.0
    assert interleave.median_ratio([30, 10, 1], [10, 10, 10]) == 1.0  # 3, 1, 0.1 → the middle one
    assert interleave.best_per_round({"x": [1, 5], "y": [2, 3], "z": []}, ["x", "y", "z"]) == [2, 5]


def side_by_side(group, batch, rates, families):
    return {"extra_info": {"kind": "interleaved", "group": group, "batch_size": batch, "id": f"interleaved-{group}",
                           "rates": rates, "titles": {m: m.upper() for m in rates}, "families": families},
            "stats": {"median": 1.0, "min": 1.0, "rounds": 1}}


def test_side_by_side_rows_compare_within_their_group_and_decide_the_goals():
    from kata.bench.goals import KERAS_GOAL, LIMIT_GOAL, PEER_GOAL

    data = records() + [
        # Load rises in round 3: every rate halves, the ratios within the round hold.
        side_by_side("keras-b32", 32, {"fit": [10, 10, 5], "fit-jit-spe-batches": [31, 32, 15]},
                     {"fit": "keras", "fit-jit-spe-batches": "keras"}),
        side_by_side("peer-b32", 32, {"tf-loop": [90, 100, 50], "tf-loop-graph": [95, 50, 20], "jax-scan": [100, 100, 50]},
                     {"tf-loop": "tensorflow", "tf-loop-graph": "tensorflow", "jax-scan": "jax"}),
        # The limit is the better matmul of each round: numpy's collapsed in round 2.
        side_by_side("limit-b512", 512, {"matmul-numpy": [200, 20, 100], "matmul-tensorflow": [150, 200, 90],
                                         "tf-loop": [170, 180, 95]},
                     {"matmul-numpy": "limit", "matmul-tensorflow": "limit", "tf-loop": "tensorflow"}),
    ]
    rows = bench.rows_from_benchmarks(data)
    keras = next(r for r in rows if r.kind == "interleaved" and r.recipe == "fit-jit-spe-batches")
    assert keras.samples_per_s == 31 and keras.x_default == pytest.approx(3.1)  # 3.1, 3.2, 3.0
    assert keras.pct_roofline is None, "the keras group has no limit of its own"
    loop512 = next(r for r in rows if r.id == "limit-b512-tf-loop")
    assert loop512.pct_roofline == pytest.approx(90.0)  # 85 %, 90 %, 95 %
    measured = {goal: (text, met) for goal, text, met in bench.goals(rows)}
    # Per round, the best TensorFlow row against JAX: 95/100, 100/100, 50/50 → median 1.0.
    assert measured[PEER_GOAL][1] is True and "1.00× JAX-SCAN" in measured[PEER_GOAL][0]
    assert measured[KERAS_GOAL] == ("FIT-JIT-SPE-BATCHES: 3.1× (side by side)", True)
    assert measured[LIMIT_GOAL][1] is True and "90 %" in measured[LIMIT_GOAL][0]
    # The sequential rows alone decide the peer goal otherwise (0.98×, not met).
    assert {g: m for g, _, m in bench.goals(bench.rows_from_benchmarks(records()))}[PEER_GOAL] is False
