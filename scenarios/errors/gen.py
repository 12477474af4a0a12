#!/usr/bin/env python3
"""Writes the REST-ERRORS matrix: one scenario per cell of status x body form
x call, named rest-errors-CALL-STATUS-FORM (a failed cell names itself).

Every call of the box handle has its own error path (a JSON answer, none,
a tar, archive bytes), and every body form its own parsing, so each call
meets each form once; the status of a cell rotates (status index = 3 x call
index + form index, modulo the 13 statuses) so that each status also meets
each form once: 13 calls x 7 forms, every pair of the three covered. Then
the successes a client cannot read (2xx with an empty, cut or non-JSON body)
on each call that reads one, and the answers whose code, not status,
decides the kind.

Each answer repeats on every call of its endpoint, so a client that retries
meets the same error. Run it after changing it; tests/suites checks that the
files here are what it writes (gen.py --check)."""
import json, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))

STATUSES = [400, 401, 403, 404, 409, 410, 413, 422, 429, 500, 502, 503, 504]
FORMS = ["envelope", "flat", "runner", "empty", "text", "html", "truncated"]
CAPS = {"snapshots": True, "clone": True, "export": True}

# call: (journal endpoint, client section, server keys beside the list)
CALLS = {
    "info": ("box", {"action": "info"}, {}),
    "start": ("start", {"action": "start"}, {"box_status": "stopped"}),
    "stop": ("stop", {"action": "stop"}, {}),
    "metrics": ("metrics", {"action": "metrics"}, {}),
    "copy-in": ("files_put", {"action": "copy_in", "src": "src/a.txt", "dst": "/work/a.txt",
                              "sandbox": {"files": [{"path": "src/a.txt", "data": "alpha\n"}]}}, {}),
    "copy-out": ("files_get", {"action": "copy_out", "src": "/var/log/app.log",
                               "dst": "a/b/c/d/dest"}, {}),
    "snapshot-create": ("snapshot_create", {"action": "snapshot_create", "name": "nightly"},
                        {"capabilities": CAPS}),
    "snapshot-list": ("snapshot_list", {"action": "snapshot_list"}, {"capabilities": CAPS}),
    "snapshot-get": ("snapshot_get", {"action": "snapshot_get", "name": "nightly"},
                     {"capabilities": CAPS, "snapshots": ["nightly"]}),
    "snapshot-remove": ("snapshot_remove", {"action": "snapshot_remove", "name": "nightly"},
                        {"capabilities": CAPS, "snapshots": ["nightly"]}),
    "snapshot-restore": ("snapshot_restore", {"action": "snapshot_restore", "name": "nightly"},
                         {"capabilities": CAPS, "snapshots": ["nightly"]}),
    "clone": ("clone", {"action": "clone", "name": "copy"}, {"capabilities": CAPS}),
    "export": ("export", {"action": "export", "dest": "a/b/c/d/out.boxlite"},
               {"capabilities": CAPS}),
}
# Calls whose success carries a body the client must read.
READS = ["info", "start", "stop", "metrics", "copy-out", "snapshot-create", "snapshot-list",
         "snapshot-get", "clone"]
UNREADABLE = ["empty", "truncated", "html", "text"]

HTML = ("<html>\r\n<head><title>{0}</title></head>\r\n<body>\r\n<center><h1>{0}</h1></center>\r\n"
        "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
REASONS = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
           404: "Not Found", 409: "Conflict", 410: "Gone", 413: "Payload Too Large",
           418: "I'm a teapot", 422: "Unprocessable Entity", 429: "Too Many Requests",
           500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
           504: "Gateway Timeout"}

def words(call, status):
    return f"{call} refused by the scripted server ({status})"

def reply(form, status, text):
    """The scripted answer: a body form as docs/scenario.md names them."""
    r = {"status": status}
    if form in ("envelope", "flat", "runner"):
        r.update(body_form=form, message=text)
    elif form == "empty":
        r.update(body_form="empty")
    elif form == "text":
        r.update(body_raw=text + "\n", headers={"Content-Type": "text/plain; charset=utf-8"})
    elif form == "html":
        title = f"{status} {REASONS[status]}"
        r.update(body_raw=HTML.format(title), headers={"Content-Type": "text/html"})
    elif form == "truncated":
        cut = json.dumps({"error": {"message": text, "type": "X", "code": "x"}})[:30]
        r.update(body_raw=cut, headers={"Content-Type": "application/json; charset=utf-8"})
    r["repeat"] = True
    return r

def scenario(name, call, title, answer, keywords):
    endpoint, client, server = CALLS[call]
    return {
        "info": {"id": name, "title": title, "contracts": ["REST-ERRORS", "REST-ERRORS-FINE"],
                 "keywords": ["errors", call] + keywords},
        "server": dict(server, **{endpoint: [answer]}),
        "client": client,
        "verify": {"REST-ERRORS": {"endpoint": endpoint},
                   "REST-ERRORS-FINE": {"endpoint": endpoint}},
    }

def matrix():
    calls = list(CALLS)
    for ci, call in enumerate(calls):
        for fi, form in enumerate(FORMS):
            status = STATUSES[(3 * ci + fi) % len(STATUSES)]
            cell = call
            if call == "snapshot-get" and status == 404:
                cell = "snapshot-remove"   # a missing snapshot is "none" (SNAP-CRUD)
            name = f"rest-errors-{cell}-{status}-{form}"
            title = f"{cell} answered {status} with a {form} body: an error of the kind the status or code says, with the server's text"
            yield name, scenario(name, cell, title, reply(form, status, words(cell, status)),
                                 [form, str(status)])

def unreadable():
    for i, call in enumerate(READS):
        form = UNREADABLE[i % len(UNREADABLE)]
        name = f"rest-errors-{call}-200-{form}"
        title = f"{call} answered 200 with a {form} body it cannot read: a clear error, never a success"
        answer = reply(form, 200, words(call, 200))
        yield name, scenario(name, call, title, answer, [form, "200"])

def by_code():
    """Answers whose code, not status, decides the kind."""
    cells = [
        ("copy-out", 500, {"error": {"message": "disk quota exceeded on the runner",
                                     "type": "StorageError", "code": "storage_error"}},
         "envelope code storage_error on a 500: storage, not internal"),
        ("snapshot-create", 400, {"error": {"message": "snapshots need a qcow2 disk",
                                            "type": "UnsupportedError", "code": "unsupported"}},
         "envelope code unsupported on a 400: unsupported, not invalid_argument"),
        ("start", 418, {"error": {"message": "can't brew", "type": "TeapotError",
                                  "code": "teapot_brewing_failed"}},
         "an envelope code no line knows on a 418: the status decides (internal)"),
        ("clone", 409, {"message": "a box named copy exists", "code": "already_exists"},
         "a flat body with code already_exists on a 409: conflict"),
    ]
    for call, status, body, title in cells:
        code = body["error"]["code"] if "error" in body else body["code"]
        name = f"rest-errors-{call}-{status}-code-{code.replace('_', '-')}"
        answer = {"status": status, "body": body, "repeat": True}
        yield name, scenario(name, call, f"{call}: {title}", answer, ["code", str(status)])

def cells():
    return sorted(list(matrix()) + list(unreadable()) + list(by_code()))

def text_of(doc):
    """One line per part, as the hand-written scenarios are laid out."""
    parts = [f'  "{key}": {json.dumps(value, ensure_ascii=False)}' for key, value in doc.items()]
    return "{\n" + ",\n".join(parts) + "\n}\n"

def main():
    check = sys.argv[1:] == ["--check"]
    want = {f"{name}.json": text_of(doc) for name, doc in cells()}
    have = {f for f in os.listdir(HERE) if f.endswith(".json")}
    if check:
        stale = sorted(f for f in have | set(want)
                       if f not in want or f not in have
                       or open(os.path.join(HERE, f), encoding="utf-8").read() != want[f])
        for f in stale:
            print(f"scenarios/errors/{f}: not what gen.py writes (run scenarios/errors/gen.py)")
        return 1 if stale else 0
    for f in have - set(want):
        os.remove(os.path.join(HERE, f))
    for f, text in want.items():
        with open(os.path.join(HERE, f), "w", encoding="utf-8") as out:
            out.write(text)
    print(f"{len(want)} scenarios in scenarios/errors")
    return 0

if __name__ == "__main__":
    sys.exit(main())
