"""Hostile: through the same-process hole, sign a message of the wrong shape on its own channel.

Honest points: 0 (the stub).  One message with a list where a test id goes, signed with the
run's own key: the grader checks each signed message's shape and drops this one, so the
verdict never meets a value it can't handle and the rest of the class is graded.
(Found by the red-team review of 2026-11-26: it used to crash the grader for everyone.)
"""

import json as _json
import os as _os
import sys as _sys

for _module in list(_sys.modules.values()):
    _channel = getattr(_module, "_Channel", None)
    if isinstance(_channel, type) and hasattr(_channel, "send"):
        _send = _channel.send

        def _send_and_forge(self, kind, _send=_send, **fields):
            _send(self, kind, **fields)
            line = _json.dumps({"kind": "test", "seq": 0, "nodeid": ["x"], "outcome": "passed"})
            mac = self._signer.copy()
            mac.update(line.encode())
            _os.write(self._fd, f"{line}\t{mac.hexdigest()}\n".encode())

        _channel.send = _send_and_forge


def build_model():
    raise NotImplementedError("not written")
