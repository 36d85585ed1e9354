"""Lesson 04 · compile the model — graded suite (10 points)."""

import numpy as np
import pytest


def compiled(impl, reference):
    """(model, what compile_model returned), for a fresh model from the reference lesson 03."""
    model = reference(3).build_model()
    return model, impl.compile_model(model)


def the_model(model, returned):
    """The compiled model to inspect: what came back if it is a model, else the one passed in."""
    import keras

    return returned if isinstance(returned, keras.Model) else model


def small_batch(count=64):
    """64 made-up 28×28 images with pixels in 0–1, and made-up labels 0–9 (no data set needed)."""
    rng = np.random.default_rng(4)
    return rng.random((count, 28, 28), dtype=np.float32), rng.integers(0, 10, size=count)


def cross_entropy_of_logits(logits, labels):
    """Sparse categorical cross-entropy worked out with numpy: mean of -log softmax(logits)[label]."""
    logits = np.asarray(logits, dtype=np.float64)
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-log_softmax[np.arange(len(labels)), labels].mean())


def evaluate(model, images, labels):
    """model.evaluate on one batch, as a dict; a failing evaluate becomes a clear test failure."""
    try:
        return model.evaluate(images, labels, batch_size=len(images), verbose=0, return_dict=True)
    except Exception as error:  # the message says what went wrong, in the student's words
        pytest.fail(
            f"Evaluating the compiled model on 64 images and their labels (class numbers 0–9) "
            f"failed: {type(error).__name__}: {str(error)[:300]}. The loss should be "
            "keras.losses.SparseCategoricalCrossentropy(from_logits=True)."
        )


@pytest.mark.points(1)
def test_returns_the_same_model_it_was_given(impl, reference):
    model, returned = compiled(impl, reference)
    assert returned is not None, (
        "compile_model() returned None. model.compile(...) changes the model and returns "
        "nothing, so compile first and then `return model`."
    )
    assert returned is model, (
        f"compile_model() returned a different model object ({type(returned).__name__}) from the "
        "one it was given. Compile the model you are given and return that same model, so "
        "its layers (and later its trained weights) are the ones you built."
    )


@pytest.mark.points(2)
def test_optimizer_is_adam_with_its_default_learning_rate(impl, reference):
    import keras

    model = the_model(*compiled(impl, reference))
    optimizer = getattr(model, "optimizer", None)
    assert isinstance(optimizer, keras.optimizers.Adam), (
        f"The optimizer should be Adam (optimizer='adam', as the tutorial); yours is "
        f"{type(optimizer).__name__}."
    )
    rate = float(np.asarray(optimizer.learning_rate))
    assert np.isclose(rate, 0.001, rtol=1e-5), (
        f"Adam's learning rate should be its default, 0.001 (optimizer='adam'); yours is {rate:g}."
    )


@pytest.mark.points(2)
def test_loss_is_sparse_categorical_crossentropy(impl, reference):
    import keras

    model = the_model(*compiled(impl, reference))
    loss = getattr(model, "loss", None)
    if isinstance(loss, str):
        loss = keras.losses.get(loss)
    name = getattr(loss, "name", None) or getattr(loss, "__name__", None) or type(loss).__name__
    if "sparse_categorical_crossentropy" in str(name) or type(loss).__name__ == "SparseCategoricalCrossentropy":
        return
    # Some other way of writing it is fine too, if it computes the same numbers.
    images, labels = small_batch()
    logits = model.predict(images, verbose=0)
    try:
        value = model.evaluate(images, labels, batch_size=len(images), verbose=0)
        value = float(value[0] if isinstance(value, list) else value)
    except Exception:
        value = float("nan")
    assert np.isclose(value, cross_entropy_of_logits(logits, labels), rtol=1e-4), (
        f"The loss should be SparseCategoricalCrossentropy: the labels are class numbers 0–9, "
        f"not one-hot rows of 10. Yours is {name}. Use "
        "keras.losses.SparseCategoricalCrossentropy(from_logits=True)."
    )


@pytest.mark.points(3)
def test_loss_reads_the_outputs_as_logits(impl, reference):
    model = the_model(*compiled(impl, reference))
    images, labels = small_batch()
    logits = model.predict(images, verbose=0)
    expected = cross_entropy_of_logits(logits, labels)
    loss = float(evaluate(model, images, labels)["loss"])
    assert np.isclose(loss, expected, rtol=1e-4), (
        f"On 64 images the model's loss is {loss:.4f}, but the cross-entropy of its "
        f"outputs read as logits is {expected:.4f}. The last layer gives logits, not "
        "probabilities, so the loss needs from_logits=True: "
        "keras.losses.SparseCategoricalCrossentropy(from_logits=True). (The string "
        "'sparse_categorical_crossentropy' means from_logits=False.)"
    )


@pytest.mark.points(2)
def test_reports_accuracy(impl, reference):
    model = the_model(*compiled(impl, reference))
    images, labels = small_batch()
    expected = float(np.mean(np.argmax(model.predict(images, verbose=0), axis=1) == labels))
    results = evaluate(model, images, labels)
    names = [name for name in results if name != "loss" and "acc" in name]
    assert names, (
        f"The model should report its accuracy while it trains and evaluates "
        f"(metrics=['accuracy']); it reports only {sorted(results)}."
    )
    accuracy = float(results[names[0]])
    assert np.isclose(accuracy, expected, atol=1e-6), (
        f"On 64 images the model reports {names[0]} = {accuracy:.4f}, but the share of "
        f"images whose highest score is the right class is {expected:.4f}. Use metrics=['accuracy']."
    )
