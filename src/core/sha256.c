/* SHA-256 through OpenSSL's libcrypto: feed files, downloads and scenario
 * files are identified by it in status files, reports and outputs. */
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grens/core.h"

void grens_sha256_digest_hex(const unsigned char digest[32], char hex[65])
{
	if (!digest || !hex)
		return; /* NULL not allowed: docs/api.md */
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < 32; i++) {
		hex[2 * i] = digits[digest[i] >> 4];
		hex[2 * i + 1] = digits[digest[i] & 15];
	}
	hex[64] = '\0';
}

int grens_sha256_file(const char *path, char hex[65], uint64_t *size, grens_error *err)
{
	if (!path)
		return grens_error_set(err, GRENS_EINVAL, "grens_sha256_file: path is NULL");
	if (!hex)
		return grens_error_set(err, GRENS_EINVAL, "grens_sha256_file: hex is NULL");
	int rc = 0;
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0;
	uint64_t total = 0;
	EVP_MD_CTX *md = NULL;
	unsigned char *buf = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return grens_error_set(err, GRENS_EIO, "cannot open %s: %s", path, strerror(errno));
	md = EVP_MD_CTX_new();
	buf = malloc(1u << 16);
	if (!md || !buf) {
		rc = grens_error_set(err, GRENS_ENOMEM, "out of memory");
		goto fail;
	}
	if (EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
		rc = grens_error_set(err, GRENS_EIO, "SHA-256 unavailable");
		goto fail;
	}
	for (;;) {
		ssize_t r = read(fd, buf, 1u << 16);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = grens_error_set(err, GRENS_EIO, "cannot read %s: %s", path,
					     strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		EVP_DigestUpdate(md, buf, (size_t)r);
		total += (uint64_t)r;
	}
	if (EVP_DigestFinal_ex(md, digest, &dlen) != 1 || dlen != 32) {
		rc = grens_error_set(err, GRENS_EIO, "SHA-256 failed");
		goto fail;
	}
	grens_sha256_digest_hex(digest, hex);
	if (size)
		*size = total;
fail:
	EVP_MD_CTX_free(md);
	free(buf);
	close(fd);
	return rc;
}

void grens_sha256_hex(const void *bytes, size_t len, char hex[65])
{
	if ((!bytes && len) || !hex)
		return; /* NULL not allowed: docs/api.md */
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0;
	if (EVP_Digest(bytes, len, digest, &dlen, EVP_sha256(), NULL) != 1 || dlen != 32) {
		hex[0] = '\0'; /* libcrypto without SHA-256: no hash rather than a wrong one */
		return;
	}
	grens_sha256_digest_hex(digest, hex);
}
