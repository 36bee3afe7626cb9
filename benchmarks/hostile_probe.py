"""A probe of hostile inputs and faults: what each does to a checkout of the pipeline, as a table.

    .venv/bin/python benchmarks/hostile_probe.py                      # this checkout
    .venv/bin/python benchmarks/hostile_probe.py --compare /path/to/other/checkout --other-python PY

Every case is run as a user would meet it: input files through the real readers and the real
store (in one process, since encoding is not what is probed), settings, faults and queries
through the real `trends` command in a fresh process, on a scratch copy of a finished run of the
default corpus (its embeddings cached, so nothing is encoded). Each outcome is classified:

* `TRACEBACK` — a Python traceback reached the user;
* `error` — one line, exit 1 (what a user-fixable problem should give);
* `ok` — finished, with the papers kept and warnings given;
* a case's own check is appended where one applies (`LOST n`, `MERGED`, `UNSAFE LINK`, `CHANGED`…).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw"
PAGE = (RAW / sorted(p.name for p in RAW.glob("*.txt"))[0]).read_bytes()
HEADER = b"new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nbyAK and the research community\n\nMar 18\n\n"
LONG = "An abstract that is long enough to be read as one. " * 8


def page(*pairs: tuple[str, str]) -> bytes:
    return HEADER + b"".join(f"{t}\n\n{a}\n\n".encode() for t, a in pairs)


def jsonl(*records: object, raw: list[str] | None = None) -> bytes:
    lines = [json.dumps(r, ensure_ascii=False) for r in records] + (raw or [])
    return ("\n".join(lines) + "\n").encode("utf-8")


def good(i: int) -> dict:
    return {"title": f"Good paper {i}", "abstract": f"Good abstract {i}."}


GOOD_CSV = "Good paper 1,Good abstract 1.,2021\nGood paper 2,Good abstract 2.,2022\n"

# name -> (files, papers a correct reader keeps)
INGEST_CASES: dict[str, tuple[dict[str, bytes], int | None]] = {
    # listing pages
    "page: empty file": ({"p.txt": b""}, 0),
    "page: only blank lines": ({"p.txt": b"\n\n\n"}, 0),
    "page: header only": ({"p.txt": HEADER}, 0),
    "page: PNG renamed .txt": ({"p.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)}, 0),
    "page: ZIP renamed .txt": ({"p.txt": b"PK\x03\x04" + bytes(100)}, 0),
    "page: one stray NUL late in the file": ({"p.txt": PAGE[:6000] + b"\x00" + PAGE[6000:]}, 79),
    "page: CR-only line ends": ({"p.txt": PAGE.replace(b"\n", b"\r")}, 79),
    "page: UTF-16 with BOM": ({"p.txt": PAGE.decode().encode("utf-16")}, 79),
    "page: cp1252 line": ({"p.txt": PAGE.replace(b"Recent advances", b"R\xe9cent advances", 1)}, 79),
    "page: lone-surrogate bytes (ED A0 80)": ({"p.txt": PAGE.replace(b"Recent", b"Rec\xed\xa0\x80nt", 1)}, 79),
    "page: 10 MB line": ({"p.txt": page(("T", "x" * 10_000_000))}, 1),
    "page: control characters in a title": ({"p.txt": page(("Bell\x07 and\x1b escape", LONG))}, 1),
    "page: title of 301 chars": ({"p.txt": page(("t" * 301, LONG))}, 0),
    "page: 20,000 short garbage lines": ({"p.txt": HEADER + b"x\n" * 20_000}, 0),
    # identity
    "ids: 3 Chinese titles": ({"p.txt": page(("基于深度学习的图像分割", LONG), ("基于注意力机制的机器翻译", LONG + "2"),
                                               ("大规模语言模型的推理加速", LONG + "3"))}, 3),
    "ids: 2 Russian titles": ({"p.txt": page(("Глубокое обучение", LONG), ("Обучение с подкреплением", LONG + "2"))}, 2),
    "ids: 2 Arabic titles": ({"p.txt": page(("التعلم العميق", LONG), ("الترجمة الآلية", LONG + "2"))}, 2),
    "ids: 2 Hebrew titles": ({"p.txt": page(("למידה עמוקה", LONG), ("תרגום מכונה", LONG + "2"))}, 2),
    "ids: Hindi, Korean, Japanese": ({"p.txt": page(("गहन शिक्षण", LONG), ("강화 학습", LONG + "2"), ("深層学習", LONG + "3"))}, 3),
    "ids: alpha- vs beta-Diffusion": ({"p.txt": page(("α-Diffusion", LONG), ("β-Diffusion", LONG + "2"))}, 2),
    "ids: emoji-only vs symbols-only": ({"p.txt": page(("🚀🚀", LONG), ("∑∞", LONG + "2"))}, 2),
    "ids: NFC vs NFD, same paper": ({"a.txt": page(("Café Models", LONG)), "b.txt": page(("Cafe\u0301 Models", LONG))}, 1),
    "ids: fullwidth vs ASCII, same paper": ({"a.txt": page(("Ｄｅｅｐ Ｌｅａｒｎｉｎｇ", LONG)), "b.txt": page(("Deep Learning", LONG))}, 1),
    "ids: ligature fi, same paper": ({"a.txt": page(("Eﬃcient Nets", LONG)), "b.txt": page(("Efficient Nets", LONG))}, 1),
    "ids: Nyström vs Nystrom, same paper": ({"a.txt": page(("Nyström Method", LONG)), "b.txt": page(("Nystrom Method", LONG))}, 1),
    # CSV
    "csv: empty": ({"c.csv": b""}, 0),
    "csv: header only": ({"c.csv": b"title,abstract\n"}, 0),
    "csv: no abstract column": ({"c.csv": b"title,year\nA,2020\n"}, 0),
    "csv: unbalanced quote mid-file": ({"c.csv": ("title,abstract,date\nP0,A0.,2020\nBad,\"never closed,2020\n"
                                                  + GOOD_CSV + "P3,\"A3, quoted.\",2023\n").encode()}, 4),
    "csv: unbalanced quote in last record": ({"c.csv": ("title,abstract,date\n" + GOOD_CSV + "Bad,\"open\n").encode()}, 2),
    "csv: inner quotes not doubled": ({"c.csv": ("title,abstract,date\nBad,\"say \"hi\" there\",2020\n" + GOOD_CSV).encode()}, 2),
    "csv: ragged row, extra fields": ({"c.csv": ("title,abstract,date\nA, b, c, d,2020\n" + GOOD_CSV).encode()}, 2),
    "csv: ragged row, fewer fields": ({"c.csv": ("title,abstract,date\nShort,Only two.\n" + GOOD_CSV).encode()}, 3),
    "csv: 200 KB field": ({"c.csv": ("title,abstract\nLong," + "w" * 200_000 + "\n").encode()}, 1),
    "csv: 2 MB field": ({"c.csv": ("title,abstract\nHuge,\"" + "w" * 2_000_000 + "\"\n" + "P,A.\n").encode()}, 1),
    "csv: semicolon-separated": ({"c.csv": b"title;abstract\nA paper;An abstract, with a comma.\n"}, 1),
    "csv: tab-separated": ({"c.csv": b"title\tabstract\nA paper\tAn abstract.\n"}, 1),
    "csv: UTF-16 (Excel 'Unicode text')": ({"c.csv": "title,abstract\nDéjà vu,An abstract.\n".encode("utf-16")}, 1),
    "csv: UTF-8 BOM and CRLF": ({"c.csv": b"\xef\xbb\xbftitle,abstract\r\nA,B.\r\n"}, 1),
    "csv: NUL in a field late in the file": ({"c.csv": ("title,abstract\nP1,A1.\nP2," + "x" * 5000 + "\n").encode()
                                             + b"N,A\x00B.\n"}, 3),
    "csv: year 0000": ({"c.csv": b"title,abstract,date\nA,B.,0000\n"}, 1),
    "csv: year 99999": ({"c.csv": b"title,abstract,date\nA,B.,99999\n"}, 1),
    "csv: date 9999-12-31": ({"c.csv": b"title,abstract,date\nA,B.,9999-12-31\n"}, 1),
    "csv: date 2021-02-30": ({"c.csv": b"title,abstract,date\nA,B.,2021-02-30\n"}, 1),
    "csv: url javascript:": ({"c.csv": b"title,abstract,url\nA,B.,javascript:alert(1)\n"}, 1),
    "csv: url ' JaVaScRiPt:'": ({"c.csv": b"title,abstract,url\nA,B., JaVaScRiPt:alert(1)\n"}, 1),
    "csv: url data:text/html": ({"c.csv": b'title,abstract,url\nA,B.,"data:text/html,<script>alert(1)</script>"\n'}, 1),
    "csv: duplicate column names": ({"c.csv": b"title,title,abstract\nA,B,C.\n"}, 1),
    "csv: 50,000 rows": ({"c.csv": ("title,abstract\n" + "".join(f"T{i},A{i}.\n" for i in range(50_000))).encode()}, 50_000),
    # JSON Lines
    "jsonl: first record lacks abstract": ({"j.jsonl": jsonl({"title": "No abstract"}, good(1), good(2))}, 2),
    "jsonl: no record has title/abstract": ({"j.jsonl": jsonl({"name": "x"}, {"name": "y"})}, 0),
    "jsonl: corrupt line mid-file": ({"j.jsonl": jsonl(good(1), good(2), raw=['{"title": "Bro', json.dumps(good(3))])}, 3),
    "jsonl: JSON array line": ({"j.jsonl": jsonl(good(1), raw=["[1, 2]"])}, 1),
    "jsonl: nesting 100,000 deep": ({"j.jsonl": jsonl(good(1), raw=['{"title": "D", "abstract": "x", "m": '
                                                                      + "[" * 100_000 + "]" * 100_000 + "}"])}, 1),
    "jsonl: 5,000-digit integer": ({"j.jsonl": jsonl(good(1), raw=['{"title": "B", "abstract": "x", "n": ' + "9" * 5000 + "}"])}, 1),
    "jsonl: NaN / Infinity titles": ({"j.jsonl": jsonl(good(1), raw=['{"title": NaN, "abstract": "x"}',
                                                                      '{"title": Infinity, "abstract": "x"}'])}, 1),
    "jsonl: lone surrogate \\ud800 in title": ({"j.jsonl": jsonl(good(1), raw=['{"title": "Bad \\ud800", "abstract": "x."}'])}, 2),
    "jsonl: NUL (\\u0000) in abstract": ({"j.jsonl": jsonl(good(1), raw=['{"title": "N", "abstract": "a\\u0000b"}'])}, 2),
    "jsonl: title is an object": ({"j.jsonl": jsonl(good(1), {"title": {"a": 1}, "abstract": "x"})}, 1),
    "jsonl: title is a list": ({"j.jsonl": jsonl(good(1), {"title": ["T"], "abstract": "x"})}, 1),
    "jsonl: abstract is a number": ({"j.jsonl": jsonl(good(1), {"title": "Num", "abstract": 42})}, 2),
    "jsonl: date is an object": ({"j.jsonl": jsonl({"title": "D", "abstract": "x", "date": {"y": 1}})}, 1),
    "jsonl: date year 0": ({"j.jsonl": jsonl({"title": "D", "abstract": "x", "date": "0000"})}, 1),
    "jsonl: .json holding an array": ({"j.json": b'[{"title": "A", "abstract": "B"}]'}, 0),
    "jsonl: only blank lines": ({"j.jsonl": b"\n\n\n"}, 0),
    "jsonl: url vbscript:": ({"j.jsonl": jsonl({"title": "U", "abstract": "x", "url": "vbscript:msgbox(1)"})}, 1),
    # arXiv snapshot records
    "arxiv: versions not a list": ({"a.jsonl": jsonl({"id": "1", "title": "T", "abstract": "A", "versions": "v1"})}, 1),
    "arxiv: versions empty": ({"a.jsonl": jsonl({"id": "2101.00001", "title": "T", "abstract": "A", "versions": []})}, 1),
    "arxiv: versions[0] a string": ({"a.jsonl": jsonl({"id": "2101.00001", "title": "T", "abstract": "A", "versions": ["v1"]})}, 1),
    "arxiv: created unparseable": ({"a.jsonl": jsonl({"id": "2101.00001", "title": "T", "abstract": "A",
                                                      "versions": [{"created": "yesterday"}]})}, 1),
    "arxiv: id 'javascript:alert(1)'": ({"a.jsonl": jsonl({"id": "javascript:alert(1)", "title": "T", "abstract": "A",
                                                           "versions": []})}, 1),
    "arxiv: id is an object": ({"a.jsonl": jsonl({"id": {"x": 1}, "title": "T", "abstract": "A", "versions": []})}, 1),
    # several files
    "files: one binary among good ones": ({"a.txt": PAGE, "b.txt": b"\x00\x01\x02" * 100}, 79),
    "files: unsupported extension named": ({"x.xlsx": b"PK\x03\x04"}, 0),
}

INGEST_DRIVER = r"""
import json, sys, traceback
from pathlib import Path
cases = json.loads(Path(sys.argv[1]).read_text())
from pipeline import ingest, store
from pipeline.run import ingest_inputs
out = {}
for name, folder in cases.items():
    paths = sorted(Path(folder).iterdir())
    try:
        tables = ingest_inputs([p for p in paths if p.name != "_out"])
        store.write_tables(tables, Path(folder) / "_out")
        urls = [u for u in tables["papers"]["url"].dropna()]
        out[name] = {"kind": "ok", "papers": len(tables["papers"]), "warnings": len(tables["warnings"]),
                     "unsafe": [u for u in urls if not str(u).lower().startswith(("http://", "https://"))]}
    except ingest.InputError as exc:
        out[name] = {"kind": "error", "message": str(exc), "lines": len(str(exc).splitlines())}
    except BaseException as exc:
        out[name] = {"kind": "TRACEBACK", "message": f"{type(exc).__name__}: {str(exc)[:80]}"}
print(json.dumps(out))
"""


@dataclass
class Checkout:
    path: Path
    python: str
    env: dict[str, str]

    def run(self, args: list[str], timeout: int = 300, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run([self.python, *args], cwd=self.path, env={**os.environ, **self.env}, capture_output=True,
                              text=True, timeout=timeout, **kwargs)

    def trends(self, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
        return self.run(["-c", "from pipeline.cli import app; app()", *args], timeout=timeout)


def ingest_outcomes(checkout: Checkout, work: Path) -> dict[str, str]:
    folders = {}
    for i, (name, (files, _)) in enumerate(INGEST_CASES.items()):
        folder = work / f"ingest-{i:03d}"
        folder.mkdir(parents=True)
        for filename, data in files.items():
            (folder / filename).write_bytes(data)
        folders[name] = str(folder)
    (work / "cases.json").write_text(json.dumps(folders))
    result = checkout.run(["-c", INGEST_DRIVER, str(work / "cases.json")], timeout=900)
    if result.returncode != 0:
        raise SystemExit(result.stderr[-3000:])
    outcomes = {}
    for name, got in json.loads(result.stdout.splitlines()[-1]).items():
        expected = INGEST_CASES[name][1]
        if got["kind"] == "ok":
            text = f"ok: {got['papers']} papers, {got['warnings']} warnings"
            if expected is not None and got["papers"] < expected:
                text += f"; LOST {expected - got['papers']}"
            if expected is not None and got["papers"] > expected:
                text += f"; {got['papers'] - expected} bogus"
            if got["unsafe"]:
                text += "; UNSAFE LINK stored"
        elif got["kind"] == "error":
            text = "error: " + got["message"][:70] + ("" if got["lines"] == 1 else " (several lines)")
            if expected:
                text += f"; LOST {expected}"
        else:
            text = "TRACEBACK " + got["message"][:70]
        outcomes[name] = text
    return outcomes


# --------------------------------------------------------------------------- command-line cases


def digest_tree(*folders: Path) -> str:
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file() and path.name != ".trends.lock":
                digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def classify(result: subprocess.CompletedProcess) -> str:
    if "Traceback" in result.stderr:
        last = [line for line in result.stderr.strip().splitlines() if line.strip()][-1]
        return "TRACEBACK " + last[:70]
    if result.returncode == 0:
        return "ok"
    # stage lines ("✓ ingest …") and warnings are progress; what counts is the error itself
    lines = result.stderr.strip().splitlines()
    errors = [line for line in lines if line.startswith(("error:", "interrupted:"))]
    if not errors:  # Typer's usage box and the like
        return f"exit {result.returncode}: " + " ".join(lines)[:80] + f" ({len(lines)} lines)"
    return f"exit {result.returncode}: " + errors[0][:80] + ("" if len(errors) == 1 else f" ({len(errors)} errors)")


def cli_outcomes(checkout: Checkout, work: Path, seed_run: Path) -> dict[str, str]:
    """Settings, faults and queries on a scratch copy of a finished run."""
    outcomes: dict[str, str] = {}

    def fresh_copy(name: str) -> dict[str, Path]:
        target = work / name
        shutil.copytree(seed_run, target)
        return {"processed": target / "processed", "reports": target / "reports", "cache": seed_run / "cache"}

    def run_args(paths: dict[str, Path], *extra: str) -> list[str]:
        return ["run", "--input", str(RAW), "--processed", str(paths["processed"]), "--reports", str(paths["reports"]),
                "--cache", str(paths["cache"]), *extra]

    def case(name: str, *args: str, paths: dict[str, Path] | None = None, unchanged: bool = False) -> None:
        before = digest_tree(paths["processed"], paths["reports"]) if paths and unchanged else None
        result = checkout.trends(*args)
        text = classify(result)
        if before is not None and digest_tree(paths["processed"], paths["reports"]) != before:
            text += "; old outputs CHANGED"
        outcomes[name] = text

    # settings
    p = fresh_copy("settings")
    for label, extra in [("seed -1", ["--seed", "-1"]), ("seed 2**40", ["--seed", str(2**40)]),
                         ("device gpu", ["--device", "gpu"]), ("device cuda (none here)", ["--device", "cuda"]),
                         ("device cuda:7", ["--device", "cuda:7"]), ("device mps", ["--device", "mps"]),
                         ("model ./missing", ["--model", "./missing/model"]),
                         ("model hub id not cached", ["--model", "someone/not-cached-model"])]:
        case(f"settings: {label}", *run_args(p, *extra, "--force"), paths=p, unchanged=True)
    toml = work / "bad.toml"
    toml.write_text("[trends]\nseed = 'x'\n")
    case("settings: trends.toml wrong type", *run_args(p, "--config", str(toml)), paths=p, unchanged=True)
    afile = work / "a-file"
    afile.write_text("x")
    case("settings: --processed is a file", *run_args(dict(p, processed=afile)))
    case("settings: --reports under a file", *run_args(dict(p, reports=afile / "reports")))
    case("settings: --cache is a file", *run_args(dict(p, cache=afile), "--force"))
    case("settings: --input missing", "run", "--input", str(work / "nope.csv"), "--processed", str(p["processed"]))

    # faults in the output folders
    p = fresh_copy("figures-file")
    shutil.rmtree(p["reports"] / "figures")
    (p["reports"] / "figures").write_text("x")
    case("fault: reports/figures is a file", *run_args(p, "--force", "--seed", "7"), paths=p, unchanged=True)
    p = fresh_copy("html-dir")
    (p["reports"] / "report.html").unlink()
    (p["reports"] / "report.html").mkdir()
    case("fault: reports/report.html is a folder", *run_args(p, "--force", "--seed", "7"), paths=p, unchanged=True)
    p = fresh_copy("leftovers")
    (p["processed"] / ".trends.duckdb.0badf00d.tmp").write_bytes(b"x")
    (p["processed"] / ".trends.duckdb.0badf00d.tmp.wal").write_bytes(b"x")
    result = checkout.trends(*run_args(p, "--force"))
    left = [q.name for q in p["processed"].iterdir() if ".tmp" in q.name]
    outcomes["fault: temp files of a killed run"] = classify(result) + (f"; {len(left)} temp files LEFT" if left else "")
    for label, damage in [("late blocks", lambda b: b[: len(b) // 2] + os.urandom(len(b) - len(b) // 2)),
                          ("truncated to half", lambda b: b[: len(b) // 2]), ("replaced by text", lambda b: b"hello")]:
        p = fresh_copy(f"db-{label}")
        db = p["processed"] / "trends.duckdb"
        db.write_bytes(damage(db.read_bytes()))
        case(f"fault: database {label}, trends report", "report", "--processed", str(p["processed"]),
             "--reports", str(p["reports"]))
        case(f"fault: database {label}, trends run", *run_args(p))
        case(f"fault: database {label}, trends query", "query", "select count(*) from papers", "--processed",
             str(p["processed"]))
    p = fresh_copy("shard")
    bad = work / "cache-bad"
    shutil.copytree(p["cache"], bad)
    next(bad.rglob("*.npz")).write_bytes(b"not a zip")
    case("fault: cache shard not a zip", *run_args(dict(p, cache=bad), "--force"))
    p = fresh_copy("lock")
    holder = subprocess.Popen([checkout.python, "-c", textwrap.dedent("""
        import fcntl, os, sys, time
        fd = os.open(os.path.join(sys.argv[1], '.trends.lock'), os.O_RDWR | os.O_CREAT)
        fcntl.flock(fd, fcntl.LOCK_EX)
        print('held', flush=True)
        time.sleep(60)"""), str(p["processed"])], stdout=subprocess.PIPE, text=True)
    holder.stdout.readline()
    case("fault: second run while one holds the folder", *run_args(p, "--force", "--seed", "7"))
    holder.kill()
    holder.wait()

    # queries
    q = fresh_copy("query")["processed"]
    for label, sql in [("two statements", "select 1; select 2"), ("statement then delete", "select 1; delete from papers"),
                       ("empty", ""), ("only a comment", "/* nothing */"), ("delete", "delete from papers"),
                       ("copy to file", "copy papers to '/tmp/x.csv'"), ("read_csv /etc/passwd",
                                                                          "select * from read_csv('/etc/passwd')"),
                       ("attach", "attach '/tmp/other.db'"), ("install extension", "install httpfs"),
                       ("set external access on", "set enable_external_access = true"),
                       ("syntax error", "selec 1"), ("unknown table", "select * from nope")]:
        case(f"query: {label}", "query", sql, "--processed", str(q))
    for fmt in ("csv", "json", "jsonl", "table"):
        sql = "select range as i, 'text ' || range as s from range(10000000)"
        script = ("import resource, subprocess, sys\n"  # 3 GB of address space: enough to stream, not to hold 10M rows
                  "cap = lambda: resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))\n"
                  "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, "
                  "preexec_fn=cap)\n"
                  "print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024, "
                  "'Traceback' in p.stderr)")
        result = checkout.run(["-c", script, checkout.python, "-c", "from pipeline.cli import app; app()", "query",
                               sql, "--processed", str(q), "--format", fmt], timeout=900)
        if result.returncode != 0 or not result.stdout.strip():
            outcomes[f"query: 10M rows as {fmt} (3 GB cap)"] = f"no result ({result.stderr.strip()[-80:]})"
            continue
        rc, peak, traceback = result.stdout.split()
        outcomes[f"query: 10M rows as {fmt} (3 GB cap)"] = (("TRACEBACK " if traceback == "True" else "")
                                                            + f"exit {rc}, peak RSS {int(peak):,} MB")
    result = checkout.trends("query", "select * from range(1000)", "--processed", str(q))
    outcomes["query: 1,000 rows as a table"] = f"{result.stdout.count(chr(10))} lines printed" + (
        "; says it is capped" if "--limit" in result.stdout else "")

    return outcomes


FULL_DISK = r"""
import json, os, shutil, subprocess, sys
mount, seed, free, python = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", mount], check=True)
for name in ("processed", "reports"):
    shutil.copytree(os.path.join(seed, name), os.path.join(mount, name))
if free < 0:
    subprocess.run(["mount", "-o", "remount,ro", mount], check=True)
else:
    stat = os.statvfs(mount)
    open(os.path.join(mount, "filler"), "wb").write(b"\0" * (stat.f_bavail * stat.f_frsize - free))
result = subprocess.run([python, "-c", "from pipeline.cli import app; app()", *sys.argv[5:]], capture_output=True, text=True)
"""


def disk_outcomes(checkout: Checkout, work: Path, seed_run: Path) -> dict[str, str]:
    """A full disk (tmpfs filled to a given free space) and a read-only one, in a user and mount namespace."""
    if subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode != 0:
        return {"disk: (skipped, no user namespaces)": ""}
    outcomes = {}
    for label, free in [("full disk while the database is written", 300_000),
                        ("full disk while the report is written", 2_600_000), ("read-only output folder", -1)]:
        mount = work / f"disk-{free}"
        mount.mkdir(parents=True)
        shutil.copytree(seed_run, mount.with_name(mount.name + "-old"))
        old = mount.with_name(mount.name + "-old")
        args = ["run", "--input", str(RAW), "--processed", str(mount / "processed"), "--reports", str(mount / "reports"),
                "--cache", str(seed_run / "cache"), "--seed", "7", "--force"]
        driver = [sys.executable, "-c", FULL_DISK + AFTER_DISK, str(mount), str(old), str(free), checkout.python, *args]
        result = subprocess.run(["unshare", "-rm", *driver], capture_output=True, text=True, cwd=checkout.path,
                                env={**os.environ, **checkout.env}, timeout=600)
        if result.returncode != 0:
            outcomes[f"disk: {label}"] = "probe failed: " + result.stderr.strip()[-80:]
            continue
        got = json.loads(result.stdout.splitlines()[-1])
        text = classify(subprocess.CompletedProcess([], got["rc"], "", got["stderr"]))
        if got["changed"]:
            text += f"; old outputs CHANGED ({got['changed']} files)"
        if got["left"]:
            text += f"; {got['left']} temp files LEFT"
        if got["papers"] != 194:
            text += "; database now UNREADABLE" if got["papers"] == -1 else f"; database now has {got['papers']} papers"
        outcomes[f"disk: {label}"] = text
    return outcomes


# run inside the namespace after the command: compare with the old outputs before the tmpfs goes away
AFTER_DISK = r"""
import hashlib
def digests(root):
    return {os.path.relpath(os.path.join(d, f), root): hashlib.sha256(open(os.path.join(d, f), "rb").read()).hexdigest()
            for d, _, names in os.walk(root) for f in names if f not in ("filler", ".trends.lock")}
now = digests(mount)
before = {k: v for k, v in digests(seed).items() if not k.startswith("cache/")}
try:
    import duckdb
    papers = duckdb.connect(os.path.join(mount, "processed", "trends.duckdb"), read_only=True).execute(
        "select count(*) from papers").fetchone()[0]
except Exception:  # no papers table at all: the empty database of a failed checkpoint
    papers = -1
print(json.dumps({"rc": result.returncode, "stderr": result.stderr, "papers": papers,
                  "changed": sum(now.get(k) != v for k, v in before.items()), "left": sum(".tmp" in k for k in now)}))
"""


def interrupt_outcome(checkout: Checkout, work: Path) -> dict[str, str]:
    """Ctrl-C a cold run (fresh cache) two seconds into encoding: does the message match the cache?"""
    cache = work / "interrupt-cache"
    run = subprocess.Popen([checkout.python, "-c", "from pipeline.cli import app; app()", "run", "--input", str(RAW),
                            "--processed", str(work / "interrupt" / "p"), "--reports", str(work / "interrupt" / "r"),
                            "--cache", str(cache), "--batch-size", "4"], cwd=checkout.path, env={**os.environ, **checkout.env},
                           stderr=subprocess.PIPE, text=True)
    for line in run.stderr:
        if "model" in line:
            break
    import signal
    import time

    time.sleep(5)
    run.send_signal(signal.SIGINT)
    stderr = run.stderr.read()
    run.wait()
    message = next((line for line in stderr.splitlines() if line.startswith("interrupted")), stderr.strip()[-80:])
    count = checkout.run(["-c", "import sys; from pipeline.embed_cache import EmbeddingCache; "
                                "print(len(EmbeddingCache(sys.argv[1], 'all-MiniLM-L6-v2')))", str(cache / "embeddings")])
    cached = count.stdout.strip() or "?"
    claimed = message.split(" of 194 embeddings")[0].rsplit(" ", 1)[-1] if " of 194 embeddings" in message else None
    untrue = ((claimed is not None and claimed != cached)
              or ("computed so far are cached" in " ".join(stderr.split()) and cached == "0"))
    return {"ctrl-c: 5 s into encoding 194 texts": f"exit {run.returncode}: {message[:90]} (cache holds {cached})"
                                                   + ("; message UNTRUE" if untrue else "")}


def report_safety(checkout: Checkout, work: Path, seed_run: Path) -> dict[str, str]:
    """Hostile links and titles in stored rows (as an older database may hold): what the report renders."""
    script = textwrap.dedent(r"""
        import re, sys
        from pathlib import Path
        from pipeline import store
        from pipeline.report.build import build_report
        tables = store.read_tables(Path(sys.argv[1]))
        papers = tables["papers"].copy()
        papers.loc[0, "url"] = "javascript:alert('u')"
        papers.loc[1, "code_url"] = "javascript:alert('c')"
        papers.loc[2, "title"] = "<script>alert('t')</script> [x](javascript:alert('m'))"
        files = build_report({**tables, "papers": papers})
        html, md, page = (files[n].decode() for n in ("report.html", "report.md", "map.html"))
        print("html-link", bool(re.search(r'href="\s*javascript:', html, re.I)))
        print("md-link", bool(re.search(r"(?<!\\)\]\(\s*javascript:", md)))
        print("md-raw-html", "<script>alert('t')" in md)
        print("map-link", bool(re.search(r'href="\s*javascript:', page, re.I)))
    """)
    result = checkout.run(["-c", script, str(seed_run / "processed")])
    if result.returncode != 0:
        return {"report: hostile rows": "TRACEBACK " + result.stderr.strip().splitlines()[-1][:70]}
    found = dict(line.split() for line in result.stdout.splitlines())
    return {"report.html: javascript: url as a link": "UNSAFE" if found["html-link"] == "True" else "no link",
            "report.md: javascript: link syntax in a title": "UNSAFE" if found["md-link"] == "True" else "escaped",
            "report.md: <script> title": "raw HTML" if found["md-raw-html"] == "True" else "escaped",
            "map.html: javascript: url as a link": "UNSAFE" if found["map-link"] == "True" else "no link"}


def seed_run_for(checkout: Checkout, work: Path, cache: Path) -> Path:
    seed = work / "seed-run"
    result = checkout.trends("run", "--input", str(RAW), "--processed", str(seed / "processed"),
                             "--reports", str(seed / "reports"), "--cache", str(cache))
    if result.returncode != 0:
        raise SystemExit(result.stderr[-2000:])
    shutil.copytree(cache, seed / "cache")
    return seed


def probe(checkout: Checkout, cache: Path) -> dict[str, str]:
    with tempfile.TemporaryDirectory(prefix="hostile-") as scratch:
        work = Path(scratch)
        outcomes = ingest_outcomes(checkout, work / "ingest")
        seed = seed_run_for(checkout, work, cache)
        outcomes.update(cli_outcomes(checkout, work / "cli", seed))
        outcomes.update(disk_outcomes(checkout, work / "disk", seed))
        outcomes.update(interrupt_outcome(checkout, work))
        outcomes.update(report_safety(checkout, work, seed))
        return outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare", type=Path, help="another checkout to probe side by side (e.g. main)")
    parser.add_argument("--other-python", default=sys.executable, help="its Python (with the dependencies)")
    parser.add_argument("--cache", type=Path, default=REPO / "data" / "cache",
                        help="an embedding cache holding the default corpus (nothing is encoded if it does)")
    args = parser.parse_args()
    checkouts = {"this": Checkout(REPO, sys.executable, {})}
    if args.compare:
        checkouts = {"other": Checkout(args.compare.resolve(), args.other_python, {"PYTHONPATH": str(args.compare.resolve())}),
                     **checkouts}
    results = {name: probe(checkout, args.cache) for name, checkout in checkouts.items()}
    names = list(next(iter(results.values())))
    print("| # | case | " + " | ".join(checkouts) + " |")
    print("|---:|---|" + "---|" * len(checkouts))
    for i, name in enumerate(names, start=1):
        cells = [results[c].get(name, "").replace("|", "\\|") for c in checkouts]
        print(f"| {i} | {name} | " + " | ".join(cells) + " |")
    for checkout in checkouts:
        counts = {kind: sum(value.startswith(kind) for value in results[checkout].values())
                  for kind in ("TRACEBACK", "ok", "error", "exit")}
        flagged = sum(any(flag in value for flag in ("LOST", "UNSAFE", "CHANGED", "raw HTML", "LEFT", "bogus", "UNREADABLE",
                                                     "database now", "UNTRUE"))
                      for value in results[checkout].values())
        print(f"\n{checkout}: {len(names)} cases, {counts['TRACEBACK']} tracebacks, {flagged} flagged "
              "(lost, merged, unsafe, changed or left behind)")


if __name__ == "__main__":
    main()
