"""Each TensorFlow recipe's test accuracy after 10 epochs at batch 32: speed is shown beside accuracy."""

from kata import bench


def test_accuracy_after_epochs(record, acc_recipe, full_data):
    result = {}

    def run():
        result.update(bench.accuracy_after_epochs(acc_recipe, full_data))

    info = {
        "kind": "accuracy", "recipe": acc_recipe, "id": f"acc{bench.ACCURACY_EPOCHS}-{acc_recipe}-b32",
        "family": bench.RECIPES[acc_recipe].family, "batch_size": 32,
        "name": f"accuracy after {bench.ACCURACY_EPOCHS} epochs: {bench.TITLES[acc_recipe]}",
    }
    record(run, info, after=lambda: dict(result))
