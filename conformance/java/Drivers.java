// The Postgres door through pgjdbc, with default settings and with prepareThreshold=1 (which
// makes pgjdbc switch to server-prepared statements and binary results). Each logs in with
// SCRAM, reads a datasource with exact values and a bound parameter, and checks the
// SQLSTATE of a syntax error, an unknown table, a write and a bad password.
//
//   java -cp /usr/share/java/postgresql.jar conformance/java/Drivers.java \
//        jdbc:postgresql://127.0.0.1:PORT/pipegate admin SECRET
//
// Prints one line per check and `N passed, M failed`; exits non-zero on any failure.
import java.math.BigDecimal;
import java.sql.*;
import java.util.*;

public class Drivers {
    static int passed = 0, failed = 0;

    interface Check { void run() throws Exception; }

    static void check(String name, Check c) {
        try {
            c.run();
            passed++;
            System.out.println("ok   " + name);
        } catch (Throwable e) {
            failed++;
            System.out.println("FAIL " + name + ": " + e);
        }
    }

    static void expect(Object got, Object want) {
        if (!Objects.equals(got, want)) throw new AssertionError("got " + got + ", want " + want);
    }

    static void run(String url, String user, String password) throws Exception {
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            DatabaseMetaData md = c.getMetaData();
            expect(md.getDatabaseMajorVersion(), 16);
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pathname, duration_ms, revenue, tags, timestamp FROM events ORDER BY timestamp")) {
                List<String> rows = new ArrayList<>();
                while (rs.next()) {
                    Array tags = rs.getArray(4);
                    rows.add(rs.getString(1) + "|" + rs.getLong(2) + "|" + rs.getBigDecimal(3) + "|"
                        + Arrays.toString((Object[]) tags.getArray()) + "|" + rs.getTimestamp(5));
                }
                expect(rows, List.of(
                    "/|1200|null|[a, b]|2026-11-01 10:00:00.25",
                    "/checkout|0|49.99|[]|2026-11-01 10:01:00.0",
                    "/pricing|300|null|[über]|2026-11-02 08:00:00.0"));
            }
            // Run it several times so prepareThreshold=1 uses a server-prepared statement.
            for (int i = 0; i < 3; i++) {
                try (PreparedStatement p = c.prepareStatement("SELECT pathname, duration_ms FROM events WHERE country = ? ORDER BY pathname")) {
                    p.setString(1, "ES");
                    try (ResultSet rs = p.executeQuery()) {
                        List<String> got = new ArrayList<>();
                        while (rs.next()) got.add(rs.getString(1) + ":" + rs.getLong(2));
                        expect(got, List.of("/:1200", "/checkout:0"));
                    }
                }
            }
            Map<String, String> errors = new LinkedHashMap<>();
            errors.put("SELEC 1", "42601");
            errors.put("SELECT * FROM nope", "42P01");
            errors.put("INSERT INTO events (pathname) VALUES ('x')", "25006");
            errors.put("SELECT count() FROM events WHERE sleepEachRow(0.5) = 0", "57014");
            try (Statement s = c.createStatement()) {
                s.execute("SET statement_timeout = '200ms'");
            }
            for (Map.Entry<String, String> e : errors.entrySet()) {
                try (Statement s = c.createStatement()) {
                    s.execute(e.getKey());
                    throw new AssertionError(e.getKey() + " did not fail");
                } catch (SQLException ex) {
                    expect(ex.getSQLState(), e.getValue());
                }
            }
            // Statement.cancel() from another thread sends a CancelRequest.
            try (Statement s = c.createStatement()) {
                s.execute("SET statement_timeout = 0");
                Thread canceller = new Thread(() -> {
                    try { Thread.sleep(300); s.cancel(); } catch (Exception ignored) { }
                });
                long started = System.nanoTime();
                canceller.start();
                try {
                    // Unbounded it runs about 2.7 s (3 rows, 0.9 s each).
                    s.execute("SELECT count() FROM events WHERE sleepEachRow(0.9) = 0");
                    throw new AssertionError("the cancelled query finished");
                } catch (SQLException ex) {
                    expect(ex.getSQLState(), "57014");
                }
                canceller.join();
                if (System.nanoTime() - started > 2_000_000_000L) throw new AssertionError("the query was not stopped early");
            }
        }
        try {
            DriverManager.getConnection(url, user, "wrong").close();
            throw new AssertionError("a wrong password was accepted");
        } catch (SQLException ex) {
            expect(ex.getSQLState(), "28P01");
        }
    }

    public static void main(String[] args) throws Exception {
        String url = args[0], user = args[1], password = args[2];
        check("pgjdbc default", () -> run(url, user, password));
        check("pgjdbc prepareThreshold=1 (binary)", () -> run(url + "?prepareThreshold=1", user, password));
        System.out.println(passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }
}
