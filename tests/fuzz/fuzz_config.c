/* Fuzz the configuration readers: the input is read as a feed list and as
 * a nightly configuration, each in both syntaxes (the file name picks the
 * older one). A failure always says why; what parses, written as YAML by
 * the converter's writers, reads back with as many feeds or pairs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "grens/fetch.h"
#include "grens/report.h"

static void feed_list(const char *text, size_t size, const char *file)
{
	grens_fetch_config *cfg = NULL, *back = NULL;
	grens_error err;
	grens_error_clear(&err);
	int rc = grens_fetch_config_parse(&cfg, text, size, file, NULL, &err);
	FUZZ_ASSERT(rc == 0 || (rc < 0 && err.code == rc && err.message[0] && !cfg));
	if (rc)
		return;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	if (mem) {
		FUZZ_ASSERT(grens_fetch_config_write_yaml(cfg, mem, &err) == 0);
		fclose(mem);
		/* the older syntax carries bytes YAML refuses; only text round-trips */
		if (grens_utf8_valid(text, size) && !memchr(text, '\0', size)) {
			rc = grens_fetch_config_parse(&back, buf, len, "back.yaml", NULL, &err);
			if (rc)
				fprintf(stderr, "%s\n---\n%s:%u:%u: %s\n", buf, err.file, err.line,
					err.column, err.message);
			FUZZ_ASSERT(rc == 0);
			FUZZ_ASSERT(grens_fetch_config_count(back) ==
				    grens_fetch_config_count(cfg));
		}
	}
	free(buf);
	grens_fetch_config_free(back);
	grens_fetch_config_free(cfg);
}

static void nightly(const char *text, size_t size, const char *file)
{
	grens_report_nightly_config *c = malloc(sizeof(*c));
	grens_report_nightly_config *back = malloc(sizeof(*back));
	grens_error err;
	grens_error_clear(&err);
	if (!c || !back)
		goto done;
	int rc = grens_report_nightly_parse(c, text, size, file, NULL, &err);
	FUZZ_ASSERT(rc == 0 || (rc < 0 && err.code == rc && err.message[0]));
	if (rc)
		goto done;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	if (mem) {
		FUZZ_ASSERT(grens_report_nightly_write_yaml(c, file, mem, &err) == 0);
		fclose(mem);
		if (grens_utf8_valid(text, size) && !memchr(text, '\0', size)) {
			rc = grens_report_nightly_parse(back, buf, len, "n.yaml", NULL, &err);
			if (rc)
				fprintf(stderr, "%s\n---\n%s:%u:%u: %s\n", buf, err.file, err.line,
					err.column, err.message);
			FUZZ_ASSERT(rc == 0);
			FUZZ_ASSERT(back->pair_count == c->pair_count &&
				    back->scenario_count == c->scenario_count &&
				    back->rt_record_url_count == c->rt_record_url_count);
		}
	}
	free(buf);
done:
	free(c);
	free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	feed_list(text, size, "feeds.yaml");
	feed_list(text, size, "feeds.conf");
	nightly(text, size, "nightly.yaml");
	nightly(text, size, "nightly.conf");
	return 0;
}
