"""A static file server for the browser tests: Python's own, answering as static hosts do:
missing paths get the site's 404.html with status 404, and every response carries the headers
the site's `_headers` file (Netlify's and Cloudflare Pages' format) gives its path.
Usage: serve.py DIR PORT"""
import functools
import http.server
import os
import re
import sys


def read_headers_file(directory):
    """[(compiled path pattern, [(name, value)])] from DIR/_headers, in file order."""
    rules = []
    try:
        with open(os.path.join(directory, "_headers"), encoding="utf-8") as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        return rules
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            # `*` matches anything, `:name` one path segment.
            pattern = re.escape(line.strip()).replace(r"\*", ".*")
            pattern = re.sub(r"\\?:[A-Za-z_]+", "[^/]+", pattern)
            rules.append((re.compile(pattern + "$"), []))
        elif rules and line.strip().startswith("!"):
            # Cloudflare Pages: `! Name` detaches the header earlier rules set.
            rules[-1][1].append((line.strip()[1:].strip(), None))
        elif rules:
            name, _, value = line.strip().partition(":")
            rules[-1][1].append((name.strip(), value.strip()))
    return rules


class Handler(http.server.SimpleHTTPRequestHandler):
    rules = []

    def end_headers(self):
        path = self.path.split("?")[0].split("#")[0]
        chosen = []
        for pattern, headers in self.rules:
            if pattern.match(path):
                for name, value in headers:
                    if value is None:
                        chosen = [(n, v) for n, v in chosen if n.lower() != name.lower()]
                    else:
                        chosen.append((name, value))
        for name, value in chosen:
            self.send_header(name, value)
        super().end_headers()

    def send_error(self, code, message=None, explain=None):
        if code == 404:
            try:
                with open(self.directory + "/404.html", "rb") as f:
                    body = f.read()
            except OSError:
                return super().send_error(code, message, explain)
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, *args):
        pass


directory, port = sys.argv[1], int(sys.argv[2])
Handler.rules = read_headers_file(directory)
server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Handler, directory=directory))
server.serve_forever()
