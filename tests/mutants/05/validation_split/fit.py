"""validation_split=0.2 from other Keras examples: trains on 80 % of the images.

Expect: all the images
"""


def train(model, images, labels, epochs=10, batch_size=32):
    return model.fit(
        images, labels, epochs=epochs, batch_size=batch_size, validation_split=0.2
    )
