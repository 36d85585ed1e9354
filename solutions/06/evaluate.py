"""Lesson 06 · evaluate accuracy — reference solution.

How well does the model do on images it has never seen?  ``model.evaluate``
runs it over the test images and reports the loss and the accuracy.
"""


def evaluate(model, images, labels):
    """Return ``(test_loss, test_accuracy)`` of ``model`` on ``images`` and ``labels``, as floats."""
    test_loss, test_acc = model.evaluate(images, labels, verbose=2)
    return float(test_loss), float(test_acc)
