"""Lesson 07 · turn logits into probabilities.

Guide: docs/lessons/07-softmax.md · run the checks: pytest lessons/07 · stuck? kata hint 7
"""

import keras  # noqa: F401  (you will need it)


def probability_model(model):
    """Wrap a trained ``model`` so that it outputs probabilities instead of logits.

    Return a new ``keras.Sequential`` made of ``model`` itself followed by a
    softmax layer.  The new model uses the same weights as ``model`` (no
    copy, no new training), and ``model`` itself is left as it is: it still
    outputs logits and can still be trained (don't add layers to it, compile
    it again or set ``trainable``).  For each image the new model gives one
    probability per class (ten here), all between 0 and 1, that sum to 1.  It
    works for any model that outputs logits: don't write the image size or the
    number of classes into it.

    Example::

        prob_model = probability_model(model)
        predictions = prob_model.predict(test_images)
        predictions[0].sum()        # 1.0
        predictions[0].argmax()     # the predicted class, e.g. 9 (ankle boot)
    """
    raise NotImplementedError(
        "lesson 07: probability_model() is not written yet — see docs/lessons/07-softmax.md"
    )
