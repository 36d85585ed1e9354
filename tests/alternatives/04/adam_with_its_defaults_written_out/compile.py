"""Right: Adam with its defaults written out (ema_momentum does nothing without use_ema), and
the accuracy metric object named 'accuracy'."""

import keras


def compile_model(model):
    model.compile(
        optimizer=keras.optimizers.Adam(
            learning_rate=1e-3, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False, ema_momentum=0.9
        ),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction="sum_over_batch_size"),
        metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")],
    )
    return model
