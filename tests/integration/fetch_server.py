"""A small HTTP server on 127.0.0.1 for the fetch tests.

Each path is a scenario (a good feed with ETag, a 500 that heals, a stalled
body, ...). The server runs in a daemon thread on a free port, logs every
request, stops itself after `lifetime` seconds at the latest, and is shut
down by the test at the end."""
import email.utils
import hashlib
import http.server
import io
import sys
import threading
import time
import zipfile


def make_gtfs(tag, padding=0):
    """A small valid GTFS zip; tag makes each version's bytes different;
    padding adds a stored (uncompressed) extra file of that many bytes."""
    files = {
        "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\n"
                      "A,Agency %s,https://example.org,Europe/Amsterdam\n" % tag,
        "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\n"
                     "s1,One,50.77,6.09\ns2,Two,50.85,5.69\n",
        "routes.txt": "route_id,agency_id,route_short_name,route_type\nr1,A,18,2\n",
        "trips.txt": "route_id,service_id,trip_id\nr1,wk,t1\n",
        "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
                          "t1,08:00:00,08:00:00,s1,1\nt1,08:55:00,08:55:00,s2,2\n",
        "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,"
                        "sunday,start_date,end_date\nwk,1,1,1,1,1,0,0,20260101,20261231\n",
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            # A fixed date: the bytes depend on tag only, not on the clock.
            z.writestr(zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), text,
                       zipfile.ZIP_DEFLATED)
        if padding:
            z.writestr(zipfile.ZipInfo("padding.txt", (2026, 1, 1, 0, 0, 0)),
                       b"x" * padding, zipfile.ZIP_STORED)
    return buf.getvalue()


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.log = []          # (path, monotonic time, {header: value})
        self.bodies = {}       # path -> bytes for the "good" scenarios
        self.counters = {}     # path -> requests seen
        self.sent = {}         # path -> body bytes written so far
        self.scripts = {}      # path -> responses of the "script" scenario, in turn
        self.generators = {}   # path -> function(request number) -> body ("gen")
        self.stop = threading.Event()

    def count(self, path):
        with self.lock:
            n = self.counters.get(path, 0) + 1
            self.counters[path] = n
            return n

    def requests(self, path):
        with self.lock:
            return [r for r in self.log if r[0] == path]


# Fixed validators of the "good" scenarios.
LAST_MODIFIED = email.utils.formatdate(1700000000, usegmt=True)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "grens-test"

    def log_message(self, fmt, *args):  # keep test output quiet
        pass

    def send_body(self, code, body, ctype="application/zip", extra=None):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:  # the client gave up (size cap, timeout): expected
            self.close_connection = True

    def slow_write(self, path, chunk, pause, seconds):
        """Write chunk every pause seconds for at most seconds, or until stop."""
        end = time.monotonic() + seconds
        while time.monotonic() < end and not self.state.stop.is_set():
            try:
                self.wfile.write(chunk)
                self.wfile.flush()
            except OSError:
                return
            with self.state.lock:
                self.state.sent[path] = self.state.sent.get(path, 0) + len(chunk)
            self.state.stop.wait(pause)

    def do_GET(self):
        st = self.state
        path = self.path.split("?", 1)[0]
        with st.lock:
            st.log.append((path, time.monotonic(), dict(self.headers.items())))
        n = st.count(path)
        parts = path.strip("/").split("/")
        kind = parts[0]
        body = st.bodies.get(path, b"")

        if kind == "etag":
            # 200 with an ETag; 304 when If-None-Match matches.
            tag = '"%s"' % parts[-1]
            if self.headers.get("If-None-Match") == tag:
                self.send_response(304)
                self.send_header("ETag", tag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_body(200, body, extra={"ETag": tag})
        elif kind == "lm":
            # Last-Modified only; 304 when If-Modified-Since is that date.
            if self.headers.get("If-Modified-Since") == LAST_MODIFIED:
                self.send_response(304)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_body(200, body, extra={"Last-Modified": LAST_MODIFIED})
        elif kind == "plain":
            self.send_body(200, body)
        elif kind == "missing":
            self.send_body(404, b"not found\n", "text/plain")
        elif kind == "flaky":
            # The first two requests fail with 500, then the body.
            if n <= 2:
                self.send_body(500, b"try later\n", "text/plain")
            else:
                self.send_body(200, body)
        elif kind == "busy":
            # 429 with Retry-After: 1 once, then the body.
            if n == 1:
                self.send_body(429, b"slow down\n", "text/plain", {"Retry-After": "1"})
            else:
                self.send_body(200, body)
        elif kind == "always500":
            self.send_body(503, b"down\n", "text/plain")
        elif kind == "short":
            # Announces 1000 bytes more than it sends, then closes.
            self.send_response(200)
            self.send_header("Content-Type", "application/zip")
            self.send_header("Content-Length", str(len(body) + 1000))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
            self.close_connection = True
        elif kind == "stall":
            # 100 bytes, then nothing for up to 10 s.
            self.send_response(200)
            self.send_header("Content-Type", "application/zip")
            self.send_header("Content-Length", "1000000")
            self.end_headers()
            self.wfile.write(b"PK" + b"\0" * 98)
            self.wfile.flush()
            st.stop.wait(10)
            self.close_connection = True
        elif kind == "bigstream":
            # No Content-Length: 64 KiB chunks, 2 MiB in all, then close.
            self.send_response(200)
            self.send_header("Content-Type", "application/zip")
            self.send_header("Connection", "close")
            self.end_headers()
            for _ in range(32):
                try:
                    self.wfile.write(b"\0" * 65536)
                except OSError:
                    break
            self.close_connection = True
        elif kind == "biglength":
            # Announces 2 MiB up front.
            self.send_body(200, b"\0" * (2 * 1024 * 1024))
        elif kind == "loop":
            self.send_response(302)
            self.send_header("Location", "/loop/again")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif kind == "toftp":
            self.send_response(302)
            self.send_header("Location", "ftp://127.0.0.1/feed.zip")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif kind == "moved":
            # One redirect to a good path.
            self.send_response(301)
            self.send_header("Location", "/" + "/".join(parts[1:]))
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif kind == "html":
            self.send_body(200, b"<!DOCTYPE html><html><body>Maintenance</body></html>\n",
                           "text/html")
        elif kind == "slow":
            # 4 KiB every 50 ms for up to 20 s (a download to kill midway).
            self.send_response(200)
            self.send_header("Content-Type", "application/zip")
            self.send_header("Content-Length", str(50 * 1024 * 1024))
            self.end_headers()
            self.slow_write(path, b"\0" * 4096, 0.05, 20)
            self.close_connection = True
        elif kind == "script":
            # One response per request from st.scripts[path], the last one
            # again once the list is used up: ("200", body) with its SHA-256
            # as ETag, ("304",), ("500",), or ("short", body) announcing 1000
            # bytes more than it sends.
            script = st.scripts[path]
            step = script[min(n, len(script)) - 1]
            if step[0] == "200":
                etag = '"%s"' % hashlib.sha256(step[1]).hexdigest()[:16]
                self.send_body(200, step[1], "application/x-protobuf", {"ETag": etag})
            elif step[0] == "304":
                self.send_response(304)
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif step[0] == "short":
                self.send_response(200)
                self.send_header("Content-Length", str(len(step[1]) + 1000))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(step[1])
                self.wfile.flush()
                self.close_connection = True
            else:
                self.send_body(500, b"try later\n", "text/plain")
        elif kind == "gen":
            # A new body for every request.
            self.send_body(200, st.generators[path](n), "application/x-protobuf")
        elif kind == "header":
            # Echoes the X-Api-Key header into the ETag so the test can see it.
            key = self.headers.get("X-Api-Key", "")
            self.send_body(200, body, extra={"ETag": '"key-%s"' % key})
        else:
            self.send_body(404, b"unknown scenario\n", "text/plain")


class QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # Clients hanging up (size cap, timeouts, a killed grens) are part of
        # the scenarios; anything else is printed.
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


class Server:
    def __init__(self, lifetime=120):
        self.state = State()
        handler = type("BoundHandler", (Handler,), {"state": self.state})
        self.httpd = QuietServer(("127.0.0.1", 0), handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        # Bound the server's life even if the test hangs.
        self.timer = threading.Timer(lifetime, self.close)
        self.timer.daemon = True
        self.timer.start()

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def close(self):
        self.state.stop.set()
        self.timer.cancel()
        self.httpd.shutdown()
        self.httpd.server_close()
