"""The same layers through tf.keras, added one by one with model.add() and tf.nn.relu."""

import tensorflow as tf


def build_model():
    model = tf.keras.Sequential()
    model.add(tf.keras.Input(shape=(28, 28)))
    model.add(tf.keras.layers.Flatten())
    model.add(tf.keras.layers.Dense(128, activation=tf.nn.relu))
    model.add(tf.keras.layers.Dense(10))
    return model
