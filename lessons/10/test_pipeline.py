"""Lesson 10 · the whole pipeline — graded suite (10 points).

The capstone runs your own lessons 01–09.  To keep the checks quick, the
first seven tests share one short run of your ``run(epochs=2, out_dir=...)``
on a slice of the data (lesson 01's ``load_data`` is swapped for one that
returns 3,000 training and 600 test images) and look at which of your lesson
functions it called, and with what.  Only the last test trains on the full
data for 10 epochs (about a minute on two cores); it waits until the quick
checks pass.
"""

import inspect
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

from kata import impl as kata_impl
from kata.i18n import _

TRAIN_SLICE = 3000
TEST_SLICE = 600
QUICK_EPOCHS = 2
TARGET = 0.87

# The lesson functions the capstone must call, lesson by lesson.
USED = {
    1: ["load_data"],
    2: ["normalize"],
    3: ["build_model"],
    4: ["compile_model"],
    5: ["train"],
    6: ["evaluate"],
    7: ["probability_model"],
    8: ["predict", "predict_one"],
    9: ["save_model"],
}


@dataclass
class Call:
    lesson: int
    name: str
    args: list  # the arguments in the order of the function's parameters
    result: object = None
    done: bool = False  # False while it runs, and for good when it raised


@dataclass
class Run:
    """What one call of ``run()`` did: its result, and the lesson functions it called."""

    result: object
    calls: list = field(default_factory=list)
    data: tuple = ()  # what the watched load_data() gives: a slice of the data
    out_dir: Path | None = None
    full: tuple = ()  # the whole data set, which a run that never called load_data() may have used

    def of(self, name):
        return [call for call in self.calls if call.name == name]


def lesson_modules(impl):
    """Lessons 01–09 from the same tree as the capstone under test (what ``kata.lesson(n)`` gives it)."""
    return {number: kata_impl.beside(impl, number) for number in USED}


def spy_on(monkeypatch, module, lesson, name, calls, replacement=None):
    """Replace ``module.name`` by a function that records each call, then does the real work."""
    original = getattr(module, name)
    work = replacement or original
    signature = inspect.signature(original)

    def spy(*args, **kwargs):
        try:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            values = list(bound.arguments.values())
        except TypeError:
            values = list(args) + list(kwargs.values())
        call = Call(lesson, name, values)
        calls.append(call)  # recorded before it runs: a call that raises still shows what it got
        call.result = work(*args, **kwargs)
        call.done = True
        return call.result

    monkeypatch.setattr(module, name, spy)


def small_data(fashion_mnist):
    (train_images, train_labels), (test_images, test_labels) = fashion_mnist
    return (
        (train_images[:TRAIN_SLICE].copy(), train_labels[:TRAIN_SLICE].copy()),
        (test_images[:TEST_SLICE].copy(), test_labels[:TEST_SLICE].copy()),
    )


def quick_run(impl, monkeypatch, fashion_mnist, out_dir, epochs=QUICK_EPOCHS):
    """``run(epochs, out_dir)`` on a slice of the data, recording every lesson function it calls."""
    run = Run(result=None, data=small_data(fashion_mnist), out_dir=None if out_dir is None else Path(out_dir),
              full=fashion_mnist)
    for number, module in lesson_modules(impl).items():
        for name in USED[number]:
            if not hasattr(module, name):
                continue  # check_uses_every_lesson says what is missing
            replacement = (lambda: run.data) if name == "load_data" else None
            spy_on(monkeypatch, module, number, name, run.calls, replacement)
    try:
        run.result = impl.run(epochs=epochs, out_dir=out_dir)
    except Exception as error:
        explain_wiring(run, error)
        raise
    return run


def explain_wiring(run, error):
    """When ``run()`` raised, say so first if it gave a lesson function the wrong things.

    A lesson that raises because ``run()`` passed it the wrong arrays (the
    training images with the test labels, say) is not where the mistake is.
    """
    checks = [check_normalizes_both_sets, check_trains_and_evaluates_on_the_right_sets]
    if any(call.done for call in run.of("build_model")):
        checks.insert(0, check_trains_the_model_lesson_03_built)
    for check in checks:
        try:
            check(run)
        except NeverCalled:
            continue
        except AssertionError as problem:
            sentence = str(problem).split("\nassert ")[0]  # without pytest's rendering of the assert
            raise AssertionError(sentence + "\n" + _("(run() then stopped: {kind}: {error})").format(
                kind=type(error).__name__, error=str(error).strip()[:300]
            )) from None


class NeverCalled(AssertionError):
    """run() never called a lesson function a check looks at."""


def nothing_watched(run):
    """Say so, the same way in every test, when run() called none of the lesson functions."""
    if not run.calls:
        raise NeverCalled(_(
            "run() returned {result!r} without calling any of your lessons' functions while it ran, "
            "as the checks see calls: they watch kata.lesson(n).name(...) looked up as it is called. "
            "A function looked up once at the top of the file (load = kata.lesson(1).load_data), or "
            "data loaded there, dates from before the checks began to watch. Write each call inside "
            "run(), e.g. kata.lesson(3).build_model()."
        ).format(result=run.result))


def only_call(run, name, lesson):
    nothing_watched(run)
    calls = run.of(name)
    if not calls:
        raise NeverCalled(_(
            "run() never called {name}() of your lesson {folder}. Call it through "
            "kata.lesson({lesson}).{name}(...) inside run(), so the capstone uses your own code."
        ).format(name=name, folder=f"{lesson:02d}", lesson=lesson))
    return calls[-1]


def pixel_range(images):
    array = np.asarray(images)
    return _("{dtype} pixels from {low:g} to {high:g}").format(dtype=array.dtype, low=array.min(), high=array.max())


# --- the checks, shared by the quick tests and the full run ---------------------------


def check_returns_the_test_accuracy(run):
    evaluated = only_call(run, "evaluate", 6)
    loss, accuracy = (float(value) for value in evaluated.result)
    result = run.result
    assert isinstance(result, float) and not isinstance(result, bool), _(
        "run() should return the test accuracy as a Python float (float(test_accuracy)); "
        "it returned {result!r} ({type})."
    ).format(result=result, type=type(result).__name__)
    if abs(result - loss) < 1e-6 and abs(result - accuracy) > 1e-6:
        raise AssertionError(_(
            "run() returned {result:.4f}, the test loss. Return the test accuracy, the second "
            "number evaluate() gives: test_loss, test_accuracy = evaluate(...)."
        ).format(result=result))
    if abs(result - accuracy) < 1e-6:
        return
    history = getattr(only_call(run, "train", 5).result, "history", {})
    if any(abs(result - float(value)) < 1e-6 for value in history.get("accuracy", [])):
        raise AssertionError(_(
            "run() returned {result:.4f}, a training accuracy from the History of train(). Return "
            "the accuracy evaluate() measured on the test set ({accuracy:.4f}): images the model "
            "never trained on."
        ).format(result=result, accuracy=accuracy))
    if abs(result - 100 * accuracy) < 1e-3:
        raise AssertionError(_(
            "run() returned {result:.4f}, the test accuracy in percent. Return it as evaluate() "
            "gives it, between 0 and 1 ({accuracy:.4f}): print it in percent if you like."
        ).format(result=result, accuracy=accuracy))
    if any(round(accuracy, digits) == result for digits in range(5)):
        raise AssertionError(_(
            "run() returned {result}, the test accuracy rounded; evaluate() measured {accuracy:.6f}. "
            "Return it as evaluate() gives it (round it only where you print it)."
        ).format(result=result, accuracy=accuracy))
    assert abs(result - accuracy) < 1e-6, _(
        "run() should return the test accuracy that evaluate() measured on the test set "
        "({accuracy:.4f}); it returned {result:.4f}."
    ).format(accuracy=accuracy, result=result)


def check_passes_epochs_on(run, epochs):
    nothing_watched(run)
    calls = run.of("train")
    assert len(calls) == 1, _(
        "run() should train once, with your lesson 05's train(); it called train() {count} times."
    ).format(count=len(calls))
    (call,) = calls
    given = call.args[3] if len(call.args) > 3 else None
    history = call.result
    done = len(getattr(history, "history", {}).get("loss", []))
    assert given == epochs and done == epochs, _(
        "run(epochs={epochs}) should train for {epochs} epochs, but train() got epochs={given} "
        "and trained {done}. Pass it on: train(model, images, labels, epochs=epochs)."
    ).format(epochs=epochs, given=given, done=done)


def check_normalizes_both_sets(run):
    trained = only_call(run, "train", 5)
    evaluated = only_call(run, "evaluate", 6)
    (train_images, _train_labels), (test_images, _test_labels) = run.data
    predicted = [("predict()", call.args[1], test_images) for call in run.of("predict") if call.done]
    given = [("train()", trained.args[1], train_images), ("evaluate()", evaluated.args[1], test_images), *predicted]
    if not run.of("normalize") and not any(np.asarray(images).max() <= 1.0 for _what, images, _raw in given):
        return  # lesson 02 left out, nothing normalized: one mistake, which the lessons test names
    for what, images, raw in given:
        array = np.asarray(images)
        assert array.dtype.kind == "f" and array.min() >= 0.0 and array.max() <= 1.0, _(
            "{what} got {pixels}; it should get pixels from 0.0 to 1.0. "
            "normalize both the training and the test images with your lesson 02's normalize() first."
        ).format(what=what, pixels=pixel_range(array))
        # The right set divided twice (another set divided twice is the sets test's to tell).
        assert not (divided_twice(array) and array.shape == raw.shape and np.allclose(array * 255.0 * 255.0, raw, atol=0.5)), _(
            "{what} got {pixels}: the images were divided by 255 twice, so the brightest pixel is "
            "1/255 and the model sees nearly black pictures. Your lesson 02's normalize() already "
            "divides by 255: normalize each set once, and don't divide its result again."
        ).format(what=what, pixels=pixel_range(array))
    # Normalized by lesson 02: two calls, one per set, or one call whose result both sets are parts of.
    results = [np.asarray(call.result) for call in run.of("normalize") if call.done and isinstance(call.result, np.ndarray)]
    from_normalize = all(any(part_of(np.asarray(images), result) for result in results)
                         for images in (trained.args[1], evaluated.args[1]))
    assert not run.of("normalize") or len(run.of("normalize")) >= 2 or (results and from_normalize), _(
        "run() should normalize both sets with your lesson 02's normalize(): "
        "it called normalize() {count} time(s)."
    ).format(count=len(run.of("normalize")))


def divided_twice(images):
    """Whether pixels are at most 1/255, as 0–255 pixels divided by 255 twice are (a real image's
    brightest pixel is well above 1 in 0–255, so 1.0 once normalized)."""
    return images.dtype.kind == "f" and 0.0 < float(images.max()) <= 1.0 / 255 + 1e-6


def scale_back(images):
    """The factor that brings images back to 0–255: 1 as they are, 255 once normalized, 255² if
    divided twice (the normalize test tells that one)."""
    return 255.0 * 255.0 if divided_twice(images) else 255.0 if images.max() <= 1.0 else 1.0


def same_images(images, expected):
    """Whether ``images`` are the ``expected`` 0–255 images, normalized or not."""
    return images.shape == expected.shape and np.allclose(images * scale_back(images), expected, atol=0.5)


def same_set(images, labels, expected_images, expected_labels):
    """Whether ``images`` and ``labels`` are the expected set, the images normalized or not."""
    return np.array_equal(labels, expected_labels) and same_images(images, expected_images)


def part_of(images, result):
    """Whether ``images`` are the first or the last rows of a normalize() ``result``, value for value
    (the sets normalized in one call, joined, then sliced apart)."""
    n = len(images)
    return n <= len(result) and images.dtype == result.dtype and any(
        np.array_equal(result[start:start + n], images) for start in (0, len(result) - n))


def check_trains_and_evaluates_on_the_right_sets(run):
    (train_images, _train_labels), (test_images, _test_labels) = run.data
    trained = only_call(run, "train", 5)
    evaluated = only_call(run, "evaluate", 6)
    # A run that never called load_data() may have used the whole data set (loaded at the top of the
    # file, say): the lessons test names that; here the whole test set counts as the test set.
    sets = [run.data, run.full] if not run.of("load_data") and run.full else [run.data]
    images, labels = np.asarray(evaluated.args[1]), np.asarray(evaluated.args[2])
    assert any(same_set(images, labels, *test) for _train, test in sets), _(
        "evaluate() got {count} images; it should get the test set, the "
        "{expected} test images (normalized) and their labels, images the model never "
        "trained on. Evaluating on the training set measures memory, not accuracy: "
        "evaluate(model, test_images, test_labels)."
    ).format(count=len(images), expected=len(test_images))
    images, labels = np.asarray(trained.args[1]), np.asarray(trained.args[2])
    assert any(images.shape == train[0].shape and np.array_equal(labels, train[1]) for train, _test in sets), _(
        "train() got {count} images; it should get the training set, the "
        "{expected} training images and their labels: train(model, train_images, "
        "train_labels, epochs=epochs)."
    ).format(count=len(images), expected=len(train_images))
    position = {id(call): index for index, call in enumerate(run.calls)}
    assert position[id(evaluated)] > position[id(trained)], _(
        "run() called evaluate() before train(): it measured the model before the model had "
        "learned anything. Train first, then evaluate the trained model on the test set."
    )
    for call in (call for call in run.of("predict") if call.done):
        images = np.asarray(call.args[1])
        assert any(same_images(images, test[0]) for _train, test in sets), _(
            "predict() got {count} images; it should get the {expected} test images "
            "(normalized), as the tutorial predicts on them: predict(probability_model, test_images)."
        ).format(count=len(images), expected=len(test_images))
        wrapped = only_call(run, "probability_model", 7).result
        assert call.args[0] is wrapped, _(
            "predict() got a different model from the one probability_model() returned. Predict "
            "with the softmax wrapper, whose outputs are probabilities: "
            "predict(probability_model, test_images)."
        )


def check_uses_every_lesson(run):
    missing = [
        _("lesson {folder}'s {functions}").format(
            folder=f"{number:02d}", functions=_(" or ").join(f"{name}()" for name in names)
        )
        for number, names in USED.items()
        if not any(run.of(name) for name in names)
    ]
    nothing_watched(run)
    assert not missing, _(
        "run() never called {missing}. The capstone wires your own lessons: "
        "call each through kata.lesson(n) inside run(), e.g. kata.lesson(3).build_model()."
    ).format(missing=", ".join(missing))


def check_trains_the_model_lesson_03_built(run):
    built = only_call(run, "build_model", 3).result
    for lesson, name, position in ((4, "compile_model", 0), (5, "train", 0), (6, "evaluate", 0), (7, "probability_model", 0)):
        call = only_call(run, name, lesson)
        assert call.args[position] is built, _(
            "{name}() got a different model from the one your lesson 03's build_model() made. "
            "Build it with model = kata.lesson(3).build_model(), then compile, train, evaluate "
            "and wrap that same model."
        ).format(name=name)


def check_saves_the_trained_model(run):
    import keras

    nothing_watched(run)
    saved = sorted(str(p.relative_to(run.out_dir)) for p in run.out_dir.rglob("*.keras"))
    assert saved == ["model.keras"], _(
        "run(out_dir=...) should save the trained model as model.keras in out_dir with your "
        "lesson 09's save_model(); out_dir holds {saved}."
    ).format(saved=saved or _("no .keras file"))
    check_saved_model_is_the_trained_one(run, keras.models.load_model(run.out_dir / "model.keras"))


def check_saved_model_is_the_trained_one(run, loaded):
    """``loaded`` gives the trained model's outputs: its logits, with its trained weights."""
    trained = only_call(run, "train", 5).args[0]
    images = np.asarray(only_call(run, "evaluate", 6).args[1])[:32]
    expected = np.asarray(trained(images, training=False))
    got = np.asarray(loaded(images, training=False))
    if got.shape == expected.shape and not np.allclose(got, expected, atol=1e-4):
        probabilities = np.allclose(got.sum(axis=-1), 1.0, atol=1e-3) and got.min() >= 0.0
        assert not probabilities, _(
            "The model in model.keras outputs probabilities (each row sums to 1): that is the softmax "
            "wrapper of lesson 07. Save the trained model itself, whose outputs are logits, as the "
            "tutorial does: save_model(model, path), not the probability model."
        )
    same = got.shape == expected.shape and np.allclose(got, expected, atol=1e-4)
    assert same, _(
        "The model in model.keras does not give the trained model's outputs: it is not the model "
        "run() trained (a new model, or one saved before training). Save the trained model, after "
        "training it: save_model(model, path) comes last."
    )


ALL_CHECKS = [
    check_uses_every_lesson,
    check_trains_the_model_lesson_03_built,
    check_normalizes_both_sets,
    check_trains_and_evaluates_on_the_right_sets,
    check_returns_the_test_accuracy,
    check_saves_the_trained_model,
]


# --- the quick tests ------------------------------------------------------------------


class SharedRun:
    """One quick ``run(epochs=2, out_dir=...)`` on a slice, shared by the tests of this file.

    The first test that asks for it runs it; the others reuse what it did.  A
    run that raised raises again in each test that asks for it.
    """

    def __init__(self, fashion_mnist, out_dir):
        self.fashion_mnist = fashion_mnist
        self.out_dir = out_dir
        self.outcome = None
        self.traceback = None

    def get(self, impl):
        if self.outcome is None:
            with pytest.MonkeyPatch.context() as monkeypatch:
                try:
                    # out_dir as a str, as in run()'s docstring; the full run passes a pathlib.Path.
                    self.outcome = quick_run(impl, monkeypatch, self.fashion_mnist, str(self.out_dir))
                except Exception as error:
                    self.outcome, self.traceback = error, error.__traceback__
        if isinstance(self.outcome, Exception):
            # The same traceback each time, so it does not grow with every test that re-raises it.
            raise self.outcome.with_traceback(self.traceback)
        return self.outcome


@pytest.fixture(scope="module")
def quick(fashion_mnist, tmp_path_factory):
    return SharedRun(fashion_mnist, tmp_path_factory.mktemp("capstone"))


@pytest.mark.points(1)
def test_uses_your_own_lessons_01_to_09(impl, quick):
    check_uses_every_lesson(quick.get(impl))


@pytest.mark.points(1)
def test_trains_the_model_lesson_03_built(impl, quick):
    check_trains_the_model_lesson_03_built(quick.get(impl))


@pytest.mark.points(1)
def test_normalizes_the_images_before_training(impl, quick):
    check_normalizes_both_sets(quick.get(impl))


@pytest.mark.points(1)
def test_passes_epochs_on_to_train(impl, quick):
    check_passes_epochs_on(quick.get(impl), QUICK_EPOCHS)


@pytest.mark.points(1)
def test_evaluates_on_the_test_set(impl, quick):
    check_trains_and_evaluates_on_the_right_sets(quick.get(impl))


@pytest.mark.points(1)
def test_returns_the_test_accuracy_as_a_float(impl, quick):
    check_returns_the_test_accuracy(quick.get(impl))


@pytest.mark.points(1)
def test_saves_the_trained_model_in_out_dir(impl, quick, fashion_mnist, monkeypatch):
    check_saves_the_trained_model(quick.get(impl))
    # out_dir=None: a temporary folder, deleted afterwards (nothing left in the student's folder).
    run = quick_run(impl, monkeypatch, fashion_mnist, None, epochs=1)
    saved = only_call(run, "save_model", 9).args[1]
    assert Path(saved).name == "model.keras" and not Path(saved).exists(), _(
        "run(out_dir=None) saved to {saved!r}, which is still there after run(); with "
        "out_dir=None it should save model.keras into a temporary folder that is deleted "
        "afterwards: with tempfile.TemporaryDirectory() as folder: ..."
    ).format(saved=str(saved))


# --- the real thing -------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.points(3)
def test_reaches_87_percent_test_accuracy_on_the_full_data(impl, quick, kata_seed, tmp_path):
    import keras

    # The quick run first: if it is wired wrong, say so now rather than after a minute of training.
    try:
        run = quick.get(impl)
        check_passes_epochs_on(run, QUICK_EPOCHS)
        for check in ALL_CHECKS:
            check(run)
    except AssertionError as problem:
        raise AssertionError(_("The full training waits until the quick checks pass. {problem}").format(problem=problem)) from None
    keras.backend.clear_session()
    keras.utils.set_random_seed(kata_seed)

    out_dir = tmp_path / "full-run"  # a pathlib.Path this time: run() takes a str or a Path
    out_dir.mkdir()
    accuracy = impl.run(epochs=10, out_dir=out_dir)
    assert (out_dir / "model.keras").is_file(), _(
        "run(epochs=10, out_dir=Path(...)) saved no model.keras in out_dir ({files}). "
        "out_dir may be a str or a pathlib.Path: Path(out_dir) / \"model.keras\" works with both."
    ).format(files=sorted(p.name for p in out_dir.iterdir()))
    assert isinstance(accuracy, float), _(
        "run(epochs=10) should return the test accuracy as a float; it returned {accuracy!r}."
    ).format(accuracy=accuracy)
    assert accuracy >= TARGET, _(
        "After 10 epochs on the full data your pipeline reached a test accuracy of "
        "{accuracy:.4f}; full points need at least {target}. The tutorial's model reaches about "
        "0.88: check the layers (lesson 03), the optimizer and loss (lesson 04), and that the "
        "training images are normalized (lesson 02)."
    ).format(accuracy=accuracy, target=TARGET)
