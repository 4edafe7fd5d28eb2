"""How far the streaming replica lags the primary: the time from a commit on the primary to the
row being readable on the replica, for single-row commits and for a batch.

Run under ``scripts/with-postgres-replica`` (which sets DATABASE_URL and DATABASE_REPLICA_URL):

    scripts/with-postgres-replica .venv/bin/python bench/replica_lag_bench.py --commits 500

Each commit inserts one row into a scratch table on the primary; the replica is polled (every
millisecond) until the row is there. Prints p50, p95 and the maximum, then the same for one
commit of ``--batch`` rows. The bench's own session commits with ``synchronous_commit=on`` (as
in production; the throwaway cluster defaults to ``off`` for the tests' speed, which holds each
commit's WAL up to ``wal_writer_delay``, 200 ms); ``--async-commit`` measures that default.
Nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import psycopg


def _wait_visible(replica: psycopg.Connection, key: int) -> float:
    start = time.perf_counter()
    while True:
        row = replica.execute("SELECT 1 FROM bench_lag WHERE id = %s", [key]).fetchone()
        if row is not None:
            return time.perf_counter() - start
        time.sleep(0.001)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--commits", type=int, default=200)
    parser.add_argument("--batch", type=int, default=100_000)
    parser.add_argument("--async-commit", action="store_true")
    args = parser.parse_args()
    primary = psycopg.connect(os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres",
                              autocommit=True)
    replica = psycopg.connect(os.environ["DATABASE_REPLICA_URL"].rsplit("/", 1)[0] + "/postgres",
                              autocommit=True)
    primary.execute(f"SET synchronous_commit = {'off' if args.async_commit else 'on'}")
    primary.execute("CREATE TABLE bench_lag (id bigint PRIMARY KEY, body text)")
    while replica.execute("SELECT to_regclass('bench_lag')").fetchone()[0] is None:
        time.sleep(0.001)

    lags = []
    for key in range(1, args.commits + 1):
        primary.execute("INSERT INTO bench_lag VALUES (%s, 'x')", [key])
        lags.append(_wait_visible(replica, key) * 1000)
    lags.sort()
    p95 = lags[int(len(lags) * 0.95) - 1]
    print(f"{args.commits} single-row commits: replica lag p50 {statistics.median(lags):.1f} ms, "
          f"p95 {p95:.1f} ms, max {lags[-1]:.1f} ms")

    last = args.commits + args.batch
    start = time.perf_counter()
    primary.execute(
        "INSERT INTO bench_lag SELECT g, repeat('x', 200) FROM generate_series(%s, %s) g",
        [args.commits + 1, last],
    )
    committed = time.perf_counter() - start
    lag = _wait_visible(replica, last) * 1000
    print(f"one commit of {args.batch:,} rows ({committed:.2f} s on the primary): "
          f"visible on the replica {lag:.1f} ms after the commit")


if __name__ == "__main__":
    main()
