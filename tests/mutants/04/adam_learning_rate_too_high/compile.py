"""Adam with learning_rate=0.01, ten times its default.

Expect: learning rate
"""

import keras


def compile_model(model):
    """Compile ``model`` with Adam, sparse categorical cross-entropy on logits, and accuracy."""
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=['accuracy'])
    return model
