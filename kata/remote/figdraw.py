"""Draw one axes again from its checked description (``kata.remote.figures`` checks it first).

Everything here trusts its input: :mod:`kata.remote.figschema` has already checked every
key, type, size and reference of the description it is given.

Example:
    >>> import matplotlib.pyplot as plt
    >>> from kata.remote.figures import describe_figure
    >>> figure = plt.figure(); _ = plt.plot([1, 2])
    >>> ax = plt.figure().add_subplot()
    >>> draw_axes(ax, describe_figure(figure)["axes"][0], ax.figure)
    >>> list(ax.lines[0].get_ydata())
    [np.float64(1.0), np.float64(2.0)]
"""

from __future__ import annotations

import matplotlib
import numpy as np
from matplotlib import colors as mcolors
from matplotlib.container import BarContainer
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path as MplPath

NORMS = {"Normalize": mcolors.Normalize, "LogNorm": mcolors.LogNorm, "NoNorm": mcolors.NoNorm}


def _transform(coords: str, ax, fig):
    return {"data": lambda: ax.transData, "axes": lambda: ax.transAxes, "xaxis": ax.get_xaxis_transform,
            "yaxis": ax.get_yaxis_transform, "figure": lambda: fig.transSubfigure}[coords]()


def make_cmap(d: dict):
    if d["colors"] is None:
        return matplotlib.colormaps[d["name"]]
    return mcolors.ListedColormap(d["colors"], name=d["name"])


def make_norm(d: dict):
    if d["kind"] == "NoNorm":
        return mcolors.NoNorm(d["vmin"], d["vmax"])
    return NORMS[d["kind"]](vmin=d["vmin"], vmax=d["vmax"], clip=d["clip"])


def style(artist, d: dict) -> None:
    artist.set(color=d["color"], fontsize=d["fontsize"], rotation=d["rotation"], visible=d["visible"])


def _draw_ticks(axis, ticks: list[dict], minor: bool) -> None:
    axis.set_ticks([t["loc"] for t in ticks], labels=[t["label"]["text"] for t in ticks], minor=minor)
    made = axis.get_minor_ticks(len(ticks)) if minor else axis.get_major_ticks(len(ticks))
    for tick, d in zip(made, ticks, strict=True):
        style(tick.label1, d["label"])
        style(tick.label2, d["label2"])
        tick.label2.set_text(d["label2"]["text"])
        tick.tick1line.set_visible(d["tick1"])
        tick.tick2line.set_visible(d["tick2"])
        tick.gridline.set_visible(d["grid"])


def _draw_axis(axis, d: dict, label_setter) -> None:
    for which in ("major", "minor"):
        now = axis.get_tick_params(which=which)
        flags = {k: v for k, v in d["params"][which].items() if k != "gridOn" and now.get(k) != v}
        if flags:  # only what differs: setting a tick parameter restyles every tick, slowly
            axis.set_tick_params(which=which, **flags)
        grid = d["params"][which].get("gridOn", False)
        if now.get("gridOn", False) != grid:
            axis.grid(grid, which=which)
    _draw_ticks(axis, d["major"], False)
    _draw_ticks(axis, d["minor"], True)
    label_setter(d["label"]["text"])
    style(axis.label, d["label"])
    axis.set_visible(d["visible"])


def draw_axes(ax, d: dict, fig) -> None:
    ax.set_xscale(d["xscale"])
    ax.set_yscale(d["yscale"])
    for im in d["images"]:
        data = im["array"] if im["mask"] is None else np.ma.masked_array(im["array"], im["mask"])
        ax.imshow(data, cmap=make_cmap(im["cmap"]), norm=make_norm(im["norm"]), interpolation=im["interpolation"],
                  origin=im["origin"], extent=im["extent"], alpha=im["alpha"], zorder=im["zorder"],
                  visible=im["visible"])
    for ln in d["lines"]:
        ax.add_line(Line2D(ln["xy"][:, 0], ln["xy"][:, 1], color=ln["color"], linestyle=ln["linestyle"],
                           linewidth=ln["linewidth"], marker=ln["marker"], markersize=ln["markersize"],
                           drawstyle=ln["drawstyle"], label=ln["label"], visible=ln["visible"],
                           zorder=ln["zorder"], transform=_transform(ln["coords"], ax, fig)))
    made = []
    for p in d["patches"]:
        look = dict(facecolor=p["facecolor"], edgecolor=p["edgecolor"], linewidth=p["linewidth"], fill=p["fill"],
                     label=p["label"], visible=p["visible"], zorder=p["zorder"])
        if p["kind"] == "Rectangle":
            patch = Rectangle((p["x"], p["y"]), p["width"], p["height"], angle=p["angle"], **look)
        else:
            patch = PathPatch(MplPath(p["vertices"], p["codes"]), **look)
        made.append(ax.add_patch(patch))
    for c in d["containers"]:
        ax.add_container(BarContainer([made[i] for i in c["patches"]], orientation=c["orientation"], label=c["label"]))
    for s in d["scatters"]:
        colours = {"c": s["array"], "cmap": make_cmap(s["cmap"]), "norm": make_norm(s["norm"])} \
            if s["array"] is not None else {"c": s["facecolors"]}
        ax.scatter(s["offsets"][:, 0], s["offsets"][:, 1], s=s["sizes"], edgecolors=s["edgecolors"],
                   visible=s["visible"], zorder=s["zorder"], **colours)
    for t in d["texts"]:
        ax.text(t["x"], t["y"], t["text"], transform=_transform(t["coords"], ax, fig), ha=t["ha"], va=t["va"],
                color=t["color"], fontsize=t["fontsize"], rotation=t["rotation"], visible=t["visible"])
    ax.set_title(d["title"]["text"])
    style(ax.title, d["title"])
    ax.set_title(d["title_left"], loc="left")
    ax.set_title(d["title_right"], loc="right")
    if d["colorbar"] is None:
        _draw_axis(ax.xaxis, d["xaxis"], ax.set_xlabel)
        _draw_axis(ax.yaxis, d["yaxis"], ax.set_ylabel)
        ax.set_xlim(d["xlim"])
        ax.set_ylim(d["ylim"])
        ax.set_autoscalex_on(d["autoscale"][0])
        ax.set_autoscaley_on(d["autoscale"][1])
        ax.set_aspect(d["aspect"], adjustable=d["adjustable"])
    for name, visible in d["spines"].items():
        if name in ax.spines:
            ax.spines[name].set_visible(visible)
    place(ax, d)
    ax.set_axis_on() if d["axis_on"] else ax.set_axis_off()
    ax.set_frame_on(d["frame_on"])
    ax.set_visible(d["visible"])
    ax.set_facecolor(d["facecolor"])


def place(ax, d: dict) -> None:
    ax.set_box_aspect(d["box_aspect"])
    ax.set_anchor(tuple(d["anchor"]))
    ax.set_position(d["position"], which="both")
    ax.set_in_layout(d["in_layout"])
