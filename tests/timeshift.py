"""Run a Python program at the suite's instant: `python -m tests.timeshift -m celery ...`
or `python -m tests.timeshift manage.py migrate`.

Worker and beat processes that tests start keep the machine's clock unless told
otherwise; when the suite runs at a chosen instant (SUITE_NOW), the test process
passes its own current (moved) time as SUITE_CHILD_NOW and this wrapper starts the
child's clock there, ticking, before handing over to the real entry point.
"""

from __future__ import annotations

import os
import runpy
import sys
from datetime import datetime

import time_machine


def main() -> None:
    if len(sys.argv) < 2:
        raise SystemExit("usage: python -m tests.timeshift (-m MODULE | SCRIPT) [ARGS...]")
    moment = os.environ.get("SUITE_CHILD_NOW")
    if moment:
        time_machine.travel(datetime.fromisoformat(moment), tick=True).start()
    if sys.argv[1] == "-m":
        module = sys.argv[2]
        sys.argv = [module, *sys.argv[3:]]
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    else:
        sys.argv = sys.argv[1:]
        runpy.run_path(sys.argv[0], run_name="__main__")


if __name__ == "__main__":
    main()
