"""model.evaluate(..., return_dict=True), the metrics picked out by name."""


def evaluate(model, images, labels):
    results = model.evaluate(images, labels, verbose=0, return_dict=True)
    return float(results["loss"]), float(results["accuracy"])
