"""Right: build without input keras2 (from the student-eyed review).

"""

import keras


def build_model():
    # Keras 2 habit: no Input item, build the model with its batch shape instead
    model = keras.Sequential([
        keras.layers.Flatten(),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(10),
    ])
    model.build(input_shape=(None, 28, 28))
    return model
