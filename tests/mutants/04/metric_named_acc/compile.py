"""Keras 2 habit: metrics=['acc'], so the History's key is 'acc', not 'accuracy'.

Expect: 'accuracy'
"""

import keras


def compile_model(model):
    model.compile(
        optimizer="adam",
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["acc"],
    )
    return model
