"""Health probes, /metrics behind its token, request ids and the JSON request log."""

from __future__ import annotations

import io
import json
import logging.config
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from prometheus_client import REGISTRY, CollectorRegistry, multiprocess

from kttc.core.observability import health
from kttc.core.observability.logs import logging_config
from kttc.core.tasks.redis_server import RedisServer, require_redis_server
from kttc.core.tests.factories import UserFactory

TOKEN = "m" * 40
pytestmark = pytest.mark.django_db


def test_live_answers_without_the_database_host_check_or_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True  # production: a probe over plain http is not redirected
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/health/live", HTTP_HOST="10.0.0.7")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert len(queries) == 0
    assert len(response["X-Request-ID"]) == 32


def test_ready_checks_database_and_index_in_two_queries(client, django_assert_num_queries):
    with django_assert_num_queries(2):  # the database answers; the index's lag is counted
        response = client.get("/health/ready", HTTP_HOST="10.0.0.7")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "broker", "search"}
    assert body["checks"]["database"]["ok"] is True and "ms" in body["checks"]["database"]
    assert body["checks"]["search"]["ok"] is True and body["checks"]["search"]["lag"] == 0
    assert body["checks"]["broker"] == {"ok": True, "status": "not configured"}
    assert response["Cache-Control"] == "no-store"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_ready_fails_with_503_when_the_broker_is_down_and_names_no_secret(client, settings):
    settings.KTTC_BROKER_URL = f"redis://:s3cret-word@127.0.0.1:{_closed_port()}/0"
    response = client.get("/health/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True
    assert b"s3cret" not in response.content and b"127.0.0.1" not in response.content


def test_broker_ping_speaks_redis_auth_and_ping():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    received: list[bytes] = []

    def answer() -> None:
        conn, _ = server.accept()
        with conn:
            data = b""
            while data.count(b"\r\n") < 9:  # AUTH user pass (7 lines) + PING (2 lines)
                data += conn.recv(256)
            received.append(data)
            conn.sendall(b"+OK\r\n+PONG\r\n")

    thread = threading.Thread(target=answer)
    thread.start()
    port = server.getsockname()[1]
    health.ping_broker(f"redis://kttc:p%40ss@127.0.0.1:{port}/0", timeout=5)
    thread.join(5)
    server.close()
    assert received == [b"*3\r\n$4\r\nAUTH\r\n$4\r\nkttc\r\n$4\r\np@ss\r\n*1\r\n$4\r\nPING\r\n"]


def test_broker_ping_against_a_real_redis_with_a_password(client, settings):
    require_redis_server()
    with RedisServer(password="s3cret") as server:
        settings.KTTC_BROKER_URL = server.url
        assert client.get("/health/ready").json()["checks"]["broker"]["ok"] is True
        with pytest.raises(ConnectionError):
            health.ping_broker(f"redis://:wrong@127.0.0.1:{server.port}/0")


def test_metrics_are_a_plain_404_without_the_token(client, settings):
    unknown = client.get("/no-such-route")
    settings.KTTC_METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404
    settings.KTTC_METRICS_TOKEN = TOKEN
    for header in (
        {},
        {"HTTP_AUTHORIZATION": "Bearer " + "x" * 40},
        {"HTTP_AUTHORIZATION": TOKEN},
        {"HTTP_AUTHORIZATION": "Basic " + TOKEN},
    ):
        response = client.get("/metrics", **header)
        assert response.status_code == 404
        assert response["Content-Type"] == unknown["Content-Type"]
        assert b"kttc_" not in response.content


def test_metrics_count_requests_by_view_name_and_read_the_database(client, settings):
    settings.KTTC_METRICS_TOKEN = TOKEN
    labels = {"view": "health_live", "method": "GET", "status": "2xx"}
    before = REGISTRY.get_sample_value("kttc_http_requests_total", labels) or 0
    client.get("/health/live")
    client.get("/achievements/987654321/")  # a raw path never becomes a label
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert REGISTRY.get_sample_value("kttc_http_requests_total", labels) == before + 1
    text = response.content.decode()
    assert (
        'kttc_http_request_duration_seconds_bucket{le="0.005",method="GET",view="health_live"}'
        in text
    )
    # (a bare number could be part of a float such as the process's CPU seconds)
    assert "/achievements/987654321" not in text and 'view="/' not in text
    assert "kttc_notifications_unsent " in text and "kttc_audit_entries " in text


def test_the_sweep_counts_its_runs_and_each_parts_counts():
    before = REGISTRY.get_sample_value("kttc_sweep_runs_total", {"outcome": "ok"}) or 0
    call_command("sweep", "--no-mail", "--today", "2026-05-01", stdout=io.StringIO())
    assert REGISTRY.get_sample_value("kttc_sweep_runs_total", {"outcome": "ok"}) == before + 1
    removed = {"part": "jobs older than a week removed", "count": "removed"}
    assert REGISTRY.get_sample_value("kttc_sweep_items_total", removed) is not None


def test_several_processes_add_up_in_multiprocess_mode(tmp_path: Path):
    script = (
        "from kttc.core.observability import metrics\n"
        "metrics.observe_request('home', 'GET', 200, 0.01)\n"
    )
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    for _ in range(2):
        subprocess.run([sys.executable, "-c", script], env=env, check=True)
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=str(tmp_path))
    labels = {"view": "home", "method": "GET", "status": "2xx"}
    assert registry.get_sample_value("kttc_http_requests_total", labels) == 2


@pytest.fixture
def json_logs(settings):
    """The production logging set-up, its stderr handler writing to a buffer the test reads."""
    logging.config.dictConfig(logging_config("json", "WARNING"))
    [handler] = [h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler]
    stream = io.StringIO()
    handler.setStream(stream)  # type: ignore[attr-defined]
    yield stream
    logging.config.dictConfig(settings.LOGGING)


def _request_lines(err: str) -> list[dict[str, object]]:
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    return [line for line in lines if line["logger"] == "kttc.request"]


def test_a_request_logs_one_json_line_with_its_id_and_user_id(client, json_logs):
    user = UserFactory(email="someone@test.kttc.example")
    client.force_login(user)
    response = client.get("/office/", HTTP_X_REQUEST_ID="lb-0123456789abcdef")
    assert response["X-Request-ID"] == "lb-0123456789abcdef"
    err = json_logs.getvalue()
    [line] = _request_lines(err)
    assert {
        "time",
        "level",
        "logger",
        "message",
        "request_id",
        "view",
        "method",
        "status",
        "duration_ms",
        "user_id",
    } <= set(line)
    assert line["request_id"] == "lb-0123456789abcdef"
    assert line["user_id"] == user.pk
    assert line["view"] == "office:home" and line["status"] == response.status_code
    assert "someone@" not in err


def test_an_unsafe_incoming_request_id_is_replaced(client, json_logs):
    response = client.get("/health/live", HTTP_X_REQUEST_ID="x\r\nforged: 1" + "a" * 80)
    rid = response["X-Request-ID"]
    assert len(rid) == 32 and rid.isalnum()
    [line] = _request_lines(json_logs.getvalue())
    assert line["request_id"] == rid and line["user_id"] is None


def test_development_logs_stay_text():
    config = logging_config("text", "WARNING")
    assert "formatters" not in config and "loggers" not in config
    with pytest.raises(ValueError, match="KTTC_LOG_FORMAT"):
        logging_config("xml", "WARNING")


def test_production_settings_log_each_request_as_one_json_line_and_let_probes_through():
    """Under KTTC_ENV=production (https redirect on, one allowed host) a probe over plain http
    from an address is answered, and stderr has one JSON line for it."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "KTTC_LOG_FORMAT", "LOG_LEVEL")
    }
    env.update(
        KTTC_ENV="production",
        SECRET_KEY="p" * 25 + "q" * 25 + "r" * 10,
        ALLOWED_HOSTS="kttc.example",
        DATABASE_URL="sqlite:///var/deploy-check.sqlite3",
    )
    code = (
        "from django.test import Client; "
        "r = Client().get('/health/live', HTTP_HOST='10.0.0.7', HTTP_X_REQUEST_ID='probe-000001'); "
        "print(r.status_code, r['X-Request-ID'])"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["200", "probe-000001"]
    [line] = _request_lines(result.stderr)
    assert line["request_id"] == "probe-000001" and line["view"] == "health_live"
    assert line["level"] == "INFO" and line["status"] == 200
