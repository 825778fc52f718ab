/* Fuzz the links and override file parser: the input is one CSV text, read
 * both as a links file and as an override file. Rows kept never outnumber
 * the input's lines, and a failure always says why. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "grens/net.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t lines = 1;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	for (int kind = 0; kind < 2; kind++) {
		grens_net_links *links = grens_net_links_new();
		grens_diag *diag = grens_diag_new();
		grens_error err;
		grens_error_clear(&err);
		if (!links || !diag) {
			grens_net_links_free(links);
			grens_diag_free(diag);
			return 0;
		}
		int rc = grens_net_links_parse(links, (const char *)data, size, kind, "links.csv",
					       diag, &err);
		FUZZ_ASSERT(rc == 0 || (rc < 0 && err.code == rc && err.message[0]));
		FUZZ_ASSERT(grens_net_links_count(links) < lines);
		grens_net_links_free(links);
		grens_diag_free(diag);
	}
	return 0;
}
