"""The pytest side of the wire: ``--remote`` options, one agent per lesson, the proxy for ``impl``.

:mod:`kata.plugin` calls these; without ``--remote`` or ``--remote-fd`` nothing here runs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

AGENTS_KEY = pytest.StashKey[dict]()  # (tree, lesson) → kata.remote.proxy.Connection


def add_options(group) -> None:
    """``--remote``, ``--remote-fd`` and ``--remote-exchange`` in the kata's option group."""
    group.addoption(
        "--remote",
        action="store_true",
        default=False,
        help="run the module under test in a separate agent process and judge what it returns "
        "as data (kata.remote); the tests, points and messages are the same",
    )
    group.addoption(
        "--remote-fd",
        type=int,
        default=None,
        metavar="N",
        help="like --remote, on a socket already connected to an agent (how kata grade runs a suite)",
    )
    group.addoption(
        "--remote-zygote",
        default=None,
        metavar="SOCKET",
        help="with --remote, fork each agent from the warm process listening on SOCKET "
        "(kata.remote.zygote) instead of starting a fresh one",
    )
    group.addoption(
        "--remote-exchange",
        default=None,
        metavar="DIR",
        help="the exchange folder of the agent on --remote-fd",
    )


def wanted(config: pytest.Config) -> bool:
    """Whether the module under test runs in an agent (``--remote`` or ``--remote-fd``)."""
    return bool(config.getoption("--remote") or config.getoption("--remote-fd") is not None)


def remote_module(request: pytest.FixtureRequest, tree: Path, number: int, seed: int,
                  import_failure: Callable[[dict], Exception]):
    """The module under test as a proxy to an agent process, one agent per (tree, lesson).

    Args:
        request: the ``impl`` fixture's request.
        tree: the lesson tree (``--impl``).
        number: the lesson.
        seed: set in the agent before the test (as the plugin sets it here).
        import_failure: turns the agent's import error (``type``, ``message``, ``lineno``
            or ``plain``) into the exception the plugin raises for it.

    Returns:
        A :class:`kata.remote.proxy.RemoteModule`.
    """
    from kata.remote import proxy

    config = request.config
    agents = config.stash.setdefault(AGENTS_KEY, {})
    if (tree, number) not in agents:
        fd = config.getoption("--remote-fd")
        if fd is not None:
            exchange = config.getoption("--remote-exchange")
            if not exchange:
                raise pytest.UsageError("--remote-fd needs --remote-exchange=DIR, the agent's exchange folder")
            agents[tree, number] = proxy.connect(fd, Path(exchange))
        else:
            factory = request.getfixturevalue("tmp_path_factory")
            exchange = factory.mktemp(f"kata-exchange-{number:02d}")
            if zygote := config.getoption("--remote-zygote"):
                from kata.remote.zygote import fork_agent

                agents[tree, number] = proxy.Connection(fork_agent(Path(zygote), tree, number, exchange), exchange)
            else:
                agents[tree, number] = proxy.start_agent(tree, number, exchange)
    connection = agents[tree, number]
    if connection.import_error is not None:
        raise import_failure(connection.import_error)
    connection.reset(seed)
    return proxy.RemoteModule(connection)


def close_all(config: pytest.Config) -> None:
    """Say goodbye to every agent of the session."""
    for connection in config.stash.get(AGENTS_KEY, {}).values():
        connection.close()
