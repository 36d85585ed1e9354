"""The tutorial itself: the reference pipeline (:mod:`~kata.tutorial.pipeline`), its
pictures (:mod:`~kata.tutorial.figures`, drawing only) and the ``kata tutorial``
and ``kata images`` commands (:mod:`~kata.tutorial.commands`).

Imports go one way: commands → pipeline → figures.
"""
