"""optimizer='sgd' instead of the tutorial's 'adam'.

Expect: Adam
"""

import keras


def compile_model(model):
    """Compile ``model`` with Adam, sparse categorical cross-entropy on logits, and accuracy."""
    model.compile(optimizer='sgd',
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=['accuracy'])
    return model
