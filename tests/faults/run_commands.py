"""Run crampwise commands in one process and print how each ended, as JSON.

The hostile-disk tests run every command that touches the store against a damaged, locked,
read-only or full store; a read-only or full file system exists only inside a user namespace
the test starts (`unshare`), so the commands run in a process of their own there, one start-up
for all of them. An exception escaping `run_app` (what would be a traceback) is reported.

Usage: python -m tests.faults.run_commands COMMANDS.json (a list of argv lists); prints a list
of {"argv", "code", "stderr", "exception"}.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import traceback


def main() -> None:
    from crampwise.cli.app import run_app

    results = []
    with open(sys.argv[1], encoding="utf-8") as listing:
        argv_list = json.load(listing)
    for argv in argv_list:
        err, out = io.StringIO(), io.StringIO()
        code, exception = None, None
        try:
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
                code = run_app(argv)
        except BaseException:
            exception = traceback.format_exc()
        results.append({"argv": argv, "code": code, "stderr": err.getvalue(), "exception": exception})
    print(json.dumps(results))


if __name__ == "__main__":
    main()
