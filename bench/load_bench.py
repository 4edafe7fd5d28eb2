"""Load benchmark: the public pages under 50 concurrent clients, served by the production WSGI
server (gunicorn, ``kttc web``) on PostgreSQL, beside a bare Django view served the same way in
the same run; then one and two web nodes behind the local proxy (nginx) reading from a streaming
replica.

The run starts its own throwaway PostgreSQL primary and replica (``scripts/with-postgres-replica``)
and, when ``redis-server`` is installed, a throwaway Redis for the cache of the public pages
(otherwise each worker keeps its own cache in memory). It migrates, loads the demo data and
generated published results (``generate.py`` + ``rawload.raw_insert``), builds the search index
and collects the static files, all under a temporary folder, with the production settings
(KTTC_ENV=production, DEBUG off; plain http on loopback, so the https redirect is off).

Pages: the public catalog list (``/achievements/``), a search (a domain term, rotated), a
result's page (rotated over 200 results), each by anonymous clients in the default language.
The bare view (``bench/bare_settings.py``) goes through the same middleware without the database.

Load: ``wrk`` (Debian's; installed here when missing and we are root, as .ci/run installs its
packages), one thread holding the connections, latency percentiles from its histogram; without
it, a Python asyncio client, which shares the two cores with the server and so lowers every
figure. Every response must be 200: any other status is reported as an error.

    scripts/with-postgres-replica .venv/bin/python bench/load_bench.py --quick   # under 2 minutes
    .venv/bin/python bench/load_bench.py            # starts the database pair itself

A full run also serves the pages from one node with the page cache off: the time of one request
with nobody else asking, the ceiling that sets on two cores, and what 50 clients then get (their
window long enough for the first answers to come back).

Targets: each page's requests/s >= 50 % of the bare view's, p99 < 100 ms; two nodes: the
throughput ratio to one node is reported (on one 2-core machine both nodes, the proxy, the
database pair and the load generator share the same cores).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
for entry in (str(ROOT), str(BENCH)):
    if entry not in sys.path:
        sys.path.insert(0, entry)

from kttc.core.tasks.redis_server import RedisServer, free_port  # noqa: E402

BIN = Path(sys.executable).parent
SEARCHES = ("石墨烯", "锂离子电池", "三七", "普洱茶", "中药材", "疫苗", "马铃薯", "光伏")
SPREAD = "200 results' pages in turn"
RPS_SHARE_TARGET = 0.5
P99_TARGET_MS = 100.0
WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
hits = 0
stale = 0
function response(status, headers, body)
  local state = headers["X-Page-Cache"]
  if state == "hit" then hits = hits + 1 elseif state == "stale" then stale = stale + 1 end
end
local paths = {}
for line in io.lines(os.getenv("KTTC_BENCH_PATHS")) do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  local hit, old = 0, 0
  for _, t in ipairs(threads) do hit = hit + t:get("hits"); old = old + t:get("stale") end
  io.write(string.format(
    'KTTC {"requests": %d, "seconds": %f, "errors": %d, "p50": %f, "p95": %f, "p99": %f, '
    .. '"hits": %d, "stale": %d}\\n',
    summary.requests, summary.duration / 1e6,
    e.connect + e.read + e.write + e.timeout + e.status,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, hit, old))
end
"""


@dataclass
class Figures:
    label: str
    rps: float
    p50: float
    p95: float
    p99: float
    errors: int
    cached: float = 0.0  # the share answered from the page cache (fresh or while remade)


def wait_for(port: int, path: str = "/health/live", seconds: float = 90) -> None:
    import http.client

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"nothing answered 200 on 127.0.0.1:{port}{path}")


def server_time(port: int, paths: list[str], count: int = 20) -> float:
    """The median time of one request with nobody else asking (one keep-alive connection,
    ``count`` requests over ``paths`` in turn), in ms: what one page costs the server."""
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    times = []
    for n in range(count + 2):
        started = time.perf_counter()
        conn.request("GET", paths[n % len(paths)])
        response = conn.getresponse()
        response.read()
        if n >= 2:  # the first two warm the connection and the worker
            times.append((time.perf_counter() - started) * 1000)
        if response.status != 200:
            raise SystemExit(f"{paths[n % len(paths)]} answered {response.status}")
    conn.close()
    times.sort()
    return times[len(times) // 2]


# --- the data ----------------------------------------------------------------------------------


def prepare(work: Path, size: int, env: dict[str, str]) -> tuple[list[int], str]:
    """Migrate, demo data, ``size`` generated results, the search index and static files."""
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from generate import Generator
    from rawload import create_units, raw_insert

    from kttc.registry.models import Achievement

    started = time.perf_counter()
    create_database(env["DATABASE_URL"])
    call_command("migrate", verbosity=0)
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    generator = Generator(1)
    unit_ids = create_units(generator.units[:60])
    raw_insert(generator.records(size), unit_ids)
    call_command("search_rebuild", stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("collectstatic", "--no-input", verbosity=0)
    public = list(
        Achievement.objects.filter(status="published", confidentiality="public")
        .order_by("?")
        .values_list("pk", flat=True)[:200]
    )
    total = Achievement.objects.filter(status="published").count()
    connections.close_all()
    note = f"{total:,} published results ({size:,} generated + demo)"
    print(f"data: {note}, ready in {time.perf_counter() - started:.0f} s")
    return public, note


def create_database(url: str) -> None:
    """The throwaway server starts with no database of the platform's name: create it."""
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


# --- servers -----------------------------------------------------------------------------------


class Processes:
    def __init__(self) -> None:
        self.running: list[subprocess.Popen[bytes]] = []

    def start(self, args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
        with log.open("ab") as out:
            proc = subprocess.Popen(  # noqa: S603 (the servers this run starts)
                args, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        self.running.append(proc)
        return proc

    def stop(self, proc: subprocess.Popen[bytes]) -> None:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)  # a quick stop: gunicorn, nginx and Redis alike
            try:
                proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.running.remove(proc)

    def stop_all(self) -> None:
        for proc in reversed(list(self.running)):
            self.stop(proc)


def web_node(
    procs: Processes, env: dict[str, str], work: Path, name: str, wait: bool = True, **extra: str
) -> tuple[int, subprocess.Popen[bytes]]:
    port = free_port()
    node_env = {**env, "KTTC_BIND": f"127.0.0.1:{port}", **extra}
    (work / "metrics" / name).mkdir(parents=True, exist_ok=True)
    node_env["PROMETHEUS_MULTIPROC_DIR"] = str(work / "metrics" / name)
    args = [str(BIN / "kttc"), "web"]
    if node_env.get("DJANGO_SETTINGS_MODULE") == "bare_settings":
        args += ["--pythonpath", str(BENCH)]
    proc = procs.start(args, node_env, work / f"{name}.log")
    if wait:
        wait_for(port, "/bare/" if "bare" in name else "/health/live")
    return port, proc


def proxy(procs: Processes, work: Path, ports: list[int]) -> tuple[int, subprocess.Popen[bytes]]:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    prefix = work / f"proxy-{len(ports)}"
    (prefix / "tmp").mkdir(parents=True, exist_ok=True)
    port = free_port()
    template = (ROOT / "config" / "nginx.conf.template").read_text()
    conf = (
        template.replace("@PREFIX@", str(prefix))
        .replace("@PORT@", str(port))
        .replace("@UPSTREAMS@", " ".join(f"server 127.0.0.1:{p};" for p in ports))
    )
    (prefix / "nginx.conf").write_text(conf)
    args = [
        nginx,
        "-p",
        str(prefix),
        "-c",
        str(prefix / "nginx.conf"),
        "-e",
        str(prefix / "error.log"),
    ]
    proc = procs.start(args, dict(os.environ), work / f"proxy-{len(ports)}.log")
    wait_for(port)
    return port, proc


def redis(procs: Processes, work: Path) -> str | None:
    """A throwaway Redis (stopped with the other servers), or None without redis-server."""
    if not shutil.which("redis-server"):
        return None
    try:
        server = RedisServer(log=work / "redis.log").start()
    except RuntimeError:
        return None  # the pages go without the shared cache, as without redis-server
    assert server.process is not None
    procs.running.append(server.process)
    return server.url


# --- load --------------------------------------------------------------------------------------


def find_wrk(install: bool) -> str | None:
    found = shutil.which("wrk")
    if found or not install:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing: wrk")
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        cmd = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "wrk"]
        if subprocess.run(cmd, env=env, check=False, **quiet).returncode != 0:  # noqa: S603
            subprocess.run(["apt-get", "update", "-qq"], check=False, **quiet)  # noqa: S607
            subprocess.run(cmd, env=env, check=False, **quiet)  # noqa: S603
    return shutil.which("wrk")


def load(
    label: str, port: int, paths: list[str], seconds: float, clients: int, wrk: str | None,
    work: Path, warmup: float = 2.0,
) -> Figures:  # fmt: skip
    listing = work / "paths.txt"
    listing.write_text("\n".join(paths) + "\n")
    if wrk:
        script = work / "rotate.lua"
        script.write_text(WRK_SCRIPT)
        env = {**os.environ, "KTTC_BENCH_PATHS": str(listing)}
        base = f"http://127.0.0.1:{port}"
        warm = [
            wrk,
            "-t1",
            f"-c{clients}",
            f"-d{warmup:.0f}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            base,
        ]
        subprocess.run(warm, env=env, capture_output=True, check=True)  # noqa: S603
        cmd = [
            wrk,
            "-t1",
            f"-c{clients}",
            f"-d{seconds:.0f}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
        ]
        cmd.append(base)
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout  # noqa: S603
        line = next(x for x in out.splitlines() if x.startswith("KTTC "))
        r = json.loads(line[5:])
        rps = r["requests"] / r["seconds"]
        cached = (r["hits"] + r["stale"]) / max(1, r["requests"])
        return Figures(label, rps, r["p50"], r["p95"], r["p99"], r["errors"], cached)
    asyncio.run(_python_load(port, paths, warmup, clients))
    return asyncio.run(_python_load(port, paths, seconds, clients, label))


async def _python_load(
    port: int, paths: list[str], seconds: float, clients: int, label: str = ""
) -> Figures:
    """The fallback client: ``clients`` keep-alive connections, each sending its next request
    as soon as the previous answer is read."""
    times: list[float] = []
    errors = 0
    counter = 0
    cached = 0
    end = time.perf_counter() + seconds

    async def one() -> None:
        nonlocal errors, counter, cached
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while time.perf_counter() < end:
            path = paths[counter % len(paths)]
            counter += 1
            start = time.perf_counter()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            headers = head.lower()
            cached += b"x-page-cache:" in headers
            if b"transfer-encoding: chunked" in headers:
                while True:
                    size = int((await reader.readline()).strip(), 16)
                    await reader.readexactly(size + 2)
                    if size == 0:
                        break
            else:
                length = int(headers.split(b"content-length:")[1].split(b"\r\n")[0])
                await reader.readexactly(length)
            times.append(time.perf_counter() - start)
            errors += status != 200
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(clients)))
    elapsed = time.perf_counter() - started
    times.sort()

    def pct(share: float) -> float:
        return times[min(len(times) - 1, int(share * len(times)))] * 1000 if times else 0.0

    share = cached / max(1, len(times))
    return Figures(label, len(times) / elapsed, pct(0.5), pct(0.95), pct(0.99), errors, share)


# --- the run -----------------------------------------------------------------------------------


def report(rows: list[Figures], bare: Figures | None, base: dict[str, Figures] | None) -> None:
    head = f"  {'page':<30} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'err':>4}"
    print(f"{head} {'cached':>6}  ratio")
    for f in rows:
        ratio = ""
        if bare is not None and f is not bare:
            share = f.rps / bare.rps
            ok = share >= RPS_SHARE_TARGET and f.p99 < P99_TARGET_MS
            ratio = f"{share:.2f} of bare ({'meets' if ok else 'misses'} the targets)"
        elif base is not None and base.get(f.label) and base[f.label].rps > 0:
            ratio = f"x{f.rps / base[f.label].rps:.2f} of one node"
        print(
            f"  {f.label:<30} {f.rps:>7.0f} {f.p50:>7.1f} {f.p95:>7.1f} {f.p99:>7.1f}"
            f" {f.errors:>4} {f.cached:>6.0%}  {ratio}"
        )


def uncached(
    procs: Processes, env: dict[str, str], work: Path, pages: dict[str, list[str]],
    seconds: float, clients: int, wrk: str | None, warm: float,
) -> None:  # fmt: skip
    """The same pages with the page cache off: what one request costs the server (one client)
    and what the node then holds at ``clients`` clients. Each worker's requests take turns on
    the cores, so the requests/s cannot pass cores x 1000 / the time of one request."""
    port, node = web_node(procs, {**env, "KTTC_PAGE_CACHE_SECONDS": "0"}, work, "uncached")
    cores = os.cpu_count() or 1
    print(
        f"\nthe same node with the page cache off (every request renders its page; at most "
        f"{cores} cores x 1000 / the time of one request)"
    )
    print(f"  {'page':<30} {'1 client ms':>11} {'ceiling':>8} {'req/s':>7} {'p50 ms':>7} "
          f"{'p99 ms':>7} {'err':>4}")  # fmt: skip
    for label, paths in pages.items():
        alone = server_time(port, paths)
        ceiling = cores * 1000 / alone
        # A window long enough for the clients' first requests to come back (each waits for
        # the ones before it: clients x the time of one request / cores).
        window = max(seconds, 3 * clients * alone / 1000 / cores)
        f = load(label, port, paths, window, clients, wrk, work, warm)
        print(
            f"  {label:<30} {alone:>11.1f} {ceiling:>8.0f} {f.rps:>7.0f} {f.p50:>7.1f}"
            f" {f.p99:>7.1f} {f.errors:>4}"
        )
    procs.stop(node)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small data, short runs (< 2 min)")
    parser.add_argument("--size", type=int, help="generated results (default 20,000; quick 3,000)")
    parser.add_argument("--seconds", type=float, help="seconds per page (default 15; quick 5)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--no-cache", action="store_true", help="KTTC_PAGE_CACHE_SECONDS=0")
    parser.add_argument("--python-client", action="store_true", help="never use wrk")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_REPLICA_URL"):
        # Start the database pair and come back here with DATABASE_URL and DATABASE_REPLICA_URL.
        script = str(ROOT / "scripts" / "with-postgres-replica")
        os.execv(script, [script, sys.executable, *sys.argv])  # noqa: S606 no shell
    size = args.size or (1_000 if args.quick else 20_000)
    seconds = args.seconds or (2.0 if args.quick else 15.0)
    if args.no_cache and not args.seconds:
        # Every request renders its page: 50 clients wait seconds for their first answers,
        # so a short window counts almost none of them (it read as 0 requests/s).
        seconds = max(seconds, 10.0)
    warm = 1.0 if args.quick else 3.0
    wrk = None if args.python_client else find_wrk(install=True)
    work = Path(tempfile.mkdtemp(prefix="kttc-load-bench-"))
    procs = Processes()
    started = time.perf_counter()
    try:
        env = {
            **os.environ,
            "KTTC_ENV": "production",
            "SECRET_KEY": "bench-" + "k" * 60,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "KTTC_VAR_DIR": str(work / "var"),
            "KTTC_SEARCH_DIR": str(work / "search-1"),
            "KTTC_EMBEDDINGS": "off",
            "LOG_LEVEL": "ERROR",
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        }
        replica_url = env.pop("DATABASE_REPLICA_URL")
        cache_url = redis(procs, work)
        if cache_url:
            env["KTTC_CACHE_URL"] = cache_url
        if args.no_cache:
            env["KTTC_PAGE_CACHE_SECONDS"] = "0"
        results, note = prepare(work, size, env)
        shutil.copytree(work / "search-1", work / "search-2")
        pages = {
            "catalog list": ["/achievements/"],
            "search": [f"/achievements/?q={quote(q)}" for q in SEARCHES],
            "a result's page": [f"/achievements/{results[0]}/"],
            SPREAD: [f"/achievements/{pk}/" for pk in results],
        }
        workers = os.environ.get("WEB_CONCURRENCY") or str(max(2, os.cpu_count() or 1))
        print(
            f"KTTC load benchmark: {note}; {os.cpu_count()} CPUs; gunicorn {workers} workers x "
            f"{os.environ.get('KTTC_WEB_THREADS', '4')} threads per node; {args.clients} clients,"
            f" {seconds:.0f} s per page; load from {'wrk' if wrk else 'the Python client'};"
            f" page cache {'off' if args.no_cache else ('Redis' if cache_url else 'in memory')}"
        )

        print("\none web node (gunicorn on the primary), clients straight to it")
        bare_port, bare_proc = web_node(
            procs, env, work, "bare", DJANGO_SETTINGS_MODULE="bare_settings"
        )
        bare = load(
            "bare Django view", bare_port, ["/bare/"], seconds, args.clients, wrk, work, warm
        )
        procs.stop(bare_proc)
        port, node = web_node(procs, env, work, "node-1")
        rows = [bare]
        for label, paths in pages.items():
            rows.append(load(label, port, paths, seconds, args.clients, wrk, work, warm))
        report(rows, bare, None)
        procs.stop(node)

        if not args.no_cache and not args.quick:
            uncached(procs, env, work, pages, seconds, args.clients, wrk, warm)

        replicated = {**env, "DATABASE_REPLICA_URL": replica_url, "KTTC_TRUSTED_PROXIES": "1"}
        base: dict[str, Figures] = {}
        for count in (1, 2):
            ports, nodes = [], []
            for n in range(1, count + 1):
                extra = {"KTTC_SEARCH_DIR": str(work / f"search-{n}")}
                name = f"proxied-{count}-{n}"
                p, proc = web_node(procs, replicated, work, name, wait=False, **extra)
                ports.append(p)
                nodes.append(proc)
            for p in ports:  # the nodes start side by side
                wait_for(p)
            front, nginx = proxy(procs, work, ports)
            word = "one web node" if count == 1 else "two web nodes"
            print(f"\n{word} behind the proxy (nginx), public pages read from the replica")
            rows = [
                load(label, front, paths, seconds, args.clients, wrk, work, warm)
                for label, paths in pages.items()
                if not (args.quick and label == SPREAD)
            ]
            report(rows, None, base or None)
            base = base or {f.label: f for f in rows}
            procs.stop(nginx)
            for proc in nodes:
                procs.stop(proc)
        print(f"\nrun took {time.perf_counter() - started:.0f} s")
    finally:
        procs.stop_all()
        if args.keep:
            print(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
