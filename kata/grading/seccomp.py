"""A seccomp filter for the sandbox: no kernel keyrings.

Keyrings are not namespaced like files and processes: inside bubblewrap a lesson
run still sees (``/proc/keys``) and can write the keyrings of the uid the grader
runs as, so two runs could pass data through them, even across grading runs.
This filter makes ``add_key``, ``request_key`` and ``keyctl`` fail with EPERM
(as Docker's default profile does) and refuses the x32 system-call ABI, which
would reach them by other numbers.  It is a classic BPF program in the form
bubblewrap's ``--seccomp FD`` reads (what libseccomp's ``seccomp_export_bpf``
writes), built here so the grader needs no extra library.
"""

from __future__ import annotations

import os
import platform
import struct

# <linux/audit.h> architecture tokens and the keyring calls' numbers per architecture.
_ARCHES = {
    "x86_64": (0xC000003E, (248, 249, 250)),  # add_key, request_key, keyctl
    "aarch64": (0xC00000B7, (217, 218, 219)),
}
_X32_BIT = 0x40000000

_LD_W_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS
_JEQ_K = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_JGE_K = 0x35  # BPF_JMP | BPF_JGE | BPF_K
_RET_K = 0x06  # BPF_RET | BPF_K
_ALLOW = 0x7FFF0000  # SECCOMP_RET_ALLOW
_EPERM = 0x00050000 | 1  # SECCOMP_RET_ERRNO | EPERM


def _op(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
    return struct.pack("=HBBI", code, jt, jf, k)


def program(machine: str | None = None) -> bytes | None:
    """The compiled filter for this machine's architecture, or ``None`` for one it doesn't know.

    Args:
        machine: ``platform.machine()``'s answer (default: this machine's).

    Returns:
        The BPF program's bytes: allow everything except the keyring calls (EPERM).

    Example:
        >>> len(program("x86_64")) % 8
        0
    """
    known = _ARCHES.get(machine or platform.machine())
    if known is None:
        return None
    arch, calls = known
    denied = len(calls) + 3  # from the instruction after the arch check to the EPERM return
    ops = [
        _op(_LD_W_ABS, 4),  # seccomp_data.arch
        _op(_JEQ_K, arch, 0, denied),  # another ABI (e.g. 32-bit): refused below
        _op(_LD_W_ABS, 0),  # seccomp_data.nr
        _op(_JGE_K, _X32_BIT, len(calls) + 1, 0),  # x32 numbers: refused
    ]
    for index, number in enumerate(calls):
        ops.append(_op(_JEQ_K, number, len(calls) - index, 0))
    ops += [_op(_RET_K, _ALLOW), _op(_RET_K, _EPERM)]
    return b"".join(ops)


def filter_fd(machine: str | None = None) -> int | None:
    """A readable file descriptor holding :func:`program`, for ``bwrap --seccomp FD``.

    Returns:
        The descriptor (the caller passes it to bwrap and closes it), or ``None``.
    """
    code = program(machine)
    if code is None:
        return None
    read, write = os.pipe()
    os.write(write, code)  # 8 bytes an instruction, far below a pipe's buffer
    os.close(write)
    return read
