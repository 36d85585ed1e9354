"""Keras 2 habit: Adam(lr=0.001), an argument Keras 3 no longer accepts.

Expect: learning_rate=
"""

import keras


def compile_model(model):
    model.compile(
        optimizer=keras.optimizers.Adam(lr=0.001),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model
