"""Outputs written side by side: a large report's Excel annex in a copy of this process (``fork``) while this one
writes the Word report, on a machine with two cores and more.

Only where it is safe and pays: on Linux (Windows has no ``fork`` and a new interpreter would cost more than it
saves; macOS has it, but its system libraries are not safe in a forked copy, which is why Python spawns there), no
other thread runs (a copy of a threaded process can wait forever on a lock another thread held: the
command stops its progress bar first), and the report is large (``BESIDE_FROM_UNITS``). Otherwise the job runs here,
when waited for. The copy touches nothing this process shares: it writes its file (atomically, as always) and ends
with its exit status, without flushing any stream. If it fails or is killed, the job is done again here, so what the
officer sees (the file, or its error) is what writing it here gives.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable

BESIDE_FROM_UNITS = 300  # below this many units, an output is written in a few tenths of a second: not worth a copy


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def worth_a_copy(units: int) -> bool:
    """Whether a job for a report of ``units`` units is run in a copy of this process."""
    return (
        units >= BESIDE_FROM_UNITS
        and sys.platform.startswith("linux")
        and cores() > 1
        and threading.active_count() == 1
    )


class Started:
    """A job started in a copy of this process (``pid``), or to be run here when waited for (``pid`` None)."""

    def __init__(self, job: Callable[[], object], pid: int | None) -> None:
        self.job, self.pid = job, pid

    def wait(self) -> None:
        """The job done: the copy's work waited for, or the job run here (also when the copy did not finish it)."""
        if self.pid is not None:
            _, status = os.waitpid(self.pid, 0)
            self.pid = None
            if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
                return
        self.job()

    def drop(self) -> None:
        """The command failed elsewhere: the copy waited for (never left behind), the job not done here."""
        if self.pid is not None:
            try:
                os.waitpid(self.pid, 0)
            except ChildProcessError:
                pass
            self.pid = None


def started(job: Callable[[], object], beside: bool) -> Started:
    """``job`` started in a copy of this process when ``beside`` (else run here when waited for)."""
    if not beside:
        return Started(job, None)
    try:
        pid = os.fork()
    except OSError:  # no memory or processes left for a copy: here, when waited for
        return Started(job, None)
    if pid == 0:  # the copy
        code = 1
        try:
            job()
            code = 0
        finally:
            os._exit(code)
    return Started(job, pid)
