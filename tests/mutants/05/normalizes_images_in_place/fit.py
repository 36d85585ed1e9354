"""Divides the caller's images by 255 in place: they were already normalized (lesson 02).

Expect: changed the images
"""


def train(model, images, labels, epochs=10, batch_size=32):
    images /= 255.0
    return model.fit(images, labels, epochs=epochs, batch_size=batch_size)
