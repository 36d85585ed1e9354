"""Figures and pyplot's state cross between processes as data.

``kata.remote.figures`` describes a figure as plain data in the student's
process and draws it again in the checker's.  Here each kind of artist the
suites of lessons 02 and 08 look at makes the round trip on its own, pyplot's
state (open figures, current figure and axes) is restored in place, and an
untrusted description is refused with what was expected.  That the whole
catalogues of 02 and 08 keep their verdicts through the real agent is shown by
``tests/test_mutants_through_kata_grade.py`` (through ``kata grade``) and
``tests/test_remote.py`` (their right answers through ``pytest --remote``).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib._pylab_helpers import Gcf

from kata.remote.figures import (
    FigureDataError,
    Keys,
    describe_figure,
    describe_pyplot,
    rebuild_figure,
    restore_pyplot,
)

# --- one artist at a time ------------------------------------------------------------


def same(a, b, where="figure"):
    """Two descriptions hold the same data (arrays compared by value and dtype)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        assert isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.dtype == b.dtype, where
        assert a.shape == b.shape and np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), where
    elif isinstance(a, dict):
        assert isinstance(b, dict) and set(a) == set(b), f"{where}: {set(a) ^ set(b)}"
        for key in a:
            same(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, (list, tuple)):
        assert isinstance(b, (list, tuple)) and len(a) == len(b), f"{where}: {a} != {b}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{where}[{i}]")
    else:
        assert a == b or (isinstance(a, float) and np.isclose(a, b, rtol=1e-9, atol=1e-12)), f"{where}: {a!r} != {b!r}"


def everything():
    """A figure with one of every kind of artist the descriptions carry."""
    from matplotlib.colors import ListedColormap, LogNorm
    from matplotlib.patches import Circle

    figure = plt.figure(figsize=(7, 5), dpi=90)
    figure.suptitle("all of it", color="green")
    figure.text(0.02, 0.02, "corner", color="purple", fontsize=8)
    ax = plt.subplot(2, 3, 1)
    data = np.ma.masked_less(np.arange(1, 13, dtype=np.float32).reshape(3, 4), 3)
    picture = ax.imshow(data, cmap=ListedColormap(["white", "orange", "black"], name="mine"),
                        norm=LogNorm(1, 12), interpolation="nearest", origin="lower", extent=(0, 4, 0, 3))
    plt.colorbar(picture, ax=ax, orientation="horizontal")
    ax.set_xlabel("under", color="red")
    ax.set_ylabel("beside", color="blue", fontsize=7)
    ax.set_title("centre", color="teal")
    ax.set_title("left", loc="left")
    bars = plt.subplot(2, 3, 2)
    made = bars.bar(range(4), [0.1, 0.4, 0.2, 0.3], color="#777777", label="bars")
    made[1].set_color("red")
    bars.set_xticks(range(4), ["a", "b", "c", "d"], rotation=45, color="navy")
    bars.set_yticks([])
    bars.set_ylim(0, 1)
    bars.grid(True, axis="x")
    lines = plt.subplot(2, 3, (3, 6))
    lines.plot([1, 2, 3], [1, 10, 100], "o--", color="C2", label="up")
    lines.plot([1, np.nan, 3], [2, 3, 4], drawstyle="steps-mid")
    lines.axhline(5, color="k")
    lines.set_yscale("log")
    lines.add_patch(Circle((2, 20), 0.3, facecolor="y"))
    lines.text(2, 50, "in data", ha="center", rotation=30)
    lines.text(0.1, 0.9, "in axes", transform=lines.transAxes, va="top")
    lines.spines[["top", "right"]].set_visible(False)
    lines.tick_params(labelleft=False, right=True)
    dots = plt.subplot(2, 3, 4)
    points = dots.scatter([0, 1, 2], [2, 1, 0], s=[10, 20, 30], c=[0.0, 0.5, 1.0], cmap="viridis")
    figure.colorbar(points, ax=dots)
    dots.axis("off")
    hidden = figure.add_axes((0.4, 0.05, 0.2, 0.1))
    hidden.set_visible(False)
    plt.sca(bars)
    return figure


def test_every_artist_kind_survives_the_round_trip():
    plt.close("all")
    original = everything()
    description = describe_figure(original)
    other = Keys()  # another process: its own objects, named by the description's keys
    copy = rebuild_figure(description, keys=other)
    assert copy is not original
    same(describe_figure(copy, keys=other), description | {"number": None})  # a new figure outside pyplot
    image_ax, colorbar_ax, bars, lines, dots, dots_bar, hidden = copy.axes
    (picture,) = image_ax.images
    assert picture.colorbar is not None and picture.colorbar.ax is colorbar_ax
    assert picture.get_cmap().name == "mine" and type(picture.norm).__name__ == "LogNorm"
    assert picture.get_clim() == (1, 12) and picture.origin == "lower" and picture.get_extent() == [0, 4, 0, 3]
    assert np.ma.getmaskarray(picture.get_array()).sum() == 2
    assert image_ax.xaxis.label.get_color() == "red" or tuple(image_ax.xaxis.label.get_color()) == (1, 0, 0, 1)
    assert [round(b.get_height(), 3) for b in bars.patches] == [0.1, 0.4, 0.2, 0.3]
    assert bars.containers and list(bars.containers[0]) == list(bars.patches)
    assert [t.get_text() for t in bars.get_xticklabels()] == list("abcd")
    assert {t.get_rotation() for t in bars.get_xticklabels()} == {45}
    assert bars.get_ylim() == (0, 1) and not list(bars.get_yticks())
    assert any(line.get_visible() for line in bars.get_xgridlines()) and not bars.get_ygridlines()
    assert lines.get_subplotspec().get_geometry() == (2, 3, 2, 5) and lines.get_yscale() == "log"
    assert [t.get_text() for t in lines.texts] == ["in data", "in axes"]
    assert dots.collections[0].colorbar is not None and not dots.axison and not hidden.get_visible()
    assert copy.get_suptitle() == "all of it" and [t.get_text() for t in copy.texts][-1] == "corner"
    assert copy.gca() is bars


def test_pyplot_state_round_trip_keeps_figures_numbers_and_current_axes():
    plt.close("all")
    first = plt.figure(7, figsize=(6, 3))
    left, _right = plt.subplot(1, 2, 1), plt.subplot(1, 2, 2)
    plt.figure(3)
    plt.plot([0, 1])
    plt.figure(first.number)
    plt.sca(left)
    state = describe_pyplot()
    plt.close("all")
    restore_pyplot(state, keys=Keys())
    assert plt.get_fignums() == [3, 7] and plt.gcf().number == 7
    assert plt.gca().get_subplotspec().get_geometry() == (1, 2, 0, 0)
    assert list(plt.figure(3).axes[0].lines[0].get_ydata()) == [0, 1]
    plt.figure(7)
    plt.close()
    assert plt.gcf().number == 3, "figure 3 was current before figure 7, so it is current once 7 closes"


def test_restoring_in_place_keeps_the_figures_and_makes_the_described_one_current():
    plt.close("all")
    three, seven = plt.figure(3), plt.figure(7)
    plt.figure(3)
    state = describe_pyplot()  # 7 then 3: figure 3 current
    plt.figure(7)
    restore_pyplot(state)
    assert plt.gcf() is three
    assert [m.canvas.figure for m in Gcf.get_all_fig_managers()] == [seven, three]


def test_drawing_in_the_other_process_lands_on_the_callers_own_axes():
    plt.close("all")
    checker, agent = Keys(), Keys()
    figure = plt.figure()
    left, right = plt.subplot(1, 2, 1), plt.subplot(1, 2, 2)
    plt.sca(left)
    state = describe_pyplot(keys=checker)
    set_aside = dict(Gcf.figs)
    Gcf.figs.clear()
    restore_pyplot(state, keys=agent)
    plt.imshow(np.eye(3), cmap="binary")  # the student's function, on the current axes
    plt.xlabel("there", color="blue")
    after = describe_pyplot(keys=agent)
    plt.close("all")
    Gcf.figs.update(set_aside)
    restore_pyplot(after, keys=checker)
    assert plt.gcf() is figure and figure.axes == [left, right]
    assert left.images and left.get_xlabel() == "there" and not right.images


def test_axes_cleared_in_the_other_process_are_cleared_here():
    plt.close("all")
    checker, agent = Keys(), Keys()
    plt.figure()
    old = plt.subplot(1, 2, 1)
    old.plot([1, 2])
    state = describe_pyplot(keys=checker)
    set_aside = dict(Gcf.figs)
    Gcf.figs.clear()
    restore_pyplot(state, keys=agent)
    plt.clf()
    plt.subplot(1, 2, 2).bar([0], [1])
    after = describe_pyplot(keys=agent)
    plt.close("all")
    Gcf.figs.update(set_aside)
    restore_pyplot(after, keys=checker)
    assert old not in plt.gcf().axes and not old.lines
    assert len(plt.gcf().axes) == 1 and plt.gca().patches


# --- an untrusted description is refused ---------------------------------------------


def small():
    plt.close("all")
    figure = plt.figure()
    plt.imshow(np.zeros((2, 2)))
    plt.bar([0], [1])
    return describe_figure(figure)


def broken(change):
    description = small()
    change(description)
    return description


@pytest.mark.parametrize("change, said", [
    (lambda d: d.update(extra=1), "unexpected keys ['extra']"),
    (lambda d: d.pop("dpi"), "missing keys ['dpi']"),
    (lambda d: d.update(dpi="100"), "figure.dpi: expected a finite number"),
    (lambda d: d.update(dpi=True), "figure.dpi: expected a finite number"),
    (lambda d: d.update(dpi=float("nan")), "figure.dpi: expected a finite number"),
    (lambda d: d.update(kind="pickle"), "figure.kind: expected one of ['figure']"),
    (lambda d: d.update(size=[1e9, 1]), "figure.size: expected a size of at most 200 inches"),
    (lambda d: d["axes"][0]["images"][0].update(array=np.array([[object()]])), "images[0].array: expected a numpy"),
    (lambda d: d["axes"][0]["images"][0].update(array=np.zeros((5000, 5000), dtype=np.uint8)), "at most 16777216 array elements"),
    (lambda d: d["axes"][0]["images"][0]["cmap"].update(name="no such map"), "a colormap matplotlib knows"),
    (lambda d: d["axes"][0]["patches"][0].update(facecolor=[2, 0, 0, 1]), "an RGBA colour"),
    (lambda d: d["axes"][0]["patches"][0].update(kind="Ellipse"), "kind: expected one of ['Path', 'Rectangle']"),
    (lambda d: d["axes"][0]["containers"][0].update(patches=[5]), "patch indices below 1"),
    (lambda d: d["axes"][0].update(lines=[{}] * 20_001), "a list of at most 20000 items"),
    (lambda d: d["axes"][0]["xaxis"]["params"].update(major={"__class__": True}), "a dict of true/false"),
    (lambda d: d["axes"][0]["title"].update(text="x" * 10_001), "a string of at most 10000 characters"),
    (lambda d: d.update(current_axes=4), "figure.current_axes: expected an index below 1"),
    (lambda d: d["axes"][0].update(colorbar={"mappable": [0, "images", 3], "orientation": "vertical",
                                             "cmap": {"name": "viridis", "colors": None},
                                             "norm": {"kind": "Normalize", "vmin": 0, "vmax": 1, "clip": False}}),
     "[axes index, 'images' or 'scatters', index] of an artist"),
])
def test_a_description_that_is_not_one_is_refused_with_what_was_expected(change, said):
    with pytest.raises(FigureDataError) as refused:
        rebuild_figure(broken(change), keys=Keys())
    assert said in str(refused.value)


def test_a_pyplot_description_that_is_not_one_is_refused():
    good = {"kind": "pyplot", "version": 1, "figures": [small() | {"number": 1}], "current": 1}
    for bad, said in [
        (good | {"figures": good["figures"] * 2}, "one figure per number"),
        (good | {"current": 2}, "the number of the last figure"),
        (good | {"figures": [small()] * 65, "current": None}, "a list of at most 64 items"),
        ([good], "expected a dict with the keys"),
    ]:
        with pytest.raises(FigureDataError, match=".*") as refused:
            restore_pyplot(bad, keys=Keys())
        assert said in str(refused.value)


def test_a_description_matplotlib_refuses_to_draw_is_refused_too():
    with pytest.raises(FigureDataError, match="could not be drawn"):
        rebuild_figure(broken(lambda d: d["axes"][0]["patches"][0].update(  # a path must start with MOVETO (1)
            kind="Path", vertices=np.zeros((2, 2)), codes=np.array([2, 2], dtype=np.uint8))), keys=Keys())


def test_what_is_not_carried_is_named_and_the_rest_still_crosses():
    plt.close("all")
    figure = plt.figure()
    figure.add_subplot(1, 2, 1, projection="3d").plot([1, 2], [1, 2], [1, 2])
    flat = figure.add_subplot(1, 2, 2)
    flat.set_xscale("asinh")
    flat.legend(handles=flat.plot([1, 2], label="up"))
    flat.fill_between([0, 1], [0, 1])
    description = describe_figure(figure)
    assert [a["omitted"] for a in description["axes"]] == [["projection 3d"], ["FillBetweenPolyCollection", "Legend",
                                                                                "scale asinh"]]
    copy = rebuild_figure(description, keys=Keys())
    assert len(copy.axes) == 2 and list(copy.axes[1].lines[0].get_ydata()) == [1, 2]


def test_a_description_with_too_many_ticks_is_refused_before_any_is_made():
    def many(d):
        tick = d["axes"][0]["xaxis"]["major"][0]
        d["axes"][0]["xaxis"]["major"] = [tick] * 1001

    with pytest.raises(FigureDataError, match="a list of at most 1000 items"):
        rebuild_figure(broken(many), keys=Keys())
