"""The Python floor for serving a segment: a raw ASGI app answering every GET with one file's
bytes (read once at start), under uvicorn with the options and logging `videoforge serve` uses
(so both write the same access log line per request).

    uv run python bench/bare_asgi.py --port 8001 --file path/to/segment.m4s
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import uvicorn
from starlette.types import ASGIApp, Receive, Scope, Send

from videoforge.config import Settings
from videoforge.logs import configure_logging


def segment_app(body: bytes, content_type: str = "video/iso.segment") -> ASGIApp:
    headers = [
        (b"content-type", content_type.encode()),
        (b"content-length", str(len(body)).encode()),
    ]

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                else:
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return app


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--file", type=Path, required=True)
    args = parser.parse_args(argv)
    configure_logging(Settings())
    # The options of videoforge.cli.serve.
    uvicorn.run(
        segment_app(args.file.read_bytes()),
        host="127.0.0.1",
        port=args.port,
        log_config=None,
        timeout_graceful_shutdown=10,
    )


if __name__ == "__main__":
    main()
