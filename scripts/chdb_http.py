#!/usr/bin/env python3
"""ClickHouse's HTTP interface over the real ClickHouse engine from the PyPI package chdb-core.

    chdb_http.py [--host 127.0.0.1] [--port 8123] [--data .data/clickhouse]
                 [--pool 8] [--parent-pid PID] [--verbose]

chdb runs ClickHouse in-process and cannot listen by itself, so this adapter serves the HTTP
interface for it: enough that the official `clickhouse` Rust crate, curl and the gateway use
it unchanged. It is a stand-in for development and tests; production uses a real server.

What it implements, as the real server does:
- GET/POST `/` with `?query=`, the SQL in the body, or both (concatenated); `/ping`.
- `database`, `default_format`, `query_id`, `param_<name>` (URL or multipart/form-data) and
  any other URL parameter as a setting for that request only.
- request bodies: chunked transfer, `Content-Encoding` gzip/deflate/lz4, and ClickHouse's
  native block compression with `decompress=1` (checksum verified).
- `INSERT ... FORMAT <fmt>` with the data in the body, binary formats included.
- responses: `X-ClickHouse-Query-Id`, `-Format`, `-Summary`, `-Server-Display-Name`, and with
  `enable_http_compression=1` the encodings of `Accept-Encoding` (lz4 frame, gzip, deflate).
- errors: the server's HTTP status for the exception code, `X-ClickHouse-Exception-Code`
  and the `Code: N. DB::Exception: ... (version ...)` text.

Facts about chdb it respects (measured): one engine per process and data directory, so a
pool of connections to it, one request per connection at a time (queries release the GIL
and run in parallel); `SET`/`USE` stick to a connection, so they are undone after each
request, and a connection that was made `readonly` is replaced (readonly cannot be unset);
binary inserts go through `send_insert`. Each response leaves in one write with TCP_NODELAY,
or every keep-alive request would wait 40 ms for a delayed ACK.

Not implemented: KILL QUERY of a running request (chdb's synchronous query API cannot be
interrupted from another thread; `max_execution_time` does bound queries), sessions
(`session_id`), and progress headers.
"""

import argparse
import gzip
import json
import os
import queue
import re
import socket
import struct
import sys
import threading
import time
import uuid
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import chdb
import lz4.block
import lz4.frame

try:
    import clickhouse_cityhash.cityhash as cityhash
except ImportError:  # pragma: no cover - the requirements pin it
    cityhash = None

# URL parameters that are part of the protocol, not settings.
PROTOCOL_PARAMS = {
    "query", "database", "default_format", "user", "password", "compress", "decompress",
    "query_id", "session_id", "session_timeout", "session_check", "enable_http_compression",
    "http_zlib_compression_level", "wait_end_of_query", "buffer_size", "role", "quota_key",
    "send_progress_in_http_headers", "http_headers_progress_interval_ms", "stacktrace",
    "add_http_cors_header", "http_native_compression_disable_checksumming_on_decompress",
}

# ClickHouse's mapping from exception to HTTP status (src/Server/HTTP/
# exceptionCodeToHTTPStatus.cpp), by error name; numeric codes come from the engine.
STATUS_BY_ERROR = {
    401: ["REQUIRED_PASSWORD"],
    403: ["UNKNOWN_USER", "WRONG_PASSWORD", "AUTHENTICATION_FAILED", "SET_NON_GRANTED_ROLE"],
    400: ["BAD_ARGUMENTS", "CANNOT_COMPILE_REGEXP", "CANNOT_PARSE_TEXT",
          "CANNOT_PARSE_ESCAPE_SEQUENCE", "CANNOT_PARSE_QUOTED_STRING", "CANNOT_PARSE_DATE",
          "CANNOT_PARSE_DATETIME", "CANNOT_PARSE_NUMBER", "CANNOT_PARSE_DOMAIN_VALUE_FROM_STRING",
          "CANNOT_PARSE_IPV4", "CANNOT_PARSE_IPV6", "CANNOT_PARSE_INPUT_ASSERTION_FAILED",
          "CANNOT_PARSE_UUID", "DUPLICATE_COLUMN", "ILLEGAL_COLUMN", "UNKNOWN_ELEMENT_IN_AST",
          "UNKNOWN_TYPE_OF_AST_NODE", "THERE_IS_NO_COLUMN", "TOO_DEEP_AST", "TOO_BIG_AST",
          "UNEXPECTED_AST_STRUCTURE", "SYNTAX_ERROR", "INCORRECT_DATA", "TYPE_MISMATCH",
          "VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE"],
    404: ["UNKNOWN_TABLE", "UNKNOWN_FUNCTION", "UNKNOWN_IDENTIFIER", "UNKNOWN_TYPE",
          "UNKNOWN_STORAGE", "UNKNOWN_DATABASE", "UNKNOWN_SETTING",
          "UNKNOWN_DIRECTION_OF_SORTING", "UNKNOWN_AGGREGATE_FUNCTION", "UNKNOWN_FORMAT",
          "UNKNOWN_DATABASE_ENGINE", "UNKNOWN_TYPE_OF_QUERY", "UNKNOWN_ROLE"],
    413: ["QUERY_IS_TOO_LARGE"],
    501: ["NOT_IMPLEMENTED"],
    503: ["SOCKET_TIMEOUT", "CANNOT_OPEN_FILE", "CANNOT_SCHEDULE_TASK"],
    411: ["HTTP_LENGTH_REQUIRED"],
    408: ["TIMEOUT_EXCEEDED"],
}

CONTENT_TYPES = {
    "TabSeparated": "text/tab-separated-values; charset=UTF-8",
    "TSV": "text/tab-separated-values; charset=UTF-8",
    "TabSeparatedWithNames": "text/tab-separated-values; charset=UTF-8",
    "TabSeparatedWithNamesAndTypes": "text/tab-separated-values; charset=UTF-8",
    "CSV": "text/csv; charset=UTF-8; header=absent",
    "CSVWithNames": "text/csv; charset=UTF-8; header=present",
    "JSON": "application/json; charset=UTF-8",
    "JSONCompact": "application/json; charset=UTF-8",
    "JSONEachRow": "application/x-ndjson; charset=UTF-8",
    "JSONCompactEachRow": "application/x-ndjson; charset=UTF-8",
}

INSERT_WITH_FORMAT = re.compile(r"^\s*(INSERT\s.*?)\s+FORMAT\s+(\w+)\s*$", re.I | re.S)
EXCEPTION_CODE = re.compile(r"Code: (\d+)\.")
LEADING_COMMENTS = re.compile(r"^(\s+|--[^\n]*\n?|/\*.*?\*/)+", re.S)


class ClickHouseError(Exception):
    """An exception with ClickHouse's code and text."""

    def __init__(self, code, text):
        super().__init__(text)
        self.code = code
        self.text = text


class Engine:
    """The chdb engine and its connection pool."""

    def __init__(self, data_dir, pool_size):
        os.makedirs(data_dir, exist_ok=True)
        self.path = "file:" + os.path.abspath(data_dir)
        self.pool = queue.LifoQueue()
        for _ in range(pool_size):
            self.pool.put(chdb.connect(self.path))
        conn = self.pool.get()
        try:
            self.version = conn.query("SELECT version()", "TabSeparated").bytes().decode().strip()
            names = conn.query(
                "SELECT number, errorCodeToName(number) FROM numbers(2000)", "TabSeparated"
            ).bytes().decode()
        finally:
            self.pool.put(conn)
        code_by_name = {}
        for line in names.splitlines():
            num, _, name = line.partition("\t")
            if name:
                code_by_name[name] = int(num)
        self.status_by_code = {}
        for status, errors in STATUS_BY_ERROR.items():
            for name in errors:
                if name in code_by_name:
                    self.status_by_code[code_by_name[name]] = status
        self.code_by_name = code_by_name
        self.stats_lock = threading.Lock()
        self.stats = {"queries": 0, "inserts": 0, "errors": 0}

    def count(self, key):
        with self.stats_lock:
            self.stats[key] += 1

    def error(self, name, message):
        """An exception of our own, shaped like the server's."""
        code = self.code_by_name.get(name, 1001)
        return ClickHouseError(code, f"Code: {code}. DB::Exception: {message}. ({name})")

    def run(self, sql, fmt, database, settings, params, insert_body):
        """Runs one request on a pooled connection; returns (bytes, summary)."""
        conn = self.pool.get()
        dirty, poisoned = [], False
        try:
            if database:
                conn.query(f"USE {quote_ident(database)}", "TabSeparated")
            for name, value in settings.items():
                if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                    raise self.error("UNKNOWN_SETTING", f"Unknown setting '{name}'")
                conn.query(f"SET {name} = {quote_string(value)}", "TabSeparated")
                if name == "readonly":
                    poisoned = True
                else:
                    dirty.append(name)
            started = time.monotonic_ns()
            if insert_body is not None:
                head, in_fmt = insert_body[0], insert_body[1]
                inserter = conn.send_insert(head, in_fmt)
                try:
                    inserter.append(insert_body[2])
                    res = inserter.finish()
                except BaseException:
                    cancel = getattr(inserter, "cancel", None)
                    if cancel:
                        cancel()
                    raise
                written = getattr(res, "rows_written", 0)
                written = written() if callable(written) else written
                self.count("inserts")
                return b"", summary(0, 0, written, len(insert_body[2]), 0, 0, started)
            res = conn.query(sql, fmt, params=params)
            data = res.bytes() if hasattr(res, "bytes") else bytes(res)
            self.count("queries")
            return data, summary(res.rows_read(), res.bytes_read(), 0, 0, 0, len(data), started)
        except ClickHouseError:
            self.count("errors")
            raise
        except Exception as e:  # chdb raises ChdbError / RuntimeError with the server text
            self.count("errors")
            text = str(e).strip()
            m = EXCEPTION_CODE.search(text)
            raise ClickHouseError(int(m.group(1)) if m else 1001, text) from None
        finally:
            try:
                if poisoned:
                    conn.close()
                    conn = chdb.connect(self.path)
                else:
                    for name in dirty:
                        conn.query(f"SET {name} = DEFAULT", "TabSeparated")
                    if database:
                        conn.query("USE default", "TabSeparated")
            except Exception:
                conn = chdb.connect(self.path)
            self.pool.put(conn)


def summary(read_rows, read_bytes, written_rows, written_bytes, total, result_bytes, started):
    return {
        "read_rows": str(read_rows), "read_bytes": str(read_bytes),
        "written_rows": str(written_rows), "written_bytes": str(written_bytes),
        "total_rows_to_read": str(total), "result_rows": str(read_rows if result_bytes else 0),
        "result_bytes": str(result_bytes), "elapsed_ns": str(time.monotonic_ns() - started),
    }


def quote_ident(name):
    return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`"


def quote_string(value):
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def decompress_native(body, verify):
    """Undoes ClickHouse's native compression framing: per block a 16-byte CityHash128 of
    the rest, method byte, compressed size (with the 9-byte header), uncompressed size."""
    out, pos = bytearray(), 0
    while pos < len(body):
        if len(body) - pos < 25:
            raise ValueError("truncated compressed block header")
        checksum = body[pos:pos + 16]
        method = body[pos + 16]
        compressed_size, size = struct.unpack_from("<II", body, pos + 17)
        block = body[pos + 16:pos + 16 + compressed_size]
        if compressed_size < 9 or len(block) != compressed_size:
            raise ValueError("truncated compressed block")
        if verify and cityhash is not None:
            # The binding returns (first << 64) | second; the wire holds first, then second,
            # each little-endian.
            h = cityhash.CityHash128(bytes(block))
            expected = struct.pack("<QQ", h >> 64, h & 0xFFFFFFFFFFFFFFFF)
            if expected != checksum:
                raise ValueError("checksum doesn't match: corrupted data")
        payload = block[9:]
        if method == 0x82:
            out += lz4.block.decompress(payload, uncompressed_size=size)
        elif method == 0x02:
            out += payload
        else:
            raise ValueError(f"unknown compression method 0x{method:02x}")
        pos += 16 + compressed_size
    return bytes(out)


def parse_multipart(body, content_type):
    """The fields of a multipart/form-data body, as {name: text}."""
    m = re.search(r'boundary="?([^";]+)"?', content_type)
    if not m:
        return {}
    delimiter = b"--" + m.group(1).encode()
    fields = {}
    for part in body.split(delimiter)[1:]:
        if part.startswith(b"--"):
            break
        part = part[2:] if part.startswith(b"\r\n") else part
        head, _, value = part.partition(b"\r\n\r\n")
        if value.endswith(b"\r\n"):
            value = value[:-2]
        name = re.search(rb'name="([^"]*)"', head)
        if name:
            fields[name.group(1).decode()] = value.decode("utf-8", "replace")
    return fields


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ClickHouse-chdb-adapter"

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("%s %s\n" % (self.address_string(), fmt % args))

    def respond(self, status, body=b"", headers=()):
        reason = self.responses.get(status, ("",))[0]
        lines = [f"HTTP/1.1 {status} {reason}", f"Content-Length: {len(body)}",
                 "X-ClickHouse-Server-Display-Name: chdb-adapter",
                 "Connection: " + ("close" if self.close_connection else "keep-alive")]
        lines += [f"{k}: {v}" for k, v in headers]
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self.wfile.write(head + (b"" if self.command == "HEAD" else body))
        self.log_request(status, len(body))

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                line = self.rfile.readline(65537)
                size = int(line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline(3)
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_GET(self):
        self.handle_request()

    def do_POST(self):
        self.handle_request()

    def do_HEAD(self):
        self.handle_request()

    def do_OPTIONS(self):
        self.respond(204, headers=[("Allow", "GET, POST, HEAD, OPTIONS")])

    def handle_request(self):
        engine = self.server.engine
        url = urlsplit(self.path)
        try:
            body = self.read_body()
        except (ValueError, OSError) as e:
            self.close_connection = True
            return self.fail(engine.error("CANNOT_READ_FROM_SOCKET", f"bad request body: {e}"))
        if url.path in ("/ping", "/ping/"):
            return self.respond(200, b"Ok.\n", [("Content-Type", "text/html; charset=UTF-8")])
        if url.path == "/adapter/stats":
            with engine.stats_lock:
                data = json.dumps(engine.stats).encode()
            return self.respond(200, data, [("Content-Type", "application/json")])
        if url.path not in ("/", "/query", ""):
            return self.respond(404, f"There is no handle {url.path}\n".encode(),
                                [("Content-Type", "text/plain; charset=UTF-8")])
        params = dict(parse_qsl(url.query, keep_blank_values=True))
        try:
            self.execute(engine, params, body)
        except ClickHouseError as e:
            self.fail(e)

    def execute(self, engine, params, body):
        ctype = self.headers.get("Content-Type", "")
        if ctype.startswith("multipart/form-data"):
            params.update(parse_multipart(body, ctype))
            body = b""
        try:
            encoding = self.headers.get("Content-Encoding", "").strip().lower()
            if encoding == "gzip":
                body = gzip.decompress(body)
            elif encoding == "deflate":
                body = zlib.decompress(body)
            elif encoding == "lz4":
                body = lz4.frame.decompress(body)
            elif encoding not in ("", "identity"):
                raise engine.error("BAD_ARGUMENTS", f"Unknown Content-Encoding: {encoding}")
            if params.get("decompress") == "1":
                verify = params.get(
                    "http_native_compression_disable_checksumming_on_decompress") != "1"
                body = decompress_native(body, verify)
        except (ValueError, OSError, RuntimeError, zlib.error) as e:
            raise engine.error("CANNOT_DECOMPRESS", f"Cannot decompress request body: {e}")

        url_sql = params.get("query", "")
        query_params = {k[6:]: v for k, v in params.items() if k.startswith("param_")}
        settings = {k: v for k, v in params.items()
                    if k not in PROTOCOL_PARAMS and not k.startswith("param_")}
        fmt = params.get("default_format") or "TabSeparated"
        query_id = params.get("query_id") or str(uuid.uuid4())

        insert = None
        m = INSERT_WITH_FORMAT.match(url_sql) if url_sql and body else None
        if m:
            insert = (m.group(1), m.group(2), body)
            sql = url_sql
        elif url_sql and body:
            sql = url_sql + "\n" + body.decode("utf-8", "replace")
        else:
            sql = url_sql or body.decode("utf-8", "replace")
        if not LEADING_COMMENTS.sub("", sql).strip():
            raise engine.error("SYNTAX_ERROR", "Empty query")

        data, stats = engine.run(sql, fmt, params.get("database"), settings, query_params,
                                 insert)
        headers = [("X-ClickHouse-Query-Id", query_id), ("X-ClickHouse-Format", fmt),
                   ("X-ClickHouse-Timezone", "UTC"),
                   ("X-ClickHouse-Summary", json.dumps(stats, separators=(",", ":"))),
                   ("Content-Type", CONTENT_TYPES.get(fmt, "application/octet-stream"))]
        if params.get("enable_http_compression") == "1" and data:
            accepted = [a.strip().split(";")[0] for a in
                        self.headers.get("Accept-Encoding", "").lower().split(",")]
            if "lz4" in accepted:
                data = lz4.frame.compress(data)
                headers.append(("Content-Encoding", "lz4"))
            elif "gzip" in accepted:
                data = gzip.compress(data)
                headers.append(("Content-Encoding", "gzip"))
            elif "deflate" in accepted:
                data = zlib.compress(data)
                headers.append(("Content-Encoding", "deflate"))
        self.respond(200, data, headers)

    def fail(self, err):
        engine = self.server.engine
        text = err.text.rstrip()
        if "(version " not in text:
            text += f" (version {engine.version})"
        status = engine.status_by_code.get(err.code, 500)
        self.respond(status, (text + "\n").encode("utf-8", "replace"), [
            ("X-ClickHouse-Exception-Code", str(err.code)),
            ("Content-Type", "text/plain; charset=UTF-8"),
        ])


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024
    allow_reuse_address = True


def watch_parent(pid):
    """Exits when the process that started us is gone (a test binary that ended)."""
    while True:
        time.sleep(0.5)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            os._exit(0)
        except PermissionError:
            pass
        if os.getppid() == 1 and pid != 1:
            os._exit(0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8123)
    ap.add_argument("--data", default=".data/clickhouse")
    ap.add_argument("--pool", type=int, default=8)
    ap.add_argument("--parent-pid", type=int)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()

    engine = Engine(args.data, args.pool)
    server = Server((args.host, args.port), Handler)
    server.engine = engine
    server.verbose = args.verbose
    if args.parent_pid:
        threading.Thread(target=watch_parent, args=(args.parent_pid,), daemon=True).start()
    host, port = server.server_address[:2]
    print(f"listening on {host}:{port}", flush=True)
    sys.stderr.write(f"chdb-adapter: ClickHouse {engine.version} on http://{host}:{port}, "
                     f"data in {os.path.abspath(args.data)}\n")
    try:
        server.serve_forever(poll_interval=0.5)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
