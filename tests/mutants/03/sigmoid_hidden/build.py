"""Hidden layer with activation='sigmoid' instead of the tutorial's 'relu'.

Expect: activation='relu'
"""

import keras


def build_model():
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="sigmoid"),
            keras.layers.Dense(10),
        ]
    )
