"""CategoricalCrossentropy, which wants one-hot labels, with class-number labels.

Expect: SparseCategoricalCrossentropy
"""

import keras


def compile_model(model):
    """Compile ``model`` with Adam, sparse categorical cross-entropy on logits, and accuracy."""
    model.compile(optimizer='adam',
                  loss=keras.losses.CategoricalCrossentropy(from_logits=True),
                  metrics=['accuracy'])
    return model
