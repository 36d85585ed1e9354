"""The tutorial's ``plot_image`` and ``plot_value_array``, word for word (and the bars without their ticks).

Lesson 08's suite puts them in the student's module (``monkeypatch.setattr(impl, ...)``) so
that its figure tests judge only the figure. They live in a module of their own, importable
in any process, so that with ``pytest --remote`` (and ``kata grade``) the agent can put these
very functions in the student's module (:meth:`kata.remote.proxy.RemoteModule.__setattr__`).

Example:
    >>> import numpy as np
    >>> tutorial_plot_value_array(0, np.full(10, 0.1), [3])  # doctest: +SKIP
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from kata.data import CLASS_NAMES


def tutorial_plot_image(i, predictions_array, true_label, img):
    """The tutorial's plot_image, word for word."""
    true_label, img = true_label[i], img[i]
    plt.grid(False)
    plt.xticks([])
    plt.yticks([])
    plt.imshow(img, cmap=plt.cm.binary)
    predicted_label = np.argmax(predictions_array)
    color = "blue" if predicted_label == true_label else "red"
    plt.xlabel(
        f"{CLASS_NAMES[predicted_label]} {100 * np.max(predictions_array):2.0f}% "
        f"({CLASS_NAMES[true_label]})",
        color=color,
    )


def tutorial_plot_value_array(i, predictions_array, true_label):
    """The tutorial's plot_value_array, word for word."""
    true_label = true_label[i]
    plt.grid(False)
    plt.xticks(range(10))
    plt.yticks([])
    thisplot = plt.bar(range(10), predictions_array, color="#777777")
    plt.ylim([0, 1])
    predicted_label = np.argmax(predictions_array)
    thisplot[predicted_label].set_color("red")
    thisplot[true_label].set_color("blue")


def tutorial_plot_value_array_without_ticks(i, predictions_array, true_label):
    """The tutorial's plot_value_array without its ticks and grid call, for the grid of lesson 08's suite.

    Its bars, colours, y range, and the errors it raises for wrong arguments are the tutorial's
    function's, line for line: only ``plt.grid(False)`` and ``plt.xticks(range(10))`` are left
    out (the ticks are removed instead), which the grid test never looks at.  Ten x ticks under
    each of the grid's 17 bar charts, measured again by the student's ``plt.tight_layout()``,
    were about a sixth of the suite's time.
    """
    true_label = true_label[i]
    plt.xticks([])
    plt.yticks([])
    thisplot = plt.bar(range(10), predictions_array, color="#777777")
    plt.ylim([0, 1])
    predicted_label = np.argmax(predictions_array)
    thisplot[predicted_label].set_color("red")
    thisplot[true_label].set_color("blue")
