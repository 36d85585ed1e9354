"""RMSprop, Keras' default optimizer in older examples, instead of Adam.

Expect: Adam
"""

import keras


def compile_model(model):
    model.compile(
        optimizer="rmsprop",
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model
