#!/usr/bin/env python3
"""ClickHouse's HTTP interface over the real ClickHouse engine from the PyPI package chdb-core.

    chdb_http.py [--host 127.0.0.1] [--port 8123] [--data .data/clickhouse]
                 [--pool 16] [--parent-pid PID] [--remove-data-on-exit] [--verbose]

chdb runs ClickHouse in-process and cannot listen by itself, so this adapter serves the HTTP
interface for it: enough that the official `clickhouse` Rust crate, curl and the gateway use it
unchanged. It is a stand-in for development and tests; production uses a real server. With
`--port 0` it picks a free port; either way its first line on stdout is `listening on
HOST:PORT`. With `--parent-pid` it exits when that process is gone.

What it implements, as the real server does:
- GET/POST/HEAD on `/` with `?query=`, the SQL in the body, or both (the URL part, a newline,
  then the body); `/ping` and `/replicas_status` answer `Ok.`; OPTIONS answers 204.
- `database` (or `X-ClickHouse-Database`), `default_format` (or `X-ClickHouse-Format`),
  `query_id` (or `X-ClickHouse-Query-Id`), `session_id`/`session_timeout`/`session_check`,
  `param_<name>` (URL or multipart/form-data, for `{name:Type}`), and every other URL parameter
  as a setting of that request only (unknown ones fail with UNKNOWN_SETTING). GET requests run
  with `readonly=2` unless they say otherwise. One statement per request (several fail with
  SYNTAX_ERROR, "Multi-statements are not allowed").
- request bodies: `Content-Length` or chunked (else 411 for POST), `Content-Encoding`
  gzip/deflate/lz4, and ClickHouse's native block compression with `decompress=1` (LZ4 or
  none; the CityHash128 checksum is verified).
- `INSERT ... FORMAT <fmt>` with the data in the body (after the URL query, or after the
  FORMAT line of the body), any input format, binary ones included.
- responses: `X-ClickHouse-Query-Id`, `-Format`, `-Timezone`, `-Summary` (read_rows and
  read_bytes as rows/bytes read from storage, result_rows, written_rows, elapsed_ns, ...),
  `-Server-Display-Name`, the format's `Content-Type`; `Accept-Encoding` lz4 (frame), gzip or
  deflate when `enable_http_compression` is on (the engine's default is on, as in 25.10+);
  `compress=1` (native block compression of the result).
- errors: the server's HTTP status for the exception code (exceptionCodeToHTTPStatus.cpp),
  `X-ClickHouse-Exception-Code: N` and the `Code: N. DB::Exception: ... (NAME) (version ...)`
  text, headers and body in one write.
- `KILL QUERY WHERE query_id = '...'` stops a running request started with that `query_id`,
  and a second request with the id of a running one fails with
  QUERY_WITH_SAME_ID_IS_ALREADY_RUNNING. chdb gives every query an id of its own and cannot be
  told ours, so a request with an explicit `query_id` (and no `log_comment` of its own) carries
  `log_comment = 'chdb_http:query_id=<id>'`, and the adapter rewrites `query_id` in a `KILL
  QUERY` condition to match that tag as well as the engine's id (the rows KILL answers show
  the engine's id). The KILL runs on a connection of its own: it never waits for the pool.
- `GET /adapter/stats`: `{"queries": N, "inserts": M, "errors": E}` since start, every request
  that reached the engine counted once, failed ones included (INSERT statements are inserts,
  everything else queries). `?database=NAME` counts only the requests that named that database
  (the `database` URL parameter), so concurrent tests in their own databases can count their
  own ClickHouse round trips.

Facts about chdb it respects (measured on chdb-core 26.9): one engine per process and data
directory, so a pool of connections to it, one request per connection at a time (queries
release the GIL and run in parallel). `SET`/`USE` stick to a connection, and `readonly` cannot
be lowered again once set, so a connection that ran `SET` (ours for the URL settings, or the
client's), `USE` or `CREATE TEMPORARY TABLE` is closed and replaced after the response has
been sent (a new connection costs ~0.15 ms), and `USE <database>` is only sent when the pooled
connection is on another database. Binary inserts cannot go through `query()`, so every
`INSERT ... FORMAT` with data goes through `send_insert(sql, fmt).append(data).finish()`.
chdb has clickhouse-local's defaults, so every connection first gets the server's where they
differ (`implicit_select = 0`: else `SELEC` runs as `SELECT SELEC`; no introspection).
Each response leaves in one write with TCP_NODELAY, or every keep-alive request would wait
40 ms for a delayed ACK.

Not implemented: credentials are accepted and not checked (chdb has the `default` user only);
results are buffered, so there are no progress headers, no `X-ClickHouse-Exception-Tag` and
no exception written into a half-sent body (`wait_end_of_query` is always in effect);
multipart file parts (external tables) are ignored; zstd/br/xz request or response encodings
(the response falls back to lz4/gzip/deflate or none). In a session (`session_id`), the URL
settings of a request persist in the session.
"""

import argparse
import gzip
import json
import os
import queue
import re
import shutil
import signal
import socket
import struct
import sys
import threading
import time
import uuid
import zlib
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import chdb
import lz4.block
import lz4.frame

import clickhouse_cityhash.cityhash as cityhash  # CityHash v1.0.2, as ClickHouse checksums

# URL parameters that belong to the HTTP protocol, not to the settings of the query. The
# HTTP-only settings among them are read here; the engine would ignore them.
PROTOCOL_PARAMS = {
    "query", "database", "default_format", "user", "password", "quota_key", "compress",
    "decompress", "query_id", "session_id", "session_timeout", "session_check", "stacktrace",
    "buffer_size", "wait_end_of_query", "role", "client_protocol_version",
    "enable_http_compression", "http_zlib_compression_level",
    "http_native_compression_disable_checksumming_on_decompress",
    "send_progress_in_http_headers", "http_headers_progress_interval_ms",
    "http_wait_end_of_query", "http_response_buffer_size", "add_http_cors_header",
    "cancel_http_readonly_queries_on_client_close",
}

# src/Server/HTTP/exceptionCodeToHTTPStatus.cpp, by error name (the numbers come from the
# engine's errorCodeToName). Any other code is 500.
STATUS_BY_ERROR = {
    401: ["REQUIRED_PASSWORD"],
    403: ["UNKNOWN_USER", "WRONG_PASSWORD", "AUTHENTICATION_FAILED", "SET_NON_GRANTED_ROLE",
          "ACCESS_DENIED"],
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
    415: ["UNSUPPORTED_MEDIA_TYPE"],
}

BINARY_FORMATS = {
    "native", "rowbinary", "rowbinarywithnames", "rowbinarywithnamesandtypes",
    "rowbinarywithdefaults", "arrow", "arrowstream", "parquet", "orc", "avro", "protobuf",
    "protobufsingle", "protobuflist", "capnproto", "msgpack", "bsoneachrow", "npy",
}

EXPOSE_HEADERS = ("X-ClickHouse-Query-Id,X-ClickHouse-Summary,X-ClickHouse-Server-Display-Name,"
                  "X-ClickHouse-Format,X-ClickHouse-Timezone,X-ClickHouse-Exception-Code,"
                  "X-ClickHouse-Exception-Tag")

_COMMENTS = r"(?:\s|--[^\n]*(?:\n|\Z)|/\*.*?\*/)*"
LEADING = re.compile(_COMMENTS, re.S)
# INSERT ... FORMAT <name>, then spaces and at most one newline before the data.
INSERT_FORMAT = re.compile(
    (r"\A" + _COMMENTS + r"(INSERT\b.*?)\s+FORMAT\s+([A-Za-z][A-Za-z0-9_]*)[ \t]*(?:\r?\n)?")
    .encode(), re.I | re.S)
VALUES = re.compile(rb"\bVALUES\b", re.I)
FIRST_WORDS = re.compile(r"([A-Za-z]+)(?:\s+([A-Za-z]+))?")
OUTPUT_FORMAT = re.compile(
    r"\bFORMAT\s+([A-Za-z][A-Za-z0-9_]*)\s*(?:SETTINGS\b[^;]*)?;?\s*\Z", re.I | re.S)
KILL_QUERY_ID = re.compile(r"\bquery_id\b", re.I)
EXCEPTION_START = re.compile(r"Code: (\d+)\. DB::Exception: ")
VERSION_SUFFIX = re.compile(r"\s*\(version [^()]*(?:\([^()]*\))?[^()]*\)\.?\s*$")
SETTING_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
TAG_PREFIX = "chdb_http:query_id="
# Where chdb's defaults (clickhouse-local's) differ from the server's (system.settings WHERE
# changed, on chdb-core 26.9), applied to every connection.
SERVER_DEFAULTS = "SET implicit_select = 0, allow_introspection_functions = 0"


class ClickHouseError(Exception):
    """An exception with ClickHouse's code and text (without the version suffix)."""

    def __init__(self, code, text):
        super().__init__(text)
        self.code = code
        self.text = text


def parse_bool(value, default=False):
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def quote_ident(name):
    return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`"


def quote_string(value):
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def strip_leading(sql):
    return sql[LEADING.match(sql).end():]


def content_type(fmt):
    name = fmt.lower()
    if name in BINARY_FORMATS:
        return "application/octet-stream"
    if name.startswith(("tabseparated", "tsv")):
        return "text/tab-separated-values; charset=UTF-8"
    if name.startswith("csv"):
        header = "present" if "withnames" in name else "absent"
        return f"text/csv; charset=UTF-8; header={header}"
    if name.startswith("json") and ("eachrow" in name or name in ("jsonlines", "jsonl")):
        return "application/x-ndjson; charset=UTF-8"
    if name.startswith("json"):
        return "application/json; charset=UTF-8"
    if name == "ndjson":
        return "application/x-ndjson; charset=UTF-8"
    if name == "xml":
        return "application/xml; charset=UTF-8"
    return "text/plain; charset=UTF-8"


# --- ClickHouse's native block compression (compress=1 / decompress=1) ---------------------

def _checksum(block):
    # The binding returns (first << 64) | second; the wire holds first, then second, each
    # little-endian (as the Rust crate writes it: low word of the CityHash128 first).
    h = cityhash.CityHash128(bytes(block))
    return struct.pack("<QQ", h >> 64, h & 0xFFFFFFFFFFFFFFFF)


def decompress_native(body, verify):
    """Undoes ClickHouse's native compression framing: per block a 16-byte CityHash128 of the
    rest, method byte, compressed size (with the 9-byte header), uncompressed size, data."""
    out, pos, view = bytearray(), 0, memoryview(body)
    while pos < len(body):
        if len(body) - pos < 25:
            raise ValueError("truncated compressed block header")
        method = body[pos + 16]
        compressed_size, size = struct.unpack_from("<II", body, pos + 17)
        block = view[pos + 16:pos + 16 + compressed_size]
        if compressed_size < 9 or len(block) != compressed_size:
            raise ValueError("truncated compressed block")
        if verify and _checksum(block) != body[pos:pos + 16]:
            raise ValueError("Checksum doesn't match: corrupted data")
        payload = block[9:]
        if method == 0x82:
            out += lz4.block.decompress(payload, uncompressed_size=size)
        elif method == 0x02:
            out += payload
        else:
            raise ValueError(f"Unknown compression method 0x{method:02x} (only LZ4 and NONE)")
        pos += 16 + compressed_size
    return bytes(out)


def compress_native(data, block_size=1 << 20):
    """ClickHouse's native framing with LZ4 blocks of at most 1 MiB (as CompressedWriteBuffer)."""
    out = bytearray()
    for start in range(0, max(len(data), 1), block_size):
        chunk = data[start:start + block_size]
        packed = lz4.block.compress(chunk, store_size=False)
        block = struct.pack("<BII", 0x82, 9 + len(packed), len(chunk)) + packed
        out += _checksum(block) + block
    return bytes(out)


def parse_multipart(body, ctype):
    """The text fields of a multipart/form-data body, as {name: value}; file parts are skipped."""
    m = re.search(r'boundary="?([^";]+)"?', ctype)
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
        if name and b"filename=" not in head:
            fields[name.group(1).decode()] = value.decode("utf-8", "replace")
    return fields


class Slot:
    """One chdb connection and what is known of its state."""

    __slots__ = ("conn", "db", "dirty")

    def __init__(self, conn):
        self.conn = conn
        self.db = "default"
        self.dirty = False


class Session:
    __slots__ = ("slot", "lock", "timeout", "expires")

    def __init__(self, slot, timeout):
        self.slot = slot
        self.lock = threading.Lock()
        self.timeout = timeout
        self.expires = time.monotonic() + timeout


class Request:
    """What one HTTP request asks of the engine."""

    __slots__ = ("sql", "insert", "fmt", "database", "settings", "params", "query_id",
                 "explicit_id", "kind", "session")


class Engine:
    """The chdb engine, its connection pool, and the adapter's bookkeeping."""

    def __init__(self, data_dir, pool_size):
        os.makedirs(data_dir, exist_ok=True)
        self.path = "file:" + os.path.abspath(data_dir)
        first = self.connect()
        self.pool = queue.LifoQueue()
        self.pool.put(Slot(first))
        for _ in range(pool_size - 1):
            self.pool.put(Slot(self.connect()))
        self.control = self.connect()
        self.control_lock = threading.Lock()

        def scalar(sql):
            return first.query(sql, "TabSeparated").bytes().decode().rstrip("\n")

        self.version = scalar("SELECT version()")
        self.timezone = scalar("SELECT timezone()")
        self.http_compression_default = parse_bool(
            scalar("SELECT toString(getSetting('enable_http_compression'))"))
        self.code_by_name = {}
        for line in scalar("SELECT number, errorCodeToName(number) FROM numbers(3000) "
                           "WHERE errorCodeToName(number) != ''").splitlines():
            num, _, name = line.partition("\t")
            self.code_by_name[name] = int(num)
        self.status_by_code = {self.code_by_name[name]: status
                               for status, names in STATUS_BY_ERROR.items()
                               for name in names if name in self.code_by_name}
        self.lock = threading.Lock()
        self.stats = {"queries": 0, "inserts": 0, "errors": 0}
        self.stats_by_db = {}
        self.running = set()
        self.sessions = {}

    def connect(self):
        """A new connection to the engine, with the server's defaults where chdb's (those of
        clickhouse-local) differ: no implicit SELECT (`SELEC` would run as `SELECT SELEC`
        and fail with UNKNOWN_IDENTIFIER instead of SYNTAX_ERROR), no introspection
        functions."""
        conn = chdb.connect(self.path)
        conn.query(SERVER_DEFAULTS, "TabSeparated")
        return conn

    # --- bookkeeping --------------------------------------------------------------------

    def count(self, kind, database):
        with self.lock:
            self.stats[kind] += 1
            if database:
                per_db = self.stats_by_db.setdefault(
                    database, {"queries": 0, "inserts": 0, "errors": 0})
                per_db[kind] += 1

    def stats_json(self, database=None):
        with self.lock:
            stats = self.stats if database is None else self.stats_by_db.get(
                database, {"queries": 0, "inserts": 0, "errors": 0})
            return json.dumps(stats).encode()

    def error(self, name, message):
        """An exception of our own, shaped like the server's."""
        code = self.code_by_name.get(name, 1001)
        return ClickHouseError(code, f"Code: {code}. DB::Exception: {message}. ({name})")

    def from_chdb(self, exc):
        """chdb's exception text in the server's shape: from its first `Code: N.
        DB::Exception: ` (chdb prefixes some, e.g. "Streaming insert finish failed: "), one
        level when chdb nests the same exception in itself (e.g. UNKNOWN_FORMAT), and without
        the version suffix (`fail` adds the server's)."""
        text = str(exc).strip()
        first = EXCEPTION_START.search(text)
        if not first:
            return ClickHouseError(1001, f"Code: 1001. DB::Exception: {text}. (STD_EXCEPTION)")
        text = text[first.start():]
        while True:
            nested = re.match(r"Code: (\d+)\. DB::Exception: (?=Code: \1\. DB::Exception: )", text)
            if not nested:
                break
            text = text[nested.end():]
        cut = text.find(f" (version {self.version}")
        if cut >= 0:
            text = text[:cut]
        return ClickHouseError(int(first.group(1)), text.rstrip())

    # --- connections --------------------------------------------------------------------

    def acquire(self, session_id=None, session_timeout=60, session_check=False):
        if not session_id:
            return self.pool.get(), None
        now = time.monotonic()
        with self.lock:
            for sid in [s for s, v in self.sessions.items() if v.expires < now]:
                if self.sessions[sid].lock.acquire(blocking=False):
                    self.sessions.pop(sid).slot.conn.close()
            session = self.sessions.get(session_id)
            if session is None:
                if session_check:
                    raise self.error("SESSION_NOT_FOUND", f"Session {session_id} not found")
                session = Session(Slot(self.connect()), session_timeout)
                self.sessions[session_id] = session
            if not session.lock.acquire(blocking=False):
                raise self.error("SESSION_IS_LOCKED",
                                 f"Session {session_id} is locked by a concurrent client")
            session.timeout = session_timeout
        return session.slot, session

    def release(self, slot, session):
        if session is not None:
            session.expires = time.monotonic() + session.timeout
            session.lock.release()
            return
        if slot.dirty:
            try:
                slot.conn.close()
            except Exception:
                pass
            slot = Slot(self.connect())
        self.pool.put(slot)

    # --- execution ----------------------------------------------------------------------

    def execute(self, slot, req):
        """Runs one request on `slot`; returns (data, summary dict)."""
        conn = slot.conn
        # Without `database`, a request runs in `default`, or in a session in the session's.
        database = req.database or (None if req.session else "default")
        if database and database != slot.db:
            self.query(conn, f"USE {quote_ident(database)}")
            slot.db = database
        settings = dict(req.settings)
        if req.explicit_id and "log_comment" not in settings:
            settings["log_comment"] = TAG_PREFIX + req.query_id
        if settings:
            readonly = settings.pop("readonly", None)
            assignments = []
            for name, value in settings.items():
                if not SETTING_NAME.match(name):
                    raise self.error("UNKNOWN_SETTING", f"Unknown setting '{name}'")
                assignments.append(f"{name} = {quote_string(value)}")
            if readonly is not None:  # last: readonly=1 forbids the SETs after it
                assignments.append(f"readonly = {quote_string(readonly)}")
            slot.dirty = True
            self.query(conn, "SET " + ", ".join(assignments))
        if req.kind == "session":
            slot.dirty = True
            slot.db = None  # a USE of the client's: unknown from here on

        with self.lock:
            if req.query_id in self.running:
                raise self.error("QUERY_WITH_SAME_ID_IS_ALREADY_RUNNING",
                                 f"Query with id = {req.query_id} is already running")
            self.running.add(req.query_id)
        started = time.monotonic_ns()
        try:
            if req.insert is not None:
                head, fmt, data = req.insert
                try:
                    inserter = conn.send_insert(head, fmt)
                except Exception as e:
                    raise self.from_chdb(e) from None
                try:
                    if data:
                        inserter.append(data)
                    res = inserter.finish()
                except Exception as e:
                    try:
                        inserter.cancel()
                    except Exception:
                        pass
                    raise self.from_chdb(e) from None
                return b"", summary(0, 0, res.rows_written, res.bytes_written, 0, 0, started)
            try:
                res = conn.query(req.sql, req.fmt, params=req.params)
            except Exception as e:
                raise self.from_chdb(e) from None
            data = res.bytes()
            return data, summary(res.storage_rows_read(), res.storage_bytes_read(),
                                 res.rows_written(), res.bytes_written(), res.rows_read(),
                                 res.bytes_read(), started)
        finally:
            with self.lock:
                self.running.discard(req.query_id)

    def query(self, conn, sql):
        try:
            return conn.query(sql, "TabSeparated")
        except Exception as e:
            raise self.from_chdb(e) from None

    def kill(self, req):
        """KILL QUERY with `query_id` also matching the tag of our requests (see the top)."""
        tagged = ("if(startsWith(Settings['log_comment'], '" + TAG_PREFIX + "'), "
                  "substring(Settings['log_comment'], " + str(len(TAG_PREFIX) + 1) + "), "
                  "query_id)")
        sql = KILL_QUERY_ID.sub(tagged, req.sql)
        started = time.monotonic_ns()
        with self.control_lock:
            try:
                res = self.control.query(sql, req.fmt, params=req.params)
            except Exception as e:
                raise self.from_chdb(e) from None
            data = res.bytes()
            return data, summary(res.storage_rows_read(), res.storage_bytes_read(), 0, 0,
                                 res.rows_read(), res.bytes_read(), started)


def summary(read_rows, read_bytes, written_rows, written_bytes, result_rows, result_bytes,
            started):
    return {
        "read_rows": str(read_rows), "read_bytes": str(read_bytes),
        "written_rows": str(written_rows), "written_bytes": str(written_bytes),
        "total_rows_to_read": str(read_rows), "result_rows": str(result_rows),
        "result_bytes": str(result_bytes), "elapsed_ns": str(time.monotonic_ns() - started),
    }


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "chdb-http"

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("%s %s\n" % (self.address_string(), fmt % args))

    def log_request(self, code="-", size="-"):
        if self.server.verbose:
            ms = (time.perf_counter() - getattr(self, "started", time.perf_counter())) * 1000
            sys.stderr.write(f"chdb_http: {self.command} {self.path[:300]} -> {code} "
                             f"{size} B {ms:.1f} ms\n")

    def respond(self, status, body=b"", headers=()):
        reason = self.responses.get(status, ("",))[0]
        lines = [f"HTTP/1.1 {status} {reason}",
                 "Date: " + formatdate(usegmt=True),
                 "Connection: " + ("close" if self.close_connection else "Keep-Alive"),
                 "X-ClickHouse-Server-Display-Name: " + self.server.display_name,
                 "Access-Control-Expose-Headers: " + EXPOSE_HEADERS]
        lines += [f"{k}: {v}" for k, v in headers]
        lines.append(f"Content-Length: {len(body)}")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")
        if self.command == "HEAD" or not body:
            self.wfile.write(head)
        elif len(body) < 1 << 16:
            self.wfile.write(head + body)
        else:  # large: no copy; the head is a full segment of its own anyway
            self.wfile.write(head)
            self.wfile.write(body)
        self.log_request(status, len(body))

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                line = self.rfile.readline(65537)
                if not line:
                    raise ValueError("connection closed inside a chunked body")
                size = int(line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunk = self.rfile.read(size)
                if len(chunk) != size:
                    raise ValueError("connection closed inside a chunk")
                chunks.append(chunk)
                self.rfile.readline(3)
            return b"".join(chunks)
        length = self.headers.get("Content-Length")
        if length is None:
            if self.command == "POST":
                return None
            return b""
        length = int(length)
        body = self.rfile.read(length) if length else b""
        if len(body) != length:
            raise ValueError("connection closed inside the body")
        return body

    def do_GET(self):
        self.handle_request()

    def do_POST(self):
        self.handle_request()

    def do_HEAD(self):
        self.handle_request()

    def do_PUT(self):
        self.handle_request()

    def do_OPTIONS(self):
        self.started = time.perf_counter()
        self.respond(204, headers=[("Allow", "GET, POST, HEAD, OPTIONS"),
                                   ("Access-Control-Allow-Origin", "*")])

    def handle_request(self):
        self.started = time.perf_counter()
        engine = self.server.engine
        url = urlsplit(self.path)
        try:
            body = self.read_body()
        except (ValueError, OSError) as e:
            self.close_connection = True
            return self.fail(engine.error("CANNOT_READ_FROM_SOCKET", f"Bad request body: {e}"))
        path = url.path.rstrip("/") or "/"
        if path in ("/ping", "/replicas_status"):
            return self.respond(200, b"Ok.\n", [("Content-Type", "text/html; charset=UTF-8")])
        if path == "/adapter/stats":
            database = dict(parse_qsl(url.query)).get("database")
            return self.respond(200, engine.stats_json(database),
                                [("Content-Type", "application/json")])
        if path not in ("/", "/query"):
            return self.respond(404, f"There is no handle {url.path}\n\nUse / or /ping for "
                                     f"health checks.\n".encode(),
                                [("Content-Type", "text/plain; charset=UTF-8")])
        if body is None:
            return self.fail(engine.error(
                "HTTP_LENGTH_REQUIRED", "The Transfer-Encoding is not chunked and there is no "
                "Content-Length header for POST request"))
        params = dict(parse_qsl(url.query, keep_blank_values=True))
        try:
            req = self.parse(engine, params, body)
        except ClickHouseError as e:
            return self.fail(e)
        if req.kind == "kill":  # on the control connection: never waits for the pool
            engine.count("queries", req.database)
            try:
                data, stats = engine.kill(req)
            except ClickHouseError as e:
                engine.count("errors", req.database)
                return self.fail(e)
            return self.send_result(engine, params, req, data, stats)
        try:
            slot, session = engine.acquire(
                params.get("session_id"), int(params.get("session_timeout") or 60),
                parse_bool(params.get("session_check")))
        except ClickHouseError as e:
            return self.fail(e)
        released = False
        try:
            kind = "inserts" if req.insert is not None or req.kind == "insert" else "queries"
            engine.count(kind, req.database)
            try:
                data, stats = engine.execute(slot, req)
            except ClickHouseError as e:
                engine.count("errors", req.database)
                data, stats, error = None, None, e
            else:
                error = None
            if session is not None:
                # As the server: the session is free before the answer goes out, so the
                # client's next request never finds it locked. A pooled connection is
                # replaced (when it must be) after the answer, off the request's path.
                released = True
                engine.release(slot, session)
            if error is not None:
                return self.fail(error)
            self.send_result(engine, params, req, data, stats)
        finally:
            if not released:
                engine.release(slot, session)

    def parse(self, engine, params, body):
        """The request as the engine should run it."""
        headers = self.headers
        ctype = headers.get("Content-Type", "")
        multipart = ctype.lower().startswith("multipart/form-data")
        if multipart:
            fields = parse_multipart(body, ctype)
            if "query" in fields:
                params["query"] = fields.pop("query")
            params.update(fields)
            body = b""
        try:
            encoding = headers.get("Content-Encoding", "").strip().lower()
            if encoding == "gzip":
                body = gzip.decompress(body)
            elif encoding == "deflate":
                body = zlib.decompress(body)
            elif encoding == "lz4":
                body = lz4.frame.decompress(body)
            elif encoding not in ("", "identity"):
                raise engine.error("NOT_IMPLEMENTED",
                                   f"Content-Encoding {encoding} is not supported by chdb_http")
            if parse_bool(params.get("decompress")) and body:
                verify = not parse_bool(
                    params.get("http_native_compression_disable_checksumming_on_decompress"))
                body = decompress_native(body, verify)
        except (ValueError, OSError, RuntimeError, zlib.error, EOFError) as e:
            raise engine.error("CANNOT_DECOMPRESS", f"Cannot decompress the request body: {e}")

        req = Request()
        req.params = {k[6:]: v for k, v in params.items() if k.startswith("param_")}
        req.settings = {k: v for k, v in params.items()
                        if k not in PROTOCOL_PARAMS and not k.startswith("param_")}
        if self.command == "GET" and "readonly" not in req.settings:
            req.settings["readonly"] = "2"  # as the server: only reads over GET
        req.database = params.get("database") or headers.get("X-ClickHouse-Database") or None
        req.fmt = (params.get("default_format") or headers.get("X-ClickHouse-Format")
                   or "TabSeparated")
        given_id = params.get("query_id") or headers.get("X-ClickHouse-Query-Id")
        req.explicit_id = bool(given_id)
        req.query_id = given_id or str(uuid.uuid4())
        req.insert = None
        req.kind = "query"
        req.session = bool(params.get("session_id"))

        url_sql = params.get("query", "").encode()
        combined = url_sql + b"\n" + body if url_sql and body else (url_sql or body)
        m = INSERT_FORMAT.match(combined, 0, min(len(combined), 1 << 16))
        if m and not VALUES.search(m.group(1)):
            req.insert = (m.group(1).decode("utf-8", "replace"), m.group(2).decode(),
                          combined[m.end():])
            req.sql = m.group(0).decode("utf-8", "replace")
            req.kind = "insert"
            return req
        sql = combined.decode("utf-8", "replace")
        stmt = strip_leading(sql)
        if not stmt.strip():
            raise engine.error("SYNTAX_ERROR", "Empty query")
        req.sql = sql
        words = FIRST_WORDS.match(stmt)
        first = words.group(1).upper() if words else ""
        second = (words.group(2) or "").upper() if words else ""
        if first == "KILL" and second == "QUERY":
            req.kind = "kill"
        elif first in ("SET", "USE") or (first == "CREATE" and second == "TEMPORARY"):
            req.kind = "session"  # changes the connection: replaced afterwards
        elif first == "INSERT":
            req.kind = "insert"
        if ";" in stmt.rstrip().rstrip(";"):
            self.check_single_statement(engine, sql)
        return req

    def check_single_statement(self, engine, sql):
        with engine.control_lock:
            info = engine.control._conn.classify_query(sql)
        if info.get("statement_count", 0) > 1:
            raise engine.error("SYNTAX_ERROR",
                               "Syntax error (Multi-statements are not allowed)")

    def send_result(self, engine, params, req, data, stats):
        fmt = req.fmt
        m = OUTPUT_FORMAT.search(req.sql) if req.insert is None else None
        if m:
            fmt = m.group(1)
        headers = [("X-ClickHouse-Query-Id", req.query_id)]
        if req.insert is None:
            headers.append(("X-ClickHouse-Format", fmt))
        headers += [("X-ClickHouse-Timezone", engine.timezone),
                    ("Content-Type", content_type(fmt) if req.insert is None
                     else "text/plain; charset=UTF-8"),
                    ("X-ClickHouse-Summary", json.dumps(stats, separators=(",", ":")))]
        if parse_bool(params.get("compress")) and data:
            data = compress_native(data)
        accept = self.headers.get("Accept-Encoding", "").lower()
        if accept and data and parse_bool(params.get("enable_http_compression"),
                                          engine.http_compression_default):
            level = int(params.get("http_zlib_compression_level") or 3)
            # The server's preference order (chooseHTTPCompressionMethod), for what we have.
            if "lz4" in accept:
                data = lz4.frame.compress(data)
                headers.append(("Content-Encoding", "lz4"))
            elif "gzip" in accept:
                data = gzip.compress(data, compresslevel=level)
                headers.append(("Content-Encoding", "gzip"))
            elif "deflate" in accept:
                data = zlib.compress(data, level)
                headers.append(("Content-Encoding", "deflate"))
        self.respond(200, data, headers)

    def fail(self, err):
        engine = self.server.engine
        text = VERSION_SUFFIX.sub("", err.text.rstrip())
        text += f" (version {engine.version} (official build))\n"
        status = engine.status_by_code.get(err.code, 500)
        self.respond(status, text.encode("utf-8", "replace"), [
            ("Content-Type", "text/plain; charset=UTF-8"),
            ("X-ClickHouse-Exception-Code", str(err.code)),
        ])


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        if self.verbose:
            super().handle_error(request, client_address)


CLEANUP = []


def exit_now(*_):
    """Exits at once (daemon threads and all), removing the data folder if asked to."""
    for path in CLEANUP:
        shutil.rmtree(path, ignore_errors=True)
    os._exit(0)


def watch_parent(pid):
    """Exits when the process that started us is gone (a test binary that ended)."""
    while True:
        time.sleep(0.5)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            exit_now()
        except PermissionError:
            pass
        if os.getppid() == 1 and pid != 1:
            exit_now()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8123)
    ap.add_argument("--data", default=".data/clickhouse")
    ap.add_argument("--pool", type=int, default=16, help="engine connections (default 16)")
    ap.add_argument("--parent-pid", type=int, help="exit when this process is gone")
    ap.add_argument("--remove-data-on-exit", action="store_true",
                    help="delete the --data folder on exit (for tests)")
    ap.add_argument("--verbose", action="store_true", help="one line per request on stderr")
    args = ap.parse_args()

    if args.remove_data_on_exit:
        CLEANUP.append(os.path.abspath(args.data))
    signal.signal(signal.SIGTERM, exit_now)
    signal.signal(signal.SIGINT, exit_now)

    if args.parent_pid:
        threading.Thread(target=watch_parent, args=(args.parent_pid,), daemon=True).start()
    engine = Engine(args.data, max(args.pool, 1))
    server = Server((args.host, args.port), Handler)
    server.engine = engine
    server.verbose = args.verbose
    server.display_name = socket.gethostname()
    host, port = server.server_address[:2]
    print(f"listening on {host}:{port}", flush=True)
    sys.stderr.write(f"chdb_http: ClickHouse {engine.version} (chdb-core) on http://{host}:{port}"
                     f", data in {os.path.abspath(args.data)}\n")
    sys.stderr.flush()
    server.serve_forever(poll_interval=0.5)


if __name__ == "__main__":
    main()
