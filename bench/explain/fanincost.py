#!/usr/bin/env python3
"""Where the CPU of bench/compare's fan-in goes: our manager (--headless --events json) with N of
compare's node children, each sending M messages after an untimed round of as many (as compare
does). Prints, per message, the manager's CPU and the children's (from /proc, the children
summed), and what C cores could carry at that cost: the children's part alone bounds the fan-in,
whatever the manager does.
Usage: bench/explain/fanincost.py [N] [M] [BUILD_DIR]   (100, 2000, build-rel; node in PATH)"""
import os
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(HERE, '..', 'compare.d'))
import ipc  # noqa: E402
from common import Ours, cpu_seconds  # noqa: E402

children = int(sys.argv[1]) if len(sys.argv) > 1 else 100
per_child = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
build = sys.argv[3] if len(sys.argv) > 3 else os.path.join(HERE, '..', '..', 'build-rel')
binary = os.path.join(build, 'bin', 'shard-manager')
if not os.access(binary, os.X_OK):
    sys.exit(f'no {binary}: run bench/compare --quick first')


class Context:
    node = shutil.which('node')


folder = tempfile.mkdtemp(prefix='fanincost-')
manager = Ours(binary, ipc.ours_profile(Context, folder, children), folder)
state = {'n': 0}


def reached(count, prefix):
    counter = ipc.count_messages(prefix)
    state['n'] = 0

    def done(block):
        state['n'] += counter(block)
        return state['n'] >= count
    return done


try:
    manager.read_until(reached(children, b'up '), 60, f'{children} children up')
    with open(f'/proc/{manager.proc.pid}/task/{manager.proc.pid}/children') as f:
        pids = [int(p) for p in f.read().split()]
    cores = os.cpu_count()
    total = children * per_child
    for timed in (False, True):
        manager_before = manager.cpu()
        children_before = sum(cpu_seconds(p) or 0 for p in pids)
        start = time.monotonic()
        manager.send(b'in %d\n' % per_child)
        end = manager.read_until(reached(total, b'i'), 120, 'the fan-in')
        mine = (manager.cpu() - manager_before) / total * 1e6
        theirs = (sum(cpu_seconds(p) or 0 for p in pids) - children_before) / total * 1e6
        print(f'{"timed" if timed else "warm-up"} round: {children} children x {per_child}: '
              f'{total / (end - start):,.0f} msgs/s; per message: manager {mine:.2f} us, '
              f'children {theirs:.2f} us; {cores} cores carry at most '
              f'{cores / (theirs / 1e6):,.0f} msgs/s from these children alone, '
              f'{cores / ((mine + theirs) / 1e6):,.0f} with the manager')
finally:
    manager.stop(60)
    shutil.rmtree(folder, ignore_errors=True)
