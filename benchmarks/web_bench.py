"""How fast do the web app's key pages load on a slow phone, against a static page?

Chromium (Debian's, through Playwright) with the CPU throttled 4x and a slow-4G network
(150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up: the values Lighthouse uses for a mobile
run), set through the DevTools protocol. For `/`, `/now/calf` and `/log/cramp` it measures the
first contentful paint, the time to interactive (the load event's end: every deferred script has
run and its handlers are bound) and the bytes transferred, on a first visit (empty cache) and
on a repeat visit (service worker and cache warm). The floor is a static HTML page of a few
hundred bytes served by the same server in the same run; ratios are to its first visit.

Targets (issue 11): `/now/calf` usable within 1.5 s and under 100 KB on a first visit.

    python benchmarks/web_bench.py            # 3 rounds, medians
    python benchmarks/web_bench.py -n 1       # quick look
"""

from __future__ import annotations

import argparse
import socket
import statistics
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import uvicorn
from fastapi.responses import HTMLResponse
from playwright.sync_api import BrowserContext, sync_playwright

from crampwise.config import Settings
from crampwise.services.context import open_context
from crampwise.services.demo import create_demo
from crampwise.web.app import create_app

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = ("/__floor.html", "/", "/now/calf", "/log/cramp")
FLOOR_HTML = "<!doctype html><html lang=en><meta charset=utf-8><title>floor</title><h1>Static page</h1><p>The floor.</p></html>"
NETWORK = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8}
CPU_SLOWDOWN = 4
TARGET_TTI_MS = 1500
TARGET_BYTES = 100 * 1024

MEASURE = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  const res = performance.getEntriesByType('resource');
  const bytes = nav.transferSize + res.reduce((sum, r) => sum + (r.transferSize || 0), 0);
  return {fcp: fcp ? fcp.startTime : null, tti: nav.loadEventEnd, bytes: bytes};
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(folder: Path) -> tuple[uvicorn.Server, str]:
    db = folder / "demo.db"
    settings = Settings(database_url=f"sqlite:///{db}", data_dir=folder)
    with open_context(settings) as ctx:
        create_demo(ctx, now=datetime.now(UTC))
    app = create_app(settings)

    @app.get("/__floor.html", include_in_schema=False)
    def floor() -> HTMLResponse:
        return HTMLResponse(FLOOR_HTML)

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


def throttled(context: BrowserContext) -> Any:
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", NETWORK)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    return page


def visit(page: Any, url: str) -> dict[str, float]:
    page.goto(url, wait_until="load")
    page.wait_for_timeout(300)  # let the paint timing entry settle
    result: dict[str, float] = page.evaluate(MEASURE)
    return result


def measure(base: str, rounds: int) -> dict[str, dict[str, list[float]]]:
    out: dict[str, dict[str, list[float]]] = {p: {} for p in PAGES}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        warm = browser.new_context()  # the server's first answers (imports, store) are not a page's cost
        for path in PAGES:
            warm.new_page().goto(base + path)
        warm.close()
        for _ in range(rounds):
            for path in PAGES:
                context = browser.new_context(
                    viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
                )
                page = throttled(context)
                first = visit(page, base + path)
                if path != "/__floor.html":
                    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
                repeat = visit(page, base + path)
                for key, value in (("first", first), ("repeat", repeat)):
                    for metric in ("fcp", "tti", "bytes"):
                        out[path].setdefault(f"{key}_{metric}", []).append(float(value[metric] or 0.0))
                context.close()
        browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server, base = start_server(Path(tmp))
        try:
            results = measure(base, args.rounds)
        finally:
            server.should_exit = True
    med = {p: {k: statistics.median(v) for k, v in m.items()} for p, m in results.items()}
    floor = med["/__floor.html"]
    print(
        f"Chromium, CPU {CPU_SLOWDOWN}x slower, slow 4G (150 ms RTT, 1.6 Mbit/s); medians of {args.rounds} round(s)"
    )
    print(
        f"{'page':<14} {'FCP ms':>8} {'TTI ms':>8} {'KB':>7} {'FCP/floor':>10} {'TTI/floor':>10} | {'repeat FCP':>10} {'TTI':>6} {'KB':>6}"
    )
    for path in PAGES:
        m = med[path]
        print(
            f"{path:<14} {m['first_fcp']:>8.0f} {m['first_tti']:>8.0f} {m['first_bytes'] / 1024:>7.1f} "
            f"{m['first_fcp'] / floor['first_fcp']:>10.2f} {m['first_tti'] / floor['first_tti']:>10.2f} | "
            f"{m['repeat_fcp']:>10.0f} {m['repeat_tti']:>6.0f} {m['repeat_bytes'] / 1024:>6.1f}"
        )
    calf = med["/now/calf"]
    ok = calf["first_tti"] < TARGET_TTI_MS and calf["first_bytes"] < TARGET_BYTES
    print(
        f"/now/calf first visit: usable at {calf['first_tti']:.0f} ms (target < {TARGET_TTI_MS}), "
        f"{calf['first_bytes'] / 1024:.1f} KB (target < {TARGET_BYTES // 1024} KB): {'met' if ok else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
