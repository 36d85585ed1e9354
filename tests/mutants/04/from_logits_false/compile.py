"""SparseCategoricalCrossentropy() without from_logits=True, though the model outputs logits.

Expect: from_logits
"""

import keras


def compile_model(model):
    """Compile ``model`` with Adam, sparse categorical cross-entropy on logits, and accuracy."""
    model.compile(optimizer='adam',
                  loss=keras.losses.SparseCategoricalCrossentropy(),
                  metrics=['accuracy'])
    return model
