"""A preloaded, single-threaded process that runs crampwise commands in forked children.

The kill-anywhere tests run each operation once per kill point, and again to finish the job:
hundreds of runs. A fresh `crampwise` process pays ~1.4 s of imports each time; a child forked
from this process, which imported everything once, starts in milliseconds and still runs the
real command line (`run_app`) in a process of its own that SIGKILL can end. It is a separate
process from pytest's (which has threads: forking those is unsafe), and starts no thread itself.

Protocol: one JSON object per line on stdin, `{"argv": [...], "env": {...}, "out": PATH}`; one
JSON line back per object, `{"status": N}` (the exit code, or minus the signal that ended it).
"""

from __future__ import annotations

import json
import os
import sys
import traceback


def _child(job: dict[str, object]) -> None:
    code = 99
    try:
        fd = os.open(str(job["out"]), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.close(fd)
        os.environ.update({str(k): str(v) for k, v in dict(job["env"]).items()})  # type: ignore[call-overload]
        from crampwise import faults
        from crampwise.cli.app import run_app

        faults.configure()
        code = run_app([str(a) for a in job["argv"]])  # type: ignore[attr-defined]
        faults.write_count()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def main() -> None:
    # Import what the commands need once, before any fork (no connection is opened here).
    import alembic.command  # noqa: F401

    import crampwise.cli.app
    import crampwise.services.backup
    import crampwise.services.bundles
    import crampwise.services.imports
    import crampwise.storage.migrate  # noqa: F401

    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        job = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _child(job)
        _, status = os.waitpid(pid, 0)
        print(json.dumps({"status": os.waitstatus_to_exitcode(status)}), flush=True)


if __name__ == "__main__":
    main()
