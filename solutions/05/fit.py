"""Lesson 05 · train the model — reference solution.

Training shows the model the images and their labels, one batch at a time,
and after each batch nudges the weights to lower the loss.  One pass over
all the images is an *epoch*.
"""


def train(model, images, labels, epochs=10, batch_size=32):
    """Train ``model`` on ``images`` and ``labels``; return the ``History`` of the run.

    ``history.history["loss"]`` and ``history.history["accuracy"]`` hold one
    number per epoch.
    """
    history = model.fit(images, labels, epochs=epochs, batch_size=batch_size)
    return history
