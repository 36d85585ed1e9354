"""metrics='accuracy', a string, where Keras wants a list.

Expect: list
"""

import keras


def compile_model(model):
    model.compile(
        optimizer="adam",
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics="accuracy",
    )
    return model
