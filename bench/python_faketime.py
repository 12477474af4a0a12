#!/usr/bin/python3
"""Does libfaketime accelerate what boxclient (adapters/python) times with?

Runs a child /usr/bin/python3 under LD_PRELOAD=libfaketime FAKETIME='+0 xK'
that waits with each asyncio timer the client uses (and a blocking
http.client timeout on a thread, for adapters around blocking SDKs),
printing a line after each;
this (un-faked) parent stamps every line on arrival with its real monotonic
clock. Per mechanism: the fake seconds the child measured, the real seconds
the parent saw, and real x K (what an un-faked observer such as the fake
server reads as client time).

    bench/python_faketime.py [K...]        (default: 1 10 50)
"""
import os
import subprocess
import sys
import time

LIB = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"

CHILD = r'''
import asyncio, http.client, socket, sys, time

def mark(name, fake):
    print(f"{name} {fake:.4f}", flush=True)

async def main():
    loop = asyncio.get_running_loop()
    print("go 0", flush=True)
    t = loop.time(); await asyncio.sleep(10); mark("asyncio.sleep(10)", loop.time() - t)
    t = loop.time(); fired = loop.create_future()
    loop.call_at(t + 45, fired.set_result, None); await fired
    mark("loop.call_at(+45)", loop.time() - t)
    t = loop.time()
    try:
        await asyncio.wait_for(loop.create_future(), 30)
    except asyncio.TimeoutError:
        mark("asyncio.wait_for(30)", loop.time() - t)
    srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen()
    def silent_get():   # what the status probe does on a worker thread
        conn = http.client.HTTPConnection("127.0.0.1", srv.getsockname()[1], timeout=5)
        t = time.monotonic()
        try:
            conn.request("GET", "/"); conn.getresponse()
        except OSError:
            mark("thread: http.client timeout=5", time.monotonic() - t)
    await asyncio.to_thread(silent_get)

asyncio.run(main())
'''


def measure(k: float) -> None:
    env = dict(os.environ, LD_PRELOAD=LIB, FAKETIME=f"+0 x{k:g}")
    child = subprocess.Popen(["/usr/bin/python3", "-c", CHILD], env=env,
                             stdout=subprocess.PIPE, text=True)
    last = None
    for line in child.stdout:
        now = time.monotonic()
        name, fake = line.rsplit(" ", 1)
        if last is not None:
            real = now - last
            print(f"| x{k:g} | {name} | {float(fake):.3f} | {real:.3f} | {real * k:.3f} |")
        last = now
    child.wait()


if __name__ == "__main__":
    print("| K | wait | child's own clock (s) | parent's real clock (s) | real x K (s) |")
    print("|---|---|---|---|---|")
    for k in [float(a) for a in sys.argv[1:]] or [1, 10, 50]:
        measure(k)
