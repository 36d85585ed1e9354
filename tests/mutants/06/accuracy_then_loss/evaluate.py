"""Returns (accuracy, loss): the two values in the wrong order.

Expect: Check the order
"""


def evaluate(model, images, labels):
    test_loss, test_acc = model.evaluate(images, labels, verbose=2)
    return test_acc, test_loss
