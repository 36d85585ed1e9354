"""An accuracy of one's own, named accuracy and written with keras.ops: it runs inside fit's graph
and gives the share of images whose highest score is the right class."""

import keras


def accuracy(y_true, y_pred):
    predicted = keras.ops.argmax(y_pred, axis=-1)
    labels = keras.ops.cast(keras.ops.reshape(y_true, (-1,)), predicted.dtype)
    return keras.ops.mean(keras.ops.cast(keras.ops.equal(predicted, labels), "float32"))


def compile_model(model):
    model.compile(optimizer="adam",
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=[accuracy])
    return model
