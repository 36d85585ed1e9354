"""Lets Keras check the file name (model.save raises its own ValueError naming .keras and .h5),
calls the saving functions through tf.keras, and exports with tf.saved_model.save."""

import os

import tensorflow as tf


def save_model(model, path):
    model.save(path)


def load_model(path):
    return tf.keras.models.load_model(path)


def export_for_serving(model, directory):
    os.makedirs(directory, exist_ok=True)
    tf.saved_model.save(model, directory)
    return str(directory)
