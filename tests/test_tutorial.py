"""`kata tutorial`: the reference pipeline on the real data, one epoch (about 20 s on 2 cores)."""

import re

import pytest

from kata import cli
from kata.tutorial import figures


@pytest.mark.slow
def test_tutorial_runs_end_to_end_and_writes_figures_and_model(tmp_path, capsys):
    out = tmp_path / "run"
    assert cli.main(["tutorial", "--out", str(out), "--epochs", "1"]) == 0
    text = re.sub(r"\x1b\[[0-9;]*m", "", capsys.readouterr().out)  # without Keras' colours

    assert "train_images: (60000, 28, 28) uint8" in text
    assert "test_images:  (10000, 28, 28) uint8" in text
    # Keras' progress bar (with one epoch, Keras prints no "Epoch 1/1" header): 1875 batches of 32.
    assert re.search(r"1875/1875 .*accuracy: [0-9.]+ - loss: [0-9.]+", text), "no progress bar"

    accuracy = float(re.search(r"Test accuracy: ([0-9.]+)", text).group(1))
    assert 0.75 < accuracy <= 1.0, f"one epoch should give well above chance (0.1): {accuracy}"

    rows = re.findall(r"^  (\d) (.{12}) ([0-9.]+)$", text, flags=re.MULTILINE)
    assert [int(number) for number, _, _ in rows] == list(range(10))
    probabilities = [float(p) for _, _, p in rows]
    assert abs(sum(probabilities) - 1.0) < 0.01
    best = max(range(10), key=probabilities.__getitem__)
    assert f"Predicted class: {best} ({rows[best][1].strip()})" in text

    for name in figures.PICTURES:
        assert (out / name).stat().st_size > 1000, f"{name} was not written"
    assert f"Figures written to {out}" in text
    assert (out / "model.keras").is_file() and f"Model saved to {out / 'model.keras'}" in text

    import keras

    model = keras.models.load_model(out / "model.keras")
    assert model.output_shape == (None, 10)


@pytest.mark.parametrize("command", ["tutorial", "images"])
def test_without_solutions_says_why_instead_of_a_traceback(monkeypatch, tmp_path, capsys, command):
    student_copy = tmp_path / "student-copy"  # a checkout without solutions/, where the command runs
    (student_copy / "lessons" / "01").mkdir(parents=True)
    monkeypatch.chdir(student_copy)
    assert cli.main([command, "--out", str(tmp_path / "unused")]) == 1
    assert "student copy" in capsys.readouterr().err
    assert not (tmp_path / "unused").exists()
