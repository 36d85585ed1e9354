"""Clean-room class grading: ``kata grade SUBMISSIONS --out DIR``.

One job per module, each importing only those above it:

``late``         due dates, submission times and the late penalty
``hidden``       hidden tests (``lessons/NN/test_hidden_*.py``): which they are, what feedback says
``records``      the results (per test, lesson, student), limits, signed cached records
``submissions``  finding submissions and reading only their lesson modules
``review``       the review word list (an aid for a human, not a defence)
``child``        inside a lesson run: the pristine suite and the signed results channel
``preloader``    inside a sandbox: TensorFlow imported once, one lesson run forked at a time
``sandbox``      the bubblewrap sandbox (or none), its mounts and its processes
``lesson_run``   one lesson run seen from the grader: request, channel, exit
``verdict``      what a lesson run earned, from the signed results alone
``shards``       some lessons of one submission, one after another in one sandbox
``outputs``      gradebook, feedback, Gradescope JSON, chart; written last
``merge``        ``--shard K/N`` (which students), the signed shard manifest, ``kata merge``
``command``      the ``kata grade`` command: shards, scheduling, Gradescope mode

What each defends and what it doesn't, measured: ``docs/design/grading.md``.
"""
