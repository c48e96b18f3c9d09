# The flood: N children each print LINES numbered 80-byte lines as fast as they can (floodchild),
# with a log file. Systems: the floor (children writing to /dev/null), cat (a reference, not a
# manager: every child into one pipe and cat into a file), PM2 (its own log files), ours
# (shard-manager --headless --no-echo with logFile). Each run gives wall seconds, manager CPU
# seconds and lines lost (every log line is checked: count and order per child).
import json
import os
import subprocess
import time

from common import Broken, Ours, Pm2, exited, free_port, wait_rusage_cpu, write_profile


def wait_done(done_dir, children, timeout, manager=None, what='children'):
    deadline = time.monotonic() + timeout
    while len(os.listdir(done_dir)) < children:
        if time.monotonic() > deadline:
            raise Broken(f'{what}: {len(os.listdir(done_dir))} of {children} flood children '
                         f'finished within {timeout} s')
        if manager is not None and exited(manager.proc):
            raise Broken(f'{what}: the manager exited during the flood (see {manager.errors})')
        time.sleep(0.005)


def check_numbers(numbers_by_child, children, lines):
    """Lines lost and lines out of order, over all children: each child's numbers must go
    1..lines with none missing, duplicated or reordered."""
    lost = disorder = 0
    for child in range(children):
        expect = 1
        for n in numbers_by_child.get(child, ()):
            if n == expect:
                expect += 1
            elif n > expect:
                lost += n - expect
                expect = n + 1
            else:
                disorder += 1
        lost += lines + 1 - expect
    return lost, disorder


def parse_flood_lines(data):
    """{child: [numbers]} from every 'flood <child> <n> xxx' line in data (a log file: the
    line may carry a prefix, the flood text is its last 79 bytes)."""
    by_child = {}
    for line in data.split(b'\n'):
        if len(line) < 79:
            continue
        parts = line[-79:].split(b' ', 3)
        if parts[0] != b'flood':
            continue
        by_child.setdefault(int(parts[1]), []).append(int(parts[2]))
    return by_child


def expected_output(child, lines):
    out = bytearray()
    for n in range(1, lines + 1):
        head = b'flood %d %d ' % (child, n)
        out += head + b'x' * (79 - len(head)) + b'\n'
    return bytes(out)


def run_floor(ctx, children, lines):
    start = time.monotonic()
    procs = [subprocess.Popen([ctx.floodchild, str(i), str(lines)], stdout=subprocess.DEVNULL)
             for i in range(children)]
    for p in procs:
        if p.wait() != 0:
            raise Broken(f'floor: floodchild exited with {p.returncode}')
    return {'wall': time.monotonic() - start, 'cpu': 0.0, 'lost': 0}


def run_cat(ctx, children, lines, folder):
    """The least a manager that keeps a log must do: every byte through a pipe into a file, with
    no line handling (lines of different children may be torn apart, so none is checked; the file
    must have every byte). Its CPU is cat's."""
    log = os.path.join(folder, 'cat.log')
    start = time.monotonic()
    with open(log, 'wb') as out:
        cat = subprocess.Popen(['cat'], stdin=subprocess.PIPE, stdout=out)
        procs = [subprocess.Popen([ctx.floodchild, str(i), str(lines)], stdout=cat.stdin)
                 for i in range(children)]
        cat.stdin.close()
        for p in procs:
            if p.wait() != 0:
                raise Broken(f'cat: floodchild exited with {p.returncode}')
        cpu = wait_rusage_cpu(cat)
    wall = time.monotonic() - start
    if os.path.getsize(log) != children * lines * 80:
        raise Broken(f'cat: {os.path.getsize(log)} bytes in {log}, not {children * lines * 80}')
    return {'wall': wall, 'cpu': cpu}


def run_ours(ctx, children, lines, folder):
    done = os.path.join(folder, 'done')
    os.makedirs(done)
    child_file = os.path.join(folder, 'flood.txt')  # the contract's <file>; floodchild ignores it
    open(child_file, 'w').close()
    log = os.path.join(folder, 'flood.log')
    profile = write_profile(folder, 'flood.json', file=child_file, interpreter=ctx.floodchild,
                            maxShards=children, waitTime=0, autoRestart=False, silent=True,
                            port=free_port(), logFile=log,
                            arguments=[str(lines), done])
    # floodchild takes its ID from SHARDER_PROCESS, which the manager sets (the argument before
    # LINES is the contract's <maxShards> here).
    manager = Ours(ctx.manager, profile, folder, events=False)
    wait_done(done, children, ctx.timeout, manager, 'ours')
    cpu = manager.stop(ctx.timeout)
    wall = time.monotonic() - manager.started
    with open(log, 'rb') as f:
        lost, disorder = check_numbers(parse_flood_lines(f.read()), children, lines)
    if lost or disorder:
        raise Broken(f'ours lost {lost} lines and reordered {disorder} (log {log})')
    return {'wall': wall, 'cpu': cpu, 'lost': 0}


def run_pm2(ctx, children, lines, folder):
    done = os.path.join(folder, 'done')
    os.makedirs(done)
    pm2 = Pm2(ctx.peers, folder)
    try:
        logs = [os.path.join(folder, f'pm2-out-{i}.log') for i in range(children)]
        apps = [{'name': f'flood{i}', 'script': ctx.floodchild, 'interpreter': 'none',
                 'args': [str(i), str(lines), done], 'autorestart': False,
                 'out_file': logs[i], 'error_file': os.path.join(folder, f'pm2-err-{i}.log')}
                for i in range(children)]
        ecosystem = os.path.join(folder, 'flood.config.json')
        with open(ecosystem, 'w') as f:
            json.dump({'apps': apps}, f)
        daemon_before = pm2.daemon_cpu()
        start = time.monotonic()
        cli = pm2.start(ecosystem)
        wait_done(done, children, ctx.timeout, what='PM2')
        # The daemon writes the log files behind the children: wait for every byte, or until
        # they stop growing for a second (lines lost); the wall time ends at the last growth.
        expected = lines * 80
        sizes, last_growth = None, time.monotonic()
        while True:
            now = [os.path.getsize(p) if os.path.exists(p) else 0 for p in logs]
            if now != sizes:
                sizes, last_growth = now, time.monotonic()
            if all(s >= expected for s in now) or time.monotonic() - last_growth > 1.0:
                break
            time.sleep(0.005)
        wall = last_growth - start
        cli.wait(timeout=ctx.timeout)
        cpu = pm2.daemon_cpu() - daemon_before
    finally:
        pm2.kill()
    lost = disorder = 0
    for i, path in enumerate(logs):
        with open(path, 'rb') as f:
            data = f.read()
        if data != expected_output(i, lines):
            child_lost, child_disorder = check_numbers(
                {0: parse_flood_lines(data).get(i, [])}, 1, lines)
            lost += child_lost
            disorder += child_disorder
    return {'wall': wall, 'cpu': cpu, 'lost': lost + disorder}
