"""The tutorial's model.fit line left in, then a second fit: the model trains twice.

Expect: more than once
"""


def train(model, images, labels, epochs=10, batch_size=32):
    model.fit(images, labels, epochs=epochs)
    history = model.fit(images, labels, epochs=epochs, batch_size=batch_size)
    return history
