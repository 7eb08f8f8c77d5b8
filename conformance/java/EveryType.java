// Every type of DESIGN's table through pgjdbc, with default settings (text results) and with
// prepareThreshold=1 (server-prepared statements, whose results pgjdbc asks for in binary
// from the second execution on; the run checks that they did arrive in binary). Each value
// of the two rows of tests/it/pgtypes.rs (the datasource `types`) must read back as exactly
// the Java value pgjdbc gives for PostgreSQL's own: Integer/Long, BigDecimal with its scale,
// Float/Double with NaN and -Infinity, LocalDate, LocalDateTime, OffsetDateTime, UUID, arrays.
//
//   java -cp /usr/share/java/postgresql.jar conformance/java/EveryType.java \
//        jdbc:postgresql://127.0.0.1:PORT/pipegate admin SECRET
//
// Prints one line per failed value and per run, then `N passed, M failed`; exits non-zero on
// any failure.
import java.math.BigDecimal;
import java.sql.*;
import java.time.*;
import java.util.*;

public class EveryType {
    static int passed = 0, failed = 0;

    static final List<String> NAMES = List.of(("id i8 i16 i32 i64 u8 u16 u32 u64 i128 u128 i256 u256 "
        + "d d9 d76 f32 f64 s fs e dt d32 ts ts64 tsz tsu b u ip4 ip6 arr sarr nested m tup j ns lc")
        .split(" "));
    // PostgreSQL arrays are rectangular: the binary array format has one length per dimension,
    // so row 1's ragged `nested` ([[1, 2], [3]]) has no binary form and the gateway refuses to
    // send it so. Binary reads leave that column out (and read row 2's, [[], []], alone).
    static final List<String> BINARY_NAMES = NAMES.stream().filter(n -> !n.equals("nested")).toList();

    static BigDecimal dec(String s) { return new BigDecimal(s); }

    static OffsetDateTime utc(int y, int mo, int d, int h, int mi, int s, int nanos) {
        return OffsetDateTime.of(y, mo, d, h, mi, s, nanos, ZoneOffset.UTC);
    }

    // pgjdbc's values for PostgreSQL's, in NAMES order. inet, jsonb and the ragged int2[] are
    // read with getString (pgjdbc's PGobject for inet and jsonb is their text).
    static final Object[][] EXPECTED = {
        {1, -128, -32768, Integer.MIN_VALUE, Long.MIN_VALUE, 0, 0, 0L, dec("0"),
         dec("-170141183460469231731687303715884105728"), dec("0"),
         dec("-57896044618658097711785492504343953926634992332820282019728792003956564819968"), dec("0"),
         dec("-1234567890123456789.0123456789"), dec("-0.05"), dec("-1.50000"), 0.1f, 1e-05,
         "héllo \"wörld\" 😀", "ab", "b c", LocalDate.of(1970, 1, 1), LocalDate.of(1900, 1, 1),
         LocalDateTime.of(1970, 1, 1, 0, 0), LocalDateTime.of(1970, 1, 1, 0, 0, 1, 500_000_000),
         utc(2024, 1, 1, 21, 34, 5, 123_456_000), utc(2023, 11, 14, 22, 13, 20, 0), true,
         UUID.fromString("01234567-89ab-cdef-0123-456789abcdef"), "1.2.3.4", "::ffff:1.2.3.4",
         new Integer[] {1, null, -2}, new String[] {"a", "", "x y", "q\"\\", "NULL"}, "{{1,2},{3}}",
         "{\"k\": 18446744073709551615}", "{\"a\": 1, \"b\": \"x\"}", "{\"a\": {\"b\": \"c\"}, \"n\": 1}",
         null, "lc"},
        {2, 127, 32767, Integer.MAX_VALUE, Long.MAX_VALUE, 255, 65535, 4294967295L,
         dec("18446744073709551615"), dec("170141183460469231731687303715884105727"),
         dec("340282366920938463463374607431768211455"),
         dec("57896044618658097711785492504343953926634992332820282019728792003956564819967"),
         dec("115792089237316195423570985008687907853269984665640564039457584007913129639935"),
         dec("0.0000000000"), dec("9999999.99"), dec("0.00000"), Float.NaN, Double.NEGATIVE_INFINITY,
         "", "abcd", "a", LocalDate.of(2149, 6, 6), LocalDate.of(2299, 12, 31),
         LocalDateTime.of(2106, 2, 7, 6, 28, 15), LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_000_000),
         utc(1900, 1, 1, 0, 0, 0, 0), utc(1970, 1, 1, 0, 0, 0, 0), false,
         UUID.fromString("00000000-0000-0000-0000-000000000000"), "0.0.0.0", "2001:db8::1",
         new Integer[] {}, new String[] {}, "{}", "{}", "{\"a\": 0, \"b\": \"\"}", "{}", "x", null},
    };

    static Object read(ResultSet rs, String name) throws SQLException {
        switch (name) {
            case "dt": case "d32": return rs.getObject(name, LocalDate.class);
            case "ts": case "ts64": return rs.getObject(name, LocalDateTime.class);
            case "tsz": case "tsu": return rs.getObject(name, OffsetDateTime.class);
            case "ip4": case "ip6": case "m": case "tup": case "j": return rs.getString(name);
            case "nested": return rs.getString(name);
            case "arr": case "sarr": {
                Array a = rs.getArray(name);
                return a == null ? null : a.getArray();
            }
            default: return rs.getObject(name);
        }
    }

    static String show(Object o) {
        if (o instanceof Object[] a) return Arrays.deepToString(a) + " (" + a.getClass().getSimpleName() + ")";
        return o == null ? "null" : o + " (" + o.getClass().getSimpleName() + ")";
    }

    /** Compares every value of the result with EXPECTED rows `rows`, column by column. */
    static void compare(String what, ResultSet rs, List<String> names, int... rows) throws SQLException {
        int r = 0;
        while (rs.next()) {
            if (r >= rows.length) { failed++; System.out.println("FAIL " + what + ": extra row"); return; }
            Object[] want = EXPECTED[rows[r]];
            for (String name : names) {
                Object got = read(rs, name), w = want[NAMES.indexOf(name)];
                boolean same = Objects.deepEquals(got, w) && (w == null || got.getClass() == w.getClass());
                if (same) passed++;
                else {
                    failed++;
                    System.out.println("FAIL " + what + " row " + (rows[r] + 1) + " column " + name
                        + ": got " + show(got) + ", want " + show(w));
                }
            }
            r++;
        }
        if (r != rows.length) { failed++; System.out.println("FAIL " + what + ": " + r + " rows, want " + rows.length); }
    }

    /** The wire format (0 text, 1 binary) of each column pgjdbc received, from its Field[]. */
    static int[] formats(ResultSet rs) throws Exception {
        java.lang.reflect.Field f = rs.getClass().getDeclaredField("fields");
        f.setAccessible(true);
        Object[] fields = (Object[]) f.get(rs);
        int[] out = new int[fields.length];
        for (int i = 0; i < fields.length; i++) out[i] = (int) fields[i].getClass().getMethod("getFormat").invoke(fields[i]);
        return out;
    }

    static void textRun(String url, String user, String password) throws Exception {
        try (Connection c = DriverManager.getConnection(url, user, password);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + String.join(", ", NAMES) + " FROM types ORDER BY id")) {
            if (Arrays.stream(formats(rs)).anyMatch(f -> f != 0)) throw new AssertionError("default settings read binary");
            compare("pgjdbc default", rs, NAMES, 0, 1);
        }
    }

    static void binaryRun(String url, String user, String password) throws Exception {
        try (Connection c = DriverManager.getConnection(url + "?prepareThreshold=1", user, password);
             PreparedStatement all = c.prepareStatement("SELECT " + String.join(", ", BINARY_NAMES) + " FROM types WHERE id >= ? ORDER BY id");
             PreparedStatement nested = c.prepareStatement("SELECT nested FROM types WHERE id = ?")) {
            // The first execution describes the statement; the later ones ask for binary.
            for (int round = 1; round <= 3; round++) {
                all.setInt(1, 1);
                try (ResultSet rs = all.executeQuery()) {
                    if (round == 3) {
                        int[] f = formats(rs);
                        for (String name : List.of("i16", "i64", "u64", "i256", "d76", "f32", "f64", "dt", "ts64", "tsz", "u", "arr", "sarr")) {
                            if (f[BINARY_NAMES.indexOf(name)] != 1) throw new AssertionError(name + " did not arrive in binary");
                        }
                    }
                    compare("pgjdbc prepareThreshold=1, execution " + round, rs, BINARY_NAMES, 0, 1);
                }
                nested.setInt(1, 2);
                try (ResultSet rs = nested.executeQuery()) {
                    if (!rs.next()) throw new AssertionError("no row 2");
                    Object got = rs.getArray(1).getArray();
                    if (got instanceof Short[] empty && empty.length == 0) passed++;
                    else { failed++; System.out.println("FAIL nested row 2, execution " + round + ": got " + show(got)); }
                }
            }
        }
    }

    static void run(String name, Runnable r) {
        int before = passed, failedBefore = failed;
        r.run();
        System.out.println(name + ": " + (passed - before) + " values passed, " + (failed - failedBefore) + " failed");
    }

    interface Body { void run() throws Exception; }

    static Runnable guarded(String name, Body b) {
        return () -> {
            try { b.run(); }
            catch (Throwable e) { failed++; System.out.println("FAIL " + name + ": " + e); }
        };
    }

    public static void main(String[] args) {
        String url = args[0], user = args[1], password = args[2];
        run("pgjdbc default", guarded("pgjdbc default", () -> textRun(url, user, password)));
        run("pgjdbc prepareThreshold=1 (binary)", guarded("pgjdbc binary", () -> binaryRun(url, user, password)));
        System.out.println(passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }
}
