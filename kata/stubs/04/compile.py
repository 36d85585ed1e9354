"""Lesson 04 · compile the model.

Guide: docs/lessons/04-compile.md · run the checks: pytest lessons/04 · stuck? kata hint 4
"""

import keras  # noqa: F401  (you will need it)


def compile_model(model):
    """Compile ``model`` for training and return the same model object.

    Use, as the tutorial does:

    - the optimizer ``'adam'`` (Adam, with its default learning rate);
    - the loss ``keras.losses.SparseCategoricalCrossentropy(from_logits=True)``:
      the labels are class numbers (0–9) and the model outputs logits, not
      probabilities;
    - the metric ``'accuracy'`` (``history.history`` then names it
      ``"accuracy"``, as lesson 05's example reads it).

    Every call gets its own new optimizer (``'adam'`` makes one): an
    optimizer object belongs to the first model it trains, so one made at
    the top of the file and shared fails on the second model.

    Compile every model you are given, also one compiled before with other
    settings (no early return when ``model.compiled`` is true), and leave
    Keras' global settings (dtype policy, floatx) as they are.

    ``model.compile(...)`` itself returns ``None``: return ``model``.

    Example::

        model = compile_model(build_model())
        model.fit(train_images, train_labels, epochs=10)
    """
    raise NotImplementedError("lesson 04: compile_model() is not written yet — see docs/lessons/04-compile.md")
