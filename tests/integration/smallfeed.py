"""A small GTFS feed for the nightly tests: two stations, a train every
30 minutes."""
import io
import zipfile


def feed_zip(run_min, version):
    """Stations A (Heerlen, NL) and B (Aachen, DE); trips every 30 min
    06:00-22:00 taking run_min minutes."""
    trips = ["route_id,service_id,trip_id"]
    stop_times = ["trip_id,arrival_time,departure_time,stop_id,stop_sequence"]
    for k in range(33):  # 06:00, 06:30, ..., 22:00
        t = 6 * 60 + 30 * k
        a = t + run_min
        trips.append(f"r1,wk,t{k}")
        stop_times.append(f"t{k},{t // 60:02d}:{t % 60:02d}:00,{t // 60:02d}:{t % 60:02d}:00,A,1")
        stop_times.append(f"t{k},{a // 60:02d}:{a % 60:02d}:00,{a // 60:02d}:{a % 60:02d}:00,B,2")
    files = {
        "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\n"
                      "ag,Test Rail,https://example.invalid,Europe/Amsterdam\n",
        "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\n"
                     "A,Heerlen Test,50.890693,5.975844\n"
                     "B,Aachen Test,50.767800,6.091499\n",
        "routes.txt": "route_id,agency_id,route_short_name,route_type\nr1,ag,RE18,2\n",
        "trips.txt": "\n".join(trips) + "\n",
        "stop_times.txt": "\n".join(stop_times) + "\n",
        "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,"
                        "start_date,end_date\nwk,1,1,1,1,1,1,1,20260101,20261231\n",
        "feed_info.txt": "feed_publisher_name,feed_publisher_url,feed_lang,feed_version\n"
                         f"Test,https://example.invalid,en,{version}\n",
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), text)
    return buf.getvalue()
