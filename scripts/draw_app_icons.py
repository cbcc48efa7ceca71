"""Draw the installed app's PNG icons from their SVG drawings, in headless Chromium (the
browser the tests use), so that no image library is needed: `python scripts/draw_app_icons.py`.
Run it again after changing static/img/app-icon*.svg, and commit the PNGs."""

from pathlib import Path

from playwright.sync_api import sync_playwright

IMG = Path(__file__).resolve().parent.parent / "static" / "img"
ICONS = [("app-icon.svg", 192), ("app-icon.svg", 512), ("app-icon-maskable.svg", 512)]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]

with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
    for name, size in ICONS:
        page = browser.new_page(viewport={"width": size, "height": size})
        svg = (IMG / name).read_text()
        page.set_content(
            f'<body style="margin:0">{svg.replace("<svg ", f"<svg width={size} height={size} ", 1)}'
        )
        target = IMG / f"{Path(name).stem}-{size}.png"
        # Transparent outside the rounded corners of the "any" icon.
        page.screenshot(path=str(target), omit_background=True)
        print(target)
    browser.close()
