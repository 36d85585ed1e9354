"""One Adam optimizer made once at import and shared by every model compiled.

Expect: new optimizer
"""

import keras

OPTIMIZER = keras.optimizers.Adam()
LOSS = keras.losses.SparseCategoricalCrossentropy(from_logits=True)


def compile_model(model):
    model.compile(optimizer=OPTIMIZER, loss=LOSS, metrics=["accuracy"])
    return model
