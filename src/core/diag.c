#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grens/core.h"

struct grens_diag {
	grens_notice_summary *summaries;
	size_t summary_count, summary_cap;
	grens_notice *kept;
	size_t kept_count, kept_cap;
	uint64_t totals[3];
};

grens_diag *grens_diag_new(void)
{
	return calloc(1, sizeof(grens_diag));
}

void grens_diag_free(grens_diag *d)
{
	if (!d)
		return;
	free(d->summaries);
	free(d->kept);
	free(d);
}

void grens_diag_add(grens_diag *d, const char *code, grens_severity severity, const char *file,
		    uint32_t line, const char *field, const char *fmt, ...)
{
	if (!d)
		return;
	if (severity > GRENS_SEVERITY_ERROR)
		severity = GRENS_SEVERITY_ERROR;
	d->totals[severity]++;
	grens_notice n;
	memset(&n, 0, sizeof(n));
	n.code = code;
	n.severity = severity;
	snprintf(n.file, sizeof(n.file), "%s", file ? file : "");
	n.line = line;
	snprintf(n.field, sizeof(n.field), "%s", field ? field : "");
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(n.message, sizeof(n.message), fmt, ap);
		va_end(ap);
	}
	/* Codes are few (tens): a linear search stays cheap. */
	size_t i;
	for (i = 0; i < d->summary_count; i++)
		if (strcmp(d->summaries[i].code, code) == 0)
			break;
	if (i == d->summary_count) {
		if (grens_array_reserve((void **)&d->summaries, &d->summary_cap, sizeof(*d->summaries),
			 d->summary_count + 1) == 0) {
			grens_notice_summary *s = &d->summaries[d->summary_count++];
			s->code = code;
			s->severity = severity;
			s->count = 1;
			s->first = n;
		}
	} else {
		d->summaries[i].count++;
		if (severity > d->summaries[i].severity)
			d->summaries[i].severity = severity;
	}
	if (d->kept_count < GRENS_LIMIT_DIAG_KEEP &&
	    grens_array_reserve((void **)&d->kept, &d->kept_cap, sizeof(*d->kept), d->kept_count + 1) == 0)
		d->kept[d->kept_count++] = n;
}

size_t grens_diag_summary_count(const grens_diag *d)
{
	return d ? d->summary_count : 0;
}

const grens_notice_summary *grens_diag_summary(const grens_diag *d, size_t i)
{
	return d && i < d->summary_count ? &d->summaries[i] : NULL;
}

size_t grens_diag_kept_count(const grens_diag *d)
{
	return d ? d->kept_count : 0;
}

const grens_notice *grens_diag_kept(const grens_diag *d, size_t i)
{
	return d && i < d->kept_count ? &d->kept[i] : NULL;
}

uint64_t grens_diag_total(const grens_diag *d, grens_severity severity)
{
	if (!d || severity > GRENS_SEVERITY_ERROR)
		return 0;
	return d->totals[severity];
}

uint64_t grens_diag_count(const grens_diag *d, const char *code)
{
	if (!d)
		return 0;
	for (size_t i = 0; i < d->summary_count; i++)
		if (strcmp(d->summaries[i].code, code) == 0)
			return d->summaries[i].count;
	return 0;
}
