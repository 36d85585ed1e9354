"""Seconds of training until test accuracy first reaches 0.88 (checked after each epoch)."""

from kata import bench


def test_time_to_accuracy(record, tta_recipe, full_data, bench_plan):
    result = {}

    def run():
        result.update(bench.time_to_accuracy(tta_recipe, full_data, max_epochs=bench_plan.max_epochs))

    info = {
        "kind": "time_to_accuracy", "recipe": tta_recipe, "id": f"tta-{tta_recipe}-b32",
        "family": "keras" if tta_recipe == "fit" else "tensorflow",
        "name": f"time to {bench.TARGET_ACCURACY}: {bench.TITLES[tta_recipe]}",
        "batch_size": 32, "target": bench.TARGET_ACCURACY,
    }
    # pytest-benchmark times the whole run, testing included; the row uses the training seconds.
    record(run, info, after=lambda: dict(result))
