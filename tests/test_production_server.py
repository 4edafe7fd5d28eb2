"""The production WSGI server (config/gunicorn.py, ``kttc web``): its settings load and it serves
the platform under the production settings, health probe and static files alike."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    try:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return int(s.getsockname()[1])
    except OSError as exc:  # pragma: no cover - a machine without loopback
        pytest.skip(f"cannot bind a loopback port: {exc}")


def _get(port: int, path: str, **headers: str) -> tuple[int, bytes, dict[str, str]]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", path, headers={"Host": "kttc.example", **headers})
        response = conn.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        conn.close()


def _production_env(tmp_path: Path, port: int) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "DATABASE_URL", "DATABASE_REPLICA_URL", "ALLOWED_HOSTS")
        and not k.startswith(("WEB_", "KTTC_WEB_", "KTTC_ACCESS", "PROMETHEUS_"))
    }
    env.update(
        KTTC_ENV="production",
        SECRET_KEY="p" * 25 + "q" * 25 + "r" * 10,
        ALLOWED_HOSTS="kttc.example",
        DATABASE_URL=f"sqlite:///{tmp_path / 'web.sqlite3'}",
        KTTC_VAR_DIR=str(tmp_path),
        KTTC_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
        KTTC_WEB_THREADS="2",
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"),
    )
    return env


def test_kttc_web_serves_the_health_probe_and_static_files_under_production_settings(tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    (static / "probe.txt").write_text("served by whitenoise\n")
    (tmp_path / "metrics").mkdir()
    (tmp_path / "metrics" / "counter_1.db").write_bytes(b"stale")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", "from kttc.cli import main; main()", "web"],
        cwd=ROOT,
        env=_production_env(tmp_path, port),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                status, body, headers = _get(port, "/health/live")
                break
            except OSError:
                time.sleep(0.2)
        if status is None:
            server.kill()
            output = server.communicate(timeout=10)[0].decode(errors="replace")
            if "Address already in use" in output:
                pytest.skip(f"gunicorn could not bind 127.0.0.1:{port}")
            pytest.fail(f"gunicorn did not answer:\n{output}")
        assert status == 200 and headers["Server"] == "gunicorn", body
        assert headers["X-Request-ID"]
        # Behind the proxy, which says the visitor came over https (no redirect then).
        status, body, headers = _get(port, "/static/probe.txt", **{"X-Forwarded-Proto": "https"})
        assert status == 200 and body == b"served by whitenoise\n"
        # The server emptied the metrics folder of a previous run when it started.
        assert not (tmp_path / "metrics" / "counter_1.db").exists()
    finally:
        if server.poll() is None:
            server.terminate()  # TERM: a graceful stop
            try:
                server.wait(timeout=40)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    assert server.returncode == 0


def test_gunicorn_settings_come_from_the_environment_and_refuse_nonsense(monkeypatch):
    import importlib

    import config.gunicorn as conf

    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("KTTC_WEB_THREADS", "2")
    monkeypatch.setenv("KTTC_BIND", "127.0.0.1:9001")
    monkeypatch.setenv("KTTC_ACCESS_LOG", "json")
    conf = importlib.reload(conf)
    assert (conf.workers, conf.threads, conf.bind) == (3, 2, "127.0.0.1:9001")
    assert conf.accesslog == "-" and conf.worker_class == "gthread"
    monkeypatch.setenv("WEB_CONCURRENCY", "many")
    with pytest.raises(SystemExit, match="WEB_CONCURRENCY"):
        importlib.reload(conf)
    monkeypatch.setenv("WEB_CONCURRENCY", "2")
    monkeypatch.setenv("KTTC_ACCESS_LOG", "yes")
    with pytest.raises(SystemExit, match="KTTC_ACCESS_LOG"):
        importlib.reload(conf)
    monkeypatch.delenv("KTTC_ACCESS_LOG")
    importlib.reload(conf)
