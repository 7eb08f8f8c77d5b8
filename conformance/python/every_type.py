"""Every type of DESIGN's table through psycopg 3, in text and in binary: each column must
decode to the same Python value both ways, and the tricky ones to exactly the expected
value. The datasource `types` holds the two rows of tests/it/pgtypes.rs.

    PIPEGATE_TEST_DSN=... python every_type.py
"""
import datetime as dt
import ipaddress
import math
import os
import struct
import sys
import uuid
from decimal import Decimal

import psycopg

DSN = os.environ["PIPEGATE_TEST_DSN"]
# PostgreSQL arrays are rectangular: the ragged `nested` value of row 1 has no binary form,
# so both reads leave that column out (its text form is checked by tests/it/pgtypes.rs).
COLUMNS = ("id, i8, i16, i32, i64, u8, u16, u32, u64, i128, u128, i256, u256, d, d9, d76, "
           "f32, f64, s, fs, e, dt, d32, ts, ts64, tsz, tsu, b, u, ip4, ip6, arr, sarr, m, tup, "
           "j, ns, lc")
SQL = f"SELECT {COLUMNS} FROM types ORDER BY id"

failures = []


def as_float4(x):
    return struct.unpack("f", struct.pack("f", x))[0]


def same(a, b, float4=False):
    if float4 and isinstance(a, float) and isinstance(b, float):
        # float4 in text parses to the nearest double; in binary it widens exactly. Both are
        # the same float4, as with PostgreSQL itself.
        a, b = as_float4(a), as_float4(b)
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


with psycopg.connect(DSN) as conn:
    text = conn.cursor(binary=False)
    text.execute(SQL)
    names = [d.name for d in text.description]
    text_rows = text.fetchall()
    binary = conn.cursor(binary=True)
    binary.execute(SQL)
    binary_rows = binary.fetchall()

for row_t, row_b in zip(text_rows, binary_rows):
    for name, a, b in zip(names, row_t, row_b):
        if not same(a, b, float4=(name == "f32")):
            failures.append(f"row {row_t[0]} column {name}: text {a!r} != binary {b!r}")

row = dict(zip(names, text_rows[0]))
utc = dt.timezone.utc
expected = {
    "i64": -9223372036854775808,
    "i128": Decimal("-170141183460469231731687303715884105728"),
    "d": Decimal("-1234567890123456789.0123456789"),
    "d9": Decimal("-0.05"),
    "s": 'héllo "wörld" 😀',
    "e": "b c",
    "dt": dt.date(1970, 1, 1),
    "d32": dt.date(1900, 1, 1),
    "ts64": dt.datetime(1970, 1, 1, 0, 0, 1, 500000),
    "tsz": dt.datetime(2024, 1, 1, 21, 34, 5, 123456, tzinfo=utc),
    "b": True,
    "u": uuid.UUID("01234567-89ab-cdef-0123-456789abcdef"),
    "ip4": ipaddress.ip_address("1.2.3.4"),
    "arr": [1, None, -2],
    "sarr": ["a", "", "x y", 'q"\\', "NULL"],
    "m": {"k": 18446744073709551615},
    "tup": {"a": 1, "b": "x"},
    "j": {"a": {"b": "c"}, "n": 1},
    "ns": None,
    "lc": "lc",
}
for name, want in expected.items():
    if not same(row[name], want):
        failures.append(f"row 1 column {name}: got {row[name]!r}, want {want!r}")
row2 = dict(zip(names, text_rows[1]))
for name, want in {"u64": Decimal("18446744073709551615"),
                   "u256": Decimal("115792089237316195423570985008687907853269984665640564039457584007913129639935"),
                   "f64": float("-inf"), "arr": [], "ns": "x", "lc": None}.items():
    if not same(row2[name], want):
        failures.append(f"row 2 column {name}: got {row2[name]!r}, want {want!r}")
if not math.isnan(row2["f32"]):
    failures.append(f"row 2 column f32: got {row2['f32']!r}, want nan")

for f in failures:
    print("FAIL", f)
checks = len(names) * 2 + len(expected) + 7
print(f"{checks - len(failures)} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
