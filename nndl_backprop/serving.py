"""How the Jupyter server passes the kernel's messages to the browser: at once.

A slider's key press makes the kernel send a handful of small messages (busy, the slider's
echo, the new picture, the readout, idle). The server writes each to the browser's WebSocket as
it arrives. By default the operating system holds a small write back while an earlier one is
still unacknowledged (Nagle's algorithm), and many receivers acknowledge late on purpose
(delayed ACK: about 40 ms on Linux, up to 200 ms on Windows); over a real network every held
message waits at least a round trip. Measured through a Jupyter server on this project's 2-core
machine with a Python WebSocket client (``benchmarks/bench_kernel_ws.py``), a demo's updates
took 20 / 51 ms (median / p95) with the server's own connection and 18 / 21 ms with this one
(the Hadamard demo; the BP1–BP4 heat maps: 47 / 61 and 31 / 38 ms); headless Chromium on the
same machine acknowledges at once and saw no difference (``benchmarks/bench_browser.py``).
Tornado, the server's web framework, leaves the choice to the application
(``WebSocketHandler.set_nodelay``) and Jupyter Server does not make it.

:class:`NoDelayConnection` makes it: it is Jupyter Server's own kernel connection with
``TCP_NODELAY`` set on the WebSocket, so each message leaves when the kernel sends it. It is
chosen by configuration, never by patching:

- JupyterLab / Jupyter Server: ``--ServerApp.kernel_websocket_connection_class=
  nndl_backprop.serving.NoDelayConnection`` (``make lab`` passes it; Binder's ``postBuild``
  writes it to the server's configuration);
- Voila: ``"Voila": {"kernel_websocket_connection_class": ...}`` in ``demos/voila.json``.

Only this module imports Jupyter Server; the rest of the package does not need it.
"""

from __future__ import annotations

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

CONNECTION_CLASS = f"{__name__}.NoDelayConnection"  # the name the configuration gives


class NoDelayConnection(ZMQChannelsWebsocketConnection):
    """Jupyter Server's kernel WebSocket connection, with ``TCP_NODELAY`` on its socket."""

    async def connect(self):
        """Connect to the kernel as Jupyter Server does, once the WebSocket is open (the
        server calls this from the handler's ``open``, so the socket exists)."""
        self.websocket_handler.set_nodelay(True)
        await super().connect()
