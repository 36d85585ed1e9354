"""Issue 17's plain TensorFlow loop and the batch-512 ceiling (kata.bench.plain, kata.bench.roofline).

Tiny runs on made-up images: shapes, counts and the arithmetic are checked,
never a timing.
"""

import numpy as np
import pytest

from kata import bench


def test_the_plain_step_updates_the_weights_as_keras_adam_does():
    import tensorflow as tf

    from kata.bench import recipes
    from kata.bench.plain import adam_step

    keras_model, plain_model = bench.tutorial_model(), bench.tutorial_model()
    plain_model.set_weights(keras_model.get_weights())
    keras_step = recipes.make_train_step(keras_model, recipes._adam(keras_model))
    plain_step = adam_step([w.value for w in plain_model.trainable_variables])
    rng = np.random.default_rng(0)
    for _ in range(3):
        x = tf.constant(rng.random((32, 28, 28), dtype="float32"))
        y = tf.constant(rng.integers(0, 10, 32, dtype="int32"))
        keras_loss = keras_step(x, y)
        plain_loss = plain_step(x, y)
        np.testing.assert_allclose(float(plain_loss), float(keras_loss), rtol=1e-5,
                                   err_msg="the plain step's loss should be Keras' SparseCategoricalCrossentropy(from_logits=True)")
    for mine, theirs in zip(plain_model.get_weights(), keras_model.get_weights(), strict=True):
        np.testing.assert_allclose(mine, theirs, rtol=1e-4, atol=1e-6,
                                   err_msg="after 3 steps the plain Adam should leave the same weights as Keras' Adam")


def separable(n: int) -> bench.Data:
    """Made-up images a model learns in a few epochs: image i shows a bright row number (label i)."""
    labels = (np.arange(n) % 10).astype("int32")
    images = np.zeros((n, 28, 28), "float32")
    images[np.arange(n), labels * 2 + 3, :] = 1.0
    return bench.Data(images, labels, images[:100], labels[:100])


def test_the_plain_loop_trains_whole_batches_and_learns():
    from kata.bench.accuracy import test_accuracy
    from kata.bench.plain import tf_loop_plain

    data = separable(330)
    run = bench.RECIPES["tf-loop-plain"].build(data, 32, "lessons")
    before = [w.copy() for w in run.model.get_weights()]
    assert run() == 320, "one round should train the 10 whole batches of 32 (the last 10 images make no whole batch)"
    assert all(not np.array_equal(a, b) for a, b in zip(before, run.model.get_weights(), strict=True)), \
        "every weight of the Keras model should have moved: the loop trains the model's own variables"
    for _ in range(9):
        run()
    assert test_accuracy(run.model, data) >= 0.9, "10 epochs on made-up images this easy should classify 90 % right"
    assert tf_loop_plain(data, 64)() == 320, "at batch 64: 5 whole batches"


def test_the_step_matmuls_are_the_five_a_training_step_does():
    from kata.bench.roofline import step_shapes

    shapes = step_shapes(512)
    assert len(shapes) == 5
    for a, b in shapes:
        assert a[1] == b[0], f"{a} × {b} can't be multiplied"
    assert 512 in shapes[0][0] and 512 in shapes[-1][0][1:], "the batch is a dimension of each"
    flops = sum(2 * a[0] * a[1] * b[1] for a, b in shapes)
    # Forward and the gradient of kernel 1: 2 × (2 × 784 × 128) per image; the small layer's three: 3 × (2 × 128 × 10).
    assert flops == 512 * (4 * 784 * 128 + 6 * 128 * 10) == 512 * 409_088


@pytest.mark.parametrize("library", ["numpy", "tensorflow"])
def test_the_step_matmuls_count_the_images_their_steps_would_train(library):
    from kata.bench.roofline import step_matmuls

    assert step_matmuls(library, 8, steps=3)() == 24


def test_the_limit_goal_names_the_ceiling_of_the_step_matmuls():
    from kata.bench.goals import LIMIT_GOAL

    rates = {"matmul-numpy": [100, 100, 50], "matmul-tensorflow": [90, 120, 40],
             "step-matmuls": [130, 150, 65], "tf-loop-plain": [70, 90, 40]}
    families = {"matmul-numpy": "limit", "matmul-tensorflow": "limit", "step-matmuls": "ceiling",
                "tf-loop-plain": "tensorflow"}
    record = {"extra_info": {"kind": "interleaved", "group": "limit-b512", "batch_size": 512,
                             "id": "interleaved-limit-b512", "rates": rates,
                             "titles": {m: m.upper() for m in rates}, "families": families},
              "stats": {"median": 1.0, "min": 1.0, "rounds": 1}}
    rows = bench.rows_from_benchmarks([record])
    ceiling = next(r for r in rows if r.recipe == "step-matmuls")
    assert ceiling.pct_roofline == pytest.approx(130.0), "130/100, 150/120, 65/50 → the middle one, 130 %"
    text, met = {g: (t, m) for g, t, m in bench.goals(rows)}[LIMIT_GOAL]
    assert met is False and "TF-LOOP-PLAIN: 75 %" in text, "70/100, 90/120, 40/50 → 75 %: below 90 %"
    assert "5 matmuls alone: 130 %" in text, "the goal should say how far the bare matmuls reach"


def test_a_one_thread_recipe_trains_in_its_child_and_answers_with_its_weights():
    from kata.bench.accuracy import test_accuracy

    data = separable(330)
    run = bench.RECIPES["tf-loop-plain-1t"].build(data, 32, "lessons")
    before = run.model.get_weights()
    for _ in range(10):
        assert run() == 320, "each call should train one epoch of 10 whole batches in the child"
    after = run.model.get_weights()
    assert [w.shape for w in after] == [(784, 128), (128,), (128, 10), (10,)], "the tutorial model's four weights"
    assert all(not np.array_equal(a, b) for a, b in zip(before, after, strict=True)), "the child's weights should have moved"
    assert test_accuracy(run.model, data) >= 0.9, "the parent should test the child's trained weights"


def fails_to_build(data, batch_size):
    """A recipe's builder that fails in the one-thread child."""
    raise ValueError("no such recipe")


def test_a_one_thread_recipe_says_when_its_child_cant_build_it():
    from kata.bench.threads import one_thread

    with pytest.raises(RuntimeError, match="could not build 'fails_to_build'"):
        one_thread(fails_to_build, separable(64), 32)
