"""Lesson 09 · save and load the model.

Guide: docs/lessons/09-save.md · run the checks: pytest lessons/09 · stuck? kata hint 9
"""

import keras  # noqa: F401  (you will need it)


def save_model(model, path):
    """Save the whole model (layers, weights, optimizer state) to the file ``path``.

    The file name's ending chooses the format: ``.keras`` for Keras' own
    format (recommended), ``.h5`` for the older HDF5 format.  Any other
    ending raises a ``ValueError`` whose message tells the user to use
    ``.keras`` or ``.h5``.  ``path`` may be a ``str`` or a ``pathlib.Path``
    (any ``os.PathLike``), in any folder, even one with a dot in its name.
    A file already at ``path`` is replaced; the model itself is left as it was.

    Example::

        save_model(model, "my_model.keras")
        save_model(model, "my_model.h5")
        save_model(model, "my_model")      # ValueError: ... end in .keras ... or .h5
    """
    raise NotImplementedError("lesson 09: save_model() is not written yet — see docs/lessons/09-save.md")


def load_model(path):
    """Load a model saved with :func:`save_model` and return it.

    The loaded model is compiled, with the optimizer's state it was saved
    with, so that training can go on where it stopped.  ``path`` may be a
    ``str`` or a ``pathlib.Path``.

    Example::

        new_model = load_model("my_model.keras")
        new_model.summary()
        new_model.evaluate(test_images, test_labels)   # the same accuracy as before
    """
    raise NotImplementedError("lesson 09: load_model() is not written yet — see docs/lessons/09-save.md")


def export_for_serving(model, directory):
    """Export ``model`` as a TensorFlow SavedModel into the folder ``directory``; return ``directory``.

    This is the format TensorFlow Serving reads; the folder gets a
    ``saved_model.pb`` file and a ``variables/`` folder.  ``directory`` may be
    a ``str`` or a ``pathlib.Path``; return it as it was given.  Exporting
    again into the same folder replaces what was there; the model itself is
    left as it was (still trainable).

    Example::

        export_for_serving(model, "exported/fashion")
        reloaded = tf.saved_model.load("exported/fashion")
        reloaded.serve(test_images[:1])   # the model's 10 logits for one image
    """
    raise NotImplementedError(
        "lesson 09: export_for_serving() is not written yet — see docs/lessons/09-save.md"
    )
