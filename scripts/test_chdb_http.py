"""Tests of scripts/chdb_http.py over raw HTTP (what the Rust tests cannot easily send).

    .venv/bin/python -m unittest -v scripts/test_chdb_http.py

Starts one adapter on a free port with its data in a temporary folder. `cargo test`
runs this file too (tests/it/adapter.rs, `adapter_python_tests`).
"""

import gzip
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import zlib
from urllib.parse import urlencode

import lz4.frame

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import chdb_http  # noqa: E402  (the helpers: native framing)


class Adapter:
    def __init__(self):
        self.data = tempfile.mkdtemp(prefix="chdb-http-test-")
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(HERE, "chdb_http.py"), "--port", "0", "--data",
             self.data, "--remove-data-on-exit", "--parent-pid", str(os.getpid()),
             "--pool", "4"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline().strip()
        assert line.startswith("listening on "), line
        self.host, port = line[len("listening on "):].rsplit(":", 1)
        self.port = int(port)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)
        self.proc.stdout.close()


ADAPTER = None


def setUpModule():
    global ADAPTER
    ADAPTER = Adapter()


def tearDownModule():
    ADAPTER.stop()


def conn():
    return http.client.HTTPConnection(ADAPTER.host, ADAPTER.port, timeout=60)


def request(method, path="/", body=None, headers=None, params=None, c=None):
    own = c is None
    c = c or conn()
    if params:
        path += ("&" if "?" in path else "?") + urlencode(params)
    try:
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        if own:
            c.close()


def query(sql, **params):
    return request("POST", "/", sql.encode(), params=params)


def ok(sql, **params):
    status, _, body = query(sql, **params)
    assert status == 200, (status, body)
    return body


class Basics(unittest.TestCase):
    def test_ping_head_options_and_unknown_paths(self):
        self.assertEqual(request("GET", "/ping")[2], b"Ok.\n")
        status, headers, body = request("HEAD", "/?query=SELECT+1")
        self.assertEqual((status, body), (200, b""))
        self.assertEqual(headers["content-length"], "2")
        self.assertEqual(request("OPTIONS", "/")[0], 204)
        self.assertEqual(request("GET", "/nowhere")[0], 404)

    def test_version_over_get(self):
        status, headers, body = request("GET", "/?query=SELECT+version()")
        self.assertEqual(status, 200)
        self.assertTrue(body.startswith(b"26.9"), body)
        self.assertEqual(headers["x-clickhouse-format"], "TabSeparated")

    def test_post_without_length_is_411_and_empty_query_400(self):
        s = socket.create_connection((ADAPTER.host, ADAPTER.port))
        s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
        s.close()
        self.assertTrue(answer.startswith(b"HTTP/1.1 411"), answer)
        self.assertIn(b"X-ClickHouse-Exception-Code: 381", answer)
        status, headers, body = query("  -- nothing\n")
        self.assertEqual((status, headers["x-clickhouse-exception-code"]), (400, "62"))

    def test_server_defaults_not_clickhouse_locals(self):
        status, headers, _ = query("SELEC")  # no implicit SELECT, as on the server
        self.assertEqual((status, headers["x-clickhouse-exception-code"]), (400, "62"))
        self.assertEqual(ok("SELECT getSetting('allow_introspection_functions')"), b"false\n")

    def test_one_statement_per_request(self):
        status, _, body = query("SELECT 1; SELECT 2")
        self.assertEqual(status, 400)
        self.assertIn(b"Multi-statements are not allowed", body)
        self.assertEqual(ok("SELECT 1;"), b"1\n")
        self.assertEqual(ok("SELECT ';' -- ;\n"), b";\n")

    def test_url_query_and_body_are_joined_by_a_newline(self):
        self.assertEqual(ok("+ 1", query="SELECT 41"), b"42\n")


class Bodies(unittest.TestCase):
    def test_chunked_request_body(self):
        c = conn()
        c.putrequest("POST", "/")
        c.putheader("Transfer-Encoding", "chunked")
        c.endheaders()
        for part in (b"SELECT ", b"sum(number) ", b"FROM numbers(10)"):
            c.send(b"%x\r\n%s\r\n" % (len(part), part))
        c.send(b"0\r\n\r\n")
        r = c.getresponse()
        self.assertEqual((r.status, r.read()), (200, b"45\n"))
        c.close()

    def test_content_encodings(self):
        sql = b"SELECT 'encoded'"
        for name, data in (("gzip", gzip.compress(sql)), ("deflate", zlib.compress(sql)),
                           ("lz4", lz4.frame.compress(sql))):
            status, _, body = request("POST", "/", data, {"Content-Encoding": name})
            self.assertEqual((status, body), (200, b"encoded\n"), name)

    def test_native_compression_both_ways(self):
        sql = b"SELECT number, toString(number) FROM numbers(200000)"
        expected = ok(sql.decode())
        status, _, body = request("POST", "/", chdb_http.compress_native(sql),
                                  params={"decompress": "1", "compress": "1"})
        self.assertEqual(status, 200, body)
        self.assertEqual(chdb_http.decompress_native(body, verify=True), expected)

        broken = bytearray(chdb_http.compress_native(sql))
        broken[3] ^= 0xFF
        status, headers, body = request("POST", "/", bytes(broken), params={"decompress": "1"})
        self.assertEqual(status, 500)
        self.assertIn(b"Checksum doesn't match", body)
        status, _, _ = request("POST", "/", bytes(broken), params={
            "decompress": "1",
            "http_native_compression_disable_checksumming_on_decompress": "1"})
        self.assertEqual(status, 200)

    def test_response_encodings_follow_accept_encoding(self):
        sql = b"SELECT number FROM numbers(1000)"
        plain = ok(sql.decode())
        decoders = {"lz4": lz4.frame.decompress, "gzip": gzip.decompress,
                    "deflate": zlib.decompress}
        for accept, name in (("lz4", "lz4"), ("gzip, deflate", "gzip"),
                             ("deflate", "deflate"), ("zstd, gzip", "gzip")):
            status, headers, body = request("POST", "/", sql, {"Accept-Encoding": accept})
            self.assertEqual(headers.get("content-encoding"), name, accept)
            self.assertEqual(decoders[name](body), plain)
        status, headers, body = request("POST", "/", sql, {"Accept-Encoding": "lz4"},
                                        params={"enable_http_compression": "0"})
        self.assertNotIn("content-encoding", headers)
        self.assertEqual(body, plain)

    def test_multipart_parameters(self):
        boundary = "----b0undary"
        parts = [("query", "SELECT {a:UInt8} + {b:UInt8}, {s:String}"), ("param_a", "40"),
                 ("param_b", "2"), ("param_s", "it\\'s\\ttab")]
        body = "".join(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{n}\"\r\n\r\n"
                       f"{v}\r\n" for n, v in parts) + f"--{boundary}--\r\n"
        status, _, answer = request(
            "POST", "/", body.encode(),
            {"Content-Type": f"multipart/form-data; boundary={boundary}"},
            params={"default_format": "JSONCompactEachRow"})
        self.assertEqual(status, 200, answer)
        self.assertEqual(json.loads(answer), [42, "it's\ttab"])


class Inserts(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        ok("CREATE DATABASE IF NOT EXISTS ins")
        ok("CREATE TABLE ins.t (a UInt32, s String, f Float64) ENGINE = MergeTree ORDER BY a")

    def count(self):
        return int(ok("SELECT count() FROM ins.t"))

    def test_binary_formats_round_trip(self):
        for fmt in ("Native", "RowBinary", "RowBinaryWithNamesAndTypes", "Parquet",
                    "ArrowStream"):
            data = ok(f"SELECT toUInt32(number) AS a, repeat('\\n\\r\\0', number % 5) AS s, "
                      f"number / 3 AS f FROM numbers(1000) FORMAT {fmt}")
            before = self.count()
            status, headers, body = request("POST", "/", data, params={
                "query": f"INSERT INTO ins.t FORMAT {fmt}"})
            self.assertEqual(status, 200, (fmt, body))
            summary = json.loads(headers["x-clickhouse-summary"])
            self.assertEqual(summary["written_rows"], "1000", fmt)
            self.assertEqual(self.count() - before, 1000, fmt)

    def test_data_after_the_format_line_of_the_body(self):
        before = self.count()
        ok("INSERT INTO ins.t (a, s) FORMAT JSONEachRow\n{\"a\":1,\"s\":\"x\"}\n")
        ok("INSERT INTO ins.t VALUES (2, 'FORMAT CSV', 0)")
        self.assertEqual(self.count() - before, 2)

    def test_bad_data_fails_like_the_server(self):
        status, headers, body = request("POST", "/", b'{"a":"zz"}\n', params={
            "query": "INSERT INTO ins.t FORMAT JSONEachRow"})
        self.assertEqual(status, 400)
        self.assertEqual(headers["x-clickhouse-exception-code"], "27")
        self.assertTrue(body.startswith(b"Code: 27. DB::Exception: "), body)
        self.assertTrue(body.rstrip().endswith(b"(official build))"), body)


class State(unittest.TestCase):
    def test_settings_and_use_do_not_leak(self):
        for _ in range(10):
            self.assertEqual(ok("SELECT getSetting('max_threads')", max_threads="1"), b"1\n")
            ok("SET max_threads = 1")
            ok("USE system")
            ok("SELECT 1", readonly="1")
        for _ in range(10):
            self.assertEqual(ok("SELECT currentDatabase()", database="system"), b"system\n")
            self.assertEqual(ok("SELECT currentDatabase()"), b"default\n")
        for _ in range(10):
            self.assertNotEqual(ok("SELECT getSetting('max_threads')"), b"1\n")
            self.assertEqual(ok("SELECT currentDatabase(), getSetting('readonly')"),
                             b"default\t0\n")

    def test_sessions_keep_their_state(self):
        sid = f"s-{time.time()}"
        ok("CREATE TEMPORARY TABLE tmp (a UInt8)", session_id=sid)
        ok("INSERT INTO tmp VALUES (7)", session_id=sid)
        ok("SET max_threads = 1", session_id=sid)
        self.assertEqual(ok("SELECT a, getSetting('max_threads') FROM tmp", session_id=sid),
                         b"7\t1\n")
        status, _, _ = query("SELECT * FROM tmp")
        self.assertEqual(status, 404)
        status, headers, _ = query("SELECT 1", session_id="nope", session_check="1")
        self.assertEqual(headers["x-clickhouse-exception-code"], "372")

    def test_kill_query_and_duplicate_ids(self):
        qid = f"long-{time.time()}"
        result = {}

        def long():
            result["answer"] = query(
                "SELECT sleepEachRow(0.2) FROM numbers(100) SETTINGS max_block_size = 1",
                query_id=qid, function_sleep_max_microseconds_per_block="0")

        t = threading.Thread(target=long)
        started = time.monotonic()
        t.start()
        time.sleep(0.5)
        status, headers, _ = query("SELECT 1", query_id=qid)
        self.assertEqual((status, headers["x-clickhouse-exception-code"]), (500, "216"))
        killed = ok(f"KILL QUERY WHERE query_id = '{qid}' SYNC")
        self.assertIn(b"finished", killed)
        t.join(30)
        status, headers, body = result["answer"]
        self.assertEqual(headers["x-clickhouse-exception-code"], "394", body)
        self.assertLess(time.monotonic() - started, 10)
        self.assertEqual(ok("SELECT 1", query_id=qid), b"1\n")

    def test_stats_count_round_trips(self):
        ok("CREATE DATABASE IF NOT EXISTS counted")
        before = json.loads(request("GET", "/adapter/stats?database=counted")[2])
        ok("SELECT 1", database="counted")
        query("SELECT * FROM nope", database="counted")
        ok("CREATE TABLE IF NOT EXISTS c (a UInt8) ENGINE = Memory", database="counted")
        request("POST", "/", b"1\n", params={"database": "counted",
                                           "query": "INSERT INTO c FORMAT TSV"})
        after = json.loads(request("GET", "/adapter/stats?database=counted")[2])
        self.assertEqual(after["queries"] - before["queries"], 3)
        self.assertEqual(after["inserts"] - before["inserts"], 1)
        self.assertEqual(after["errors"] - before["errors"], 1)
        total = json.loads(request("GET", "/adapter/stats")[2])
        self.assertGreaterEqual(total["queries"], after["queries"])


class Performance(unittest.TestCase):
    def test_keep_alive_latency(self):
        c = conn()
        for _ in range(20):
            request("POST", "/", b"SELECT 1", c=c)
        n = 300
        started = time.perf_counter()
        for _ in range(n):
            status, _, _ = request("POST", "/", b"SELECT 1", c=c)
        ms = (time.perf_counter() - started) / n * 1000
        c.close()
        sys.stderr.write(f"\nSELECT 1 over keep-alive: {ms:.2f} ms per request\n")
        self.assertEqual(status, 200)
        self.assertLess(ms, 20, "a 40 ms delayed ACK would show here")

    def test_hundreds_of_concurrent_connections(self):
        errors = []
        barrier = threading.Barrier(200)

        def client():
            try:
                c = conn()
                c.connect()
                barrier.wait(30)
                for _ in range(3):
                    status, _, body = request("POST", "/", b"SELECT 1", c=c)
                    if (status, body) != (200, b"1\n"):
                        errors.append((status, body))
                c.close()
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(e)

        threads = [threading.Thread(target=client) for _ in range(200)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        self.assertEqual(errors, [])


if __name__ == "__main__":
    unittest.main()
