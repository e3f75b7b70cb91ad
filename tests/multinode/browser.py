"""A small HTTP client for the app nodes: one cookie jar (a browser, whichever node the load balancer
picks: cookies name the host, not the port), CSRF tokens from the cookie, redirects not followed."""

import http.cookiejar
import secrets
import urllib.error
import urllib.parse
import urllib.request


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    def request(self, url: str, data: bytes | None = None, headers: dict | None = None):
        """(status, headers, body) of one request; 4xx and 3xx are answers, not errors."""
        req = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310  (our nodes)
        try:
            with self.opener.open(req, timeout=30) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as exc:
            with exc:
                return exc.code, exc.headers, exc.read()

    def get(self, url: str):
        return self.request(url)

    def post(self, url: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]] | None = None):
        fields = {"csrfmiddlewaretoken": self.cookie("csrftoken") or "", **fields}
        if not files:
            body = urllib.parse.urlencode(fields).encode()
            return self.request(url, body, {"Content-Type": "application/x-www-form-urlencoded"})
        boundary = f"qingshen{secrets.token_hex(8)}"
        parts = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
        for name, (filename, content) in files.items():
            head = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            )
            parts.append(head.encode() + content + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            url, b"".join(parts), {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )

    def login(self, node_url: str, username: str, password: str):
        self.get(f"{node_url}/login/")  # the CSRF cookie
        return self.post(f"{node_url}/login/", {"username": username, "password": password})
