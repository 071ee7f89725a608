"""``python3 scripts/check_port.py PORT``: one clear line and exit status 2 if the development server could not
listen on 127.0.0.1:PORT (not a number, out of range, or taken). Standard library only: ``make run`` calls it
before it installs or changes anything."""

from __future__ import annotations

import errno
import socket
import sys


def port_problem(raw: str, host: str = "127.0.0.1") -> str | None:
    """Why ``raw`` can't be the server's port, in words; None if it is free to use."""
    if not raw.isdigit() or not 1 <= int(raw) <= 65535:
        return f"PORT={raw!r} is not a port number: give a whole number from 1 to 65535, e.g. make run PORT=8001."
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((host, int(raw)))
        except OSError as e:
            if e.errno == errno.EADDRINUSE:
                return (f"Port {raw} on {host} is already in use: stop what uses it, or choose another, "
                        f"e.g. make run PORT={int(raw) % 65535 + 1}.")
            return f"Port {raw} on {host} can't be used ({e.strerror}): choose another, e.g. make run PORT=8001."
    return None


if __name__ == "__main__":
    problem = port_problem(sys.argv[1] if len(sys.argv) > 1 else "")
    if problem:
        print(f"make run: {problem}", file=sys.stderr)
        sys.exit(2)
