"""``kata tutorial`` and ``kata images``: the reference run, from a checkout with ``solutions/``."""

from __future__ import annotations

import sys
from pathlib import Path

from kata.checkout import Checkout
from kata.i18n import _


def solutions_missing(checkout: Checkout) -> str | None:
    """Why the reference can't run here (a student copy has no ``solutions/``), or ``None``."""
    if checkout.has_solutions:
        return None
    return _(
        "There is no {folder}: this is a student copy of the kata, made without the reference "
        "solutions, so the reference run is not available. The tutorial's pictures are in "
        "docs/images/; your own pipeline is lesson 10."
    ).format(folder=checkout.solutions)


def main_tutorial(args, checkout: Checkout) -> int:
    """``kata tutorial [--out DIR] [--epochs N]``: train the reference, write pictures and model."""
    from kata.tutorial import pipeline

    problem = solutions_missing(checkout)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    pipeline.run(checkout.solutions, args.out, epochs=args.epochs)
    return 0


def main_images(args, checkout: Checkout) -> int:
    """``kata images [--out DIR]``: train the reference as the tutorial does, write every picture."""
    from kata.tutorial import pipeline

    problem = solutions_missing(checkout)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    folder = Path(args.out) if args.out is not None else checkout.docs / "images"
    result = pipeline.train_reference(checkout.solutions, epochs=getattr(args, "epochs", None) or 10)
    paths = pipeline.draw(result, checkout.solutions, folder)
    print(_("Wrote {count} pictures to {folder}:").format(count=len(paths), folder=folder))
    for path in paths:
        print(f"  {path.name}")
    return 0
