"""How map pages fare in headless Chromium: size, time until drawn, requests, errors, frame times.

    .venv/bin/python benchmarks/map_bench.py reports/map.html [more pages or http:// URLs ...]
    .venv/bin/python benchmarks/map_bench.py reports/map.html --runs 3 --webgl both

Each page opens in a fresh browser context, alternating pages run by run. "drawn" waits until the
map area of a screenshot has coloured pixels (any page, any renderer); for our own map.html it
also reports how long the page took to unpack and inflate its data and to turn word ids back into
texts before it drew, and to build the search index after it drew, then pans and zooms 3 x 60 frames and reports the wall
time per animation frame of the first 60 and of the last 60 (16.7 ms = the 60 fps cap), and the
script's own drawing time ("draw ms"). Needs Playwright and a Chromium (`/usr/bin/chromium` or
$TRENDS_CHROMIUM); nothing is downloaded.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.browser import LOCAL_SCHEMES, NO_WEBGL, QUIET, chromium_path  # noqa: E402

FRAMES = """async () => {
  const m = trendsMap, times = [];
  const frame = () => new Promise((done) => requestAnimationFrame(done));
  const started = performance.now();
  for (let k = 0; k < 60; k++) {
    if (k % 2) m.zoomAt(k < 30 ? 1.08 : 1 / 1.08, m.size.w / 2, m.size.h / 2);
    else { m.view.tx += 7; m.view.ty -= 5; m.request(); }
    await frame();
    times.push(m.lastDrawMs);
  }
  return {draw: times, wall: (performance.now() - started) / 60};
}"""


def size_of(target: str) -> int:
    path = Path(target)
    if target.startswith("http") or not path.exists():
        return 0
    return path.stat().st_size if path.is_file() else sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def url_of(target: str) -> str:
    if target.startswith(("http://", "https://")):
        return target
    path = Path(target).resolve()
    return (path / "index.html" if path.is_dir() else path).as_uri()


def coloured_fraction(png: bytes) -> float:
    """Share of screenshot pixels that are neither white nor grey: dots drawn in colour."""
    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    spread = rgb.max(axis=2) - rgb.min(axis=2)
    return float((spread > 40).mean())


def measure(browser, target: str, timeout_s: float) -> dict:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    errors, requests = [], []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    url = url_of(target)
    started = time.perf_counter()
    try:
        page.goto(url, timeout=timeout_s * 1000)
    except Exception as error:  # a page that never loads is a result, not a crash
        errors.append(f"goto: {error}".splitlines()[0])
    load_s = time.perf_counter() - started
    drawn_s, frames, decode = None, None, None
    ours = page.locator("#map-meta").count() > 0
    if ours:  # our page says when it is ready
        try:
            page.wait_for_selector("body[data-ready]", state="attached", timeout=timeout_s * 1000)
            drawn_s = time.perf_counter() - started
            decode = page.evaluate("trendsMap.timings ? (searchIndex(trendsMap), trendsMap.timings) : null")
            first = page.evaluate(FRAMES)  # the first frames pay for JIT compilation and raster caches
            page.evaluate(FRAMES)
            frames = {**page.evaluate(FRAMES), "first_wall": first["wall"]}
        except Exception as error:
            errors.append(f"never ready: {error}".splitlines()[0])
    while not ours and time.perf_counter() - started < timeout_s:
        if coloured_fraction(page.screenshot()) > 0.002:
            drawn_s = time.perf_counter() - started
            break
        time.sleep(0.1)
    external = [u for u in requests if u != url and not u.startswith(LOCAL_SCHEMES) and not u.startswith(url.rsplit("/", 1)[0])]
    result = {"load_s": load_s, "drawn_s": drawn_s, "errors": len(errors), "first_error": errors[0][:90] if errors else "",
              "external": len(external), "first_external": external[0][:60] if external else "",
              "requests": len(requests), "frames": frames, "decode": decode}
    context.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="+", help="map.html files, exported folders or http:// URLs")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--webgl", choices=["on", "off", "both"], default="both")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds to wait for a page to draw")
    args = parser.parse_args()
    settings = {"on": [True], "off": [False], "both": [True, False]}[args.webgl]
    rows = []
    with sync_playwright() as playwright:
        for webgl in settings:
            flags = list(QUIET) + ([] if webgl else list(NO_WEBGL))
            browser = playwright.chromium.launch(executable_path=chromium_path(), args=flags)
            results: dict[str, list[dict]] = {page: [] for page in args.pages}
            for _ in range(args.runs):  # alternate A B A B
                for page in args.pages:
                    results[page].append(measure(browser, page, args.timeout))
            browser.close()
            for page, runs in results.items():
                rows.append((page, webgl, runs))
    print("| page | MB | WebGL | load event (s) | ready, or coloured pixels, after (s) "
          "| inflate / word ids, then search index (ms, median) | draw ms/frame (median, max) "
          "| frame wall ms, first 60 / warm | requests off the file | console errors |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---|")
    for page, webgl, runs in rows:
        drawn = [r["drawn_s"] for r in runs if r["drawn_s"] is not None]
        frames = [r["frames"] for r in runs if r["frames"]]
        draw = [t for f in frames for t in f["draw"]]
        decodes = [r["decode"] for r in runs if r["decode"]]
        cells = [
            page, f"{size_of(page) / 1e6:.2f}", "on" if webgl else "off",
            " / ".join(f"{r['load_s']:.2f}" for r in runs),
            " / ".join(f"{d:.2f}" for d in drawn) if drawn else f"never ({args.timeout:.0f} s)",
            " / ".join(f"{statistics.median(d[key] for d in decodes):.0f}" for key in ("inflateMs", "wordsMs", "indexMs"))
            if decodes else "",
            f"{statistics.median(draw):.1f}, {max(draw):.1f}" if draw else "",
            f"{statistics.median(f['first_wall'] for f in frames):.1f} / {statistics.median(f['wall'] for f in frames):.1f}"
            if frames else "",
            f"{runs[0]['external']} {runs[0]['first_external']}".strip(),
            f"{runs[0]['errors']} {runs[0]['first_error']}".strip(),
        ]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
