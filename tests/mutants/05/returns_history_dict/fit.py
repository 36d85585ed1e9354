"""Returns history.history, the dictionary, instead of the History object.

Expect: History
"""


def train(model, images, labels, epochs=10, batch_size=32):
    history = model.fit(images, labels, epochs=epochs, batch_size=batch_size)
    return history.history
