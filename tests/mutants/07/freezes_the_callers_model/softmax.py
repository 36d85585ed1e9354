"""Sets model.trainable = False on the caller's model ("it's only for predictions now"): resuming training later does nothing.

Expect: trainable
"""

import keras


def probability_model(model):
    model.trainable = False
    return keras.Sequential([model, keras.layers.Softmax()])
