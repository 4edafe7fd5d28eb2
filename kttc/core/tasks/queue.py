"""The Celery app, the task registry, :func:`enqueue` and the retry policy (see the package)."""

from __future__ import annotations

import functools
import importlib
import logging
import smtplib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from celery import (  # type: ignore[import-untyped]  # Celery ships no type information
    Celery,
    Signature,
    Task,
    signals,
)
from celery.schedules import crontab  # type: ignore[import-untyped]  # (likewise)
from django.conf import settings
from django.db import transaction
from django.db.utils import InterfaceError, OperationalError
from kombu import pools

logger = logging.getLogger("kttc.tasks")

#: Short work (e-mails, a sweep's part) and long work (imports, statistics), in two queues so
#: that a million-row import never holds up a notice's e-mail.
DEFAULT_QUEUE = "kttc"
LONG_QUEUE = "kttc.long"
QUEUES = (DEFAULT_QUEUE, LONG_QUEUE)

#: Retry policy: at most this many retries, the first after BACKOFF seconds, each next one twice
#: as late, never later than BACKOFF_MAX.
MAX_RETRIES = 5
BACKOFF = 2
BACKOFF_MAX = 600


class Transient(Exception):
    """Raised by a task whose work should be tried again later (a mail server that refused)."""


#: Errors worth trying again: the database or the mail server gone for a moment.
TRANSIENT: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    smtplib.SMTPException,
    ConnectionError,
    TimeoutError,
    Transient,
)

app = Celery("kttc")
# The kombu "memory" transport until configure() names the broker: nothing is sent there, as
# enqueue() runs the task in-process without a broker.
app.conf.broker_url = "memory://"
#: Each task's queue, filled in by task(); read wherever a task is sent.
ROUTES: dict[str, dict[str, str]] = {}
app.conf.task_routes = ROUTES
app.conf.task_default_queue = DEFAULT_QUEUE

F = TypeVar("F", bound=Callable[..., Any])


def broker_configured() -> bool:
    return bool(getattr(settings, "KTTC_BROKER_URL", ""))


def configure() -> Celery:
    """Configure the app from Django's settings (the broker, the queues, the daily sweep)."""
    var_dir = Path(getattr(settings, "VAR_DIR", "var"))
    app.conf.update(
        broker_url=settings.KTTC_BROKER_URL or "memory://",
        broker_connection_retry_on_startup=True,
        # A message is acknowledged once its task has run: a worker that dies meanwhile leaves
        # it to another (hence tasks that may run twice). An import may take long: redelivery
        # waits for the visibility timeout, and the job's claim keeps it from running twice.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        broker_transport_options={"visibility_timeout": 2 * 3600},
        worker_prefetch_multiplier=1,
        task_default_queue=DEFAULT_QUEUE,
        task_routes=ROUTES,
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        timezone="Asia/Shanghai",
        enable_utc=True,
        beat_schedule={
            "daily-sweep": {
                "task": "kttc.sweep",
                "schedule": crontab(hour=1, minute=0),  # 01:00 Asia/Shanghai
            }
        },
        beat_schedule_filename=str(var_dir / "beat-schedule"),
    )
    return app


def task(
    name: str,
    *,
    queue: str = DEFAULT_QUEUE,
    retry_on: tuple[type[BaseException], ...] = TRANSIENT,
    max_retries: int = MAX_RETRIES,
    backoff: int = BACKOFF,
) -> Callable[[F], Task]:
    """Register ``fn`` as the task ``name``: retried on ``retry_on`` with exponential backoff,
    at most ``max_retries`` times."""

    def register(fn: F) -> Task:
        ROUTES[name] = {"queue": queue}
        registered: Task = app.task(
            name=name,
            autoretry_for=retry_on,
            retry_backoff=backoff,
            retry_backoff_max=BACKOFF_MAX,
            retry_jitter=False,
            max_retries=max_retries,
            acks_late=True,
        )(fn)
        return registered

    return register


def enqueue(job: Task, *args: Any, **kwargs: Any) -> None:
    """Have ``job`` run once the current transaction commits (at once outside one): on a worker
    with a broker, else in this process. Never raises: the work that asked for it is committed."""
    enqueue_chain(job.si(*args, **kwargs))


def enqueue_chain(*steps: Signature) -> None:
    """Have the tasks run one after the other (each with its own retries), after the commit."""
    transaction.on_commit(functools.partial(_dispatch, steps), robust=True)


def _dispatch(steps: tuple[Signature, ...]) -> None:
    from kttc.core.observability import metrics

    url = getattr(settings, "KTTC_BROKER_URL", "")
    if url:
        try:
            connection = app.connection_for_write(url)
            with pools.producers[connection].acquire(block=True, timeout=10) as producer:
                _linked(steps).apply_async(producer=producer)
            return
        except Exception:
            # The broker is down: do the work here rather than lose it.
            names = ", ".join(step.task for step in steps)
            logger.exception("task %s not queued (broker unreachable); run in-process", names)
    for step in steps:
        try:
            step()
        except Exception:
            metrics.observe_task(step.task, "failed")
            logger.exception("task %s failed in-process", step.task)
            return
        metrics.observe_task(step.task, "succeeded")


def _linked(steps: tuple[Signature, ...]) -> Signature:
    """The first step, each next one linked to run when the one before succeeds (a chain sent
    as one message, through the given producer)."""
    head = steps[-1]
    for step in reversed(steps[:-1]):
        head = step.clone().set(link=[head])
    return head


def queue_depths(timeout: float = 2.0) -> dict[str, int]:
    """Messages waiting in each queue of the Redis broker (LLEN); empty without a broker."""
    url = getattr(settings, "KTTC_BROKER_URL", "")
    if not url.startswith(("redis://", "rediss://")):
        return {}
    import redis

    client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
    try:
        with client.pipeline(transaction=False) as pipe:
            for queue in QUEUES:
                # kombu keeps priorities 3, 6 and 9 in keys of their own beside the queue's.
                for key in (queue, *(f"{queue}\x06\x16{p}" for p in (3, 6, 9))):
                    pipe.llen(key)
            lengths = pipe.execute()
    finally:
        client.close()
    return {queue: sum(lengths[i * 4 : i * 4 + 4]) for i, queue in enumerate(QUEUES)}


#: The core's own modules with tasks; the parts' are ``kttc/<part>/tasks.py``.
CORE_TASKS = ("kttc.core.tasks.builtin", "kttc.core.notifications.tasks")


def load_tasks() -> list[str]:
    """Import every module that registers tasks (a worker runs only the tasks it knows)."""
    from kttc.core.parts import part_modules

    for name in CORE_TASKS:
        importlib.import_module(name)
    return [*CORE_TASKS, *(module.__name__ for _, module in part_modules("tasks"))]


# --- what a worker logs and counts -----------------------------------------------------------


@signals.task_success.connect
def _succeeded(sender: Task | None = None, **_: Any) -> None:
    from kttc.core.observability import metrics

    metrics.observe_task(getattr(sender, "name", "?"), "succeeded")


@signals.task_retry.connect
def _retried(sender: Task | None = None, reason: Any = None, request: Any = None, **_: Any) -> None:
    from kttc.core.observability import metrics

    name = getattr(sender, "name", "?")
    retries = getattr(request, "retries", 0) if request is not None else 0
    logger.warning("task %s retried (attempt %s): %s", name, retries + 1, reason)
    metrics.observe_task(name, "retried")


@signals.task_failure.connect
def _failed(sender: Task | None = None, exception: BaseException | None = None, **_: Any) -> None:
    from kttc.core.observability import metrics

    name = getattr(sender, "name", "?")
    logger.error("task %s failed: %r", name, exception)
    metrics.observe_task(name, "failed")
