"""boxclient.client: the kind of a refused attach (docs/contract.md)."""
import unittest

from boxclient.attach import AttachFailed
from boxclient.client import _attach_error


class RefusedAttach(unittest.TestCase):
    def test_kinds(self):
        expected = {404: "session_reaped", 409: "already_attached", 410: "session_reaped",
                    401: "auth", 403: "auth", 502: "network", 503: "network",
                    504: "network", 400: "internal", 429: "internal", 500: "internal",
                    None: "network"}
        for status, kind in expected.items():
            error = _attach_error("e-1", AttachFailed(status, f"refused {status}"))
            self.assertEqual(error.kind, kind, status)
            self.assertIn(f"refused {status}", str(error))


if __name__ == "__main__":
    unittest.main()
