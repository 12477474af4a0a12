"""boxclient.rest: URLs, error kinds and messages of every error-body form."""
import asyncio
import unittest

from boxclient.errors import BoxError
from boxclient.rest import Rest, error_of, kind_of_status


class Layout(unittest.TestCase):
    def test_base_and_prefix(self):
        self.assertEqual(Rest("http://h:1", "k").base_path, "/v1")
        self.assertEqual(Rest("http://h:1/", "k", "/a/b/").base_path, "/v1/a/b")
        self.assertEqual(Rest("http://h:1/api", "k", "p").base_path, "/api/v1/p")

    def test_ws_url(self):
        self.assertEqual(Rest("http://127.0.0.1:8080", "k", "p").ws_url("/x?stdin=false"),
                         "ws://127.0.0.1:8080/v1/p/x?stdin=false")
        self.assertEqual(Rest("https://h", "k").ws_url("/x"), "wss://h:443/v1/x")

    def test_bearer(self):
        self.assertEqual(Rest("http://h", "tok-9").authorization, "Bearer tok-9")


class Errors(unittest.TestCase):
    def test_kinds(self):
        expected = {400: "invalid_argument", 422: "invalid_argument", 401: "auth",
                    403: "auth", 404: "not_found", 409: "conflict",
                    410: "internal", 429: "exhausted", 502: "network",
                    503: "network", 504: "network", 500: "internal", 418: "internal"}
        for status, kind in expected.items():
            self.assertEqual(kind_of_status(status), kind, status)

    def test_body_forms(self):
        forms = [b'{"error":"runner text"}', b'{"error":{"message":"runner text","type":"x","code":1}}',
                 b'{"message":"runner text","code":"x"}']
        for body in forms:
            self.assertEqual(str(error_of(409, body)), "HTTP 409: runner text", body)

    def test_the_envelope_code_decides(self):
        cases = [(500, b'{"error":{"message":"m","type":"t","code":"session_reaped"}}', "session_reaped"),
                 (400, b'{"error":{"message":"m","code":"storage_error"}}', "storage"),
                 (409, b'{"message":"m","code":"invalid_state"}', "conflict"),
                 (500, b'{"error":{"message":"m","code":"unsupported"}}', "unsupported"),
                 (404, b'{"error":{"message":"m","code":7}}', "not_found"),
                 (503, b'{"error":{"message":"m","code":"no_such_code"}}', "network")]
        for status, body, kind in cases:
            self.assertEqual(error_of(status, body).kind, kind, body)

    def test_bare_and_garbage_bodies(self):
        for body in (b"", b"<html>", b"[]", b'{"error":3}'):
            self.assertEqual(str(error_of(502, body)), "HTTP 502", body)
        self.assertEqual(error_of(502, b"").kind, "network")



class Calls(unittest.IsolatedAsyncioTestCase):
    """Rest.call against a loopback server that answers with canned bytes."""

    async def serve(self, answer: bytes):
        self.requests = []

        async def handle(reader, writer):
            self.requests.append(await reader.readuntil(b"\r\n\r\n"))
            if answer:
                writer.write(answer)
                await writer.drain()
                writer.close()
            # no answer: hold the connection until the client gives up

        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        self.addAsyncCleanup(server.wait_closed)
        self.addCleanup(server.close)
        return Rest(f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}", "tok", "p")

    async def test_request_and_chunked_reply(self):
        rest = await self.serve(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                b"4\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\n\r\n")
        reply = await rest.call("GET", "/boxes/b", timeout=5)
        self.assertEqual((reply.status, reply.json()), (200, {"a": 1}))
        head = self.requests[0].decode()
        self.assertTrue(head.startswith("GET /v1/p/boxes/b HTTP/1.1\r\n"), head)
        self.assertIn("Authorization: Bearer tok\r\n", head)
        self.assertIn("Connection: close\r\n", head)

    async def test_probe_states(self):
        cases = [(b'{"status":"killed","exit_code":137}', 200, ("terminal", 137)),
                 (b'{"status":"running"}', 200, ("running", -1)),
                 (b'{"status":"starting"}', 200, ("running", -1)),
                 (b'{"error":"gone"}', 404, ("gone", -1)),
                 (b'', 502, ("unavailable", -1)),
                 (b'not json', 200, ("unavailable", -1))]
        for body, status, expected in cases:
            rest = await self.serve(b"HTTP/1.1 %d X\r\nContent-Length: %d\r\n\r\n%s"
                                    % (status, len(body), body))
            probe = await rest.probe("b", "e", timeout=5)
            self.assertEqual((probe.state, probe.exit_code), expected, body)

    async def test_silence_times_out_as_network(self):
        rest = await self.serve(b"")
        with self.assertRaises(BoxError) as caught:
            await rest.call("GET", "/x", timeout=0.2)
        self.assertEqual(caught.exception.kind, "network")
        self.assertEqual((await rest.probe("b", "e", timeout=0.2)).state, "unavailable")


if __name__ == "__main__":
    unittest.main()
