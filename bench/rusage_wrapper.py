#!/usr/bin/python3
"""Runs one command and records its exact peak RSS and CPU time, which /proc cannot give
for a process that exits by itself (its /proc entry loses the Vm* lines the moment it dies).

  rusage_wrapper.py REPORT.json COMMAND [ARG...]

The command inherits stdin/stdout/stderr. When it ends, REPORT.json gets
{"pid", "code", "maxRssKiB", "userSeconds", "systemSeconds"} from wait4(2), whose ru_maxrss
also covers any descendants the command waited for. SIGTERM/SIGINT are passed on to it, and
the wrapper exits with its status (128 + signal number if a signal ended it).
"""

import json
import os
import signal
import sys


def main():
    if len(sys.argv) < 3:
        raise SystemExit("usage: rusage_wrapper.py REPORT.json COMMAND [ARG...]")
    report, command = sys.argv[1], sys.argv[2:]
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(command[0], command)
        finally:
            os._exit(127)
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda number, _frame: os.kill(pid, number))
    _, status, usage = os.wait4(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    code = 128 - code if code < 0 else code
    with open(report, "w") as out:
        json.dump(
            {
                "pid": pid,
                "code": code,
                "maxRssKiB": usage.ru_maxrss,
                "userSeconds": usage.ru_utime,
                "systemSeconds": usage.ru_stime,
            },
            out,
        )
    sys.exit(code)


if __name__ == "__main__":
    main()
