"""Tooling for the Fashion-MNIST Keras kata: data, the pytest plugin, grading, CLI."""

from kata.impl import lesson

__all__ = ["lesson"]
__version__ = "0.1.0"
