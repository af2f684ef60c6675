"""Run every benchmark in bench/ and print its figures (`make bench`).

Each module bench/<name>.py defines ``run()``, which sets up what it needs (its own
database, created and dropped by the module) and prints its figures. Modules run in
name order; a failing module is reported and the others still run.

    .venv/bin/python bench/run.py [name ...]     # all, or only the named modules
"""

from __future__ import annotations

import importlib
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def modules(only: list[str]) -> list[str]:
    # Modules starting with "_" (bench/_support.py) are helpers, not benchmarks.
    names = sorted(
        p.stem
        for p in (ROOT / "bench").glob("*.py")
        if p.stem not in {"run", "__init__"} and not p.stem.startswith("_")
    )
    return [n for n in names if not only or n in only]


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    failed = []
    for name in modules(argv):
        print(f"== bench/{name}.py", flush=True)
        started = time.perf_counter()
        try:
            importlib.import_module(f"bench.{name}").run()
        except Exception:
            traceback.print_exc()
            failed.append(name)
        print(f"== bench/{name}.py took {time.perf_counter() - started:.0f} s\n", flush=True)
    if failed:
        print(f"Failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
