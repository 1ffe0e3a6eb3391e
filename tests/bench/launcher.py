"""A small process that runs the measured commands, so that each one's peak memory is its own.

Linux counts a child's peak memory from the moment it is forked, so a command forked straight
from the runner (which holds the generated repositories in memory) would report the runner's
size. This launcher is started first and stays small (only ``os``, ``sys``, ``json`` and
``time``); for each JSON request on stdin it forks, execs, waits with ``wait4`` and answers one
JSON line: wall seconds, CPU seconds (user and system, the children it waited for included),
peak memory (KiB), exit code and the tail of stderr.
"""

import json
import os
import sys
import tempfile
import time


def run(argv: list[str], cwd: str) -> dict[str, object]:
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        pid = os.fork()
        if pid == 0:  # the child: quiet stdout, stderr kept for the report
            try:
                os.chdir(cwd)
                null = os.open(os.devnull, os.O_WRONLY)
                os.dup2(null, 1)
                os.dup2(errors.fileno(), 2)
                os.execvp(argv[0], argv)
            finally:
                os._exit(127)
        _, status, usage = os.wait4(pid, 0)
        seconds = time.perf_counter() - start
        errors.seek(0)
        tail = errors.read()[-2000:].decode("utf-8", "replace")
    code = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime  # the command's and its waited children's
    return {
        "seconds": seconds,
        "cpu": cpu,
        "peak_kib": usage.ru_maxrss,
        "code": code,
        "stderr": tail,
    }


def main() -> None:
    for line in sys.stdin:
        request = json.loads(line)
        print(json.dumps(run(request["argv"], request["cwd"])), flush=True)


if __name__ == "__main__":
    main()
