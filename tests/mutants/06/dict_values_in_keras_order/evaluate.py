"""return_dict=True, then tuple(result.values()): Keras orders the dict accuracy first.

Expect: accuracy first
"""


def evaluate(model, images, labels):
    results = model.evaluate(images, labels, verbose=2, return_dict=True)
    return tuple(float(value) for value in results.values())
