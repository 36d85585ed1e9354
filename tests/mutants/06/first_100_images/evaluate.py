"""Evaluates on the first 100 images only (left over from a quick try), not on all of them.

Expect: use every image
"""


def evaluate(model, images, labels):
    test_loss, test_acc = model.evaluate(images[:100], labels[:100], verbose=2)
    return float(test_loss), float(test_acc)
