"""Writes the fixed journal of tests/journal_fold.rs: two machine files of
a sync folder. Deterministic: running it again writes the same bytes.
python3 tests/corpus/journal-fold/generate.py (from the repository root)."""

import datetime
import hashlib
import json
import os
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
now = datetime.datetime(2026, 11, 28, 12, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))
names = [("box", "Box breathing"), ("control-pause", "Control pause"), ("sigh", "Cyclic sighing"),
         ("silent-sit", "Silent sit")]


def vid(ms, i):
    rnd = bytes([(i * 31 + j * 17) % 256 for j in range(10)])
    b = ms.to_bytes(6, "big") + bytes([0x70 | (rnd[0] & 0x0F), rnd[1], 0x80 | (rnd[2] & 0x3F)]) + rnd[3:10]
    return str(uuid.UUID(bytes=b))


laptop, desk, ids = [], [], []
for i in range(70):
    # About 40 days back from now, newest first; some at 1-3 a.m. (the
    # day before), the offset changing with travel.
    off = datetime.timezone(datetime.timedelta(hours=1 if (i // 20) % 2 == 0 else -5))
    started = (now - datetime.timedelta(hours=14 * i + (i % 3) * 5)).astimezone(off).replace(microsecond=0)
    name, title = names[i % 4]
    e = {"v": 2, "kind": "session", "id": vid(int(started.timestamp() * 1000), i),
         "machine": "laptop" if i % 2 == 0 else "desk",
         "started": started.isoformat(timespec="seconds"), "session": name,
         # The oldest sessions had another title: the latest one is shown.
         "title": title if i < 66 else title + " (old title)",
         "source_sha256": hashlib.sha256(name.encode()).hexdigest(), "planned_s": 300 + 60 * (i % 4),
         "practised_s": 0 if i % 17 == 5 else 120 + 37 * (i % 9),
         "ending": "stopped" if i % 6 == 0 else ("interrupted" if i % 13 == 0 else "completed"),
         "cycles": i % 12, "rounds": (3 if name == "control-pause" else 0),
         "holds_s": [round(15 + (i * 7 % 40) / 10, 1), round(18 + (i % 5), 1), 21.5] if name == "control-pause" else [],
         "before": ({"score": i % 11} if i % 5 != 1 else {"skipped": "skipped"}),
         "after": ({"score": (i * 3) % 11, "words": "steadier"} if i % 7 != 2 else {"skipped": "not-a-terminal"})}
    if i % 9 == 0:
        e["note"] = "the breath slowed"
    ids.append(e["id"])
    (laptop if i % 2 == 0 else desk).append(json.dumps(e, separators=(",", ":")))
# Version 1 lines (no kind, no id): read with a derived id.
for k in range(4):
    t = (now - datetime.timedelta(days=200 + k)).replace(microsecond=0)
    e = {"v": 1, "started": t.isoformat(timespec="seconds"), "session": "box", "title": "Box breathing",
         "source_sha256": hashlib.sha256(b"box").hexdigest(), "planned_s": 300, "practised_s": 300,
         "ending": "completed", "cycles": 18, "rounds": 0, "holds_s": [],
         "before": {"score": 4}, "after": {"score": 6}}
    laptop.insert(k, json.dumps(e, separators=(",", ":")))
# A copy of one of the laptop's entries in the desk file (a sync tool's copy).
desk.append(laptop[10])
# A tombstone (desk) for a laptop entry, and an amendment of a note.
desk.append(json.dumps({"v": 2, "kind": "remove", "id": vid(int(now.timestamp() * 1000) - 5000, 900),
                        "machine": "desk", "of": ids[4]}))
laptop.append(json.dumps({"v": 2, "kind": "amend", "id": vid(int(now.timestamp() * 1000) - 4000, 901),
                          "machine": "laptop", "of": ids[9], "note": "a new note"}))
# A line that cannot be read, a record of a kind from a later version, a blank line.
laptop.insert(20, '{"v":2,"kind":"session","started":"not a date"')
desk.insert(5, json.dumps({"v": 3, "kind": "plan", "id": vid(1, 902), "note": "from a later version"}))
desk.insert(8, "")
os.makedirs(os.path.join(HERE, "journal"), exist_ok=True)
with open(os.path.join(HERE, "journal/laptop.jsonl"), "w") as f:
    f.write("\n".join(laptop) + "\n")
with open(os.path.join(HERE, "journal/desk.jsonl"), "w") as f:
    f.write("\n".join(desk) + "\n")
