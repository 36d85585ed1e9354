"""Positional arguments in fit's own order: x, y, batch_size, epochs."""


def train(model, images, labels, epochs=10, batch_size=32):
    return model.fit(images, labels, batch_size, epochs)
