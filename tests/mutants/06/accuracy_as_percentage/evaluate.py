"""Returns the accuracy as a percentage (88.0) instead of a fraction (0.88).

Expect: not a percentage
"""


def evaluate(model, images, labels):
    test_loss, test_acc = model.evaluate(images, labels, verbose=2)
    return float(test_loss), float(test_acc * 100)
