"""Child processes that end with their parent (issue #18), whatever killed the parent.

`crampwise serve --workers N` runs N web processes under uvicorn's supervisor. If the
supervisor is killed (SIGKILL, the OOM killer, a container stop), its children would live on,
still holding the listening socket. Each child calls `exit_with_parent(pid)` first: on Linux
the kernel sends it SIGTERM when its parent dies (`PR_SET_PDEATHSIG`); elsewhere a daemon
thread notices that the parent changed within `POLL_S` and does the same. SIGTERM lets the
child's server finish the requests it is answering, as for any stop.

Standard library only, so any layer may use it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time
from typing import Final

PR_SET_PDEATHSIG: Final = 1
POLL_S: Final = 1.0


def _set_parent_death_signal(sig: int) -> bool:
    """Ask Linux to send `sig` to this process when its parent exits; False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return int(libc.prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(POLL_S)
    os.kill(os.getpid(), signal.SIGTERM)


def exit_with_parent(parent_pid: int) -> None:
    """Get SIGTERM when the process `parent_pid` (this process's parent) is gone.

    If the parent already died before this call (this process was re-parented), SIGTERM
    comes at once.
    """
    if not _set_parent_death_signal(signal.SIGTERM):
        threading.Thread(target=_watch, args=(parent_pid,), name="parent-watch", daemon=True).start()
        return
    if os.getppid() != parent_pid:  # the parent died before the kernel was told to watch it
        os.kill(os.getpid(), signal.SIGTERM)
