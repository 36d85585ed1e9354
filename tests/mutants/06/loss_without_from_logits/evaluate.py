"""Computes the loss from model.predict with the default from_logits=False.

Expect: logits
"""

import keras
import numpy as np


def evaluate(model, images, labels):
    logits = model.predict(images, verbose=0)
    loss = keras.losses.sparse_categorical_crossentropy(labels, logits)
    accuracy = np.mean(np.argmax(logits, axis=1) == labels)
    return float(np.mean(loss)), float(accuracy)
