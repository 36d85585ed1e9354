"""Right: clone module template (from the student-eyed review).

"""

import keras

_TEMPLATE = keras.Sequential([
    keras.Input(shape=(28, 28)),
    keras.layers.Flatten(),
    keras.layers.Dense(128, activation="relu"),
    keras.layers.Dense(10),
])


def build_model():
    # clone_model makes new layers with newly initialised weights
    return keras.models.clone_model(_TEMPLATE)
