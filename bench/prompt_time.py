#!/usr/bin/env python3
"""Seconds from exec to the interactive prompt, in a real pseudo-terminal; then leaves with Ctrl-D."""
import fcntl, os, pty, select, struct, sys, termios, time

def once(cmd):
    start = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.execvp(cmd[0], cmd)
    # a real terminal has a size; JLine truncates the prompt on a 0-column pty
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    buf = b""
    elapsed = None
    while time.monotonic() - start < 30:
        r, _, _ = select.select([fd], [], [], 0.01)
        if r:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            buf += chunk
            if b"virtwise\x1b[0m> " in buf or b"\nvirtwise> " in buf:
                elapsed = time.monotonic() - start
                os.write(fd, b"\x04")
                break
    # drain until exit
    end = time.monotonic() + 10
    while time.monotonic() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                if not os.read(fd, 4096):
                    break
            except OSError:
                break
    os.waitpid(pid, 0)
    return elapsed

if __name__ == "__main__":
    t = once(sys.argv[1:])
    print("%.3f" % t if t is not None else "timeout")
