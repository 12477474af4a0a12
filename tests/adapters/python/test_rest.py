"""boxclient.rest: URLs, error kinds and messages of every error-body form."""
import unittest

from boxclient.rest import Rest, error_of, kind_of_status


class Layout(unittest.TestCase):
    def test_base_and_prefix(self):
        self.assertEqual(Rest("http://h:1", "k").base_path, "/v1")
        self.assertEqual(Rest("http://h:1/", "k", "/a/b/").base_path, "/v1/a/b")
        self.assertEqual(Rest("http://h:1/api", "k", "p").base_path, "/api/v1/p")

    def test_ws_url(self):
        self.assertEqual(Rest("http://127.0.0.1:8080", "k", "p").ws_url("/x?stdin=0"),
                         "ws://127.0.0.1:8080/v1/p/x?stdin=0")
        self.assertEqual(Rest("https://h", "k").ws_url("/x"), "wss://h:443/v1/x")

    def test_bearer(self):
        self.assertEqual(Rest("http://h", "tok-9").authorization, "Bearer tok-9")


class Errors(unittest.TestCase):
    def test_kinds(self):
        expected = {400: "invalid_argument", 422: "invalid_argument", 401: "auth",
                    403: "auth", 404: "not_found", 409: "conflict",
                    410: "session_reaped", 429: "exhausted", 502: "network",
                    503: "network", 504: "network", 500: "internal", 418: "internal"}
        for status, kind in expected.items():
            self.assertEqual(kind_of_status(status), kind, status)

    def test_body_forms(self):
        forms = [b'{"error":"runner text"}', b'{"error":{"message":"runner text","type":"x","code":1}}',
                 b'{"message":"runner text","code":"x"}']
        for body in forms:
            self.assertEqual(str(error_of(409, body)), "HTTP 409: runner text", body)

    def test_bare_and_garbage_bodies(self):
        for body in (b"", b"<html>", b"[]", b'{"error":3}'):
            self.assertEqual(str(error_of(502, body)), "HTTP 502", body)
        self.assertEqual(error_of(502, b"").kind, "network")


if __name__ == "__main__":
    unittest.main()
