"""Arguments passed positionally: the third one is loss_weights, not metrics.

Expect: metrics=
"""

import keras


def compile_model(model):
    model.compile(
        "adam",
        keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        ["accuracy"],
    )
    return model
