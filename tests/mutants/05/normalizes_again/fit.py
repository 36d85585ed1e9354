"""Divides the already normalized images by 255 again before fit: pixels 0-0.004.

Expect: 255
"""


def train(model, images, labels, epochs=10, batch_size=32):
    return model.fit(images / 255.0, labels, epochs=epochs, batch_size=batch_size)
