"""Tooling for the Fashion-MNIST Keras kata: data, the pytest plugin, grading, CLI."""

from kata.impl import lesson
from kata.notebook import check, hint, solution, use_earlier

__all__ = ["lesson", "check", "hint", "solution", "use_earlier"]
__version__ = "0.1.0"
