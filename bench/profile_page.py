"""Where a page's time goes: `python bench/profile_page.py /ru/reports/ [/kk/ ...]`.

Same database and settings as bench/run.py (BENCH_DATABASE_URL). Prints the page's time after
warming, its queries with their times (slowest first), and the EXPLAIN ANALYZE of the slowest.
`--as=staff` (the big city's akimat staff) or `--as=admin` signs the client in as run.py does.
"""

import sys
import time

import run
from django.db import connection
from django.test import Client, override_settings


def profile(url: str, who: str = "") -> None:
    client = Client(SERVER_NAME="localhost")
    if who:
        client.force_login(run.bench_users(run.big_city())[who])
    for _ in range(3):
        response = client.get(url)
    queries = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append(((time.perf_counter() - started) * 1000, sql, params))

    started = time.perf_counter()
    with connection.execute_wrapper(timed):
        response = client.get(url)
    total = (time.perf_counter() - started) * 1000
    in_sql = sum(ms for ms, _sql, _params in queries)
    print(f"{url}: {response.status_code}, {total:.1f} ms, {len(queries)} queries ({in_sql:.1f} ms in SQL)")
    for ms, sql, _params in sorted(queries, key=lambda row: -row[0])[:8]:
        print(f"  {ms:7.1f} ms  {sql[:220]}")
    if queries and "--explain" in sys.argv:
        ms, sql, params = max(queries, key=lambda row: row[0])
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    override_settings(PUBLIC_PAGE_CACHE_SECONDS=0).enable()  # as run.py measures: the cache off
    who = next((argument.split("=", 1)[1] for argument in sys.argv if argument.startswith("--as=")), "")
    for argument in sys.argv[1:]:
        if argument.startswith("/"):
            profile(argument, who)
