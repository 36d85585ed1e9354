"""The loss object made once at import and shared (a loss keeps no state, so this is fine)."""

import keras

LOSS = keras.losses.SparseCategoricalCrossentropy(from_logits=True)


def compile_model(model):
    model.compile(optimizer="adam", loss=LOSS, metrics=["accuracy"])
    return model
