/* grens config convert: print a configuration file written in the older
 * syntax (feeds.conf, nightly.conf) as the YAML that replaces it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "grens/fetch.h"
#include "grens/report.h"

#define CMD "config convert"

static void usage(FILE *o)
{
	fprintf(o, "usage: grens config convert FILE\n\n"
		   "Print the YAML equivalent of a configuration file in the older syntax:\n"
		   "a feed list (feeds.conf: [name] sections of key = value lines) becomes\n"
		   "feeds.yaml (grens-feeds.yaml(5)); a nightly configuration (key = value\n"
		   "lines without sections) becomes nightly.yaml (grens-nightly.yaml(5)).\n"
		   "Both read back as the same configuration; comments are not carried over,\n"
		   "and keys left at their defaults are left out. Paths stay relative to the\n"
		   "file's folder, so write the result beside it:\n\n"
		   "  grens config convert feeds/feeds.conf > feeds/feeds.yaml\n\n"
		   "The older syntax is still read, with a deprecation notice on stderr.\n\n"
		   "Exit status: 0; 1 when FILE cannot be read or has an error (file:line:\n"
		   "key on stderr); 2 bad arguments, or FILE is YAML already.\n");
}

static void config_usage(FILE *o)
{
	fprintf(o, "usage: grens config convert FILE   print an older configuration file as "
		   "YAML\n\n(grens config convert --help for more)\n");
}

/* A feed list has [sections]; a nightly configuration has none. */
static bool has_section(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		size_t j = i;
		while (j < len && (text[j] == ' ' || text[j] == '\t'))
			j++;
		if (j < len && text[j] == '[')
			return true;
		const char *nl = memchr(text + i, '\n', len - i);
		if (!nl)
			break;
		i = (size_t)(nl - text);
	}
	return false;
}

static int convert(int argc, char **argv)
{
	const char *file = NULL;
	unsigned nargs = 0;
	const cli_option options[] = {{.name = NULL}};
	const cli_spec cs = {.cmd = CMD,
			     .usage = usage,
			     .options = options,
			     .args = &file,
			     .max_args = 1,
			     .arg_count = &nargs};
	int rc = cli_parse(&cs, argc, argv);
	if (rc)
		return cli_parse_exit(rc);
	if (nargs != 1) {
		cli_errorf(CMD, "give the file to convert (grens config convert FILE)");
		return CLI_EXIT_USAGE;
	}
	size_t len = 0;
	char *text = cli_read_file(CMD, "configuration", file, 1024 * 1024, &len);
	if (!text)
		return CLI_EXIT_FAIL;
	int code = CLI_EXIT_FAIL;
	grens_error err;
	grens_error_clear(&err);
	grens_fetch_config *feeds = NULL;
	grens_report_nightly_config *night = NULL;
	bool sections = has_section(text, len);
	if (!grens_config_is_ini(file, text, len)) {
		cli_errorf(CMD, "%s is not in the older syntax (YAML already?)", file);
		code = CLI_EXIT_USAGE;
		goto done;
	}
	printf("# %s, converted by grens config convert\n", file);
	if (sections) {
		if (grens_fetch_config_parse(&feeds, text, len, file, NULL, &err) ||
		    grens_fetch_config_write_yaml(feeds, stdout, &err))
			goto fail;
	} else {
		night = malloc(sizeof(*night));
		if (!night) {
			cli_errorf(CMD, "out of memory");
			goto done;
		}
		if (grens_report_nightly_parse(night, text, len, file, NULL, &err) ||
		    grens_report_nightly_write_yaml(night, file, stdout, &err))
			goto fail;
		size_t fl = strlen(night->feeds);
		if (fl >= 5 && strcmp(night->feeds + fl - 5, ".conf") == 0)
			cli_errorf(CMD,
				   "note: feeds: %s is in the older syntax too; convert it and "
				   "name the .yaml here",
				   night->feeds);
	}
	code = CLI_EXIT_OK;
	goto done;
fail:
	cli_report_error(CMD, &err);
done:
	grens_fetch_config_free(feeds);
	free(night);
	free(text);
	return code;
}

int cmd_config(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "convert") == 0)
		return convert(argc - 1, argv + 1);
	bool help = argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0);
	config_usage(help ? stdout : stderr);
	if (!help && argc > 1)
		cli_errorf("config", "unknown subcommand '%s'", argv[1]);
	return help ? CLI_EXIT_OK : CLI_EXIT_USAGE;
}
