/* Every bound grens enforces against hostile or broken input lives here. */
#ifndef GRENS_LIMITS_H
#define GRENS_LIMITS_H

/* CSV: longest field accepted; a longer one is truncated with a notice. */
#define GRENS_LIMIT_FIELD_BYTES (64u * 1024u)
/* CSV: longest physical record (all fields of one row). */
#define GRENS_LIMIT_RECORD_BYTES (1024u * 1024u)
/* CSV: most columns in one file. */
#define GRENS_LIMIT_COLUMNS 256u
/* Zip: largest uncompressed size of one member, and of all members read. */
#define GRENS_LIMIT_ZIP_MEMBER_BYTES (8ull * 1024 * 1024 * 1024)
#define GRENS_LIMIT_ZIP_TOTAL_BYTES (16ull * 1024 * 1024 * 1024)
/* Zip: largest compression ratio accepted for a member (zip-bomb guard),
 * checked on the bytes inflated so far. Real feeds compress 5-15:1. */
#define GRENS_LIMIT_ZIP_RATIO 100u
/* Zip: most entries in the central directory. */
#define GRENS_LIMIT_ZIP_ENTRIES 10000u
/* Rows per table (fits 32-bit indices with room for GRENS_NONE). */
#define GRENS_LIMIT_ROWS 0xFFFFFFF0u
/* GTFS times: largest hour accepted in HH:MM:SS. */
#define GRENS_LIMIT_MAX_HOURS 240
/* Service calendars: longest date range a feed may span, in days. */
#define GRENS_LIMIT_SERVICE_DAYS 3660
/* Diagnostics: notices kept in full (the rest are only counted). */
#define GRENS_LIMIT_DIAG_KEEP 1000u
/* Frequencies: most trips one frequencies.txt row may expand to. */
#define GRENS_LIMIT_FREQUENCY_TRIPS 10000u
/* GTFS-realtime: largest FeedMessage file or buffer accepted, and most bytes
 * the decoded message may occupy in memory (protobuf-c allocations). */
#define GRENS_LIMIT_RT_BYTES (64u * 1024u * 1024u)
#define GRENS_LIMIT_RT_DECODED_BYTES (1024ull * 1024u * 1024u)
/* GTFS-realtime: most stop time updates kept for one added trip. */
#define GRENS_LIMIT_RT_ADDED_STOPS 10000u
/* GTFS-realtime archives: most snapshots one archive lists (a year of
 * 30-second polls of a few feeds); an index.csv is read up to
 * GRENS_LIMIT_RT_BYTES. */
#define GRENS_LIMIT_RT_ARCHIVE_SNAPSHOTS 4000000u
/* Nightly reports: deepest folder tree removed below an unfinished run's
 * temporary folder (the writers make none; a deeper tree is not ours). */
#define GRENS_LIMIT_NIGHT_REMOVE_DEPTH 8

/* Footpaths: longest walk kept after transitive closure (s). */
#define GRENS_LIMIT_FOOTPATH_SECONDS 1200
/* Footpaths: most footpaths from one stop. */
#define GRENS_LIMIT_FOOTPATHS_PER_STOP 1000u

/* Linking: largest TZif zone file read, largest links/override file, longest
 * field of a links row, most near misses kept in a link report. */
#define GRENS_LIMIT_TZIF_BYTES (1u << 20)
#define GRENS_LIMIT_LINKS_FILE_BYTES (16u << 20)
/* A clip region (--clip FILE.geojson): the file and its positions. A
 * country outline at fine detail has some 100,000 points. */
#define GRENS_LIMIT_CLIP_FILE_BYTES (64u << 20)
#define GRENS_LIMIT_CLIP_POINTS 4000000u
#define GRENS_LIMIT_LINK_FIELD_BYTES 256u
#define GRENS_LIMIT_NEAR_MISSES 100000u
/* Routing: most transfers a router workspace can be made for. */
#define GRENS_LIMIT_ROUTE_TRANSFERS 32u
/* Routing: most legs of one journey (stay-seated chains add legs). */
#define GRENS_LIMIT_ROUTE_LEGS 256u
/* Routing: most origin or destination stops of one query. */
#define GRENS_LIMIT_ROUTE_ENDPOINTS 4096u
/* Routing: most departure steps of one range query. */
#define GRENS_LIMIT_ROUTE_STEPS 100000u

/* Station search (grens_net_search_stops, grens_net_nearest_stops): the
 * longest text searched for (bytes), the widest radius around a point (m). */
#define GRENS_LIMIT_SEARCH_BYTES 200u
#define GRENS_LIMIT_SEARCH_RADIUS_M 100000.0

/* Scenarios: deepest nesting of YAML sequences and mappings. A scenario
 * needs about 6; libyaml's time grows with the square of the depth, so a
 * file of many brackets is refused as soon as the parser gets that deep. */
#define GRENS_LIMIT_SCENARIO_DEPTH 32u

/* Accessibility: most places in one places table, and largest places file. */
#define GRENS_LIMIT_ACCESS_PLACES 1000000u
#define GRENS_LIMIT_ACCESS_PLACES_BYTES (256u * 1024u * 1024u)

#endif
