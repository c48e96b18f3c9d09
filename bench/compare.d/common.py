# Helpers shared by bench/compare's workloads: CPU time from /proc, free ports, our manager as a
# child process with its events read in bulk, medians.
import json
import os
import select
import signal
import socket
import statistics
import subprocess
import time

TICK = os.sysconf('SC_CLK_TCK')
TOKEN_VAR = 'SM_BENCH_TOKEN'


class Broken(Exception):
    """A run that cannot be counted: a system did not start, lines went missing from ours."""


def cpu_seconds(pid):
    """utime + stime of the process itself (all its threads, not its children), or None."""
    try:
        with open(f'/proc/{pid}/stat', 'rb') as f:
            fields = f.read().rsplit(b')', 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICK  # fields 14 and 15 of proc(5)


def exited(proc):
    """Whether proc has exited, without reaping it (Popen.poll would reap it, and its CPU time
    with it)."""
    try:
        return os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOWAIT | os.WNOHANG) is not None
    except ChildProcessError:
        return True  # reaped already


def reap_with_cpu(proc, timeout):
    """Waits for proc to exit and returns its own CPU seconds, read from its zombie (waitid with
    WNOWAIT) so that the work done while stopping counts, and that of the children it reaped
    (which wait4's rusage would add) does not."""
    deadline = time.monotonic() + timeout
    while not exited(proc):
        if time.monotonic() > deadline:
            proc.kill()
            proc.wait()
            raise Broken(f'{proc.args[0]} did not exit within {timeout} s')
        time.sleep(0.005)
    cpu = cpu_seconds(proc.pid)
    proc.wait()
    return cpu


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def median(values):
    return statistics.median(values) if values else None


def percentile(sorted_values, p):
    if not sorted_values:
        return None
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * p))]


def write_profile(folder, name, **keys):
    path = os.path.join(folder, name)
    with open(path, 'w') as f:
        json.dump(keys, f, indent=1)
    return path


class Ours:
    """shard-manager --headless on a profile: stdin for broadcasts, --events json read in bulk."""

    def __init__(self, binary, profile, folder, events=True):
        run = os.path.join(folder, 'run')  # a private XDG_RUNTIME_DIR: no other service's socket
        os.makedirs(run, mode=0o700, exist_ok=True)
        env = dict(os.environ, XDG_RUNTIME_DIR=run, QT_QPA_PLATFORM='offscreen')
        env[TOKEN_VAR] = 'bench-compare-dummy-token'  # no keychain is asked
        args = [binary, '--headless', '--no-echo', '--token-from-env', TOKEN_VAR]
        if events:
            args += ['--events', 'json']
        self.errors = os.path.join(folder, 'manager.err')
        self.started = time.monotonic()
        with open(self.errors, 'ab') as err:
            self.proc = subprocess.Popen(args + [profile], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE if events else subprocess.DEVNULL,
                                         stderr=err, env=env)
        self.tail = b''

    def cpu(self):
        return cpu_seconds(self.proc.pid)

    def send(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def read_until(self, done, timeout, what):
        """Feeds blocks of whole event lines to done(block) until it returns True."""
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or exited(self.proc):
                raise Broken(f'ours: {what} did not happen within {timeout} s '
                             f'(manager {"exited" if exited(self.proc) else "running"}; '
                             f'see {self.errors})')
            ready, _, _ = select.select([fd], [], [], min(left, 0.5))
            if not ready:
                continue
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                continue
            data = self.tail + chunk
            cut = data.rfind(b'\n') + 1
            self.tail = data[cut:]
            if cut and done(data[:cut]):
                return time.monotonic()

    def stop(self, timeout=60):
        """SIGTERM, then the manager's own CPU seconds over its whole life."""
        if not exited(self.proc):
            os.kill(self.proc.pid, signal.SIGTERM)  # not send_signal: it would reap
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        if self.proc.stdout:
            # Keep reading so that a manager blocked on a full stdout can finish its stop.
            fd = self.proc.stdout.fileno()
            os.set_blocking(fd, False)
            end = time.monotonic() + timeout
            while not exited(self.proc) and time.monotonic() < end:
                select.select([fd], [], [], 0.05)
                try:
                    os.read(fd, 1 << 20)
                except BlockingIOError:
                    pass
        cpu = reap_with_cpu(self.proc, timeout)
        if self.proc.returncode != 0:
            raise Broken(f'ours exited with {self.proc.returncode} (see {self.errors})')
        return cpu


class Pm2:
    """PM2 with a private PM2_HOME; its daemon started before the workload and killed after."""

    def __init__(self, peers, folder):
        self.bin = os.path.join(peers, 'node_modules', '.bin', 'pm2')
        self.env = dict(os.environ, PM2_HOME=os.path.join(folder, 'pm2home'))
        self.env.pop('DISCORD_TOKEN', None)
        self.run('ping')
        with open(os.path.join(self.env['PM2_HOME'], 'pm2.pid')) as f:
            self.daemon = int(f.read().strip())

    def run(self, *args, timeout=120):
        """Runs the pm2 command line; returns its CPU seconds (its own and its children's)."""
        before = os.times()
        subprocess.run([self.bin, *args], env=self.env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=True, timeout=timeout)
        after = os.times()
        return (after.children_user - before.children_user
                + after.children_system - before.children_system)

    def start(self, ecosystem):
        """Starts the apps in the background: the command line's Popen and the CPU mark."""
        return subprocess.Popen([self.bin, 'start', ecosystem], env=self.env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def daemon_cpu(self):
        cpu = cpu_seconds(self.daemon)
        if cpu is None:
            raise Broken('PM2: its daemon is gone')
        return cpu

    def kill(self):
        try:
            self.run('kill', timeout=60)
        except (subprocess.SubprocessError, OSError):
            pass
        try:
            os.kill(self.daemon, signal.SIGKILL)
        except ProcessLookupError:
            pass


def wait_rusage_cpu(proc):
    """Waits for a command line we started (no grandchildren of note): its CPU seconds."""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_utime + usage.ru_stime
