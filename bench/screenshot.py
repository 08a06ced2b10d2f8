"""Take the README's screenshot of the search page: docs/screenshot.png.

    .venv/bin/python bench/screenshot.py [--home DIR] [--path "/?q=..."] [--out FILE]

Without --home it imports the demo corpus into a temporary home. It starts
the server as a user would (`observatory serve --port 0`), opens the page in
Debian's Chromium through Playwright, and writes a full-width PNG.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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
DEFAULT_PATH = "/?q=participatory+budgeting&ui=en"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--home", help="an observatory home (default: a temporary one with the demo corpus)"
    )
    parser.add_argument(
        "--path", default=DEFAULT_PATH, help="the page to show (default: %(default)s)"
    )
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshot.png"))
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=1000)
    options = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from webui.server import ServerProcess

    with tempfile.TemporaryDirectory() as scratch:
        home = options.home
        if home is None:
            home = str(Path(scratch) / "home")
            subprocess.run(
                [sys.executable, "-m", "observatory", "--home", home, "import", "--demo"],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        with ServerProcess(home) as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": options.width, "height": options.height})
            page.goto(server.url + options.path)
            Path(options.out).parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=options.out)
            browser.close()
    print(f"wrote {options.out}")


if __name__ == "__main__":
    main()
