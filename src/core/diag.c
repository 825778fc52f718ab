#include <stdarg.h>
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
	/* The strings of the notices kept: file names interned (a feed has tens
	 * of files, not one per notice), messages one per kept notice. */
	grens_arena *strings;
	const char **files;
	size_t file_count, file_cap;
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
	free(d->files);
	grens_arena_free(d->strings);
	free(d);
}

/* The diag's copy of file; "" when it cannot be kept (out of memory). */
static const char *intern_file(grens_diag *d, const char *file)
{
	if (!file || !*file)
		return "";
	for (size_t i = d->file_count; i-- > 0;)
		if (strcmp(d->files[i], file) == 0)
			return d->files[i];
	if (grens_array_reserve((void **)&d->files, &d->file_cap, sizeof(*d->files),
				d->file_count + 1) != 0)
		return "";
	char *copy = grens_arena_strndup(d->strings, file, strlen(file));
	if (!copy)
		return "";
	d->files[d->file_count++] = copy;
	return copy;
}

void grens_diag_add(grens_diag *d, const char *code, grens_severity severity, const char *file,
		    uint32_t line, const char *field, const char *fmt, ...)
{
	if (!code)
		return; /* NULL not allowed: docs/api.md */
	if (!d)
		return;
	if (severity > GRENS_SEVERITY_ERROR)
		severity = GRENS_SEVERITY_ERROR;
	d->totals[severity]++;
	/* Codes are few (tens): a linear search stays cheap. */
	size_t i;
	for (i = 0; i < d->summary_count; i++)
		if (strcmp(d->summaries[i].code, code) == 0)
			break;
	int first = i == d->summary_count;
	int keep = d->kept_count < GRENS_LIMIT_DIAG_KEEP;
	if (!first) {
		d->summaries[i].count++;
		if (severity > d->summaries[i].severity)
			d->summaries[i].severity = severity;
	}
	if (!first && !keep)
		return; /* counted; nothing of it is kept */
	if (!d->strings && !(d->strings = grens_arena_new(0)))
		return;
	grens_notice n;
	memset(&n, 0, sizeof(n));
	n.code = code;
	n.severity = severity;
	n.file = intern_file(d, file);
	n.line = line;
	snprintf(n.field, sizeof(n.field), "%s", field ? field : "");
	n.message = "";
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		int len = vsnprintf(NULL, 0, fmt, ap);
		va_end(ap);
		char *msg = len > 0 ? grens_arena_alloc(d->strings, (size_t)len + 1, 1) : NULL;
		if (msg) {
			va_start(ap, fmt);
			vsnprintf(msg, (size_t)len + 1, fmt, ap);
			va_end(ap);
			n.message = msg;
		}
	}
	if (first && grens_array_reserve((void **)&d->summaries, &d->summary_cap,
					 sizeof(*d->summaries), d->summary_count + 1) == 0) {
		grens_notice_summary *s = &d->summaries[d->summary_count++];
		s->code = code;
		s->severity = severity;
		s->count = 1;
		s->first = n;
	}
	if (keep && grens_array_reserve((void **)&d->kept, &d->kept_cap, sizeof(*d->kept),
					d->kept_count + 1) == 0)
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
	if (!code)
		return 0; /* NULL not allowed: docs/api.md */
	if (!d)
		return 0;
	for (size_t i = 0; i < d->summary_count; i++)
		if (strcmp(d->summaries[i].code, code) == 0)
			return d->summaries[i].count;
	return 0;
}
