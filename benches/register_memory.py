#!/usr/bin/env python3
"""Peak memory of the real app while browsing the household register.

Starts the release binary in a pseudo-terminal (80x24) on the 100,000-household
demo database made by `cargo bench --bench register` (read-only, so nothing
changes), opens the register, pages down 500 times, sorts by head and pages
again, then reads the process's peak resident memory (VmHWM). Target: < 30 MB.

Run: cargo build --release && python3 benches/register_memory.py [DB]
"""
import fcntl, os, pty, select, struct, sys, termios, time

import glob, subprocess
binary = "target/release/fieldbook"
made = sorted(glob.glob("target/bench-data/register-100000-v*.db"))
db = sys.argv[1] if len(sys.argv) > 1 else (made[-1] if made else "")
if not os.path.exists(db):
    sys.exit("no 100,000-household database: run `cargo bench --bench register` first")
# Bring it to this build's schema (the browsing itself is read-only).
subprocess.run([binary, "--db", db, "init"], check=True, capture_output=True)

pid, fd = pty.fork()
if pid == 0:
    os.environ["TERM"] = "xterm-256color"
    os.execv(binary, [binary, "--db", db, "--read-only", "--lang", "zh+bo"])
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))

def drain(seconds):
    """Reads what the app draws for `seconds` (so its output never blocks it)."""
    end = time.time() + seconds
    while (left := end - time.time()) > 0:
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            break
        try:
            os.read(fd, 65536)
        except OSError:
            break

def send(keys, pause=0.01):
    os.write(fd, keys)
    drain(pause)

def peak_kb():
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])

drain(1.0)
print(f"after start: {peak_kb() / 1024:.1f} MB")
send(b"h", 0.5)
for _ in range(500):
    send(b"\x1b[6~")
send(b"o", 0.2)
for _ in range(500):
    send(b"\x1b[6~")
send(b"\x1b[F", 0.2)  # End
drain(0.5)
peak = peak_kb()
print(f"peak while browsing 1,000 pages: {peak / 1024:.1f} MB")
quit_at = time.time()
for attempt in range(60):
    # Repeated, in case a key was lost in a full input queue.
    send(b"\x03", 0.0)
    if os.waitpid(pid, os.WNOHANG) != (0, 0):
        break
    drain(1.0)
else:
    print("the app did not exit within 60 s of Ctrl-C", file=sys.stderr)
    os.kill(pid, 9)
    sys.exit(2)
print(f"exited {time.time() - quit_at:.1f} s after Ctrl-C")
sys.exit(0 if peak < 30 * 1024 else 1)
