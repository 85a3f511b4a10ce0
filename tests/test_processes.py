"""crampwise.processes: pools whose workers die with their parent, whatever kills it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crampwise.processes import process_pool, worker_pool
from tests.cli.test_import_kill import alive, descendants

pytestmark = pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="reads /proc (Linux)")

SCRIPT = """
import time
from pathlib import Path
from crampwise.processes import process_pool
with process_pool(2) as pool:
    print("ready", flush=True)
    pool.map(time.sleep, [60, 60])
"""


def test_a_process_pool_dies_with_a_killed_parent() -> None:
    parent = subprocess.Popen([sys.executable, "-c", SCRIPT], stdout=subprocess.PIPE)
    try:
        assert parent.stdout is not None and parent.stdout.readline().strip() == b"ready"
        deadline = time.monotonic() + 30
        while len(workers := descendants(parent.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(workers) >= 2
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 5
        while alive(workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert alive(workers) == []
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()


def test_pools_run_work_and_an_exception_ends_their_workers() -> None:
    with process_pool(2) as pool:
        assert pool.map(abs, [-1, -2, 3]) == [1, 2, 3]
    with pytest.raises(KeyboardInterrupt), worker_pool(2) as executor:
        assert executor.submit(abs, -4).result() == 4
        ours = descendants(os.getpid())
        workers = {pid: ours[pid] for pid in executor._processes}  # the executor's own pids
        assert workers
        raise KeyboardInterrupt
    assert alive(workers) == []  # terminated on the way out, not left to finish queued work


INTERRUPTED_WHILE_SENDING = """
import time
from pathlib import Path
from crampwise.processes import worker_pool

def main() -> None:
    try:
        with worker_pool(2) as pool:
            futures = [pool.submit(bytes, 16_000_000) for _ in range(200)]
            time.sleep(0.5)
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        print("interrupted", flush=True)

if __name__ == "__main__":
    main()
"""


def test_interrupting_workers_busy_sending_results_does_not_hang_the_exit(tmp_path: Path) -> None:
    # workers stopped halfway through a 16 MB result left the executor's thread waiting for
    # the rest forever, and the interpreter's exit with it (seen on a 2,000-file import)
    script = tmp_path / "interrupt.py"
    script.write_text(INTERRUPTED_WHILE_SENDING)
    done = subprocess.run([sys.executable, str(script)], capture_output=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == b"interrupted"
