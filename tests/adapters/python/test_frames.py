"""boxclient.frames: the channel split and the control frames."""
import unittest

from boxclient.frames import ERROR_WITHOUT_MESSAGE, exit_code_of, parse_control, split_output


class SplitOutput(unittest.TestCase):
    def test_channels(self):
        self.assertEqual(split_output(b"\x01out"), (1, b"out"))
        self.assertEqual(split_output(b"\x02\xff\xfe"), (2, b"\xff\xfe"))
        self.assertEqual(split_output(b"\x01"), (1, b""))

    def test_ignored(self):
        self.assertEqual(split_output(b""), (None, b""))
        self.assertEqual(split_output(b"\x09data"), (None, b""))
        self.assertEqual(split_output(b"\x00data"), (None, b""))


class ExitCode(unittest.TestCase):
    def test_integers(self):
        self.assertEqual(exit_code_of(0), 0)
        self.assertEqual(exit_code_of(137), 137)
        self.assertEqual(exit_code_of(-2), -2)

    def test_not_integers_are_minus_one(self):
        for value in (None, 1.0, "3", True, False, [], {}):
            self.assertEqual(exit_code_of(value), -1, value)

    def test_wraps_like_an_i32_cast(self):
        self.assertEqual(exit_code_of(2 ** 31), -(2 ** 31))
        self.assertEqual(exit_code_of(2 ** 32 + 5), 5)
        self.assertEqual(exit_code_of(2 ** 63), -1)


class ParseControl(unittest.TestCase):
    def test_exit(self):
        c = parse_control('{"type":"exit","exit_code":7}')
        self.assertEqual((c.kind, c.exit_code), ("exit", 7))
        self.assertEqual(parse_control('{"type":"exit"}').exit_code, -1)
        self.assertEqual(parse_control('{"type":"exit","exit_code":null}').exit_code, -1)

    def test_error(self):
        c = parse_control('{"type":"error","message":"oom"}')
        self.assertEqual((c.kind, c.message), ("error", "oom"))
        self.assertEqual(parse_control('{"type":"error"}').message, ERROR_WITHOUT_MESSAGE)

    def test_unknown(self):
        for text in ("hello", "", "[1,2,3]", '{"type":"exit","exit_code":',
                     '{"type":"resize"}', "null", '"exit"'):
            self.assertEqual(parse_control(text).kind, "unknown", text)


if __name__ == "__main__":
    unittest.main()
