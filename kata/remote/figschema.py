"""The shape of a figure description, checked before anything is drawn from it.

A description comes from the student's process, which may be hostile: every
dict must have exactly the expected keys, every value the expected type, and
sizes stay bounded (figures, axes, artists, ticks, text, array elements).
``kata.remote.figures`` draws only what passed :func:`checked_figure` or
:func:`checked_pyplot`.

Example:
    >>> checked_pyplot({"kind": "pyplot", "version": 1, "figures": [], "current": None})["figures"]
    []
"""

from __future__ import annotations

import math

import matplotlib
import matplotlib.image
import numpy as np
from matplotlib.markers import MarkerStyle

MAX_FIGURES = 64
MAX_AXES = 400  # per figure
MAX_ITEMS = 20_000  # artists of one kind per axes
MAX_TICKS = 1_000  # per axis, major and minor each (matplotlib makes a tick in about a millisecond)
MAX_TEXT = 10_000  # characters
MAX_ELEMENTS = 1 << 24  # array elements in one description (a 25-image figure of 28×28 holds 20k)
MAX_DRAWN = 5_000  # ticks, texts and other artists in one description, all figures together (lesson 08's
# 5 × 3 grid draws about 600; 100,000 ticks within the per-axis limits took the checker 95 s to draw again)

SUBPLOTPARS = ("left", "bottom", "right", "top", "wspace", "hspace")
SPINES = {"left", "right", "top", "bottom", "polar", "start", "end", "inner"}
TICK_FLAGS = {"bottom", "top", "left", "right", "labelbottom", "labeltop", "labelleft", "labelright", "gridOn"}
LINESTYLES = {"-", "--", "-.", ":", "None", " ", "", "solid", "dashed", "dashdot", "dotted"}
MARKERS = {m for m in MarkerStyle.markers if isinstance(m, str)}


class FigureDataError(ValueError):
    """A figure description that is not one: what was expected where, and what came instead."""


def _shown(value) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    text = repr(value)
    return f"{type(value).__name__} {text[:60]}{'...' if len(text) > 60 else ''}"


def _fail(where: str, what: str, value) -> None:
    raise FigureDataError(f"figure description, at {where}: expected {what}, got {_shown(value)}.")


def number(value, where, budget):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        _fail(where, "a finite number", value)


def integer(value, where, budget):
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 1 << 31:
        _fail(where, "a whole number from 0 to 2**31", value)


def flag(value, where, budget):
    if not isinstance(value, bool):
        _fail(where, "true or false", value)


def text(value, where, budget):
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        _fail(where, f"a string of at most {MAX_TEXT} characters", value)


def optional(check):
    def run(value, where, budget):
        if value is not None:
            check(value, where, budget)
    return run


def one_of(*options):
    def run(value, where, budget):
        if not isinstance(value, str) or value not in options:
            _fail(where, f"one of {sorted(options)}", value)
    return run


def listed(check, length=None, most=MAX_ITEMS):
    def run(value, where, budget):
        if not isinstance(value, (list, tuple)) or len(value) > most or length not in (None, len(value)):
            _fail(where, f"a list of {length if length is not None else f'at most {most}'} items", value)
        for i, item in enumerate(value):
            check(item, f"{where}[{i}]", budget)
    return run


def record(**fields):
    def run(value, where, budget):
        if not isinstance(value, dict):
            _fail(where, f"a dict with the keys {sorted(fields)}", value)
        if set(value) != set(fields):
            unexpected, missing = sorted(map(str, set(value) - set(fields))), sorted(set(fields) - set(value))
            raise FigureDataError(f"figure description, at {where}: unexpected keys {unexpected}, "
                                  f"missing keys {missing} (expected exactly {sorted(fields)}).")
        for name, check in fields.items():
            check(value[name], f"{where}.{name}", budget)
    return run


def array(kinds: str, ndim: tuple[int, ...], columns: int | None = None):
    def run(value, where, budget):
        if not isinstance(value, np.ndarray) or value.dtype.kind not in kinds or value.ndim not in ndim or (
                columns is not None and value.shape[-1] != columns):
            _fail(where, f"a numpy array of kind {kinds!r}, {ndim} dimensions"
                  + (f", {columns} columns" if columns else ""), value)
        budget[0] -= value.size
        if budget[0] < 0:
            _fail(where, f"at most {MAX_ELEMENTS} array elements in one description", value)
    return run


def colour(value, where, budget):
    listed(number, 4)(value, where, budget)
    if not all(0.0 <= v <= 1.0 for v in value):
        _fail(where, "an RGBA colour of four numbers from 0 to 1", value)


def cmap_name(value, where, budget):
    text(value, where, budget)


TEXT = record(text=text, x=number, y=number, coords=one_of("data", "axes", "xaxis", "yaxis", "figure"),
              color=colour, fontsize=number, rotation=number,
              ha=one_of("left", "center", "right"), va=one_of("top", "bottom", "center", "baseline", "center_baseline"),
              visible=flag)
CMAP = record(name=cmap_name, colors=optional(array("f", (2,), 4)))
NORM = record(kind=one_of("Normalize", "LogNorm", "NoNorm"), vmin=optional(number), vmax=optional(number), clip=flag)
IMAGE = record(array=array("biuf", (2, 3)), mask=optional(array("b", (2, 3))), cmap=CMAP, norm=NORM,
               interpolation=one_of(*matplotlib.image.interpolations_names),
               origin=one_of("upper", "lower"), extent=listed(number, 4), alpha=optional(number),
               visible=flag, zorder=number)
COMMON = dict(label=text, visible=flag, zorder=number)
LINE = record(xy=array("f", (2,), 2), coords=one_of("data", "axes", "xaxis", "yaxis"), color=colour,
              linestyle=one_of(*LINESTYLES), linewidth=number, marker=one_of(*MARKERS), markersize=number,
              drawstyle=one_of("default", "steps", "steps-pre", "steps-mid", "steps-post"), **COMMON)
PATCH = record(kind=one_of("Rectangle", "Path"), x=number, y=number, width=number, height=number, angle=number,
               vertices=optional(array("f", (2,), 2)), codes=optional(array("u", (1,))), coords=one_of("data"),
               facecolor=colour, edgecolor=colour, linewidth=number, fill=flag, **COMMON)
CONTAINER = record(patches=listed(integer), orientation=one_of("vertical", "horizontal"), label=text)
SCATTER = record(offsets=array("f", (2,), 2), sizes=array("f", (1,)), facecolors=array("f", (2,), 4),
                 edgecolors=array("f", (2,), 4), array=optional(array("f", (1,))), cmap=CMAP, norm=NORM,
                 visible=flag, zorder=number)
TICK = record(loc=number, label=TEXT, label2=TEXT, tick1=flag, tick2=flag, grid=flag)
PARAMS = record(major=lambda v, w, b: _flags(v, w), minor=lambda v, w, b: _flags(v, w))
AXIS = record(label=TEXT, visible=flag, params=PARAMS, major=listed(TICK, most=MAX_TICKS),
              minor=listed(TICK, most=MAX_TICKS))
COLORBAR = record(mappable=optional(listed(lambda v, w, b: None, 3)), orientation=one_of("vertical", "horizontal"),
                  cmap=CMAP, norm=NORM)
SCALES = ("linear", "log", "symlog", "logit")
AXES = record(
    key=optional(text), projection=one_of("rectilinear", "polar"), spec=optional(listed(integer, 4)),
    position=listed(number, 4), anchor=listed(number, 2), box_aspect=optional(number), in_layout=flag,
    axis_on=flag, frame_on=flag, visible=flag, facecolor=colour,
    aspect=lambda v, w, b: None if isinstance(v, str) and v == "auto" else number(v, w, b), adjustable=one_of("box", "datalim"),
    xscale=one_of(*SCALES), yscale=one_of(*SCALES), xlim=listed(number, 2), ylim=listed(number, 2),
    autoscale=listed(flag, 2), title=TEXT, title_left=text, title_right=text, xaxis=AXIS, yaxis=AXIS,
    spines=lambda v, w, b: _flags(v, w, SPINES), images=listed(IMAGE), lines=listed(LINE), patches=listed(PATCH),
    containers=listed(CONTAINER), scatters=listed(SCATTER), texts=listed(TEXT), colorbar=optional(COLORBAR),
    omitted=listed(text, most=100))
FIGURE = record(kind=one_of("figure"), version=lambda v, w, b: type(v) is int and v == 1 or _fail(w, "version 1", v),
                key=optional(text), number=optional(integer), size=listed(number, 2), dpi=number, facecolor=colour,
                subplotpars=listed(number, 6), suptitle=optional(TEXT), texts=listed(TEXT),
                axes=listed(AXES, most=MAX_AXES), current_axes=optional(integer))
PYPLOT = record(kind=one_of("pyplot"), version=lambda v, w, b: type(v) is int and v == 1 or _fail(w, "version 1", v),
                figures=listed(FIGURE, most=MAX_FIGURES), current=optional(integer))


def _flags(value, where, names=TICK_FLAGS):
    if not isinstance(value, dict) or not set(value) <= names or not all(isinstance(v, bool) for v in value.values()):
        _fail(where, f"a dict of true/false under the names {sorted(names)}", value)


def _semantics(d: dict, where: str) -> None:
    """What types alone can't say: sizes in range, references that point at something."""
    w, h = d["size"]
    if not (0 < w <= 200 and 0 < h <= 200 and 1 <= d["dpi"] <= 2000):
        _fail(f"{where}.size", "a size of at most 200 inches and a dpi from 1 to 2000", d["size"] + [d["dpi"]])
    count = len(d["axes"])
    if d["current_axes"] is not None and d["current_axes"] >= count:
        _fail(f"{where}.current_axes", f"an index below {count}", d["current_axes"])
    for i, ax in enumerate(d["axes"]):
        at = f"{where}.axes[{i}]"
        if ax["spec"] is not None:
            rows, cols, start, stop = ax["spec"]
            if not (1 <= rows <= 100 and 1 <= cols <= 100 and start <= stop < rows * cols):
                _fail(f"{at}.spec", "a grid of at most 100 × 100 and a place in it", ax["spec"])
        for k, c in enumerate(ax["containers"]):
            if any(p >= len(ax["patches"]) for p in c["patches"]):
                _fail(f"{at}.containers[{k}]", f"patch indices below {len(ax['patches'])}", c["patches"])
        for k, p in enumerate(ax["patches"]):
            if p["kind"] == "Path" and (p["vertices"] is None or p["codes"] is not None
                                        and p["codes"].shape != (len(p["vertices"]),)):
                _fail(f"{at}.patches[{k}]", "vertices and one code per vertex", p["vertices"])
        for k, s in enumerate(ax["scatters"]):
            if s["array"] is not None and s["array"].shape != (len(s["offsets"]),):
                _fail(f"{at}.scatters[{k}].array", "one value per point", s["array"])
        for k, im in enumerate(ax["images"]):
            shape = im["array"].shape
            if im["array"].ndim == 3 and shape[2] not in (3, 4) or im["mask"] is not None and im["mask"].shape != shape:
                _fail(f"{at}.images[{k}]", "an image of M × N, M × N × 3 or M × N × 4 (and a mask of its shape)", shape)
        for m in [im["cmap"] for im in ax["images"]] + [s["cmap"] for s in ax["scatters"]] + (
                [ax["colorbar"]["cmap"]] if ax["colorbar"] else []):
            if m["colors"] is None and m["name"] not in matplotlib.colormaps:
                _fail(f"{at}: colormap", "a colormap matplotlib knows, or its colours", m["name"])
        bar = ax["colorbar"]
        if bar is not None and bar["mappable"] is not None:
            source, kind, index = bar["mappable"]
            ok = type(source) is int and 0 <= source < count and isinstance(kind, str) and kind in (
                "images", "scatters") and type(index) is int and 0 <= index < len(
                d["axes"][source][kind])
            if not ok:
                _fail(f"{at}.colorbar.mappable", "[axes index, 'images' or 'scatters', index] of an artist",
                      bar["mappable"])


def _drawn(d: dict) -> int:
    """How many ticks, texts and other artists drawing figure description ``d`` makes."""
    count = len(d["texts"]) + (d["suptitle"] is not None)
    for ax in d["axes"]:
        count += sum(len(ax[kind]) for kind in ("images", "lines", "patches", "scatters", "texts"))
        count += sum(len(ax[axis][which]) for axis in ("xaxis", "yaxis") for which in ("major", "minor"))
    return count


def _within_drawing_budget(figures: list[dict], where: str) -> None:
    drawn = sum(_drawn(f) for f in figures)
    if drawn > MAX_DRAWN:
        _fail(where, f"at most {MAX_DRAWN} ticks, texts and other artists in all", drawn)


def checked_figure(description, where: str = "figure") -> dict:
    """The description itself once it is a figure description; else :class:`FigureDataError`."""
    FIGURE(description, where, [MAX_ELEMENTS])
    _semantics(description, where)
    _within_drawing_budget([description], where)
    return description


def checked_pyplot(description) -> dict:
    """The description itself once it is a pyplot description; else :class:`FigureDataError`."""
    PYPLOT(description, "pyplot", [MAX_ELEMENTS])
    numbers = [f["number"] for f in description["figures"]]
    if None in numbers or len(set(numbers)) != len(numbers):
        _fail("pyplot.figures", "one figure per number, each numbered", numbers)
    if description["current"] not in (numbers[-1:] or [None]):
        _fail("pyplot.current", "the number of the last figure", description["current"])
    for i, f in enumerate(description["figures"]):
        _semantics(f, f"pyplot.figures[{i}]")
    _within_drawing_budget(description["figures"], "pyplot.figures")
    return description
