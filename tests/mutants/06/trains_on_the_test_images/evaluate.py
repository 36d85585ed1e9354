"""Calls fit on the test images before evaluating: the model learns the test set.

Expect: trained
"""


def evaluate(model, images, labels):
    model.fit(images, labels, epochs=1, verbose=0)
    test_loss, test_acc = model.evaluate(images, labels, verbose=2)
    return float(test_loss), float(test_acc)
