"""Logs: one JSON object per line in production, human-readable lines in development.

``logging_config`` builds the ``LOGGING`` setting; it imports nothing of Django, so the settings
can call it. Each record carries the request id of the request being served (a context variable
set by the middleware), so every line a request causes can be found by that id.
"""

from __future__ import annotations

import contextvars
import logging
from typing import Any

#: The request id of the request this thread or task is serving ("" outside a request).
request_id: contextvars.ContextVar[str] = contextvars.ContextVar("kttc_request_id", default="")

#: The logger of the one line per request (view name, status, duration, user id).
REQUEST_LOGGER = "kttc.request"

JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record (the request's id, or "" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = request_id.get()
        return True


def logging_config(fmt: str, level: str) -> dict[str, Any]:
    """The ``LOGGING`` setting: ``fmt`` is "json" (one object per line on stderr: time, level,
    logger, message, request_id and the request's fields) or "text" (as before: the message only,
    for development); ``level`` is the root level. In json, the per-request line is at INFO."""
    if fmt not in ("json", "text"):
        raise ValueError(f"KTTC_LOG_FORMAT must be json or text; it is {fmt!r}.")
    handler: dict[str, Any] = {
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stderr",
        "filters": ["request_id"],
    }
    config: dict[str, Any] = {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "kttc.core.observability.logs.RequestIdFilter"}},
        "handlers": {"console": handler},
        "root": {"handlers": ["console"], "level": level},
    }
    if fmt == "json":
        config["formatters"] = {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": JSON_FIELDS,
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
                "datefmt": "%Y-%m-%dT%H:%M:%S%z",
            }
        }
        handler["formatter"] = "json"
        config["loggers"] = {REQUEST_LOGGER: {"level": "INFO"}}
    return config
