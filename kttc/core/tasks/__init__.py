"""Background work on a task queue (Celery, with Redis as its broker), or in-process without one.

A task is a plain function registered with :func:`task`; the code that wants it done calls
:func:`enqueue`, which defers it to the commit of the current transaction (nothing is sent for
work that was rolled back). With ``KTTC_BROKER_URL`` set the task goes to the broker and a worker
(``kttc worker``, on this machine or another) runs it; without one it runs at once in the same
process, as the platform always did, so ``make run`` and the tests need no Redis.

Every task may run twice (a worker that dies before it acknowledges a message gets it delivered
again): each claims its work with a conditional UPDATE, so a second run changes nothing. Transient
errors (the database gone for a moment, the mail server refusing) are retried with exponential
backoff a bounded number of times, each retry logged; after the last one the work waits for the
next sweep, which claims what is left the same way.

The core does not import the parts: a part registers its tasks in ``kttc/<part>/tasks.py``, found
by name (:func:`kttc.core.parts.part_modules`) when a worker starts.
"""

from kttc.core.tasks.queue import (
    BACKOFF,
    BACKOFF_MAX,
    DEFAULT_QUEUE,
    LONG_QUEUE,
    MAX_RETRIES,
    QUEUES,
    TRANSIENT,
    Transient,
    app,
    broker_configured,
    configure,
    enqueue,
    enqueue_chain,
    load_tasks,
    queue_depths,
    task,
)

__all__ = [
    "BACKOFF",
    "BACKOFF_MAX",
    "DEFAULT_QUEUE",
    "LONG_QUEUE",
    "MAX_RETRIES",
    "QUEUES",
    "TRANSIENT",
    "Transient",
    "app",
    "broker_configured",
    "configure",
    "enqueue",
    "enqueue_chain",
    "load_tasks",
    "queue_depths",
    "task",
]
