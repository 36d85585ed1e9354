"""Rounds the results to print them nicely, which turns them into whole numbers (ints).

Expect: plain Python floats
"""


def evaluate(model, images, labels):
    test_loss, test_acc = model.evaluate(images, labels, verbose=2)
    return round(test_loss), round(test_acc)
