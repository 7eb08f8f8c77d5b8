// Every type of DESIGN's table through node-postgres, over the simple protocol and over the
// extended one (a named prepared statement, run twice). node-postgres asks for text results:
// each value is checked twice, as the exact text PostgreSQL prints (no type parsers) and as
// the JavaScript value pg's default parsers make of it (strings for int8 and numeric, Date
// for date and timestamps, parsed JSON for jsonb). The datasource `types` holds the two rows
// of tests/it/pgtypes.rs.
//   PIPEGATE_TEST_DSN=postgresql://admin:SECRET@127.0.0.1:PORT/pipegate node every_type.js
// Prints one line per failed value and per pass, then `N passed, M failed`; exits non-zero
// on any failure.
// pg parses date and timestamp (without time zone) in the process's local zone.
process.env.TZ = "UTC";
const { Client } = require("pg");
const assert = require("node:assert/strict");
const { inspect } = require("node:util");

const dsn = process.env.PIPEGATE_TEST_DSN;
const NAMES = ("id i8 i16 i32 i64 u8 u16 u32 u64 i128 u128 i256 u256 d d9 d76 f32 f64 s fs e dt " +
  "d32 ts ts64 tsz tsu b u ip4 ip6 arr sarr nested m tup j ns lc").split(" ");
const SQL = `SELECT ${NAMES.join(", ")} FROM types ORDER BY id`;

// What PostgreSQL prints for each column (NULL as null).
const TEXT = [
  ["1", "-128", "-32768", "-2147483648", "-9223372036854775808", "0", "0", "0", "0",
    "-170141183460469231731687303715884105728", "0",
    "-57896044618658097711785492504343953926634992332820282019728792003956564819968", "0",
    "-1234567890123456789.0123456789", "-0.05", "-1.50000", "0.1", "1e-05",
    'héllo "wörld" 😀', "ab", "b c", "1970-01-01", "1900-01-01", "1970-01-01 00:00:00",
    "1970-01-01 00:00:01.5", "2024-01-01 21:34:05.123456+00", "2023-11-14 22:13:20+00", "t",
    "01234567-89ab-cdef-0123-456789abcdef", "1.2.3.4", "::ffff:1.2.3.4", "{1,NULL,-2}",
    '{a,"","x y","q\\"\\\\","NULL"}', "{{1,2},{3}}", '{"k": 18446744073709551615}',
    '{"a": 1, "b": "x"}', '{"a": {"b": "c"}, "n": 1}', null, "lc"],
  ["2", "127", "32767", "2147483647", "9223372036854775807", "255", "65535", "4294967295",
    "18446744073709551615", "170141183460469231731687303715884105727",
    "340282366920938463463374607431768211455",
    "57896044618658097711785492504343953926634992332820282019728792003956564819967",
    "115792089237316195423570985008687907853269984665640564039457584007913129639935",
    "0.0000000000", "9999999.99", "0.00000", "NaN", "-Infinity", "", "abcd", "a",
    "2149-06-06", "2299-12-31", "2106-02-07 06:28:15", "1969-12-31 23:59:59.999",
    "1900-01-01 00:00:00+00", "1970-01-01 00:00:00+00", "f",
    "00000000-0000-0000-0000-000000000000", "0.0.0.0", "2001:db8::1", "{}", "{}", "{}", "{}",
    '{"a": 0, "b": ""}', "{}", "x", null],
];

// What pg's default parsers make of those: int8 and numeric stay strings (JavaScript numbers
// cannot hold them), Dates keep milliseconds only, and JSON numbers become doubles.
const at = (iso) => new Date(iso);
const TYPED = [
  [1, -128, -32768, -2147483648, "-9223372036854775808", 0, 0, "0", "0",
    "-170141183460469231731687303715884105728", "0",
    "-57896044618658097711785492504343953926634992332820282019728792003956564819968", "0",
    "-1234567890123456789.0123456789", "-0.05", "-1.50000", 0.1, 1e-05,
    'héllo "wörld" 😀', "ab", "b c", at("1970-01-01T00:00:00Z"), at("1900-01-01T00:00:00Z"),
    at("1970-01-01T00:00:00Z"), at("1970-01-01T00:00:01.500Z"), at("2024-01-01T21:34:05.123Z"),
    at("2023-11-14T22:13:20Z"), true, "01234567-89ab-cdef-0123-456789abcdef", "1.2.3.4",
    "::ffff:1.2.3.4", [1, null, -2], ["a", "", "x y", 'q"\\', "NULL"], [[1, 2], [3]],
    { k: 18446744073709551615 }, { a: 1, b: "x" }, { a: { b: "c" }, n: 1 }, null, "lc"],
  [2, 127, 32767, 2147483647, "9223372036854775807", 255, 65535, "4294967295",
    "18446744073709551615", "170141183460469231731687303715884105727",
    "340282366920938463463374607431768211455",
    "57896044618658097711785492504343953926634992332820282019728792003956564819967",
    "115792089237316195423570985008687907853269984665640564039457584007913129639935",
    "0.0000000000", "9999999.99", "0.00000", NaN, -Infinity, "", "abcd", "a",
    at("2149-06-06T00:00:00Z"), at("2299-12-31T00:00:00Z"), at("2106-02-07T06:28:15Z"),
    at("1969-12-31T23:59:59.999Z"), at("1900-01-01T00:00:00Z"), at("1970-01-01T00:00:00Z"),
    false, "00000000-0000-0000-0000-000000000000", "0.0.0.0", "2001:db8::1", [], [], [], {},
    { a: 0, b: "" }, {}, "x", null],
];

// No parsing at all: every value as the server sent it.
const RAW = { getTypeParser: () => (value) => value };

let passed = 0, failed = 0;

function compare(what, result, want) {
  const got = result.rows;
  if (got.length !== want.length) {
    failed++;
    console.log(`FAIL ${what}: ${got.length} rows, want ${want.length}`);
    return;
  }
  assert.deepEqual(result.fields.map((f) => f.name), NAMES, `${what}: column names`);
  got.forEach((row, r) => NAMES.forEach((name, c) => {
    try {
      assert.deepStrictEqual(row[c], want[r][c]);
      passed++;
    } catch {
      failed++;
      console.log(`FAIL ${what} row ${r + 1} column ${name}: got ${inspect(row[c])}, ` +
        `want ${inspect(want[r][c])}`);
    }
  }));
}

async function run() {
  const c = new Client({ connectionString: dsn });
  await c.connect();
  try {
    const before = passed;
    compare("simple, text", await c.query({ text: SQL, rowMode: "array", types: RAW }), TEXT);
    compare("simple, parsed", await c.query({ text: SQL, rowMode: "array" }), TYPED);
    for (const round of [1, 2]) {
      // Parse once, then Bind/Execute by name.
      const q = { name: "every_type", text: SQL, rowMode: "array" };
      compare(`prepared ${round}, text`, await c.query({ ...q, types: RAW }), TEXT);
      compare(`prepared ${round}, parsed`, await c.query(q), TYPED);
    }
    console.log(`node-postgres: ${passed - before} values passed`);
  } finally {
    await c.end();
  }
}

(async () => {
  try {
    await run();
  } catch (e) {
    failed++;
    console.log(`FAIL node-postgres: ${e.message}`);
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
})();
