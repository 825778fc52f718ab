/* Service periods of the feeds of a timetable, and whether a query date
 * falls into them: a date no feed serves gives no journey, which is
 * indistinguishable from an unreachable destination unless it is refused. */
#include <stdio.h>
#include <string.h>

#include "grens/limits.h"
#include "grens/net.h"

void grens_net_feed_period(const grens_timetable *tt, uint32_t feed, grens_net_service_period *out)
{
	if (!tt || !out)
		return; /* NULL not allowed: docs/api.md */
	out->first = out->last = out->routable_first = out->routable_last = GRENS_DATE_NONE;
	if (feed >= tt->feed_count || tt->day_count == 0)
		return;
	grens_date lo = tt->first_date, hi = tt->first_date + (grens_date)tt->day_count - 1;
	if (!tt->feed_first_date || !tt->feed_last_date) {
		/* a timetable made by hand: its service days are the period */
		out->first = out->routable_first = lo;
		out->last = out->routable_last = hi;
		return;
	}
	out->first = tt->feed_first_date[feed];
	out->last = tt->feed_last_date[feed];
	if (out->first == GRENS_DATE_NONE || out->last == GRENS_DATE_NONE) {
		out->first = out->last = GRENS_DATE_NONE;
		return;
	}
	if (out->first > hi || out->last < lo)
		return;
	out->routable_first = out->first > lo ? out->first : lo;
	out->routable_last = out->last < hi ? out->last : hi;
}

bool grens_net_feed_runs(const grens_timetable *tt, uint32_t feed, grens_date date)
{
	if (!tt)
		return false; /* NULL not allowed: docs/api.md */
	for (uint32_t t = 0; t < tt->trip_count; t++)
		if (tt->trip_feed[t] == feed && grens_net_trip_runs(tt, t, date))
			return true;
	return false;
}

/* "2025-12-14 to 2026-12-12" (or "no service days") into buf. */
static void period_text(grens_date first, grens_date last, char *buf, size_t bufsz)
{
	if (first == GRENS_DATE_NONE) {
		snprintf(buf, bufsz, "no service days");
		return;
	}
	char a[16], b[16];
	grens_date_format_iso(first, a, sizeof(a));
	grens_date_format_iso(last, b, sizeof(b));
	snprintf(buf, bufsz, "%s to %s", a, b);
}

static const char *feed_name(const grens_timetable *tt, uint32_t feed)
{
	return grens_net_str(tt, tt->feed_name[feed]);
}

int grens_net_check_date(const grens_timetable *tt, grens_date date, grens_net_date_note *notes,
			 uint32_t cap, uint32_t *n, grens_error *err)
{
	if (!tt)
		return grens_error_set(err, GRENS_EINVAL, "grens_net_check_date: tt is NULL");
	if (!notes)
		return grens_error_set(err, GRENS_EINVAL, "grens_net_check_date: notes is NULL");
	if (!n)
		return grens_error_set(err, GRENS_EINVAL, "grens_net_check_date: n is NULL");
	*n = 0;
	char day[16];
	grens_date_format_iso(date, day, sizeof(day));
	bool inside = false;
	for (uint32_t f = 0; f < tt->feed_count; f++) {
		grens_net_service_period p;
		grens_net_feed_period(tt, f, &p);
		if (p.first == GRENS_DATE_NONE || date < p.first || date > p.last)
			continue;
		if (p.routable_first == GRENS_DATE_NONE || date < p.routable_first ||
		    date > p.routable_last) {
			char full[64], cut[64];
			period_text(p.first, p.last, full, sizeof(full));
			period_text(p.routable_first, p.routable_last, cut, sizeof(cut));
			return grens_error_set(err, GRENS_EARG,
					       "%s is in the service period of feed %.200s (%s), "
					       "but only %s of it is routable (service ranges are "
					       "cut to %u days)",
					       day, feed_name(tt, f), full, cut,
					       GRENS_LIMIT_SERVICE_DAYS);
		}
		inside = true;
	}
	if (!inside) {
		char list[sizeof(err->message)];
		size_t len = 0;
		list[0] = '\0';
		for (uint32_t f = 0; f < tt->feed_count && len < sizeof(list); f++) {
			grens_net_service_period p;
			grens_net_feed_period(tt, f, &p);
			char one[64];
			period_text(p.first, p.last, one, sizeof(one));
			int w = snprintf(list + len, sizeof(list) - len, "%s%s %s", f ? ", " : "",
					 feed_name(tt, f), one);
			if (w < 0)
				break;
			len += (size_t)w;
		}
		return grens_error_set(err, GRENS_EARG,
				       "%s is outside the service period of every feed (%.400s)",
				       day, tt->feed_count ? list : "no feeds");
	}
	for (uint32_t f = 0; f < tt->feed_count && *n < cap; f++) {
		if (grens_net_feed_runs(tt, f, date))
			continue;
		grens_net_service_period p;
		grens_net_feed_period(tt, f, &p);
		char period[64];
		period_text(p.first, p.last, period, sizeof(period));
		grens_net_date_note *note = &notes[(*n)++];
		note->feed = f;
		snprintf(note->message, sizeof(note->message),
			 "feed %.120s runs no trips on %.16s (its service period: %.40s)",
			 feed_name(tt, f), day, period);
	}
	return 0;
}
