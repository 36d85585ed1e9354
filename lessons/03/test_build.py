"""Lesson 03 · build the model — graded suite (10 points)."""

import numpy as np
import pytest


def behaves_like(activation):
    """What an activation does to -2, 0 and 3: 'relu', 'linear' or something else."""
    out = np.asarray(activation(np.array([-2.0, 0.0, 3.0], dtype="float32")))
    if np.allclose(out, [0.0, 0.0, 3.0]):
        return "relu"
    if np.allclose(out, [-2.0, 0.0, 3.0]):
        return "linear"
    return getattr(activation, "__name__", str(activation))


def dense_layers(model):
    import keras

    return [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]


def layer_kinds(model):
    """The model's layers by class name; the Input is not counted as a layer."""
    return [type(layer).__name__ for layer in model.layers if type(layer).__name__ != "InputLayer"]


@pytest.mark.points(1)
def test_returns_a_keras_model(impl):
    import keras

    model = impl.build_model()
    assert isinstance(model, keras.Model), (
        "build_model() should return a Keras model (the tutorial uses keras.Sequential), "
        f"but it returned {type(model).__name__}."
    )


@pytest.mark.points(2)
def test_takes_28_by_28_images_and_gives_10_scores(impl):
    model = impl.build_model()
    images = np.zeros((3, 28, 28), dtype="float32")
    out = np.asarray(model(images))
    assert out.shape == (3, 10), (
        f"For 3 images of 28×28 the model should give 3 rows of 10 scores, shape (3, 10); "
        f"it gave shape {out.shape}. Start with keras.Input(shape=(28, 28)) and end with Dense(10)."
    )


@pytest.mark.points(2)
def test_layers_are_flatten_dense128_relu_dense10(impl):
    model = impl.build_model()
    kinds = layer_kinds(model)
    assert kinds == ["Flatten", "Dense", "Dense"], (
        f"The layers should be Flatten, Dense, Dense (the Input is not a layer); they are {kinds}."
    )
    hidden, output = dense_layers(model)
    assert hidden.units == 128, f"The hidden Dense layer should have 128 units, it has {hidden.units}."
    assert behaves_like(hidden.activation) == "relu", (
        f"The hidden layer should use activation='relu', it uses {behaves_like(hidden.activation)}."
    )
    assert output.units == 10, f"The last Dense layer should have 10 units (one per class), it has {output.units}."


@pytest.mark.points(2)
def test_output_is_logits_not_probabilities(impl):
    model = impl.build_model()
    output = dense_layers(model)[-1]
    assert behaves_like(output.activation) == "linear", (
        f"The last Dense layer should have no activation: it outputs logits, and the loss "
        f"(from_logits=True) turns them into probabilities. It uses {behaves_like(output.activation)}; "
        "remove activation=... from Dense(10)."
    )
    rows = np.asarray(model(np.random.default_rng(0).random((8, 28, 28), dtype="float32")))
    sums = rows.sum(axis=1)
    assert not np.allclose(sums, 1.0, atol=1e-3), (
        "Each row of scores sums to 1, so the model outputs probabilities (a softmax). "
        "It should output logits: leave the last layer without softmax; lesson 07 adds it."
    )


@pytest.mark.points(2)
def test_has_101770_parameters(impl):
    model = impl.build_model()
    count = model.count_params()
    assert count == 784 * 128 + 128 + 128 * 10 + 10 == 101_770, (
        f"The tutorial's model has 101,770 parameters (784×128 + 128 + 128×10 + 10); yours has {count:,}."
    )


@pytest.mark.points(1)
def test_each_call_builds_a_new_model(impl):
    first, second = impl.build_model(), impl.build_model()
    assert first is not second, (
        "build_model() returned the same model object twice. Build a new model on every call, "
        "so every training run starts from fresh weights."
    )
