"""Matplotlib figures and pyplot's state as plain data, and back again.

A figure drawn in the student's process crosses to the checker as a
*description*: a dict of strings, numbers, lists and numpy arrays (no pickle,
nothing to execute) naming what a graded suite can inspect. Per axes: its
place (subplot grid, position), limits, scales, labels and titles with their
colours, ticks (positions, texts, colour, rotation, visibility), grid, axis
on/off, images (pixels, colormap, colour range), lines, rectangles (bars)
and other patches in data coordinates, scatter points, texts, and colorbars
(rebuilt as colorbars of the same image). Legends, shared axes and other
collections are named in ``omitted`` instead.

Figures and axes carry *keys*: the same object keeps its key across the two
processes, so the checker's ``left`` subplot is still ``left`` after the
student drew on it elsewhere, and a figure returned twice is the same figure.
A description from the student's process is untrusted: :func:`rebuild_figure`
and :func:`restore_pyplot` check every key, type and size before drawing.

Around a call: the checker sends ``describe_pyplot()``, the agent calls
``restore_pyplot`` with it, runs the function and sends ``describe_pyplot()``
and ``describe_figure`` of each figure returned; the checker restores pyplot
first, then rebuilds the returned figures (their keys find the same objects).

Example:
    >>> import matplotlib.pyplot as plt
    >>> figure = plt.figure(); _ = plt.bar([0, 1], [0.3, 0.7], color="red")
    >>> copy = rebuild_figure(describe_figure(figure), keys=Keys())  # as another process would
    >>> [bar.get_height() for bar in copy.axes[0].patches]
    [0.3, 0.7]
"""

from __future__ import annotations

import secrets
import weakref

import matplotlib
import numpy as np
from matplotlib import colors as mcolors
from matplotlib import pyplot as plt
from matplotlib._pylab_helpers import Gcf
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.gridspec import GridSpec, SubplotSpec
from matplotlib.patches import Rectangle

from kata.remote import figdraw
from kata.remote import figschema as schema
from kata.remote.figschema import FigureDataError

__all__ = ["FigureDataError", "Keys", "describe_figure", "describe_pyplot", "rebuild_figure", "restore_pyplot"]


class Keys:
    """Names for figures and axes, the same in both processes.

    ``describe_*`` names every object it meets (a random name for a new one);
    ``rebuild_figure`` gives the objects it draws the names in the description.
    """

    def __init__(self):
        self._names = weakref.WeakKeyDictionary()
        self._objects = weakref.WeakValueDictionary()

    def name(self, obj) -> str:
        if obj not in self._names:
            self.claim(obj, secrets.token_hex(8))
        return self._names[obj]

    def claim(self, obj, name: str | None) -> None:
        if name is not None:
            self._names[obj] = name
            self._objects[name] = obj

    def find(self, name: str | None, kind: type):
        found = None if name is None else self._objects.get(name)
        return found if isinstance(found, kind) else None


KEYS = Keys()


# --- describe ------------------------------------------------------------------------


def _rgba(colour) -> list[float]:
    return [float(v) for v in mcolors.to_rgba(colour)]


def _coords(artist, ax, fig) -> str | None:
    transform = artist.get_transform()
    places = [("figure", fig.transSubfigure), ("figure", fig.transFigure)]
    if ax is not None:
        places = [("data", ax.transData), ("axes", ax.transAxes), ("xaxis", ax.get_xaxis_transform()),
                  ("yaxis", ax.get_yaxis_transform())] + places
    return next((name for name, place in places if transform == place), None)


def _text(text, ax=None, fig=None) -> dict:
    x, y = text.get_position()
    coords = _coords(text, ax, fig) if fig is not None else None
    return {"text": text.get_text(), "x": float(x), "y": float(y), "coords": coords or "data",
            "color": _rgba(text.get_color()), "fontsize": float(text.get_fontsize()),
            "rotation": float(text.get_rotation()), "ha": text.get_horizontalalignment(),
            "va": text.get_verticalalignment(), "visible": bool(text.get_visible())}


def _cmap(cmap) -> dict:
    known = matplotlib.colormaps.get(cmap.name)
    listed = None if known is not None and known == cmap else cmap(np.linspace(0, 1, min(cmap.N, 4096)))
    return {"name": cmap.name, "colors": listed}


def _norm(norm) -> dict:
    kind = type(norm).__name__ if type(norm).__name__ in figdraw.NORMS else "Normalize"
    vmin, vmax = norm.vmin, norm.vmax
    return {"kind": kind, "vmin": None if vmin is None else float(vmin),
            "vmax": None if vmax is None else float(vmax), "clip": bool(norm.clip)}


def _image(image) -> dict:
    data = image.get_array()
    mask = np.ma.getmaskarray(data) if np.ma.is_masked(data) else None
    alpha = image.get_alpha()
    return {"array": np.array(np.ma.getdata(data)), "mask": mask, "cmap": _cmap(image.get_cmap()),
            "norm": _norm(image.norm), "interpolation": image.get_interpolation(), "origin": image.origin,
            "extent": [float(v) for v in image.get_extent()], "alpha": float(alpha) if np.isscalar(alpha) else None,
            "visible": bool(image.get_visible()), "zorder": float(image.get_zorder())}


def _line(line, coords) -> dict:
    marker = line.get_marker()
    return {"xy": np.asarray(line.get_xydata(), dtype=np.float64), "coords": coords,
            "color": _rgba(line.get_color()), "linestyle": line.get_linestyle(),
            "linewidth": float(line.get_linewidth()), "marker": marker if isinstance(marker, str) and marker in schema.MARKERS else "None",
            "markersize": float(line.get_markersize()), "drawstyle": line.get_drawstyle(),
            "label": str(line.get_label()), "visible": bool(line.get_visible()), "zorder": float(line.get_zorder())}


def _patch(patch, coords) -> dict:
    common = {"coords": coords, "facecolor": _rgba(patch.get_facecolor()), "edgecolor": _rgba(patch.get_edgecolor()),
              "linewidth": float(patch.get_linewidth()), "fill": bool(patch.get_fill()),
              "label": str(patch.get_label()), "visible": bool(patch.get_visible()), "zorder": float(patch.get_zorder())}
    if type(patch) is Rectangle:
        return {"kind": "Rectangle", "x": float(patch.get_x()), "y": float(patch.get_y()),
                "width": float(patch.get_width()), "height": float(patch.get_height()),
                "angle": float(patch.get_angle()), "vertices": None, "codes": None, **common}
    path = patch.get_path()
    vertices = np.asarray(patch.get_patch_transform().transform(path.vertices), dtype=np.float64)
    codes = None if path.codes is None else np.asarray(path.codes, dtype=np.uint8)
    return {"kind": "Path", "x": 0.0, "y": 0.0, "width": 0.0, "height": 0.0, "angle": 0.0,
            "vertices": vertices, "codes": codes, **common}


def _scatter(collection) -> dict:
    values = collection.get_array()
    return {"offsets": np.asarray(collection.get_offsets(), dtype=np.float64),
            "sizes": np.asarray(collection.get_sizes(), dtype=np.float64),
            "facecolors": np.asarray(collection.get_facecolors(), dtype=np.float64).reshape(-1, 4),
            "edgecolors": np.asarray(collection.get_edgecolors(), dtype=np.float64).reshape(-1, 4),
            "array": None if values is None else np.asarray(np.ma.getdata(values), dtype=np.float64),
            "cmap": _cmap(collection.get_cmap()), "norm": _norm(collection.norm),
            "visible": bool(collection.get_visible()), "zorder": float(collection.get_zorder())}


def _ticks(axis, minor: bool) -> list[dict]:
    ticks = axis.get_minor_ticks() if minor else axis.get_major_ticks()
    locs = axis.get_minorticklocs() if minor else axis.get_majorticklocs()
    (axis.get_minorticklabels if minor else axis.get_majorticklabels)()  # sets the labels' texts
    return [{"loc": float(loc), "label": _text(tick.label1), "label2": _text(tick.label2),
             "tick1": bool(tick.tick1line.get_visible()), "tick2": bool(tick.tick2line.get_visible()),
             "grid": bool(tick.gridline.get_visible())} for tick, loc in zip(ticks, locs, strict=False)]


def _axis(axis) -> dict:
    params = {}
    for which in ("major", "minor"):
        given = axis.get_tick_params(which=which)
        params[which] = {k: v for k, v in given.items() if k in schema.TICK_FLAGS and isinstance(v, bool)}
    return {"label": _text(axis.label), "visible": bool(axis.get_visible()), "params": params,
            "major": _ticks(axis, False), "minor": _ticks(axis, True)}


def _axes(ax, fig, keys: Keys, mappables: dict) -> dict:
    if ax.name not in ("rectilinear", "polar"):  # a 3D axes, ...: only its place crosses
        blank = _axes(matplotlib.axes.Axes(fig, ax.get_position(original=True).bounds), fig, Keys(), {})
        return blank | {"key": keys.name(ax), "omitted": [f"projection {ax.name}"]}
    spec = ax.get_subplotspec()
    aspect = ax.get_aspect()
    skipped = ax.get_legend() is not None
    lines, patches, texts, scatters, omitted = [], [], [], [], ["Legend"] if skipped else []
    for line in ax.lines:
        coords = _coords(line, ax, fig)
        lines.append(_line(line, coords)) if coords not in (None, "figure") else omitted.append("Line2D")
    for patch in ax.patches:
        coords = "data" if patch.get_data_transform() == ax.transData else None
        patches.append(_patch(patch, coords)) if coords else omitted.append(type(patch).__name__)
    for text in ax.texts:
        texts.append(_text(text, ax, fig)) if _coords(text, ax, fig) else omitted.append("Text")
    for collection in ax.collections:
        if type(collection).__name__ == "PathCollection" and collection.get_offset_transform() == ax.transData:
            mappables[id(collection)] = ["scatters", len(scatters)]
            scatters.append(_scatter(collection))
        else:
            omitted.append(type(collection).__name__)
    for k, image in enumerate(ax.images):
        mappables[id(image)] = ["images", k]
    scales = [scale if scale in schema.SCALES else "linear" for scale in (ax.get_xscale(), ax.get_yscale())]
    omitted += [f"scale {scale}" for scale in (ax.get_xscale(), ax.get_yscale()) if scale not in schema.SCALES]
    containers = [{"patches": [ax.patches.index(p) for p in c], "orientation": c.orientation,
                   "label": str(c.get_label())}
                  for c in ax.containers if isinstance(c, BarContainer) and all(p in ax.patches for p in c)]
    return {
        "key": keys.name(ax), "projection": ax.name,
        "spec": None if spec is None else [int(v) for v in spec.get_geometry()],
        "position": [float(v) for v in ax.get_position(original=True).bounds],
        "anchor": [float(v) for v in (matplotlib.transforms.Bbox.coefs.get(ax.get_anchor(), ax.get_anchor()))],
        "box_aspect": None if ax.get_box_aspect() is None else float(ax.get_box_aspect()),
        "in_layout": bool(ax.get_in_layout()), "axis_on": bool(ax.axison), "frame_on": bool(ax.get_frame_on()),
        "visible": bool(ax.get_visible()), "facecolor": _rgba(ax.get_facecolor()),
        "aspect": aspect if isinstance(aspect, str) else float(aspect), "adjustable": ax.get_adjustable(),
        "xscale": scales[0], "yscale": scales[1],
        "xlim": [float(v) for v in ax.get_xlim()], "ylim": [float(v) for v in ax.get_ylim()],
        "autoscale": [bool(ax.get_autoscalex_on()), bool(ax.get_autoscaley_on())],
        "title": _text(ax.title), "title_left": ax.get_title("left"), "title_right": ax.get_title("right"),
        "xaxis": _axis(ax.xaxis), "yaxis": _axis(ax.yaxis),
        "spines": {name: bool(spine.get_visible()) for name, spine in ax.spines.items() if name in schema.SPINES},
        "images": [_image(image) for image in ax.images], "lines": lines, "patches": patches,
        "containers": containers, "scatters": scatters, "texts": texts, "colorbar": None,
        "omitted": sorted(set(omitted)),
    }


def describe_figure(fig: Figure, *, keys: Keys = KEYS) -> dict:
    """A figure as plain data: what a test can inspect of it, nothing executable.

    Args:
        fig: the figure.
        keys: names of figures and axes in this process (the default is the process's own).

    Returns:
        A dict of str, numbers, lists and numpy arrays, for :func:`rebuild_figure`.

    Example:
        >>> import matplotlib.pyplot as plt
        >>> describe_figure(plt.figure(figsize=(4, 3)))["size"]
        [4.0, 3.0]
    """
    mappables: dict[int, list] = {}
    axes = [_axes(ax, fig, keys, mappables) for ax in fig.axes]
    where = {id(ax): i for i, ax in enumerate(fig.axes)}
    for i, ax in enumerate(fig.axes):
        bar = getattr(ax, "_colorbar", None)  # matplotlib's mark on a colorbar's axes
        if bar is not None:
            source = getattr(bar.mappable, "axes", None)
            ref = mappables.get(id(bar.mappable)) if id(source) in where else None
            axes[i]["colorbar"] = {"mappable": None if ref is None else [where[id(source)], *ref],
                                   "orientation": bar.orientation, "cmap": _cmap(bar.cmap), "norm": _norm(bar.norm)}
            axes[i].update(images=[], lines=[], patches=[], containers=[], scatters=[], texts=[])
    suptitle = getattr(fig, "_suptitle", None)
    current = fig.gca() if fig.axes else None
    return {
        "kind": "figure", "version": 1, "key": keys.name(fig), "number": None if getattr(fig, "number", None) is None else int(fig.number),
        "size": [float(v) for v in fig.get_size_inches()], "dpi": float(fig.get_dpi()),
        "facecolor": _rgba(fig.get_facecolor()),
        "subplotpars": [float(getattr(fig.subplotpars, n)) for n in schema.SUBPLOTPARS],
        "suptitle": None if suptitle is None else _text(suptitle, None, fig),
        "texts": [_text(t, None, fig) for t in fig.texts if t is not suptitle and _coords(t, None, fig)],
        "axes": axes, "current_axes": None if current is None else fig.axes.index(current),
    }


def describe_pyplot(*, keys: Keys = KEYS) -> dict:
    """Every figure pyplot has open, in the order they were last made current (the current one last).

    Returns:
        ``{"kind": "pyplot", "version": 1, "figures": [...], "current": number or None}``; each
        figure says which of its axes is current.
    """
    managers = Gcf.get_all_fig_managers()
    return {"kind": "pyplot", "version": 1, "figures": [describe_figure(m.canvas.figure, keys=keys) for m in managers],
            "current": managers[-1].num if managers else None}


# --- rebuild -------------------------------------------------------------------------


def _axes_for(fig, d: dict, keys: Keys, taken: list):
    old = keys.find(d["key"], matplotlib.axes.Axes)
    if old is not None and old in fig.axes and old not in taken and old.name == d["projection"]:
        old.cla()
        if d["spec"] is not None:
            rows, cols, start, stop = d["spec"]
            old.set_subplotspec(SubplotSpec(GridSpec(rows, cols, figure=fig), start, stop))
        return old
    if d["spec"] is not None:
        rows, cols, start, stop = d["spec"]
        ax = fig.add_subplot(rows, cols, start + 1 if start == stop else (start + 1, stop + 1),
                             projection=d["projection"])
    else:
        ax = fig.add_axes(d["position"], projection=d["projection"])
    keys.claim(ax, d["key"])
    return ax


def _draw_figure(d: dict, fig: Figure, keys: Keys) -> Figure:
    try:
        return _draw_checked(d, fig, keys)
    except Exception as error:  # a checked description matplotlib still refuses (a negative width, ...)
        raise FigureDataError(f"figure description could not be drawn: {type(error).__name__}: {error}") from error


def _draw_checked(d: dict, fig: Figure, keys: Keys) -> Figure:
    fig.set_size_inches(d["size"], forward=False)
    fig.set_dpi(d["dpi"])
    fig.set_facecolor(d["facecolor"])
    fig.subplotpars.update(**dict(zip(schema.SUBPLOTPARS, d["subplotpars"], strict=True)))
    for text in list(fig.texts):
        text.remove()
    if getattr(fig, "_suptitle", None) is not None:
        fig._suptitle = None  # removed with the texts above; forget it, as fig.suptitle() would find it
    if d["suptitle"] is not None:
        figdraw.style(fig.suptitle(d["suptitle"]["text"]), d["suptitle"])
    for t in d["texts"]:
        fig.text(t["x"], t["y"], t["text"], ha=t["ha"], va=t["va"], color=t["color"], fontsize=t["fontsize"],
                 rotation=t["rotation"], visible=t["visible"])
    taken: list = []
    for a in d["axes"]:
        taken.append(_axes_for(fig, a, keys, taken))
    for ax in list(fig.axes):
        if ax not in taken:  # gone in the other process (plt.clf(), ax.remove())
            ax.cla()
            fig.delaxes(ax)
    if fig.axes != taken:
        for ax in taken:
            fig.delaxes(ax)
            fig.add_axes(ax)
    for ax, a in zip(taken, d["axes"], strict=True):
        figdraw.draw_axes(ax, a, fig)
    for ax, a in zip(taken, d["axes"], strict=True):
        bar = a["colorbar"]
        if bar is not None:
            if bar["mappable"] is None:
                source = matplotlib.cm.ScalarMappable(norm=figdraw.make_norm(bar["norm"]), cmap=figdraw.make_cmap(bar["cmap"]))
            else:
                where, kind, index = bar["mappable"]
                source = (taken[where].images if kind == "images" else taken[where].collections)[index]
            fig.colorbar(source, cax=ax, orientation=bar["orientation"])
            figdraw.place(ax, a)
    if d["current_axes"] is not None:
        fig.sca(taken[d["current_axes"]])
    keys.claim(fig, d["key"])
    return fig


def rebuild_figure(description: dict, into: Figure | None = None, *, keys: Keys = KEYS) -> Figure:
    """The figure a description names, drawn again from its data.

    Args:
        description: from :func:`describe_figure`, possibly from another process (checked first).
        into: the figure to draw into (its axes are reused where the keys match, the rest removed).
            By default the open figure of this description's key, else a new figure outside pyplot.
        keys: names of figures and axes in this process.

    Returns:
        The figure drawn.

    Raises:
        FigureDataError: the description is not one (an unknown key, a wrong type, too large).
    """
    d = schema.checked_figure(description)
    fig = into if into is not None else keys.find(d["key"], Figure)
    return _draw_figure(d, fig if fig is not None else Figure(figsize=d["size"]), keys)


def restore_pyplot(description: dict, *, keys: Keys = KEYS) -> None:
    """Make pyplot's open figures, current figure and current axes those of a description.

    Figures whose key and number match are drawn again in place (the same objects), new
    ones are opened under their number, and figures the description lacks are closed.
    The figures are made current in the described order, so the last is the current one
    (and ``plt.close()`` then falls back on the same figure in both processes).

    Raises:
        FigureDataError: the description is not one.
    """
    d = schema.checked_pyplot(description)
    wanted = {f["number"]: f for f in d["figures"]}
    for manager in Gcf.get_all_fig_managers():
        f = wanted.get(manager.num)
        if f is None or keys.find(f["key"], Figure) is not manager.canvas.figure:
            plt.close(manager.canvas.figure)
    for f in d["figures"]:
        manager = Gcf.get_fig_manager(f["number"])
        fig = manager.canvas.figure if manager is not None else plt.figure(num=f["number"], figsize=f["size"])
        _draw_figure(f, fig, keys)
        plt.figure(fig)  # made current in the described order: the last one is current

