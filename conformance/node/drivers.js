// The Postgres door through node-postgres: SCRAM login, exact values with and without a
// bound parameter, the SQLSTATEs of a syntax error, an unknown table, a write, a statement
// timeout and a bad password, and a running query cancelled (CancelRequest).
//   PIPEGATE_TEST_DSN=postgresql://admin:SECRET@127.0.0.1:PORT/pipegate node drivers.js
// Prints one line per check and `N passed, M failed`; exits non-zero on any failure.
const { Client, Query } = require("pg");
const assert = require("node:assert/strict");

const dsn = process.env.PIPEGATE_TEST_DSN;
let passed = 0, failed = 0;

async function check(name, fn) {
  try { await fn(); passed++; console.log(`ok   ${name}`); }
  catch (e) { failed++; console.log(`FAIL ${name}: ${e.message}`); }
}

async function run() {
  const c = new Client({ connectionString: dsn });
  await c.connect();
  const r = await c.query("SELECT pathname, duration_ms, revenue, tags, timestamp FROM events ORDER BY timestamp");
  assert.deepEqual(r.rows.map(x => [x.pathname, x.duration_ms, x.revenue, x.tags]), [
    ["/", "1200", null, ["a", "b"]],
    ["/checkout", "0", "49.99", []],
    ["/pricing", "300", null, ["über"]],
  ]);
  assert.equal(r.fields[1].dataTypeID, 20, "UInt32 is int8");
  const p = await c.query("SELECT pathname FROM events WHERE country = $1 ORDER BY pathname", ["ES"]);
  assert.deepEqual(p.rows.map(x => x.pathname), ["/", "/checkout"]);
  for (const [sql, code] of [["SELEC 1", "42601"], ["SELECT * FROM nope", "42P01"],
                             ["INSERT INTO events (pathname) VALUES ('x')", "25006"]]) {
    await assert.rejects(c.query(sql), e => e.code === code, sql);
  }
  await c.query("SET statement_timeout = '200ms'");
  await assert.rejects(c.query("SELECT count() FROM events WHERE sleepEachRow(0.5) = 0"),
                       e => e.code === "57014", "statement_timeout");
  await c.end();
  const bad = new Client({ connectionString: dsn.replace(/:[^:@/]*@/, ":wrong@") });
  await assert.rejects(bad.connect(), e => e.code === "28P01");
}

// Client.cancel(client, query) opens a connection of its own and sends a CancelRequest with
// the running client's backend pid and secret; the query then fails with 57014.
async function cancel() {
  const c = new Client({ connectionString: dsn });
  await c.connect();
  try {
    const started = Date.now();
    // Unbounded it runs about 2 s (3 rows, 0.9 s each, on 2 threads here).
    const q = c.query(new Query("SELECT count() FROM events WHERE sleepEachRow(0.9) = 0"));
    const ended = new Promise((resolve) => {
      q.on("error", resolve);
      q.on("end", () => resolve(null));
    });
    setTimeout(() => new Client({ connectionString: dsn }).cancel(c, q), 300);
    const e = await ended;
    assert.ok(e, "the cancelled query finished");
    assert.equal(e.code, "57014", e.message);
    assert.equal(e.message, "canceling statement due to user request");
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 2000, `the query was not stopped early (${elapsed} ms)`);
    const r = await c.query("SELECT count(*) AS n FROM events");
    assert.equal(r.rows[0].n, "3", "the connection stays usable");
  } finally {
    await c.end();
  }
}

(async () => {
  await check("node-postgres", run);
  await check("node-postgres cancel", cancel);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
})();
