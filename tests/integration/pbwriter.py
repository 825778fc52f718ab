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
