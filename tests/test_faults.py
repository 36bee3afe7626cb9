"""Faults during a run: a full disk, a read-only folder, a file in the way, a crash between two
renames, a second run, Ctrl-C, damaged caches and databases. Each leaves the previous outputs whole.

The full disk is real: a tmpfs of a few megabytes, mounted in a user and mount namespace
(`unshare -rm`, no privileges needed where the kernel allows user namespaces), filled up to a
chosen free space, so the kernel itself answers ENOSPC to DuckDB's and Python's writes. Where
namespaces are not allowed, RLIMIT_FSIZE caps the size of every file the run writes instead (the
kernel answers EFBIG at the same write calls).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from pipeline import embed, ingest, outputs, store
from pipeline.embed_cache import EmbeddingCache
from pipeline.lock import LOCK_NAME
from pipeline.errors import Interrupted
from pipeline.run import Progress, embed_papers, ingest_inputs, read_sources
from pipeline.settings import Settings

RAW_DIR = Path(__file__).resolve().parents[1] / "data" / "raw"
TRENDS = str(Path(sys.executable).parent / "trends")


def snapshot(*folders: Path) -> dict[str, str]:
    """Every output file's digest (the lock file is not an output: each run rewrites its holder)."""
    return {str(path): hashlib.sha256(path.read_bytes()).hexdigest()
            for folder in folders for path in sorted(Path(folder).rglob("*"))
            if path.is_file() and path.name != LOCK_NAME}


def temporaries(*folders: Path) -> list[Path]:
    return [p for folder in folders for p in Path(folder).rglob("*") if p.name.endswith((".tmp", ".tmp.wal"))
            or p.name == outputs.JOURNAL_NAME]


@pytest.fixture
def old_outputs(default_run, tmp_path) -> dict[str, Path]:
    """A copy of a real run's outputs, to be faulted."""
    paths = {"processed": tmp_path / "processed", "reports": tmp_path / "reports", "cache": default_run["cache"]}
    shutil.copytree(default_run["processed"], paths["processed"])
    shutil.copytree(default_run["reports"], paths["reports"])
    return paths


def trends(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([TRENDS, *args], capture_output=True, text=True, **kwargs)


def new_run_args(paths: dict[str, Path]) -> list[str]:
    """A run whose outputs differ from the default run's (one page, another seed), from cached embeddings."""
    return ["run", "--input", str(sorted(RAW_DIR.glob("*.txt"))[0]), "--processed", str(paths["processed"]),
            "--reports", str(paths["reports"]), "--cache", str(paths["cache"]), "--seed", "7"]


def unchanged_run_args(paths: dict[str, Path]) -> list[str]:
    """The default run again: up to date, so only the checks and clean-ups before the work happen."""
    return ["run", "--input", str(RAW_DIR), "--processed", str(paths["processed"]), "--reports",
            str(paths["reports"]), "--cache", str(paths["cache"])]


def one_line_error(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "Traceback" not in result.stderr, result.stderr
    return errors[0]


# --------------------------------------------------------------------------- a full disk


def namespaces_work() -> bool:
    try:
        return subprocess.run(["unshare", "-rm", "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


FULL_DISK_DRIVER = r"""
import hashlib, json, os, shutil, subprocess, sys
mount, old_processed, old_reports, free, args = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5:]
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", mount], check=True)
shutil.copytree(old_processed, os.path.join(mount, "processed"))
shutil.copytree(old_reports, os.path.join(mount, "reports"))
stat = os.statvfs(mount)
with open(os.path.join(mount, "filler"), "wb") as handle:
    handle.write(b"\0" * (stat.f_bavail * stat.f_frsize - free))
result = subprocess.run(args, capture_output=True, text=True)
files = {os.path.relpath(os.path.join(d, f), mount): hashlib.sha256(open(os.path.join(d, f), "rb").read()).hexdigest()
         for d, _, names in os.walk(mount) for f in names if f not in ("filler", ".trends.lock")}
print(json.dumps({"rc": result.returncode, "stderr": result.stderr, "files": files}))
"""


def run_on_full_disk(old: dict[str, Path], tmp_path: Path, free_bytes: int) -> tuple[dict, str]:
    """Run `trends run` (another seed) with the old outputs on a disk that has `free_bytes` left."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    paths = {"processed": mount / "processed", "reports": mount / "reports", "cache": old["cache"]}
    if namespaces_work():
        driver = subprocess.run(["unshare", "-rm", sys.executable, "-c", FULL_DISK_DRIVER, str(mount),
                                 str(old["processed"]), str(old["reports"]), str(free_bytes), TRENDS,
                                 *new_run_args(paths)], capture_output=True, text=True, timeout=300)
        assert driver.returncode == 0, driver.stderr
        return json.loads(driver.stdout), "No space left on device"
    import resource

    shutil.copytree(old["processed"], paths["processed"])
    shutil.copytree(old["reports"], paths["reports"])

    def cap_file_size() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (free_bytes, free_bytes))

    result = subprocess.run([TRENDS, *new_run_args(paths)], capture_output=True, text=True, preexec_fn=cap_file_size)
    files = {str(p.relative_to(mount)): digest for p, digest in
             ((Path(k), v) for k, v in snapshot(paths["processed"], paths["reports"]).items())}
    return {"rc": result.returncode, "stderr": result.stderr, "files": files}, "File too large"


def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


@pytest.fixture(scope="module")
def new_run_sizes(default_run, tmp_path_factory) -> tuple[int, int]:
    """Bytes of the faulted run's own outputs (database + Parquet, report), written once on a normal
    disk over a copy of the same old outputs (so with the same lineage tables), so the fill points
    below follow what the run really writes."""
    scratch = tmp_path_factory.mktemp("sizes")
    paths = {"processed": scratch / "processed", "reports": scratch / "reports", "cache": default_run["cache"]}
    shutil.copytree(default_run["processed"], paths["processed"])
    shutil.copytree(default_run["reports"], paths["reports"])
    assert trends(*new_run_args(paths)).returncode == 0
    return folder_bytes(paths["processed"]), folder_bytes(paths["reports"])


@pytest.mark.parametrize("room, failing", [
    ("none", "trends.duckdb"),  # the database does not fit
    ("store", "reports"),  # the database and Parquet files fit; the report does not
])
def test_full_disk_during_the_store_keeps_the_old_outputs_byte_identical(old_outputs, new_run_sizes, tmp_path,
                                                                          room, failing):
    """The disk is filled so that the first write fails, or so that the store's new files fit
    (with room to spare) and the report's do not; the fill points follow the outputs' real sizes."""
    before = {str(Path(k).relative_to(tmp_path)): v
              for k, v in snapshot(old_outputs["processed"], old_outputs["reports"]).items()}
    store_size, report_size = new_run_sizes
    # the store needs a little more than its final size while it writes (the database's WAL), the report
    # all of its own: half the report's size beyond the store leaves the store room and the report none
    free_bytes = 300_000 if room == "none" else store_size + report_size // 2
    result, cause = run_on_full_disk(old_outputs, tmp_path, free_bytes)
    assert result["rc"] == 1, result["stderr"]
    errors = [line for line in result["stderr"].splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "Traceback" not in result["stderr"], result["stderr"]
    assert failing in errors[0] and cause in errors[0], errors[0]
    assert "✓ outputs" not in result["stderr"]
    assert result["files"] == before, "the old outputs are intact, byte for byte, and nothing else is left"


# --------------------------------------------------------------------------- read-only folders, files in the way


READ_ONLY_DRIVER = r"""
import hashlib, json, os, shutil, subprocess, sys
mount, old_processed, args = sys.argv[1], sys.argv[2], sys.argv[3:]
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mount], check=True)
shutil.copytree(old_processed, os.path.join(mount, "processed"))
subprocess.run(["mount", "-o", "remount,ro", mount], check=True)
result = subprocess.run(args, capture_output=True, text=True)
files = {f: hashlib.sha256(open(os.path.join(mount, "processed", f), "rb").read()).hexdigest()
         for f in os.listdir(os.path.join(mount, "processed"))}
print(json.dumps({"rc": result.returncode, "stderr": result.stderr, "files": files}))
"""


def test_read_only_output_folder_is_named_before_any_work(old_outputs, tmp_path):
    if not namespaces_work():
        pytest.skip("needs a user namespace to mount a read-only tmpfs (unshare -rm)")
    mount = tmp_path / "ro"
    mount.mkdir()
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in old_outputs["processed"].iterdir()}
    paths = dict(old_outputs, processed=mount / "processed")
    driver = subprocess.run(["unshare", "-rm", sys.executable, "-c", READ_ONLY_DRIVER, str(mount),
                             str(old_outputs["processed"]), TRENDS, *new_run_args(paths)],
                            capture_output=True, text=True, timeout=120)
    result = json.loads(driver.stdout)
    assert result["rc"] == 1 and f"database folder (--processed) {mount / 'processed'} is not writable" in result["stderr"]
    assert "ingest" not in result["stderr"] and len(result["stderr"].strip().splitlines()) == 1
    assert result["files"] == before


def test_output_folder_that_is_a_file(old_outputs, tmp_path):
    afile = tmp_path / "not-a-folder"
    afile.write_text("x")
    error = one_line_error(trends(*new_run_args(dict(old_outputs, reports=afile))))
    assert f"report folder (--reports) {afile} is a file, not a folder" in error


def test_a_file_in_the_way_of_one_output(old_outputs):
    reports = old_outputs["reports"]
    shutil.rmtree(reports / "figures")
    (reports / "figures").write_text("a file where a folder goes")
    before = snapshot(old_outputs["processed"], reports)
    error = one_line_error(trends(*new_run_args(old_outputs)))
    assert f"{reports / 'figures'} is a file, not a folder" in error
    assert snapshot(old_outputs["processed"], reports) == before, "not even the database was replaced"
    assert not temporaries(old_outputs["processed"], reports)


def test_a_folder_in_the_way_of_one_report_file(old_outputs):
    reports = old_outputs["reports"]
    (reports / "report.html").unlink()
    (reports / "report.html").mkdir()
    before = snapshot(reports)
    error = one_line_error(trends("report", "--processed", str(old_outputs["processed"]), "--reports", str(reports)))
    assert f"cannot write {reports / 'report.html'}: a folder of that name is in the way" in error
    assert snapshot(reports) == before and not temporaries(reports)


# --------------------------------------------------------------------------- a crash between two renames


CRASH_DRIVER = r"""
import os, sys
real_replace, calls = os.replace, []
def replace_then_die(src, dst):
    if str(dst).startswith(sys.argv[2]):  # renames of outputs only, not of a font cache
        calls.append(dst)
        if len(calls) == int(sys.argv[1]):
            os._exit(9)  # power loss: no cleanup, no finally
    real_replace(src, dst)
os.replace = replace_then_die
from pipeline.cli import app
app(sys.argv[3:])
"""


def test_crash_between_renames_is_completed_by_the_next_run(old_outputs):
    # call 1 publishes the journal; calls 2 and 3 move two outputs; the process dies on call 4
    crashed = subprocess.run([sys.executable, "-c", CRASH_DRIVER, "4", str(old_outputs["processed"].parent),
                              *new_run_args(old_outputs)],
                             capture_output=True, text=True)
    assert crashed.returncode == 9, crashed.stderr
    journal_path = old_outputs["processed"] / outputs.JOURNAL_NAME
    journal = json.loads(journal_path.read_text())
    expected = {}
    for temp, final in journal["moves"]:
        source = Path(temp) if Path(temp).exists() else Path(final)  # moved already, or still aside
        expected[final] = hashlib.sha256(source.read_bytes()).hexdigest()
    assert sum(not Path(temp).exists() for temp, _ in journal["moves"]) == 2, "the crash left a half-switched set"
    # the next command that writes outputs finishes the switch first: the new set, whole
    after = trends(*new_run_args(old_outputs))
    assert after.returncode == 0, after.stderr
    assert "completed the switch of" in after.stderr and "up to date" in after.stderr
    now = snapshot(old_outputs["processed"], old_outputs["reports"])
    assert {final: now[final] for final in expected} == expected
    assert not temporaries(old_outputs["processed"], old_outputs["reports"])
    assert store.query(old_outputs["processed"], "select value from run_info where key = 'seed'")["value"][0] == "7"


def test_leftovers_of_a_killed_run_are_removed(old_outputs):
    for leftover in (old_outputs["processed"] / ".trends.duckdb.0123abcd.tmp",
                     old_outputs["processed"] / ".trends.duckdb.0123abcd.tmp.wal",
                     old_outputs["reports"] / "figures" / ".theme_map.png.89abcdef.tmp"):
        leftover.write_bytes(b"half written")
    result = trends(*unchanged_run_args(old_outputs))  # unchanged run: only the cleanup happens
    assert result.returncode == 0 and "up to date" in result.stderr
    assert not temporaries(old_outputs["processed"], old_outputs["reports"])


# --------------------------------------------------------------------------- two runs at once


def test_second_run_is_refused_naming_the_holder_and_a_dead_holder_is_taken_over(old_outputs):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom pipeline.lock import folder_lock\n"
         "with folder_lock(sys.argv[1]):\n    print('held', flush=True)\n    time.sleep(120)",
         str(old_outputs["processed"])], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        error = one_line_error(trends(*new_run_args(old_outputs)))
        assert f"pid {holder.pid} on {socket.gethostname()}, started {time.strftime('%Y-%m-%d')}" in error
        assert "is in use by another run" in error
        assert "is in use by another run" in one_line_error(
            trends("report", "--processed", str(old_outputs["processed"]), "--reports", str(old_outputs["reports"])))
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    # the holder died without releasing anything: its lock is free again
    result = trends(*unchanged_run_args(old_outputs))
    assert result.returncode == 0 and "up to date" in result.stderr, result.stderr


# --------------------------------------------------------------------------- Ctrl-C while encoding


class InterruptAfter(Progress):
    """A progress display whose bar stops the run with Ctrl-C after `n` items, as a user would."""

    def __init__(self, n: int) -> None:
        super().__init__()
        self.n = n

    def bar(self, description, total):
        from contextlib import contextmanager

        @contextmanager
        def interrupting():
            def advance(done: int) -> None:
                if done >= self.n:
                    raise KeyboardInterrupt

            yield advance

        return interrupting()


def test_ctrl_c_keeps_every_finished_batch_and_says_so(tmp_path, raw_pages):
    papers = ingest.build_tables(read_sources(raw_pages[:1]))["papers"].head(20)
    texts = [embed.clean_text(t, a) for t, a in zip(papers["title"], papers["abstract"])]
    settings = Settings(cache_dir=tmp_path / "cache", batch_size=4)
    with pytest.raises(Interrupted) as info:
        embed_papers(texts, settings, InterruptAfter(12))
    assert str(info.value).startswith("12 of 20 embeddings are cached (12 encoded in this run before the interrupt)")
    cache = EmbeddingCache(settings.cache_dir / "embeddings", model_key=settings.model)
    assert len(cache) == 12, "what the message says is on disk, although far below the 1,024 flush interval"
    vectors = embed_papers(texts, settings, Progress())  # the re-run encodes only the other 8
    assert vectors.shape == (20, 384) and len(EmbeddingCache(settings.cache_dir / "embeddings", settings.model)) == 20


def test_real_sigint_message_matches_the_cache(tmp_path):
    cache = tmp_path / "cache"
    run = subprocess.Popen([TRENDS, "run", "--input", str(RAW_DIR), "--processed", str(tmp_path / "p"), "--reports",
                            str(tmp_path / "r"), "--cache", str(cache), "--batch-size", "4"],
                           stderr=subprocess.PIPE, text=True)
    before = []
    for line in run.stderr:  # the model stage's line: the model is loaded, encoding starts now
        before.append(line)
        if line.lstrip().startswith("✓ model"):
            break
    time.sleep(1.5)
    run.send_signal(signal.SIGINT)
    stderr = run.stderr.read()
    assert run.wait(timeout=120) == 130, "".join(before) + stderr
    [message] = [line for line in stderr.splitlines() if line.startswith("interrupted:")]
    n_cached = len(EmbeddingCache(cache / "embeddings", model_key=Settings().model))
    if "embeddings are cached" in message:
        assert message.startswith(f"interrupted: {n_cached} of 194 embeddings are cached"), (message, n_cached)
    else:  # the machine encoded everything within the wait
        assert "every embedding is cached" in message and n_cached == 194
    assert not (tmp_path / "p" / store.DATABASE_NAME).exists()


# --------------------------------------------------------------------------- damaged caches, concurrent writers


def write_shard(folder: Path, name: str, keys: list[str], matrix: np.ndarray) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    np.savez(folder / name, keys=np.array(keys, dtype="U64"), vectors=matrix)


def test_cache_entries_of_the_wrong_shape_are_rejected_and_redone(default_run, tmp_path):
    settings = Settings(cache_dir=tmp_path / "cache")
    shutil.copytree(default_run["cache"], settings.cache_dir)
    cache = EmbeddingCache(settings.cache_dir / "embeddings", settings.model)
    texts = {embed.text_hash(text): text for text in _default_texts()}
    keys = sorted(texts)
    good = np.stack([cache.get_many(keys)[key] for key in keys])
    for shard in cache.folder.glob("*.npz"):
        shard.unlink()
    write_shard(cache.folder, "shard-000000-aaaaaaaa.npz", keys[4:], good[4:])
    bad = {  # each bad shard takes the place of one good entry
        "3-wide vectors where the rest of the cache has 384": np.ones((1, 3), dtype=np.float32),
        "vectors of type float64, not float32": good[1:2].astype(np.float64),
        "not finite": np.full((1, 384), np.nan, dtype=np.float32),
        "1 keys for a (2, 384) matrix": good[3:5],
    }
    for i, matrix in enumerate(bad.values()):
        write_shard(cache.folder, f"shard-00000{i + 1}-bbbbbbbb.npz", keys[i : i + 1], matrix)
    warned: list[str] = []
    reloaded = EmbeddingCache(settings.cache_dir / "embeddings", settings.model, warn=warned.append)
    assert set(reloaded.get_many(keys)) == set(keys[4:])
    assert len(warned) == 4 and all(any(problem in message for message in warned) for problem in bad), warned
    vectors = embed_papers([texts[key] for key in keys], settings, Progress())  # re-encodes the four
    np.testing.assert_allclose(vectors, good, atol=1e-5)
    assert len(EmbeddingCache(settings.cache_dir / "embeddings", settings.model)) == len(keys)


def _default_texts() -> list[str]:
    papers = ingest.build_tables(read_sources(sorted(RAW_DIR.glob("*.txt"))))["papers"]
    return [embed.clean_text(t, a) for t, a in zip(papers["title"], papers["abstract"])]


def test_concurrent_cache_writers_keep_each_others_shards(tmp_path):
    vectors = {f"key-{i}": np.eye(4, dtype=np.float32)[i % 4] for i in range(8)}
    first, second = (EmbeddingCache(tmp_path, "model") for _ in range(2))
    len(first), len(second)  # both loaded the (empty) folder before either wrote
    first.put_many({k: vectors[k] for k in ("key-0", "key-1")})
    second.put_many({k: vectors[k] for k in ("key-2", "key-3")})
    first.flush()
    second.flush()  # on main a3d431b this picked the same shard name and replaced the first writer's shard
    assert set(EmbeddingCache(tmp_path, "model").get_many(list(vectors))) == {"key-0", "key-1", "key-2", "key-3"}
    compacting = EmbeddingCache(tmp_path, "model", max_shards=2)
    len(compacting)
    second.put_many({"key-4": vectors["key-4"]})
    second.flush()  # written after `compacting` loaded the folder
    compacting.put_many({"key-5": vectors["key-5"]})
    compacting.flush()  # merges every shard into one, including the one it never loaded
    assert set(EmbeddingCache(tmp_path, "model").get_many(list(vectors))) == {f"key-{i}" for i in range(6)}


def test_a_cache_the_disk_refuses_warns_once_and_the_run_goes_on(tmp_path):
    (tmp_path / "cache-is-a-file").write_text("x")
    warned: list[str] = []
    cache = EmbeddingCache(tmp_path / "cache-is-a-file", "model", warn=warned.append)
    for i in range(3):
        cache.put_many({f"key-{i}": np.ones(4, dtype=np.float32) / 2})
        assert cache.flush() is False
    assert len(warned) == 1 and "cannot write the embedding cache" in warned[0]
    assert len(cache.get_many([f"key-{i}" for i in range(3)])) == 3, "the vectors stay for this run"


def test_processes_flushing_at_once_lose_nothing(tmp_path):
    script = ("import sys, numpy as np\nfrom pipeline.embed_cache import EmbeddingCache\n"
              "cache = EmbeddingCache(sys.argv[1], 'model')\n"
              "for i in range(30):\n"
              "    cache.put_many({f'{sys.argv[2]}-{i}': np.ones(4, dtype=np.float32) / 2})\n"
              "    cache.flush()\n")
    writers = [subprocess.Popen([sys.executable, "-c", script, str(tmp_path), name]) for name in ("a", "b", "c")]
    assert [writer.wait(timeout=120) for writer in writers] == [0, 0, 0]
    keys = [f"{name}-{i}" for name in ("a", "b", "c") for i in range(30)]
    assert len(EmbeddingCache(tmp_path, "model").get_many(keys)) == 90


# --------------------------------------------------------------------------- damaged databases, unreadable inputs


def damage_late_blocks(db: Path) -> None:
    data = bytearray(db.read_bytes())
    data[len(data) // 2 :] = os.urandom(len(data) - len(data) // 2)
    db.write_bytes(bytes(data))


def test_damaged_database_report_is_one_line_and_run_rebuilds_it(old_outputs):
    damage_late_blocks(store.database_path(old_outputs["processed"]))
    error = one_line_error(trends("report", "--processed", str(old_outputs["processed"]),
                                  "--reports", str(old_outputs["reports"])))
    assert "damaged" in error and "trends run --force" in error
    result = trends(*new_run_args(old_outputs))
    assert result.returncode == 0, result.stderr
    assert store.query(old_outputs["processed"], "select count(*) as n from papers")["n"][0] == 79


def test_unreadable_input_that_the_stored_outputs_hold_stops_the_run(tmp_path, raw_pages):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for page in raw_pages[:2]:
        shutil.copy(page, inputs / page.name)
    store.write_tables(ingest_inputs(sorted(inputs.iterdir())), tmp_path / "processed")
    (inputs / raw_pages[1].name).write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR overwritten by an image")
    with pytest.raises(ingest.InputError) as info:
        ingest_inputs(sorted(inputs.iterdir()), tmp_path / "processed")
    assert str(info.value).startswith(f"{raw_pages[1].name}: line 3: binary data")
    assert "its papers are in the stored outputs, so nothing was changed" in str(info.value)
    (inputs / raw_pages[1].name).write_text("truncated by a crashed editor\n")
    with pytest.raises(ingest.InputError, match="no paper can be read from it now .*stored outputs"):
        ingest_inputs(sorted(inputs.iterdir()), tmp_path / "processed")
    (inputs / raw_pages[1].name).unlink()
    (inputs / "new-and-broken.csv").write_text("name\nx\n")  # never stored: skipped with a warning
    tables = ingest_inputs(sorted(inputs.iterdir()), tmp_path / "processed")
    assert len(tables["papers"]) == 79
    assert tables["warnings"]["source"].tolist() == ["new-and-broken.csv"]
