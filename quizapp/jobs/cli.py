"""``flask --app quizapp jobs worker``: the job worker as a process of its own (production)."""

from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import AppGroup

from . import POLL_SECONDS, queue, recover

jobs_cli = AppGroup("jobs", help="Run the background jobs (imports).")


@jobs_cli.command("worker")
@click.option("--workers", "-w", type=click.IntRange(1, 64), default=1, show_default=True)
@click.option(
    "--processes",
    is_flag=True,
    help="Run each worker in a process of its own (reading is CPU-bound; threads share one "
    "CPU) instead of a thread.",
)
def worker_command(workers: int, processes: bool) -> None:
    """Take jobs from the queue (JOBS_URL) and run them until stopped (Ctrl-C, SIGTERM).

    Jobs a stopped worker left running are failed first, so their teachers can try again.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    failed = recover(app)
    if failed:
        click.echo(f"Failed {failed} job(s) a stopped worker had left running.", err=True)
    consumer = queue(app).huey.create_consumer(
        workers=workers,
        worker_type="process" if processes else "thread",
        periodic=False,
        max_delay=POLL_SECONDS,
    )
    consumer.run()
