"""The background worker ``vawg serve`` runs in a thread, so imports from the page just work.

It is django-tasks-db's own worker (the loop behind ``vawg manage db_worker``), started in a
daemon thread: it claims queued tasks from the database one at a time and runs them. In
production run ``vawg manage db_worker`` as its own service beside the web server instead
(``vawg serve --no-worker`` then leaves the work to it); several workers may run at once.

On SQLite the worker claims a task inside a short exclusive transaction; WAL (set in the
settings) lets the pages read meanwhile, and writers wait for the lock (busy timeout).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass
class BackgroundWorker:
    """A running worker thread; :meth:`stop` ends it after the current task."""

    thread: threading.Thread
    worker: object

    def stop(self, timeout: float | None = None) -> None:
        self.worker.running = False
        self.thread.join(timeout)


def start_worker_thread(*, interval: float = 1.0, backend: str = "default"):
    """Start the database task worker in a daemon thread; None if ``backend`` is not one.

    ``interval`` is how long the worker waits between looks at an empty queue.
    """
    from django.db import connections
    from django_tasks import task_backends
    from django_tasks.utils import get_random_id
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.management.commands.db_worker import Worker

    if not isinstance(task_backends[backend], DatabaseBackend):
        return None
    worker = Worker(
        queue_names=["*"],
        interval=interval,
        batch=False,
        backend_name=backend,
        startup_delay=False,
        max_tasks=None,
        worker_id=f"serve-{get_random_id()}"[:64],
    )

    def run() -> None:
        # No signal handlers: those belong to the main thread (waitress's Ctrl+C).
        try:
            while worker.running:
                try:
                    worker.run()
                except Exception:
                    # A database hiccup must not end background work until a restart.
                    logger.exception("background task worker failed; restarting in 5 s")
                    connections.close_all()
                    time.sleep(5)
        finally:
            connections.close_all()  # this thread's connections only

    thread = threading.Thread(target=run, name="vawg-task-worker", daemon=True)
    thread.start()
    logger.info("background task worker started (%s)", worker.worker_id)
    return BackgroundWorker(thread, worker)
