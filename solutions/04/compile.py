"""Lesson 04 · compile the model — reference solution.

Compiling tells the model how to learn: the *optimizer* (how to change the
weights), the *loss* (how wrong the predictions are) and the *metrics* (what
to report while training).
"""

import keras


def compile_model(model):
    """Compile ``model`` with Adam, sparse categorical cross-entropy on logits, and accuracy."""
    model.compile(optimizer='adam',
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=['accuracy'])
    return model
