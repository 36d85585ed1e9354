"""Copied the tutorial's epochs=10 into model.fit, so the epochs argument is ignored.

Expect: epochs=epochs
"""


def train(model, images, labels, epochs=10, batch_size=32):
    history = model.fit(images, labels, epochs=10, batch_size=batch_size)
    return history
