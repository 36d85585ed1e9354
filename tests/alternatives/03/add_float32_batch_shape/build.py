"""Right: model.add one layer at a time, Input with batch_shape and dtype='float32'.

"""

import keras


def build_model():
    model = keras.Sequential(name="fashion_mnist")
    model.add(keras.Input(batch_shape=(None, 28, 28), dtype="float32"))
    model.add(keras.layers.Flatten())
    model.add(keras.layers.Dense(128, activation="relu"))
    model.add(keras.layers.Dense(10))
    return model
