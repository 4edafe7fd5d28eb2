"""A throwaway ``redis-server`` for the tests and benchmarks that need a real broker or cache.

It listens on a free loopback port and keeps nothing on disk (``--save ''``, ``--appendonly
no``); :meth:`RedisServer.start` returns once it answers PING, and leaving the ``with`` block (or
:meth:`RedisServer.stop`) stops it. A test calls :func:`require_redis_server` first: skipped, with
the reason printed, where redis-server is missing, but failed under CI (``CI=true``), where
``.ci/run`` installs it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType

MISSING = "No redis-server on this machine: `apt-get install redis-server` (.ci/run does)."


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def require_redis_server() -> None:
    """Skip the test (with the reason) where redis-server is missing; fail it under CI."""
    import pytest

    if shutil.which("redis-server") is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(MISSING + " CI installs it, so it must be there.")
        pytest.skip(MISSING)


class RedisServer:
    """One redis-server process: ``with RedisServer() as redis: … redis.url …``."""

    def __init__(self, *, password: str = "", log: Path | None = None) -> None:
        self.port = free_port()
        self.password = password
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        auth = f":{self.password}@" if self.password else ""
        return f"redis://{auth}127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 20) -> RedisServer:
        """Start it and wait until it answers PING; raises RuntimeError if it does not."""
        server = shutil.which("redis-server")
        if server is None:
            raise RuntimeError(MISSING)
        args = [server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no"]  # fmt: skip
        if self.password:
            args += ["--requirepass", self.password]
        out = self.log.open("ab") if self.log else None
        try:
            self.process = subprocess.Popen(  # noqa: S603 (redis-server, found on the PATH)
                args,
                stdout=out or subprocess.DEVNULL,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            if out is not None:
                out.close()  # the server has its own copy
        limit = time.monotonic() + timeout
        while not self._answers():
            if self.process.poll() is not None or time.monotonic() > limit:
                self.stop()
                raise RuntimeError(f"redis-server on port {self.port} did not start")
            time.sleep(0.05)
        return self

    def _answers(self) -> bool:
        """Whether it answers PING (without the password, "NOAUTH" is an answer too)."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as connection:
                connection.sendall(b"PING\r\n")
                reply = connection.recv(64)
        except OSError:
            return False
        return reply.startswith((b"+PONG", b"-NOAUTH"))

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()
