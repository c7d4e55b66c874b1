"""Slider updates through a Jupyter server's kernel WebSocket, without a browser.

Starts a Jupyter server on 127.0.0.1 twice, once with its own kernel WebSocket connection and
once with ``nndl_backprop.serving.NoDelayConnection`` (TCP_NODELAY on the WebSocket), runs a
demo page's code in a kernel through the WebSocket, tells each figure's canvas that its view is
up (as ipympl's page does), then moves every slider one step at a time, as the page would
send it, and times each update from the message sent until its last message (the new
picture, the readout) arrives. The client is Python (tornado's WebSocket client), whose
system acknowledges TCP segments the usual delayed way; compare with ``bench_browser.py``,
where Chromium is the client. Prints median and p95 per server; asserts nothing.

Run: ``.venv/bin/python benchmarks/bench_kernel_ws.py [--demo 02a_hadamard] [--presses 6]``
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))
from conftest import Server, _free_port, clean_jupyter_env  # noqa: E402

NODELAY = "nndl_backprop.serving.NoDelayConnection"
SLIDERS = ("IntSliderModel", "FloatSliderModel")


def page_code(stem: str) -> str:
    """The demo page's code, with ipympl's widget figures."""
    notebook = json.loads((REPO / "demos" / f"{stem}.ipynb").read_text())
    code = "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code")
    return "%matplotlib widget\n" + code


def start_server(root: Path, connection: str | None) -> Server:
    port, token = _free_port(), secrets.token_hex(16)
    cmd = [
        sys.executable, "-m", "jupyter_server", "--no-browser", "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={REPO / 'demos'}",
        "--ServerApp.allow_root=True",
    ]  # fmt: skip
    if connection:
        cmd.append(f"--ServerApp.kernel_websocket_connection_class={connection}")
    log = root / f"server-{'nodelay' if connection else 'default'}.log"
    server = Server("Jupyter Server", cmd, port, token, clean_jupyter_env(root), REPO, log)
    server.wait_ready("api/status")
    return server


def decode(raw) -> dict:
    """A kernel message from the WebSocket: JSON text, or Jupyter's binary framing (a count of
    offsets, the offsets, then the message's JSON and its buffers)."""
    if isinstance(raw, str):
        return json.loads(raw)
    count = int.from_bytes(raw[:4], "big")
    offsets = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(count)]
    end = offsets[1] if count > 1 else len(raw)
    return json.loads(raw[offsets[0] : end])


async def updates(server: Server, stem: str, presses: int) -> list[float]:
    """ms from each slider message sent until the update's last message arrived."""
    from tornado.httpclient import AsyncHTTPClient, HTTPRequest
    from tornado.websocket import websocket_connect

    client = AsyncHTTPClient()
    reply = await client.fetch(HTTPRequest(server.url("api/kernels"), method="POST", body="{}"))
    kernel = json.loads(reply.body)["id"]
    session = uuid.uuid4().hex
    ws = await websocket_connect(
        server.url(f"api/kernels/{kernel}/channels").replace("http", "ws", 1)
        + f"&session_id={session}"
    )

    async def send(msg_type: str, content: dict) -> str:
        msg_id = uuid.uuid4().hex
        header = {
            "msg_id": msg_id, "msg_type": msg_type, "session": session, "username": "",
            "date": "", "version": "5.3",
        }  # fmt: skip
        await ws.write_message(
            json.dumps(
                {
                    "header": header,
                    "parent_header": {},
                    "metadata": {},
                    "content": content,
                    "channel": "shell",
                    "buffers": [],
                }  # fmt: skip
            )
        )
        return msg_id

    async def until_idle(msg_id: str) -> list[tuple[float, dict]]:
        got = []
        while True:
            msg = decode(await ws.read_message())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            got.append((time.perf_counter(), msg))
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return got

    code = {"code": page_code(stem), "silent": False, "store_history": False,
            "user_expressions": {}, "allow_stdin": False}  # fmt: skip
    opened = await until_idle(await send("execute_request", code))
    models = {
        m["content"]["comm_id"]: m["content"]["data"]["state"]
        for _, m in opened
        if m["msg_type"] == "comm_open"
    }
    for comm, state in models.items():
        if state.get("_model_name") == "MPLCanvasModel":  # what ipympl's view says when up
            for kind in ("initialized", "send_image_mode", "refresh", "draw"):
                data = {"method": "custom", "content": {"type": kind}}
                await until_idle(await send("comm_msg", {"comm_id": comm, "data": data}))
    await asyncio.sleep(1)
    times = []
    for comm, state in models.items():
        if state.get("_model_name") not in SLIDERS or state.get("disabled"):
            continue
        value, step = state["value"], state.get("step") or 1
        for _ in range(presses):
            value = value + step if value + step <= state["max"] else value - step
            data = {"method": "update", "state": {"value": value}, "buffer_paths": []}
            start = time.perf_counter()
            got = await until_idle(await send("comm_msg", {"comm_id": comm, "data": data}))
            times.append(1000 * (max(t for t, m in got if m["msg_type"] == "comm_msg") - start))
            await asyncio.sleep(0.15)
    ws.close()
    await client.fetch(HTTPRequest(server.url(f"api/kernels/{kernel}"), method="DELETE"))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", default="02a_hadamard", help="a page of demos/ (its stem)")
    parser.add_argument("--presses", type=int, default=6, help="updates per slider")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-kernel-ws-"))
    print(f"load average {os.getloadavg()[0]:.1f}; demo {args.demo}; ms from the slider's "
          "message until the update's last message (median / p95)")  # fmt: skip
    for label, connection in (("Jupyter Server's connection", None), (NODELAY, NODELAY)):
        server = start_server(root, connection)
        try:
            times = asyncio.run(updates(server, args.demo, args.presses))
        finally:
            server.stop()
        ordered = sorted(times)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        print(
            f"  {label:<42} {len(times):>3} updates  {statistics.median(times):5.1f} / {p95:5.1f}"
        )


if __name__ == "__main__":
    main()
