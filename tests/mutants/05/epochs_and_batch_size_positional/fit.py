"""fit(images, labels, epochs, batch_size) positionally: fit's third argument is batch_size.

Expect: swapped
"""


def train(model, images, labels, epochs=10, batch_size=32):
    return model.fit(images, labels, epochs, batch_size)
