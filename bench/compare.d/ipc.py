# The IPC workloads (fan-out, fan-in, round-trip latency) and the start-up of many processes,
# on our manager and on discord.js's ShardingManager (and PM2 for the start-up). The children
# are compare.d/child_ipc.js; bench/README.md says what each figure measures.
import json
import os
import re
import selectors
import socket
import subprocess
import time

from common import Broken, Ours, Pm2, cpu_seconds, free_port, percentile, write_profile

HERE = os.path.dirname(os.path.abspath(__file__))
CHILD = os.path.join(HERE, 'child_ipc.js')
BODY = b'x' * 99


def ours_profile(ctx, folder, children):
    return write_profile(folder, 'ipc.json', file=CHILD, interpreter=ctx.node, maxShards=children,
                         waitTime=0, autoRestart=False, silent=True, port=free_port())


def count_messages(prefix):
    # A substring count (C speed), not a regex over each line: the reader must not be what is
    # measured (a regex with ".*" cost Python more CPU than the manager spent on the events).
    # "message" is the last key of an ipcMessage event; no other event of these runs has one.
    needle = b'"message":"' + prefix
    return lambda block: block.count(needle)


def peak_rss_mb(pid):
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            if line.startswith('VmHWM:'):
                return int(line.split()[1]) / 1024
    return None


def run_ours_ipc(ctx, children, fanout_m, fanin_m, pings, folder, rss_deliveries=0):
    manager = Ours(ctx.manager, ours_profile(ctx, folder, children), folder)
    try:
        count_up = count_messages(b'up ')
        state = {'n': 0}

        def reached(count, counter):
            def done(block):
                state['n'] += counter(block)
                return state['n'] >= count
            state['n'] = 0
            return done

        manager.read_until(reached(children, count_up), ctx.timeout, f'{children} children up')
        result = {}
        # Fan-out: M broadcasts written to stdin at once; each child answers "done" after M.
        manager.send(b'fo %d\n' % fanout_m)
        t0 = time.monotonic()
        manager.send((b'm' + BODY + b'\n') * fanout_m)
        t1 = manager.read_until(reached(children, count_messages(b'done ')), ctx.timeout,
                                'the fan-out')
        result['fanout'] = children * fanout_m / (t1 - t0)
        if rss_deliveries:
            # The memory figure: 2 M deliveries from stdin at once, the peak RSS after.
            m = rss_deliveries // children
            manager.send(b'fo %d\n' % m + (b'm' + BODY + b'\n') * m)
            manager.read_until(reached(children, count_messages(b'done ')), ctx.timeout,
                               'the 2 M fan-out')
            result['rss'] = peak_rss_mb(manager.proc.pid)
        # Fan-in: every child sends M messages, counted as ipcMessage events on stdout; a first
        # round of as many is not timed (the children's JIT warms up, as in discord.js's run).
        for warm_up in (True, False):
            t0 = time.monotonic()
            manager.send(b'in %d\n' % fanin_m)
            t1 = manager.read_until(reached(children * fanin_m, count_messages(b'i')),
                                    ctx.timeout, 'the fan-in')
        result['fanin'] = children * fanin_m / (t1 - t0)
        # Latency: a broadcast "ping k t" (stdin has no sendTo), child t answers; sequential.
        # Untimed pings "w<k>" first, for ctx.warm_seconds and at least a tenth of the count.
        def round_trip(k, target):
            pong = re.compile(rb'"message":"pong %s"' % k)
            t0 = time.monotonic()
            manager.send(b'ping %s %d\n' % (k, target))
            t1 = manager.read_until(lambda block: pong.search(block) is not None, ctx.timeout,
                                    f'pong {k}')
            return (t1 - t0) * 1000
        warm_until, k = time.monotonic() + ctx.warm_seconds, 0
        while k < pings // 10 or time.monotonic() < warm_until:
            round_trip(b'w%d' % k, k % children)
            k += 1
        times = sorted(round_trip(b'%d' % k, k % children) for k in range(pings))
        result['p50'], result['p99'] = percentile(times, 0.5), percentile(times, 0.99)
    finally:
        manager.stop(ctx.timeout)
    return result


def djs_env(ctx):
    env = dict(os.environ, NODE_PATH=os.path.join(ctx.peers, 'node_modules'))
    env.pop('DISCORD_TOKEN', None)  # the ShardingManager would pass it on; no login happens
    return env


def run_djs_ipc(ctx, children, fanout_m, fanin_m, pings, folder):
    proc = subprocess.Popen([ctx.node, os.path.join(HERE, 'djs_driver.js'), 'ipc', str(children),
                             str(fanout_m), str(fanin_m), str(pings), str(ctx.warm_seconds)],
                            env=djs_env(ctx),
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        line = read_line(proc, ctx.timeout * 3, 'discord.js IPC driver')
    finally:
        proc.stdin.close()
        proc.wait(timeout=60)
    return json.loads(line)


def read_line(proc, timeout, what):
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    if not sel.select(timeout):
        proc.kill()
        raise Broken(f'{what}: no answer within {timeout} s')
    line = proc.stdout.readline()
    if not line:
        raise Broken(f'{what} exited with {proc.wait()} before answering')
    return line


def run_ours_startup(ctx, children, folder):
    manager = Ours(ctx.manager, ours_profile(ctx, folder, children), folder)
    try:
        count_up = count_messages(b'up ')
        state = {'n': 0}

        def done(block):
            state['n'] += count_up(block)
            return state['n'] >= children
        t1 = manager.read_until(done, ctx.timeout, f'{children} children up')
        result = {'time': t1 - manager.started, 'cpu': manager.cpu()}
    finally:
        manager.stop(ctx.timeout)
    return result


def run_djs_startup(ctx, children, folder):
    start = time.monotonic()
    proc = subprocess.Popen([ctx.node, os.path.join(HERE, 'djs_driver.js'), 'startup',
                             str(children)], env=djs_env(ctx), stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE)
    try:
        line = read_line(proc, ctx.timeout, 'discord.js start-up')
        result = {'time': time.monotonic() - start, 'cpu': float(line.split()[1])}
    finally:
        proc.stdin.close()
        proc.wait(timeout=60)
    return result


def run_pm2_startup(ctx, children, folder):
    """PM2 starts the same children (its daemon already up, as it is when a user runs pm2
    start); they connect to a listener of ours. CPU: the daemon's and the command line's."""
    listener = socket.create_server(('127.0.0.1', 0), backlog=children)
    port = listener.getsockname()[1]
    pm2 = Pm2(ctx.peers, folder)
    conns = []
    try:
        apps = [{'name': f'child{i}', 'script': CHILD, 'interpreter': ctx.node,
                 'autorestart': False, 'env': {'SHARDER_PORT': str(port), 'SHARDER_PROCESS': str(i)},
                 'out_file': '/dev/null', 'error_file': '/dev/null'} for i in range(children)]
        ecosystem = os.path.join(folder, 'startup.config.json')
        with open(ecosystem, 'w') as f:
            json.dump({'apps': apps}, f)
        daemon_before = pm2.daemon_cpu()
        cli_before = os.times()
        start = time.monotonic()
        cli = pm2.start(ecosystem)
        sel = selectors.DefaultSelector()
        sel.register(listener, selectors.EVENT_READ)
        up = 0
        deadline = start + ctx.timeout
        while up < children:
            if time.monotonic() > deadline:
                raise Broken(f'PM2: {up} of {children} children up within {ctx.timeout} s')
            for key, _ in sel.select(0.5):
                if key.fileobj is listener:
                    conn, _ = listener.accept()
                    conns.append(conn)
                    sel.register(conn, selectors.EVENT_READ)
                else:
                    data = key.fileobj.recv(4096)
                    up += data.count(b'up ')
                    sel.unregister(key.fileobj)
        elapsed = time.monotonic() - start
        daemon = pm2.daemon_cpu() - daemon_before
        cli.wait(timeout=ctx.timeout)
        cli_after = os.times()
        cli_cpu = (cli_after.children_user - cli_before.children_user
                   + cli_after.children_system - cli_before.children_system)
        result = {'time': elapsed, 'cpu': daemon + cli_cpu}
    finally:
        for c in conns:
            c.close()
        listener.close()
        pm2.kill()
    return result
