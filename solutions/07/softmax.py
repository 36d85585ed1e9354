"""Lesson 07 · turn logits into probabilities — reference solution.

The trained model outputs logits, scores that can be any number.  Softmax
turns each image's ten scores into ten probabilities that sum to 1.  The
tutorial wraps the trained model and a ``Softmax`` layer in a new
``Sequential``: the wrapper uses the very same weights, no new training.
"""

import keras


def probability_model(model):
    """Return ``model`` followed by a softmax: one probability per class, each row sums to 1."""
    return keras.Sequential([model, keras.layers.Softmax()])
