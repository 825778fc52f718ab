/* Files: atomic output, directories, SHA-256, the `latest` link and the
 * previous dated run; and the coarse NL/DE outline. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report_internal.h"

int grens_report_file_open(grens_report_file *out, const char *path, grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_file_open: out is NULL");
	if (!path)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_file_open: path is NULL");
	memset(out, 0, sizeof(*out));
	size_t len = strlen(path);
	if (len + 16 >= sizeof(out->tmp))
		return grens_error_set(err, GRENS_ELIMIT, "path too long (%zu bytes): %s", len, path);
	memcpy(out->path, path, len + 1);
	snprintf(out->tmp, sizeof(out->tmp), "%s.tmp.XXXXXX", path);
	int fd = mkstemp(out->tmp);
	if (fd < 0) {
		int e = errno;
		out->tmp[0] = '\0';
		grens_error_set(err, GRENS_EIO, "cannot create a file beside %s: %s", path,
				strerror(e));
		return GRENS_EIO;
	}
	/* mkstemp makes 0600; reports are for reading by others too. */
	(void)fchmod(fd, 0644);
	out->f = fdopen(fd, "w");
	if (!out->f) {
		close(fd);
		unlink(out->tmp);
		out->tmp[0] = '\0';
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	}
	return 0;
}

int grens_report_file_commit(grens_report_file *file, grens_error *err)
{
	if (!file)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_file_commit: file is NULL");
	if (!file->f)
		return grens_error_set(err, GRENS_EIO, "%s: not open", file->path);
	int ok = fflush(file->f) == 0 && !ferror(file->f) && fsync(fileno(file->f)) == 0;
	int e = errno;
	ok = (fclose(file->f) == 0) && ok;
	file->f = NULL;
	if (ok && rename(file->tmp, file->path) == 0) {
		file->tmp[0] = '\0';
		return 0;
	}
	if (ok)
		e = errno;
	unlink(file->tmp);
	file->tmp[0] = '\0';
	return grens_error_set(err, GRENS_EIO, "cannot write %s: %s", file->path, strerror(e));
}

void grens_report_file_abort(grens_report_file *file)
{
	if (!file)
		return; /* NULL not allowed: docs/api.md */
	if (file->f)
		fclose(file->f);
	file->f = NULL;
	if (file->tmp[0])
		unlink(file->tmp);
	file->tmp[0] = '\0';
}

int grens_report_mkdirs(const char *dir, grens_error *err)
{
	if (!dir)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_mkdirs: dir is NULL");
	char buf[GRENS_REPORT_PATH_BYTES];
	size_t len = strlen(dir);
	if (len == 0 || len >= sizeof(buf))
		return grens_error_set(err, GRENS_EARG, "bad directory name");
	memcpy(buf, dir, len + 1);
	for (size_t i = 1; i <= len; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		char c = buf[i];
		buf[i] = '\0';
		struct stat st;
		if (mkdir(buf, 0755) != 0 && errno != EEXIST)
			return grens_error_set(err, GRENS_EIO, "cannot create %s: %s", buf,
					       strerror(errno));
		if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode))
			return grens_error_set(err, GRENS_EIO, "%s is not a directory", buf);
		buf[i] = c;
	}
	return 0;
}

int grens_report_link_latest(const char *dir, const char *name, grens_error *err)
{
	if (!dir)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_link_latest: dir is NULL");
	if (!name)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_link_latest: name is NULL");
	char tmp[GRENS_REPORT_PATH_BYTES], link[GRENS_REPORT_PATH_BYTES];
	if ((size_t)snprintf(link, sizeof(link), "%s/latest", dir) >= sizeof(link) ||
	    (size_t)snprintf(tmp, sizeof(tmp), "%s/.latest.%ld", dir, (long)getpid()) >=
		    sizeof(tmp))
		return grens_error_set(err, GRENS_ELIMIT, "path too long");
	unlink(tmp);
	if (symlink(name, tmp) != 0)
		return grens_error_set(err, GRENS_EIO, "cannot create %s: %s", tmp,
				       strerror(errno));
	if (rename(tmp, link) != 0) {
		int e = errno;
		unlink(tmp);
		return grens_error_set(err, GRENS_EIO, "cannot replace %s: %s", link, strerror(e));
	}
	return 0;
}

int grens_report_previous_run(const char *dir, grens_date date, char *name, size_t namesz,
			      grens_error *err)
{
	if (!dir)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_previous_run: dir is NULL");
	if (!name)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_previous_run: name is NULL");
	DIR *d = opendir(dir);
	if (!d)
		return grens_error_set(err, GRENS_EIO, "cannot read %s: %s", dir, strerror(errno));
	grens_date best = GRENS_DATE_NONE;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		grens_date day;
		if (strlen(e->d_name) != 10 || grens_date_parse_iso(e->d_name, 10, &day) != 0 ||
		    day >= date || day <= best)
			continue;
		/* A folder without the marker is half a night, not one to
		 * compare with. */
		if (!grens_report_night_complete(dir, e->d_name))
			continue;
		best = day;
	}
	closedir(d);
	if (best == GRENS_DATE_NONE)
		return grens_error_set(err, GRENS_ENOTFOUND, "no earlier run in %s", dir);
	grens_date_format_iso(best, name, namesz);
	return 0;
}

/* ---- countries ---------------------------------------------------------- */

/* The outline lives in core (grens_geo_country), where the network cut at the
 * border uses it too; the report keeps its names for its callers. */
const double (*report_border(size_t *n))[2]
{
	return grens_geo_nl_de_border(n);
}

const char *grens_report_country(double lat, double lon)
{
	return grens_geo_country(lat, lon);
}
