"""What a process pays the first time it draws or trains, paid before a check needs it.

The first matplotlib drawing in a process reads fonts and fills caches; the
first traced TensorFlow function, the first Keras ``fit``, ``evaluate`` and
``predict``, the first model written and read back each pay a one-time cost
too.  ``kata watch``'s warm process (:mod:`kata.student.warm`) draws once
before it forks, and each standby child rehearses the rest while the student
edits, so that a save pays only for the lesson's own tests.
"""

from __future__ import annotations

import tempfile
from pathlib import Path


def draw_once() -> None:
    """Draw what the lessons' plots draw (images, a colorbar, bars, rotated labels, a tight layout).

    matplotlib reads its fonts and builds its text layout caches the first time
    it draws; done in the warm process (plain Python and C, no thread), every
    child finds them ready.
    """
    import matplotlib.pyplot as plt
    import numpy as np

    figure = plt.figure(figsize=(6, 3))
    plt.subplot(1, 2, 1)
    plt.imshow(np.linspace(0, 1, 28 * 28).reshape(28, 28), cmap=plt.cm.binary)
    plt.colorbar()
    plt.xticks([])
    plt.xlabel("Ankle boot 90% (Ankle boot)", color="blue")
    plt.subplot(1, 2, 2)
    plt.bar(range(10), np.full(10, 0.1), color="#777777")
    plt.xticks(range(10), [f"class {n}" for n in range(10)], rotation=45)
    plt.ylim([0, 1])
    plt.tight_layout()
    figure.canvas.draw()
    plt.close("all")


def rehearse() -> None:
    """In a standby child: do once, on a throwaway model, what the suites do first in a process.

    TensorFlow and Keras pay a first time for many things: the first traced
    function, the first ``fit``, ``evaluate`` and ``predict``, the first
    ``.keras``, ``.h5`` and SavedModel written and read back.  A standby child
    pays it while the student edits.  Nothing of it stays behind that a test
    could see: the model is dropped, the files deleted, and every graded test
    starts from a clean Keras session and its own seed (``kata.plugin``).
    """
    import keras
    import numpy as np
    import tensorflow as tf

    rng = np.random.default_rng(0)
    images, labels = rng.random((64, 28, 28), dtype="float32"), rng.integers(0, 10, size=64)
    model = keras.Sequential([
        keras.Input(shape=(28, 28)), keras.layers.Flatten(),
        keras.layers.Dense(128, activation="relu"), keras.layers.Dense(10),
    ])  # fmt: skip
    model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])  # fmt: skip
    model.fit(images, labels, epochs=1, verbose=0)
    model.evaluate(images, labels, verbose=0)
    keras.Sequential([model, keras.layers.Softmax()]).predict(images, verbose=0)
    with tempfile.TemporaryDirectory(prefix="kata-rehearsal-") as folder:
        for name in ("model.keras", "model.h5"):
            model.save(Path(folder, name))
            keras.models.load_model(Path(folder, name))
        model.export(Path(folder, "serving"), verbose=False)
        tf.saved_model.load(str(Path(folder, "serving")))
    keras.backend.clear_session(free_memory=False)
