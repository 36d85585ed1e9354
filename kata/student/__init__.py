"""A student's own tools: ``kata status``, ``hint``, ``watch``, ``reset``, ``solution``.

Each command is one module and works on one :class:`kata.checkout.Checkout`,
the copy of the kata the student stands in.  :mod:`kata.student.state` keeps
what the tools remember in ``.kata/``; :mod:`kata.student.runner` runs the
graded suites in a ``python -m pytest`` subprocess and reads the JSON report
the kata plugin writes.  Nothing here imports TensorFlow.
"""
