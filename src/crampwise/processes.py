"""Worker processes that die with the process that started them, whatever kills it.

Why this module exists (issue 18): a `ProcessPoolExecutor` worker forked the default way waits
on a pipe whose write end it inherited itself, so when its parent is killed (SIGKILL, the OOM
killer, a container stop, a crashed web or job worker) it never sees end-of-file and lives on,
holding 55-90 MB, until the machine restarts. Every place that starts processes (the wearable
import, the trigger validation benchmark, the server's background job worker) goes through
`worker_pool` or `process_pool` here, which:

- start workers with `forkserver` on Linux (`spawn` elsewhere): a worker inherits none of the
  parent's open files, sockets or database connections, only what it is sent;
- make each worker exit when its parent dies: `PR_SET_PDEATHSIG` (Linux, via `prctl`) kills it
  with SIGKILL the moment its direct parent (the fork server) goes, and a watchdog thread
  watching the starting process itself (a pidfd on Linux, else a poll every half second) ends
  it within a second even where `prctl` is missing;
- let the parent decide about Ctrl-C: workers ignore SIGINT (a terminal sends it to the whole
  process group), and a pool left by an exception (KeyboardInterrupt, SystemExit from SIGTERM)
  terminates its workers instead of waiting for their queued work.

`sigterm_exits()` turns SIGTERM into `SystemExit` in the main thread for the duration of a
command, so a stopped import unwinds like Ctrl-C: the file being written rolls back, the
workers are ended and the store keeps only whole files.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import select
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.context import BaseContext
from multiprocessing.pool import Pool
from typing import Any, Final

PR_SET_PDEATHSIG: Final = 1  # <linux/prctl.h>
WATCH_INTERVAL_S: Final = 0.5  # the poll fallback's period; a pidfd wakes at once
SIGTERM_EXIT_CODE: Final = 128 + signal.SIGTERM


def worker_context(preload: Sequence[str] = ()) -> BaseContext:
    """The start method for workers: `forkserver` on Linux, `spawn` elsewhere.

    `preload` names modules the fork server imports once, so each forked worker starts with
    them already loaded (the first call decides; later calls reuse the same server).
    """
    if sys.platform.startswith("linux"):
        context = multiprocessing.get_context("forkserver")
        if preload:
            context.set_forkserver_preload(list(preload))
        return context
    return multiprocessing.get_context("spawn")


def _die_with_parent() -> None:
    """Ask the kernel to SIGKILL this process when its parent exits (Linux; else a no-op)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no prctl: the watchdog alone keeps the promise
        return


def _parent_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, owned by someone else (cannot happen for our parent)
        return False
    return False


def _watch(pid: int) -> None:
    """Block until process `pid` has exited, then end this worker at once."""
    pidfd: int | None = None
    if hasattr(os, "pidfd_open"):
        try:
            pidfd = os.pidfd_open(pid)
        except ProcessLookupError:
            os._exit(1)
        except OSError:  # an old kernel: poll instead
            pidfd = None
    if pidfd is not None:
        while True:
            readable, _w, _x = select.select([pidfd], [], [])
            if readable:
                os._exit(1)
    while not _parent_gone(pid) and os.getppid() != 1:
        threading.Event().wait(WATCH_INTERVAL_S)
    os._exit(1)


def _worker_start(
    parent_pid: int, initializer: Callable[..., object] | None, initargs: tuple[Any, ...]
) -> None:
    """Runs first in every worker: tie its life to `parent_pid`, then the caller's initializer."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    if _parent_gone(parent_pid):  # the parent died before prctl took effect
        os._exit(1)
    threading.Thread(target=_watch, args=(parent_pid,), name="crampwise-parent-watch", daemon=True).start()
    if initializer is not None:
        initializer(*initargs)


def _terminate(processes: Sequence[Any]) -> None:
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(timeout=2)
            if process.is_alive():
                process.kill()


@contextlib.contextmanager
def worker_pool(
    workers: int,
    *,
    initializer: Callable[..., object] | None = None,
    initargs: tuple[Any, ...] = (),
    preload: Sequence[str] = (),
) -> Iterator[ProcessPoolExecutor]:
    """A `ProcessPoolExecutor` of `workers` processes that never outlive this process.

    Left normally, it waits for its work like the executor does; left by an exception
    (Ctrl-C, SIGTERM through `sigterm_exits`, an error in the caller) it cancels the queued
    work and terminates its workers instead of waiting for them.
    """
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=worker_context(preload),
        initializer=_worker_start,
        initargs=(os.getpid(), initializer, initargs),
    )
    try:
        yield pool
    except BaseException:
        # the executor keeps its processes in `_processes` (CPython 3.11-3.13; 3.14 adds
        # terminate_workers()): end them rather than let shutdown wait for queued work
        processes = list(getattr(pool, "_processes", {}).values())
        writer = getattr(getattr(pool, "_result_queue", None), "_writer", None)  # shutdown drops it
        pool.shutdown(wait=False, cancel_futures=True)
        _terminate(processes)
        # A worker ended while sending a result leaves half a message in the result pipe: the
        # executor's thread would wait forever for the rest (and the interpreter's exit with
        # it), because this process holds the pipe's write end too. Closing that end gives the
        # thread end-of-file: it marks the pool broken and ends.
        if writer is not None:
            with contextlib.suppress(OSError):
                writer.close()
        raise
    else:
        pool.shutdown(wait=True)


@contextlib.contextmanager
def process_pool(
    workers: int,
    *,
    initializer: Callable[..., object] | None = None,
    initargs: tuple[Any, ...] = (),
    preload: Sequence[str] = (),
) -> Iterator[Pool]:
    """A `multiprocessing.Pool` (for `imap`-style callers such as benchmarks) with the same
    guarantees as `worker_pool`: workers die with this process, and an exception ends them."""
    pool = worker_context(preload).Pool(
        processes=workers, initializer=_worker_start, initargs=(os.getpid(), initializer, initargs)
    )
    try:
        yield pool
    except BaseException:
        pool.terminate()
        raise
    else:
        pool.close()
    finally:
        pool.join()


class Terminated(SystemExit):
    """SIGTERM received: unwinds like Ctrl-C, then exits with 143 (128 + SIGTERM)."""

    def __init__(self) -> None:
        super().__init__(SIGTERM_EXIT_CODE)


@contextlib.contextmanager
def sigterm_exits() -> Iterator[None]:
    """Within this block, SIGTERM raises `Terminated` in the main thread (elsewhere: no-op).

    For commands only: a server installs its own handlers.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def _raise(_signum: int, _frame: object) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, _raise)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
