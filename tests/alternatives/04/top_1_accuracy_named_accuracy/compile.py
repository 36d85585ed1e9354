"""Top-1 accuracy named 'accuracy': SparseTopKCategoricalAccuracy(k=1) is the share of images whose
highest score is the right class, the same number as metrics=['accuracy']."""

import keras


def compile_model(model):
    model.compile(optimizer="adam",
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=[keras.metrics.SparseTopKCategoricalAccuracy(k=1, name="accuracy")])
    return model
