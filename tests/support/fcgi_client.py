"""A minimal FastCGI client (the responder role, one request per connection),
enough to drive php-fpm as a web server would, without one in between.

    from fcgi_client import request, Closed
    status, headers, body, stderr = request("127.0.0.1", 65031,
                                            "/path/to/script.php", "a=1&b=2")

Raises Closed when the server closes the connection before it ends the
request (a worker killed mid-request), socket.timeout past `timeout`.
The FastCGI 1.0 specification: https://fastcgi-archives.github.io/FastCGI_Specification.html
"""

import os
import socket
import struct

VERSION = 1
BEGIN_REQUEST, END_REQUEST, PARAMS, STDIN, STDOUT, STDERR = 1, 3, 4, 5, 6, 7
RESPONDER = 1
HEADER = struct.Struct("!BBHHBx")


class Closed(Exception):
    """The connection ended before END_REQUEST."""


def _record(kind, request_id, content=b""):
    out = []
    # A record holds at most 65535 bytes of content.
    for start in range(0, max(len(content), 1), 65535):
        chunk = content[start:start + 65535]
        padding = -len(chunk) % 8
        out.append(HEADER.pack(VERSION, kind, request_id, len(chunk), padding) + chunk + b"\0" * padding)
    return b"".join(out)


def _length(n):
    return struct.pack("!B", n) if n < 128 else struct.pack("!I", n | 0x80000000)


def _params(params):
    body = b""
    for name, value in params.items():
        name, value = name.encode(), value.encode()
        body += _length(len(name)) + _length(len(value)) + name + value
    return body


def _read_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise Closed(f"connection closed after {len(data)} of {n} bytes")
        data += chunk
    return data


def request(host, port, script_filename, query_string="", timeout=60.0, extra_params=None):
    """Returns (status code, {header: value}, body bytes, stderr bytes)."""
    params = {
        "GATEWAY_INTERFACE": "CGI/1.1",
        "SERVER_SOFTWARE": "odbcpool-fcgi-client",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REQUEST_METHOD": "GET",
        "SCRIPT_FILENAME": script_filename,
        "SCRIPT_NAME": "/" + os.path.basename(script_filename),
        "REQUEST_URI": "/" + os.path.basename(script_filename) + ("?" + query_string if query_string else ""),
        "DOCUMENT_ROOT": os.path.dirname(script_filename),
        "QUERY_STRING": query_string,
        "CONTENT_LENGTH": "0",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": str(port),
    }
    params.update(extra_params or {})
    request_id = 1
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(
            _record(BEGIN_REQUEST, request_id, struct.pack("!HB5x", RESPONDER, 0))
            + _record(PARAMS, request_id, _params(params))
            + _record(PARAMS, request_id)
            + _record(STDIN, request_id)
        )
        stdout, stderr = b"", b""
        while True:
            try:
                header = _read_exact(sock, HEADER.size)
            except ConnectionResetError as error:
                raise Closed(str(error)) from error
            _, kind, _, length, padding = HEADER.unpack(header)
            try:
                content = _read_exact(sock, length + padding)[:length]
            except ConnectionResetError as error:
                raise Closed(str(error)) from error
            if kind == STDOUT:
                stdout += content
            elif kind == STDERR:
                stderr += content
            elif kind == END_REQUEST:
                break
    head, _, body = stdout.partition(b"\r\n\r\n")
    headers = {}
    for line in head.decode("latin-1").split("\r\n"):
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    status = int(headers.get("status", "200").split()[0])
    return status, headers, body, stderr
