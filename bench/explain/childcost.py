#!/usr/bin/env python3
"""What one fan-in message costs bench/compare's node child itself: the child sends M messages
(`in M`, each its own socket.write, as a bot would) to a sink that only counts bytes. No manager
is involved; on a machine of C cores the children alone cannot send more than
C / (CPU per message) messages a second, whatever the manager does.
Usage: bench/explain/childcost.py [M]   (2,000,000 by default; node in PATH)"""
import os
import resource
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000000
server = socket.create_server(('127.0.0.1', 0))
env = dict(os.environ, SHARDER_PORT=str(server.getsockname()[1]), SHARDER_PROCESS='0')
child = subprocess.Popen(['node', os.path.join(HERE, '..', 'compare.d', 'child_ipc.js')], env=env)
conn, _ = server.accept()
conn.recv(100)  # "up 0"
start = time.monotonic()
conn.sendall(b'in %d\n' % count)
expected, received = count * 101, 0
while received < expected:
    data = conn.recv(1 << 20)
    if not data:
        break
    received += len(data)
wall = time.monotonic() - start
child.kill()
child.wait()
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = usage.ru_utime + usage.ru_stime
print(f'{count:,} messages from one node child in {wall:.2f} s ({count / wall:,.0f} msgs/s); '
      f'its CPU {cpu:.2f} s, start included: {cpu / count * 1e6:.2f} us a message; '
      f'{os.cpu_count()} cores: at most {os.cpu_count() / cpu * count:,.0f} msgs/s from children alone')
