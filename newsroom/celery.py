"""The job queue: a Celery app configured from Django's settings (the ``CELERY_*`` names in settings.py).

Work that need not hold up a request (picture renditions, search documents, large imports, exports)
is a task in its app's ``tasks.py``, found by ``autodiscover_tasks``, and is queued with ``enqueue``.
Tasks are idempotent (running one twice does no harm: a redelivered or retried job finds its work
done) and take ``RETRYING``: a failure is tried again with growing pauses, and the message is
acknowledged only once the task has finished, so a worker lost mid-job leaves it for another.

When tasks run eagerly (``CELERY_TASK_ALWAYS_EAGER``: no broker configured, as with ``make run``
without Redis, and in unit tests) a queued job runs at once, in the process and transaction that
asked for it, and its failure is the caller's failure.
"""

import os
from functools import partial

from celery import Celery
from django.conf import settings
from django.db import transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

app = Celery("newsroom")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Options of every task that changes data: retried on any error, up to NEWSROOM_JOB_MAX_RETRIES times
# with pauses of about 1, 2, 4 ... seconds (at most ten minutes), acknowledged only when done.
RETRYING = {
    "autoretry_for": (Exception,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": settings.NEWSROOM_JOB_MAX_RETRIES,
    "acks_late": True,
    "reject_on_worker_lost": True,
}


def runs_eagerly() -> bool:
    """Whether queued jobs run at once in this process (no broker, or unit tests)."""
    return bool(app.conf.task_always_eager)


def enqueue(task, *args) -> None:
    """Have the worker run ``task(*args)`` once the current transaction commits (never if it rolls back).

    Run eagerly, the task runs now, inside the caller's transaction, and an error it ends with is raised
    here. Arguments must be JSON values (ids, not objects): the worker reads the rows itself.
    """
    if runs_eagerly():
        task.apply(args=args).get()  # retried like in a worker; the last error is raised here
    else:
        # robust: a broker that cannot be reached must not turn a committed change into an error page;
        # the job's own sweep (if it has one, see CELERY_BEAT_SCHEDULE) catches up later.
        transaction.on_commit(partial(task.apply_async, args=args), robust=True)
