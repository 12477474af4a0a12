#!/usr/bin/env python3
"""Writes the FILES-ENCODE scenarios (scenarios/files/encode-*.json): one
per tricky container path or snapshot name of the table below, each asking
the client for one call whose request must reach the server decoding to
exactly that text (docs/checks.md, FILES-ENCODE). The table is the one
place to add a case: edit it, run this script, commit both;
tests/scripts checks that they agree.

  encode_scenarios.py [DIR]          write DIR/encode-*.json (default: scenarios/files)
  encode_scenarios.py --check [DIR]  exit 1 when a file differs from what the table
                                     makes, is missing, or is not in the table
"""
import json, os, sys

# (slug, action, value, title). copy_in sends the value as the container
# destination, copy_out as the container source (both as ?path=), the
# snapshot actions as the {name} path segment.
LONG = "/deep/" + "/".join("level-%03d" % i for i in range(100)) + "/file name.txt"
CASES = [
    ("path-space", "copy_in", "/work/my dir/file name.txt",
     "copy-in to a path with spaces: %20 or +, never a raw space"),
    ("path-plus", "copy_out", "/tmp/c++/a+b.txt",
     "copy-out of a path with '+': %2B, or the server reads a space"),
    ("path-plus-space", "copy_in", "/srv/a+b c/x + y",
     "copy-in to a path mixing '+' and spaces: each decodes to itself"),
    ("path-percent", "copy_out", "/data/100%/50%25 done",
     "copy-out of a path with a lone '%' and a literal '%25': encoded once, decoded once"),
    ("path-hash", "copy_in", "/src/#include/issue#12",
     "copy-in to a path with '#': raw, it would end the URL's query"),
    ("path-question", "copy_out", "/q/what?/why?.txt",
     "copy-out of a path with '?' inside the value"),
    ("path-amp-equals", "copy_in", "/a&b=c/d=e&path=/etc",
     "copy-in to a path with '&' and '=': raw, they would add a second path parameter"),
    ("path-unicode", "copy_out", "/home/jos\u00e9/\u65e5\u672c\u8a9e/\u00d6lfa\u00df.txt",
     "copy-out of a non-ASCII path: UTF-8, percent-encoded byte by byte"),
    ("path-slashes", "copy_in", "//double//slashes/and/trailing/",
     "copy-in to a path with leading, doubled and trailing slashes: kept as given"),
    ("path-dotdot-text", "copy_out", "/x/../y/..hidden/dots.../..",
     "copy-out of a path with '..' in it: sent as text, never resolved by the client"),
    ("path-reserved", "copy_in", "/r/;,:@!$'()*[]~ \"<>\\^`{|}",
     "copy-in to a path with every other reserved and unsafe ASCII character"),
    ("path-edge-spaces", "copy_out", " /lead and trail/ ",
     "copy-out of a path with a leading and a trailing space: not trimmed"),
    ("path-long", "copy_in", LONG,
     "copy-in to a %d-byte path, 102 levels deep" % len(LONG)),
    ("snapshot-slash", "snapshot_get", "nightly/2026-12-05",
     "getting snapshot nightly/2026-12-05: its '/' is %2F in one path segment, not two"),
    ("snapshot-plus-space", "snapshot_restore", "a b+c",
     "restoring snapshot 'a b+c': a space and a '+' in a path segment (where '+' is itself)"),
    ("snapshot-query-chars", "snapshot_remove", "100% #1 ?x=y&z",
     "removing snapshot '100% #1 ?x=y&z': '%', '#', '?', '&' and '=' in a path segment"),
    ("snapshot-unicode", "snapshot_get", "d\u00e9b\u00fct-\u65e5\u672c",
     "getting a snapshot with a non-ASCII name"),
    ("snapshot-create-name", "snapshot_create", "q1 + q2 / 50%",
     "creating snapshot 'q1 + q2 / 50%': the name reaches the body as given"),
]


def scenario(slug, action, value, title):
    sid = "encode-" + slug
    info = {"id": sid, "title": title + ": the server decodes exactly what was asked",
            "contracts": ["FILES-ENCODE"], "keywords": ["files", "encode", action]}
    server, client = {}, {"action": action}
    if action == "copy_in":
        client.update(src="src/payload.txt", dst=value,
                      sandbox={"files": [{"path": "src/payload.txt", "data": "payload\n"}]})
    elif action == "copy_out":
        client.update(src=value, dst="a/b/c/out")
    else:
        server["capabilities"] = {"snapshots": True}
        if action != "snapshot_create":
            server["snapshots"] = [value]
        client.update(name=value)
    doc = {"info": info}
    if server:
        doc["server"] = server
    doc["client"] = client
    doc["verify"] = {"FILES-ENCODE": {}}
    return sid, doc


def dump(doc):
    """The scenarios' house layout: one key per line, values on one line."""
    one = lambda v: json.dumps(v, ensure_ascii=False, separators=(", ", ": "))
    lines = ["{"]
    for i, (section, body) in enumerate(doc.items()):
        lines.append('  "%s": {' % section)
        items = list(body.items())
        for j, (k, v) in enumerate(items):
            lines.append('    "%s": %s%s' % (k, one(v), "," if j + 1 < len(items) else ""))
        lines.append("  }" + ("," if i + 1 < len(doc) else ""))
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv):
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    out = args[0] if args else os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                            "..", "scenarios", "files")
    want = {sid + ".json": dump(doc) for sid, doc in (scenario(*c) for c in CASES)}
    if not check:
        for name, text in want.items():
            with open(os.path.join(out, name), "w", encoding="utf-8") as f:
                f.write(text)
        return 0
    bad = 0
    have = {n for n in os.listdir(out) if n.startswith("encode-") and n.endswith(".json")}
    for name in sorted(have - set(want)):
        print("%s/%s: not in the table of %s" % (out, name, __file__))
        bad = 1
    for name, text in sorted(want.items()):
        path = os.path.join(out, name)
        try:
            with open(path, encoding="utf-8") as f:
                same = f.read() == text
        except FileNotFoundError:
            same = False
        if not same:
            print("%s: differs from what %s writes (run it)" % (path, __file__))
            bad = 1
    return bad


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
