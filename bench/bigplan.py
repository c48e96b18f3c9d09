#!/usr/bin/env python3
"""The cost of a huge plan: maxShards 100000 in one-shard processes, waitTime 10 min, so all but
the first wait for their turn. Prints the manager's peak memory after the first start, the time to
that start, and how long SIGTERM takes to stop it all.

  bench/bigplan.py [BUILD_DIR] [SHARDS]     (defaults: build, 100000)
"""
import json, os, signal, subprocess, sys, tempfile, threading, time

build = sys.argv[1] if len(sys.argv) > 1 else "build"
shards = int(sys.argv[2]) if len(sys.argv) > 2 else 100000
manager = os.path.join(build, "bin", "shard-manager")
with tempfile.TemporaryDirectory() as tmp:
    open(os.path.join(tmp, "bot.lua"), "w").close()
    profile = os.path.join(tmp, "big.json")
    json.dump({"file": "bot.lua", "interpreter": os.path.abspath(os.path.join(build, "bin", "fakeshard")),
               "interpreterArgs": ["--run"], "maxShards": shards, "waitTime": 600000,
               "port": 20000 + os.getpid() % 20000}, open(profile, "w"))
    t0 = time.time()
    p = subprocess.Popen([manager, "--headless", "--events", "json", profile],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    started = threading.Event()
    events = [0]

    def drain():  # read every event, or the manager would block writing them
        for line in p.stdout:
            events[0] += 1
            if b'"event":"started"' in line and not started.is_set():
                started.at = time.time() - t0
                started.set()

    threading.Thread(target=drain, daemon=True).start()
    if not started.wait(120):
        p.kill()
        sys.exit("no process started within 120 s")
    status = dict(l.split(":", 1) for l in open(f"/proc/{p.pid}/status") if ":" in l)
    print(f"{shards} processes planned: first start after {started.at:.2f} s, "
          f"manager peak {status['VmHWM'].strip()}")
    t1 = time.time()
    p.send_signal(signal.SIGTERM)
    try:
        code = p.wait(120)
    except subprocess.TimeoutExpired:
        p.kill()
        sys.exit("SIGTERM did not stop the manager within 120 s")
    print(f"SIGTERM: exit {code} after {time.time() - t1:.2f} s ({events[0]} events read)")
