"""A student's own tools: ``kata status``, ``hint``, ``watch``, ``reset``, ``solution``.

Each command is one module and works on one :class:`kata.checkout.Checkout`,
the copy of the kata the student stands in.  :mod:`kata.student.state` keeps
what the tools remember in ``.kata/``; :mod:`kata.student.record` adds the
result of every plain ``pytest lessons/NN`` run to it (the kata plugin calls
it); :mod:`kata.student.runner` runs the graded suites in a ``python -m
pytest`` subprocess, or forked from the warm process of
:mod:`kata.student.warm` (``kata watch``), and reads the JSON report the kata
plugin writes.  Only that warm process imports TensorFlow, in a process of its own.
"""
