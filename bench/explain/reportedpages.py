#!/usr/bin/env python3
"""Why some of bench/compare's flood runs of ours cost the manager 2-3x the CPU: this machine is a
VM whose kernel reports freed memory to its host (free page reporting: `page_reporting_order` on
the kernel command line), about 2 s after it is freed. A page that was handed back is faulted in
again by the host on its next touch, and the next touches are our log file's new page-cache pages,
inside write() (perf: copy_folio_from_iter_atomic from 10 % to 60 % of the manager's samples).
PM2's daemon frees ~600 MB when it is killed, just before our next run.

Runs compare's flood 16 (ours) three ways, RUNS times: after another run of ours (nothing freed),
after a process freed 700 MB 3 s earlier (reported by then), and right after it freed them (not
reported yet). Prints the manager's CPU seconds of each.
Usage: bench/explain/reportedpages.py [RUNS] [BUILD_DIR]   (3, build-rel)"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(HERE, '..', 'compare.d'))
import flood  # noqa: E402

runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
build = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, '..', '..', 'build-rel')


class Context:
    timeout = 120
    manager = os.path.join(build, 'bin', 'shard-manager')
    floodchild = os.path.join(build, 'bin', 'floodchild')


if not os.access(Context.floodchild, os.X_OK):
    sys.exit(f'no {Context.floodchild}: run bench/compare --quick first')
try:
    with open('/sys/module/page_reporting/parameters/page_reporting_order') as f:
        print(f'free page reporting: on, order {f.read().strip()}')
except OSError:
    print('free page reporting: not in this kernel (the three cases should cost the same)')

HOG = 'b = bytearray(700 << 20)\nfor i in range(0, len(b), 4096): b[i] = 1\n'
tmp = tempfile.mkdtemp(prefix='reportedpages-')
try:
    for run in range(runs):
        for case, wait in (('after a run of ours', None), ('700 MB freed 3 s before', 3),
                           ('700 MB freed just before', 0)):
            if wait is None:
                flood.run_ours(Context, 16, 500000, tempfile.mkdtemp(dir=tmp))
            else:
                subprocess.run([sys.executable, '-c', HOG], check=True)
                time.sleep(wait)
            figures = flood.run_ours(Context, 16, 500000, tempfile.mkdtemp(dir=tmp))
            print(f'run {run + 1}, {case}: manager CPU {figures["cpu"]:.2f} s, '
                  f'wall {figures["wall"]:.2f} s', flush=True)
finally:
    shutil.rmtree(tmp, ignore_errors=True)
