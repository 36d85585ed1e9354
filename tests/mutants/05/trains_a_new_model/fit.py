"""Builds and compiles a new model inside train(), so the model passed in stays untrained.

Expect: did not change
"""

import keras


def train(model, images, labels, epochs=10, batch_size=32):
    new_model = keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10),
        ]
    )
    new_model.compile(
        optimizer="adam",
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    history = new_model.fit(images, labels, epochs=epochs, batch_size=batch_size)
    return history
