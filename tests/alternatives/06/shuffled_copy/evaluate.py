"""Shuffles the test set before evaluating, on new arrays: the caller's images and labels stay as they were."""

import numpy as np


def evaluate(model, images, labels):
    order = np.random.permutation(len(images))
    test_loss, test_acc = model.evaluate(images[order], labels[order], verbose=0)
    return float(test_loss), float(test_acc)
