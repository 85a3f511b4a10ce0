"""The shipped assets: CSS, JavaScript, icons and illustrations, the manifest and the service worker.

Everything is read from the package once when the app is built (no CDN, no web font). Asset
URLs carry `?v=VERSION`, a hash of their content: such a response may be cached for a year,
and a new release changes every URL (and the service worker, which then replaces its cache).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from fastapi import APIRouter, HTTPException, Request, Response

from crampwise.services.illustrations import illustration_files
from crampwise.web.auth import public

STATIC_DIR: Final = Path(__file__).with_name("static")
TYPES: Final = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}
IMMUTABLE: Final = "public, max-age=31536000, immutable"
REVALIDATE: Final = "no-cache"
SHIPPED: Final = ("app.css", "app.js", "relief.js", "passkeys.js", "session.js", "reminders.js", "icon.svg")


@dataclass(frozen=True)
class Asset:
    body: bytes
    media_type: str


@dataclass(frozen=True)
class Assets:
    """Every asset by URL path, the content version, and the service worker's source."""

    files: dict[str, Asset]
    version: str
    service_worker: str

    def url(self, path: str) -> str:
        return f"{path}?v={self.version}"


def load_assets() -> Assets:
    files: dict[str, Asset] = {}
    for name in SHIPPED:
        path = STATIC_DIR / name
        files[f"/static/{name}"] = Asset(path.read_bytes(), TYPES[path.suffix])
    for name, body in illustration_files().items():
        files[f"/static/illustrations/{name}"] = Asset(body, TYPES[".svg"])
    digest = hashlib.sha256()
    for url in sorted(files):
        digest.update(url.encode())
        digest.update(files[url].body)
    worker = (STATIC_DIR / "sw.js").read_text(encoding="utf-8")
    digest.update(worker.encode())
    for template in sorted(Path(__file__).with_name("templates").glob("*.j2")):
        digest.update(template.read_bytes())  # a changed offline page is a new cache too
    return Assets(files=files, version=digest.hexdigest()[:12], service_worker=worker)


def offline_pages(muscles: list[str]) -> list[str]:
    """The pages the service worker keeps for use without a network (CONTRACTS.md section 6)."""
    return ["/now", *(f"/now/{m}" for m in muscles), "/log/cramp", "/session", "/offline"]


def router(assets: Assets, muscles: list[str]) -> APIRouter:
    """Routes of the static assets, the manifest and the service worker."""
    routes = APIRouter(include_in_schema=False)
    worker = (
        assets.service_worker.replace("__VERSION__", assets.version)
        .replace("__OFFLINE_PAGES__", json.dumps(offline_pages(muscles)))
        .replace("__ASSETS__", json.dumps([assets.url(p) for p in sorted(assets.files)]))
    )

    @routes.get("/static/{path:path}")
    @public
    def static(path: str, request: Request) -> Response:
        asset = assets.files.get(f"/static/{path}")
        if asset is None:
            raise HTTPException(status_code=404, detail=f"no asset {path!r}")
        fresh = request.query_params.get("v") == assets.version
        return Response(
            asset.body,
            media_type=asset.media_type,
            headers={"Cache-Control": IMMUTABLE if fresh else REVALIDATE},
        )

    @routes.get("/sw.js")
    @public
    def service_worker() -> Response:
        return Response(worker, media_type=TYPES[".js"], headers={"Cache-Control": REVALIDATE})

    @routes.get("/manifest.webmanifest")
    @public
    def manifest() -> Response:
        document = {
            "name": "crampwise",
            "short_name": "crampwise",
            "description": "Stop, understand and prevent muscle cramps.",
            "start_url": "/",
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#b91c1c",
            "icons": [
                {
                    "src": assets.url("/static/icon.svg"),
                    "sizes": "any",
                    "type": "image/svg+xml",
                    "purpose": "any",
                }
            ],
            "shortcuts": [
                {"name": "Cramping now", "url": "/now"},
                {"name": "Log a cramp", "url": "/log/cramp"},
            ],
        }
        return Response(
            json.dumps(document),
            media_type="application/manifest+json",
            headers={"Cache-Control": REVALIDATE},
        )

    @routes.get("/favicon.ico")
    @public
    def favicon() -> Response:
        icon = assets.files["/static/icon.svg"]
        return Response(icon.body, media_type=icon.media_type, headers={"Cache-Control": REVALIDATE})

    return routes
