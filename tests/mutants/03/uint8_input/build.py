"""keras.Input(shape=(28, 28), dtype='uint8'): normalized pixels are truncated to 0 or 1.

Test accuracy drops from about 0.81 to about 0.38 on the graded slices.
Expect: uint8
"""

import keras


def build_model():
    model = keras.Sequential([
        keras.Input(shape=(28, 28), dtype="uint8"),
        keras.layers.Flatten(),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(10),
    ])
    return model
