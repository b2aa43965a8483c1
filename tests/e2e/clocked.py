"""``python -m tests.e2e.clocked WHEN MODULE ARGS…``: run MODULE as ``python -m`` would, with the
clock moved to WHEN (Beijing time, ticking from there). The browser story's server and its
world loader run so under ``pytest --clock``: the app and the browser see the same date.

time-machine moves the clock inside the process, and gunicorn's forked workers inherit it; it
works where libfaketime's interposed sleep fails Python (time.sleep raises EINVAL under it).
"""
import runpy
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine


def moment(when: str) -> datetime:
    value = datetime.fromisoformat(when)
    return value if value.tzinfo else value.replace(tzinfo=ZoneInfo("Asia/Shanghai"))


if __name__ == "__main__":
    when, module, *arguments = sys.argv[1:]
    sys.argv = [module, *arguments]
    with time_machine.travel(moment(when), tick=True):
        runpy.run_module(module, run_name="__main__", alter_sys=True)
