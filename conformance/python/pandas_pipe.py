"""pandas.read_sql over pipes, through psycopg 3: a pipe read as a view with its
parameters bound by a function call, by WHERE, and by a bound query parameter.

    PIPEGATE_TEST_DSN=postgresql://analytics_read:SECRET@127.0.0.1:PORT/pipegate python pandas_pipe.py

Needs the rows tests/it/pipe_views.rs inserts. Prints `pandas: N rows` per check and exits
non-zero on a failure.
"""
import os
import warnings

import pandas as pd
import psycopg

DSN = os.environ["PIPEGATE_TEST_DSN"]
RANGE = "date_from = '2026-11-01 00:00:00' AND date_to = '2026-12-01 00:00:00'"

# pandas warns that only SQLAlchemy connections are tested; a DBAPI connection works.
warnings.simplefilter("ignore", UserWarning)
with psycopg.connect(DSN, autocommit=True) as conn:
    df = pd.read_sql(
        "SELECT user_id, event_type, event_count::bigint AS n FROM aggregate_user_events "
        f"WHERE user_id = %(user)s AND {RANGE} ORDER BY event_type",
        conn,
        params={"user": "123"},
    )
    assert list(df.columns) == ["user_id", "event_type", "n"], df.columns
    assert df.to_dict("records") == [
        {"user_id": "123", "event_type": "click", "n": 2},
        {"user_id": "123", "event_type": "view", "n": 1},
    ], df
    print(f"pandas: {len(df)} rows bound by WHERE and a query parameter")
    df = pd.read_sql(
        "SELECT * FROM aggregate_user_events(user_id => '123', "
        "date_from => '2026-11-01 00:00:00', date_to => '2026-12-01 00:00:00')",
        conn,
    )
    assert len(df) == 2 and set(df["event_type"]) == {"click", "view"}, df
    assert str(df["first_event"].dtype).startswith("datetime64"), df.dtypes
    print(f"pandas: {len(df)} rows bound by a call, timestamps as datetime64")
