#!/usr/bin/env python3
"""An IPC client for the tests, in Python: connects to 127.0.0.1:PORT and runs actions in order.

  ipcclient.py PORT ACTION...
    hello        send "hello $SHARDER_IPC_TOKEN"
    send:TEXT    send TEXT and a newline
    raw:TEXT     send TEXT without a newline
    bytewise:TEXT  send TEXT and a newline one byte per packet (TCP_NODELAY, 2 ms apart)
    many:N       send N lines "msg <i>" in a single write
    big:BYTES    send one line of BYTES 'x' and a newline
    echo         print every line received as "IPC <line>" until the server closes ("IPC CLOSED")
    noread       never read; stay until killed
    close        close the connection and exit
    pause:MS     wait MS milliseconds before the next action (the rest of a line comes late)
Prints CONNECTED once connected and DONE after the last action.
"""
import os
import signal
import socket
import sys
import time


def main():
    port = int(sys.argv[1])
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    print("CONNECTED", flush=True)
    for action in sys.argv[2:]:
        name, _, arg = action.partition(":")
        if name == "hello":
            sock.sendall(("hello " + os.environ.get("SHARDER_IPC_TOKEN", "") + "\n").encode())
        elif name == "send":
            sock.sendall((arg + "\n").encode())
        elif name == "raw":
            sock.sendall(arg.encode())
        elif name == "bytewise":
            for b in (arg + "\n").encode():
                sock.send(bytes([b]))
                time.sleep(0.002)  # part of the behaviour under test: force separate packets
        elif name == "many":
            sock.sendall("".join("msg %d\n" % i for i in range(int(arg))).encode())
        elif name == "big":
            sock.sendall(b"x" * int(arg) + b"\n")
        elif name == "echo":
            print("DONE", flush=True)
            echo(sock)
            return
        elif name == "noread":
            print("DONE", flush=True)
            signal.pause()  # never read; the test kills us
        elif name == "pause":
            time.sleep(int(arg) / 1000)  # part of the behaviour under test: a late second half
        elif name == "close":
            sock.close()
            print("DONE", flush=True)
            return
        else:
            sys.exit("ipcclient: unknown action " + action)
    print("DONE", flush=True)
    echo(sock)


def echo(sock):
    buffer = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionError:
            chunk = b""
        if not chunk:
            print("IPC CLOSED", flush=True)
            return
        buffer += chunk
        *lines, buffer = buffer.split(b"\n")
        if lines:
            sys.stdout.write("".join("IPC " + l.decode() + "\n" for l in lines))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
