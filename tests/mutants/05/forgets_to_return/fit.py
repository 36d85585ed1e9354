"""Trains the model but forgets the return statement, so train() gives None.

Expect: returned NoneType
"""


def train(model, images, labels, epochs=10, batch_size=32):
    history = model.fit(images, labels, epochs=epochs, batch_size=batch_size)  # noqa: F841
