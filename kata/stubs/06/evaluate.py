"""Lesson 06 · evaluate accuracy.

Guide: docs/lessons/06-evaluate.md · run the checks: pytest lessons/06 · stuck? kata hint 6
"""


def evaluate(model, images, labels):
    """Measure a trained, compiled ``model`` on ``images`` and ``labels``.

    Return a tuple ``(test_loss, test_accuracy)`` of two Python floats, the
    loss first:

    - ``test_loss``: the model's loss (lesson 04's cross-entropy) averaged
      over all the images;
    - ``test_accuracy``: the share of the images classified right, a number
      between 0 and 1 (0.88 means 88 %).

    Only measure: the model comes trained and compiled, so don't train or
    compile it again here.

    Example::

        test_loss, test_acc = evaluate(model, test_images, test_labels)
        print("Test accuracy:", test_acc)   # about 0.88 after 10 epochs
    """
    raise NotImplementedError(
        "lesson 06: evaluate() is not written yet — see docs/lessons/06-evaluate.md"
    )
