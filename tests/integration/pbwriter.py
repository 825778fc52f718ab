"""A minimal protobuf writer for GTFS-realtime test messages (field numbers
from gtfs-realtime.proto): enough for headers and TripUpdates."""


def varint(v):
    v &= (1 << 64) - 1
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def vi(field, v):
    """A varint field."""
    return varint(field << 3) + varint(v)


def ld(field, payload):
    """A length-delimited field (bytes, a string or a nested message)."""
    if isinstance(payload, str):
        payload = payload.encode()
    return varint(field << 3 | 2) + varint(len(payload)) + payload


def message(entities, timestamp=1699430400):
    """A FeedMessage: header (version 2.0, FULL_DATASET, timestamp) and entities."""
    return ld(1, ld(1, "2.0") + vi(2, 0) + vi(3, timestamp)) + b"".join(entities)


def delay_update(eid, trip_id, stop_id, delay, start_date="20231108"):
    """A TripUpdate entity with one stop time update: arrival and departure
    delay at stop_id."""
    td = ld(1, trip_id) + ld(3, start_date)
    stu = ld(2, vi(1, delay)) + ld(3, vi(1, delay)) + ld(4, stop_id)
    return ld(2, ld(1, eid) + ld(3, ld(1, td) + ld(2, stu)))


def cancelled_trip(eid, trip_id, start_date):
    """A TripUpdate entity cancelling trip_id on start_date (YYYYMMDD)."""
    td = ld(1, trip_id) + ld(3, start_date) + vi(4, 3)
    return ld(2, ld(1, eid) + ld(3, ld(1, td)))


def write_archive(root, snapshots):
    """An archive as grens rt record writes it (README: 'Recording
    GTFS-realtime'): snapshots are (received POSIX seconds, feed, FeedMessage
    bytes) and go to ROOT/YYYY-MM-DD/HHMMSSZ-FEED-SHA12.pb.gz with the day's
    index.csv. A message given as ("corrupt", bytes) is written as is (not
    gzip'ed) but indexed as a snapshot: a file that no longer reads."""
    import datetime
    import gzip
    import hashlib
    import os
    days = {}
    for received, feed, payload in snapshots:
        corrupt = isinstance(payload, tuple)
        body = payload[1] if corrupt else payload
        sha = hashlib.sha256(body).hexdigest()
        t = datetime.datetime.fromtimestamp(received, datetime.timezone.utc)
        day = t.strftime("%Y-%m-%d")
        name = f"{t.strftime('%H%M%S')}Z-{feed}-{sha[:12]}.pb.gz"
        os.makedirs(os.path.join(root, day), exist_ok=True)
        with open(os.path.join(root, day, name), "wb") as f:
            f.write(body if corrupt else gzip.compress(body))
        days.setdefault(day, []).append(
            f"{t.strftime('%Y-%m-%dT%H:%M:%SZ')},0,{feed},{sha},{len(body)},{name}\n")
    for day, rows in days.items():
        with open(os.path.join(root, day, "index.csv"), "w") as f:
            f.write("received_utc,header_timestamp,feed,sha256,bytes,file\n")
            f.writelines(sorted(rows))
