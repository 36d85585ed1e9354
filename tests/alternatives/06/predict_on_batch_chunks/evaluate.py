"""The logits of chunks of 128 images (predict_on_batch), the loss and the accuracy worked out from them."""

import keras
import numpy as np


def evaluate(model, images, labels):
    logits = np.concatenate(
        [np.asarray(model.predict_on_batch(images[i : i + 128])) for i in range(0, len(images), 128)]
    )
    loss = keras.ops.mean(keras.losses.sparse_categorical_crossentropy(labels, logits, from_logits=True))
    accuracy = np.mean(np.argmax(logits, axis=-1) == labels)
    return float(loss), float(accuracy)
