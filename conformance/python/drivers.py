"""The Postgres door through real Python drivers: psycopg 3 (text and binary), psycopg2 and
asyncpg. Each logs in with SCRAM, reads a datasource, checks exact values and parameters,
checks the SQLSTATE of a syntax error, an unknown table, a write, a statement timeout and a
bad password, and cancels a running query (CancelRequest).

    PIPEGATE_TEST_DSN=postgresql://admin:SECRET@127.0.0.1:PORT/pipegate python drivers.py

The datasource `events` must hold the rows tests/it/conformance.rs inserts. Prints one
line per check and `N passed, M failed`; exits non-zero on any failure.
"""
import asyncio
import datetime as dt
import os
import sys
from decimal import Decimal
from urllib.parse import urlsplit, urlunsplit

DSN = os.environ["PIPEGATE_TEST_DSN"]
ROWS_SQL = ("SELECT pathname, duration_ms, revenue, tags, timestamp FROM events "
            "ORDER BY timestamp")
EXPECTED = [
    ("/", 1200, None, ["a", "b"], dt.datetime(2026, 11, 1, 10, 0, 0, 250000)),
    ("/checkout", 0, Decimal("49.99"), [], dt.datetime(2026, 11, 1, 10, 1, 0)),
    ("/pricing", 300, None, ["über"], dt.datetime(2026, 11, 2, 8, 0, 0)),
]
ERRORS = {
    "SELEC 1": "42601",
    "SELECT * FROM nope": "42P01",
    "INSERT INTO events (pathname) VALUES ('x')": "25006",
}
# With `SET statement_timeout = '200ms'` first, this query ends with 57014. Unbounded it
# runs about 2.7 s (3 rows, 0.9 s each).
SLOW = "SELECT count() FROM events WHERE sleepEachRow(0.9) = 0"

results = []


def check(name, fn):
    try:
        fn()
        results.append((name, None))
        print(f"ok   {name}")
    except Exception as e:  # a failed check, reported with its cause
        results.append((name, e))
        print(f"FAIL {name}: {type(e).__name__}: {e}")


def bad_password_dsn():
    u = urlsplit(DSN)
    netloc = f"{u.username}:wrong@{u.hostname}:{u.port}"
    return urlunsplit((u.scheme, netloc, u.path, u.query, u.fragment))


def expect_equal(got, want):
    if got != want:
        raise AssertionError(f"got {got!r}, want {want!r}")


def cancel_while_running(conn, cancel, execute, error_type, sqlstate_of):
    """Runs SLOW without a timeout, cancels it from another thread after 0.3 s, and
    expects 57014 well before the query would have ended (2.7 s)."""
    import threading
    import time
    timer = threading.Timer(0.3, cancel)
    started = time.monotonic()
    timer.start()
    try:
        execute(SLOW)
        raise AssertionError("the cancelled query finished")
    except error_type as e:
        expect_equal(sqlstate_of(e), "57014")
    finally:
        timer.cancel()
    if time.monotonic() - started > 2.0:
        raise AssertionError("the query was not stopped early")


def psycopg3(binary):
    import psycopg

    def run():
        with psycopg.connect(DSN) as conn:
            cur = conn.cursor(binary=binary)
            cur.execute(ROWS_SQL)
            expect_equal([tuple(r) for r in cur.fetchall()], EXPECTED)
            cur.execute("SELECT pathname FROM events WHERE country = %s AND duration_ms > %s "
                        "ORDER BY pathname", ("ES", 10))
            expect_equal(cur.fetchall(), [("/",)])
            for sql, code in ERRORS.items():
                try:
                    cur.execute(sql)
                    raise AssertionError(f"{sql!r} did not fail")
                except psycopg.Error as e:
                    expect_equal(e.sqlstate, code)
                    # psycopg opened a transaction; after an error it is aborted (25P02)
                    # until rolled back, as on PostgreSQL.
                    conn.rollback()
            cur.execute("SET statement_timeout = '200ms'")
            try:
                cur.execute(SLOW)
                raise AssertionError("the slow query did not time out")
            except psycopg.Error as e:
                expect_equal(e.sqlstate, "57014")
                conn.rollback()
            cur.execute("SET statement_timeout = 0")
            conn.commit()
            cancel_while_running(conn, conn.cancel, cur.execute, psycopg.Error, lambda e: e.sqlstate)
            conn.rollback()
        try:
            psycopg.connect(bad_password_dsn())
            raise AssertionError("a wrong password was accepted")
        except psycopg.OperationalError as e:
            # libpq reports connection failures without a SQLSTATE; the text is PG's.
            if 'password authentication failed for user "admin"' not in str(e):
                raise
    return run


def psycopg2_run():
    import psycopg2
    conn = psycopg2.connect(DSN)
    cur = conn.cursor()
    cur.execute(ROWS_SQL)
    expect_equal([tuple(r) for r in cur.fetchall()], EXPECTED)
    cur.execute("SELECT pathname FROM events WHERE country = %s ORDER BY pathname", ("DE",))
    expect_equal(cur.fetchall(), [("/pricing",)])
    for sql, code in ERRORS.items():
        try:
            cur.execute(sql)
            raise AssertionError(f"{sql!r} did not fail")
        except psycopg2.Error as e:
            expect_equal(e.pgcode, code)
            conn.rollback()
    cur.execute("SET statement_timeout = '200ms'")
    try:
        cur.execute(SLOW)
        raise AssertionError("the slow query did not time out")
    except psycopg2.Error as e:
        expect_equal(e.pgcode, "57014")
        conn.rollback()
    cur.execute("SET statement_timeout = 0")
    conn.commit()
    cancel_while_running(conn, conn.cancel, cur.execute, psycopg2.Error, lambda e: e.pgcode)
    conn.rollback()
    conn.close()
    try:
        psycopg2.connect(bad_password_dsn())
        raise AssertionError("a wrong password was accepted")
    except psycopg2.OperationalError as e:
        if "password authentication failed" not in str(e):
            raise


# Three times SLOW in a row: unbounded it runs about 5 s here (2 cores), far from the 1 s a
# cancelled one takes.
SLOWER = ("SELECT count() FROM ("
          + " UNION ALL ".join(f"SELECT {i} AS x FROM events WHERE sleepEachRow(0.9) = 0"
                               for i in range(3))
          + ") AS t")


async def asyncpg_cancel(conn):
    """Cancels the task running SLOWER after 0.3 s. asyncpg then sends a CancelRequest and
    holds the connection until the server ends the query (ReadyForQuery); it drops the
    server's 57014 and raises CancelledError instead. The next query waits for that end, so
    its answer within 2 s shows that the gateway stopped the query early."""
    import time
    started = time.monotonic()
    task = asyncio.ensure_future(conn.fetchval(SLOWER))
    await asyncio.sleep(0.3)
    task.cancel()
    try:
        await task
        raise AssertionError("the cancelled query finished")
    except asyncio.CancelledError:
        pass
    expect_equal(int(await conn.fetchval("SELECT count(*) FROM events")), 3)
    if time.monotonic() - started > 2.0:
        raise AssertionError(f"the query was not stopped early ({time.monotonic() - started:.1f} s)")


def asyncpg_run():
    import asyncpg

    async def run():
        conn = await asyncpg.connect(DSN)
        rows = await conn.fetch(ROWS_SQL)
        expect_equal([tuple(r) for r in rows], EXPECTED)
        n = await conn.fetchval("SELECT count(*) FROM events WHERE country = $1", "ES")
        expect_equal(int(n), 2)
        for sql, code in ERRORS.items():
            try:
                await conn.execute(sql)
                raise AssertionError(f"{sql!r} did not fail")
            except asyncpg.PostgresError as e:
                expect_equal(e.sqlstate, code)
        await conn.execute("SET statement_timeout = '200ms'")
        try:
            await conn.fetchval(SLOW)
            raise AssertionError("the slow query did not time out")
        except asyncpg.PostgresError as e:
            expect_equal(e.sqlstate, "57014")
        await conn.execute("SET statement_timeout = 0")
        await asyncpg_cancel(conn)
        await conn.close()
        try:
            await asyncpg.connect(bad_password_dsn())
            raise AssertionError("a wrong password was accepted")
        except asyncpg.PostgresError as e:
            expect_equal(e.sqlstate, "28P01")
    asyncio.run(run())


def parameter_status():
    import psycopg
    with psycopg.connect(DSN, application_name="conformance") as conn:
        ps = conn.info.parameter_status
        for name, want in [("server_version", "16.4"), ("server_encoding", "UTF8"),
                           ("client_encoding", "UTF8"), ("DateStyle", "ISO, MDY"),
                           ("integer_datetimes", "on"), ("standard_conforming_strings", "on"),
                           ("IntervalStyle", "postgres"), ("TimeZone", "UTC"),
                           ("default_transaction_read_only", "on"), ("is_superuser", "off"),
                           ("application_name", "conformance"),
                           ("session_authorization", "admin")]:
            expect_equal((name, ps(name)), (name, want))
        expect_equal(conn.info.server_version, 160004)
        conn.autocommit = True
        conn.execute("SET TIME ZONE 'Europe/Madrid'")
        expect_equal(ps("TimeZone"), "Europe/Madrid")
        conn.execute("SET application_name = 'renamed'")
        expect_equal(ps("application_name"), "renamed")


check("ParameterStatus (psycopg3)", parameter_status)
check("psycopg3 text", psycopg3(False))
check("psycopg3 binary", psycopg3(True))
check("psycopg2", psycopg2_run)
check("asyncpg", asyncpg_run)
failed = sum(1 for _, e in results if e)
print(f"{len(results) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
