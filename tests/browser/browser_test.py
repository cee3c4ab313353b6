#!/usr/bin/env python3
"""Browser test of the zhenggai search page in headless Chromium.

Drives Chromium through the DevTools protocol over --remote-debugging-pipe (file
descriptors 3 and 4: no port, no websocket library, Python's standard library only)
against a running `zhenggai serve`:

  load the page, search 医共体, click a status facet, open a detail view, go back,
  page forward, check escaping of notice text and the phone-width layout,

and keeps screenshots in --out. Exits 0 when every check passes; prints what it
checked. Run by tests/browser.rs (cargo test), or by hand:

  python3 tests/browser/browser_test.py --base http://127.0.0.1:7700 --out target/browser
"""

import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

TIMEOUT = 20.0


class Chromium:
    """A headless Chromium spoken to over the DevTools pipe."""

    def __init__(self, binary):
        self.profile = tempfile.mkdtemp(prefix="zhenggai-chromium-")
        cmd_r, self.cmd_w = os.pipe()
        self.out_r, out_w = os.pipe()

        def fds():
            # Chromium reads commands from fd 3 and writes to fd 4. Copy first: a
            # pipe may already sit at 3 or 4, and dup2 onto itself keeps close-on-exec.
            r, w = os.dup(cmd_r), os.dup(out_w)
            os.dup2(r, 3)
            os.dup2(w, 4)

        self.proc = subprocess.Popen(
            [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--remote-debugging-pipe",
                "--user-data-dir=" + self.profile,
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=fds,
            close_fds=False,
        )
        os.close(cmd_r)
        os.close(out_w)
        self.buf = b""
        self.next_id = 0
        self.session = None

    def close(self):
        try:
            self.send("Browser.close", session=False, wait=False)
        except OSError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.cmd_w)
        os.close(self.out_r)
        shutil.rmtree(self.profile, ignore_errors=True)

    def _read_message(self):
        while b"\0" not in self.buf:
            chunk = os.read(self.out_r, 1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method, params=None, session=True, wait=True):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        os.write(self.cmd_w, json.dumps(msg).encode() + b"\0")
        if not wait:
            return None
        while True:
            m = self._read_message()
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})

    def open_page(self, width, height):
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)
        att = self.send(
            "Target.attachToTarget",
            {"targetId": target["targetId"], "flatten": True},
            session=False,
        )
        self.session = att["sessionId"]
        self.send("Page.enable")
        self.send("Runtime.enable")
        self.resize(width, height)

    def resize(self, width, height):
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
        )

    def eval(self, expr):
        r = self.send(
            "Runtime.evaluate",
            {"expression": expr, "returnByValue": True, "awaitPromise": True},
        )
        if "exceptionDetails" in r:
            raise RuntimeError(f"{expr}: {r['exceptionDetails']}")
        return r["result"].get("value")

    def navigate(self, url):
        self.send("Page.navigate", {"url": url})

    def wait_for(self, expr, what):
        end = time.time() + TIMEOUT
        while time.time() < end:
            try:
                if self.eval(expr):
                    return
            except RuntimeError:
                pass
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what}: {expr}")

    def screenshot(self, path, full=False):
        params = {"format": "png"}
        if full:
            params["captureBeyondViewport"] = True
        data = self.send("Page.captureScreenshot", params)["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))


def check(cond, what):
    if not cond:
        raise AssertionError(what)
    print("  ok:", what)


def text(c, selector):
    return c.eval(f"(document.querySelector({json.dumps(selector)}) || {{}}).textContent || ''")


def run(c, base, out):
    c.open_page(1000, 800)

    # 1. Load the page.
    c.navigate(base + "/")
    c.wait_for("document.querySelector('#facets .facet') !== null", "start facets")
    check("请输入检索词" in text(c, "#status-line"), "empty page asks for words")
    check(c.eval("document.title").startswith("整改通报检索"), "title")

    # 2. Search 医共体 by typing into the box and submitting.
    c.eval(
        "document.getElementById('q').value = '医共体';"
        "document.getElementById('search-form').requestSubmit(); true"
    )
    c.wait_for("document.querySelectorAll('#hits .hit').length > 0", "hits for 医共体")
    status = text(c, "#status-line")
    check(status.startswith("共 10 条结果，显示第 1–10 条"), f"10 hits for 医共体 ({status})")
    check(c.eval("location.search") == "?q=%E5%8C%BB%E5%85%B1%E4%BD%93", "query kept in the URL")
    marks = c.eval("Array.from(document.querySelectorAll('#hits mark')).map(m => m.textContent)")
    check(len(marks) > 0 and all("医共体" in m for m in marks), f"highlighted words are 医共体 ({len(marks)} marks)")
    first = c.eval(
        "(() => { const h = Array.from(document.querySelectorAll('#hits .hit'))"
        ".find(h => h.querySelector('.path').textContent.endsWith('医联体建设滞后'));"
        " return {agency: h.querySelector('.agency').textContent, badge: h.querySelector('.badge').textContent,"
        " date: h.querySelector('.date').textContent, path: h.querySelector('.path').textContent}; })()"
    )
    check(first["agency"] == "汕尾市卫生健康局", f"hit's agency ({first['agency']})")
    check(first["date"] == "2024-11-06", "hit's date")
    check(first["badge"] == "未说明状态", "hit's status badge")
    check(first["path"] == "聚焦“推进‘百千万工程’落地落实有温差”问题 › 既定工作目标落实不够到位 › 问题：医联体建设滞后", "category › item › problem path")
    facets = c.eval(
        "Array.from(document.querySelectorAll('#facets button[data-facet=status]'))"
        ".map(b => b.textContent)"
    )
    check(sorted(facets) == sorted(["未说明4", "已完成4", "基本完成1", "正在整改1"]), f"status facet counts ({facets})")

    # Escaping: the hostile notice's markup is shown as text, never run or parsed.
    hostile = c.eval(
        "Array.from(document.querySelectorAll('#hits .hit')).map(h => h.textContent)"
        ".filter(t => t.includes('测试县')).join('\\n')"
    )
    check("<img src=x onerror=window.__pwned=1>" in hostile, "markup in a measure shows as text")
    check("<script>window.__pwned=2</script>" in hostile, "a <script> in a problem title shows as text")
    check(c.eval("window.__pwned === undefined"), "no notice text ran as script")
    check(c.eval("document.querySelectorAll('#hits img, #hits script, #hits b b').length") == 0, "no elements from notice text")
    c.screenshot(os.path.join(out, "1-search.png"))

    # 3. Click the 已完成 status facet.
    c.eval("document.querySelector('#facets button[data-facet=status][data-key=completed]').click(); true")
    c.wait_for("document.querySelector('#status-line').textContent.startsWith('共 4 条')", "completed filter")
    badges = c.eval("Array.from(document.querySelectorAll('#hits .hit .badge')).map(b => b.textContent)")
    check(badges == ["已完成"] * 4, f"every hit is 已完成 ({badges})")
    check("status=completed" in c.eval("location.search"), "facet kept in the URL")
    check(text(c, "#chips").startswith("状态：已完成"), "active filter chip")
    check(
        c.eval("document.querySelector('#facets button[data-key=completed]').getAttribute('aria-pressed')") == "true",
        "facet shown as selected",
    )
    c.screenshot(os.path.join(out, "2-facet.png"))

    # 4. Open the detail view of the first hit.
    hit_id = c.eval("document.querySelector('#hits .hit').dataset.id")
    c.eval("document.querySelector('#hits .hit .more').click(); true")
    c.wait_for("document.querySelector('#detail .measures li') !== null", "detail view")
    check(c.eval("location.search").endswith("id=" + hit_id), "detail id in the URL")
    check(text(c, "#problem-title").startswith("问题："), f"problem title ({text(c, '#problem-title')})")
    current = c.eval("Array.from(document.querySelectorAll('#detail .measures li.current')).map(l => l.dataset.id)")
    check(current == [hit_id], "the hit is marked among its problem's measures")
    c.wait_for("document.querySelector('#notice li.current') !== null", "notice with the measure marked")
    check(c.eval("document.querySelector('#notice li.current').dataset.id") == hit_id, "the measure is marked in its notice")
    c.wait_for("document.querySelector('#similar li[data-id]') !== null", "similar measures")
    agency = c.eval("document.querySelector('#detail dd').textContent")
    others = c.eval("Array.from(document.querySelectorAll('#similar li[data-id] a')).map(a => a.textContent)")
    check(len(others) > 0 and all(not o.startswith(agency) for o in others), f"similar measures of other agencies ({len(others)})")
    c.screenshot(os.path.join(out, "3-detail.png"))

    # Back to the results, as they were.
    c.eval("document.getElementById('back').click(); true")
    c.wait_for("!document.getElementById('hits').hidden && document.querySelectorAll('#hits .hit').length === 4", "back to results")
    check(True, "back returns to the filtered results")

    # 5. Page forward on a query with many hits.
    c.navigate(base + "/?q=" + "%E6%95%B4%E6%94%B9")  # 整改
    c.wait_for("document.querySelector('#pager #next') !== null", "pager")
    page1 = c.eval("Array.from(document.querySelectorAll('#hits .hit')).map(h => h.dataset.id)")
    total = int(c.eval("document.querySelector('#status-line').dataset.total"))
    check(len(page1) == 10 and total > 20, f"first page of {total} hits")
    c.eval("document.getElementById('next').click(); true")
    c.wait_for("document.querySelector('#status-line').textContent.includes('显示第 11–20 条')", "page 2")
    page2 = c.eval("Array.from(document.querySelectorAll('#hits .hit')).map(h => h.dataset.id)")
    check(len(page2) == 10 and not set(page1) & set(page2), "page 2 shows ten other hits")
    check("page=2" in c.eval("location.search"), "page kept in the URL")
    check(text(c, "#page-no").startswith("第 2 /"), "page number")
    c.eval("history.back(); true")
    c.wait_for("document.querySelector('#status-line').textContent.includes('显示第 1–10 条')", "history back")
    again = c.eval("Array.from(document.querySelectorAll('#hits .hit')).map(h => h.dataset.id)")
    check(again == page1, "page 1 again, in the same order")

    # 6. Phone width: nothing wider than the screen.
    c.resize(390, 800)
    c.navigate(base + "/?q=%E5%8C%BB%E5%85%B1%E4%BD%93")
    c.wait_for("document.querySelectorAll('#hits .hit').length > 0", "phone-width hits")
    width = c.eval("document.documentElement.scrollWidth")
    check(width <= 390, f"no horizontal scrolling at 390 px ({width})")
    c.screenshot(os.path.join(out, "4-phone.png"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True, help="server URL, e.g. http://127.0.0.1:7700")
    ap.add_argument("--out", required=True, help="directory for screenshots")
    ap.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    c = Chromium(a.chromium)
    try:
        run(c, a.base.rstrip("/"), a.out)
    except Exception as e:  # report, keep a screenshot of the failure
        try:
            c.screenshot(os.path.join(a.out, "failure.png"))
        except Exception:
            pass
        print("FAILED:", e, file=sys.stderr)
        return 1
    finally:
        c.close()
    print("browser test passed; screenshots in", a.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
