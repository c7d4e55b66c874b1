"""The kernel's messages leave the Jupyter server at once (nndl_backprop/serving.py): the
connection class sets TCP_NODELAY on the WebSocket, and every way of starting a server this
project ships names it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

pytest.importorskip("jupyter_server")

from jupyter_server.services.kernels.connection.channels import (  # noqa: E402
    ZMQChannelsWebsocketConnection,
)
from traitlets.utils.importstring import import_item  # noqa: E402

from nndl_backprop.serving import CONNECTION_CLASS, NoDelayConnection  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


class Handler:
    """What the connection asks of its WebSocket handler here: the no-delay flag."""

    def __init__(self, calls):
        self.calls = calls

    def set_nodelay(self, value):
        self.calls.append(("set_nodelay", value))


def test_the_connection_sets_nodelay_before_connecting_as_jupyter_server_does(monkeypatch):
    calls = []

    async def connect(self):
        calls.append(("connect", None))

    monkeypatch.setattr(ZMQChannelsWebsocketConnection, "connect", connect)
    connection = NoDelayConnection.__new__(NoDelayConnection)  # no kernel behind it
    monkeypatch.setattr(
        NoDelayConnection, "websocket_handler", property(lambda self: Handler(calls))
    )
    # Run the coroutine by hand: nothing in it waits, and asyncio.run would refuse to start
    # after the browser tests (Playwright's sync API leaves an event loop in this thread).
    coroutine = connection.connect()
    with pytest.raises(StopIteration):
        coroutine.send(None)
    assert calls == [("set_nodelay", True), ("connect", None)]


def test_the_configured_name_imports_the_class():
    assert import_item(CONNECTION_CLASS) is NoDelayConnection
    assert issubclass(NoDelayConnection, ZMQChannelsWebsocketConnection)


def test_every_server_this_project_starts_is_given_the_class():
    makefile = (REPO / "Makefile").read_text()
    lab = re.search(r"^lab:.*\n\t(.*)$", makefile, re.MULTILINE).group(1)
    assert "$(NODELAY)" in lab
    assert f"--ServerApp.kernel_websocket_connection_class={CONNECTION_CLASS}" in makefile
    voila = json.loads((REPO / "demos" / "voila.json").read_text())
    assert voila["Voila"]["kernel_websocket_connection_class"] == CONNECTION_CLASS
    assert CONNECTION_CLASS in (REPO / "binder" / "postBuild").read_text()
    assert CONNECTION_CLASS in (REPO / "tests" / "browser" / "conftest.py").read_text()
