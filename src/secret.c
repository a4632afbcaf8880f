/*
 * secret.c: the site's secret key, 32 random bytes in a file of mode 0600.
 *
 * The key keys the hashes of commenters' email addresses and signs form
 * tokens, so losing it silently would unlink every commenter from their
 * past comments: only `fascia keygen` ever creates it, and `serve` refuses
 * to start without it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "secret.h"

/*
 * Create the key file at path unless it exists.  Returns 0 when a key file
 * is there afterwards, 1 after printing why not.
 */
int
secret_create(const char *path)
{
	unsigned char key[SECRET_KEY_BYTES];
	int fd, rc = 1;

	if (sodium_init() < 0) {
		fprintf(stderr, "fascia keygen: libsodium failed to start\n");
		return 1;
	}
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) == -1) {
		if (errno == EEXIST) {
			printf("%s exists; keeping it\n", path);
			return 0;
		}
		fprintf(stderr, "fascia keygen: %s: %s\n", path,
		    strerror(errno));
		return 1;
	}
	randombytes_buf(key, sizeof(key));
	if (write(fd, key, sizeof(key)) != (ssize_t)sizeof(key) ||
	    fsync(fd) == -1)
		fprintf(stderr, "fascia keygen: %s: %s\n", path,
		    strerror(errno));
	else
		rc = 0;
	sodium_memzero(key, sizeof(key));
	if (close(fd) == -1 && rc == 0) {
		fprintf(stderr, "fascia keygen: %s: %s\n", path,
		    strerror(errno));
		rc = 1;
	}
	if (rc != 0)
		unlink(path);
	else
		printf("created %s\n", path);
	return rc;
}

/*
 * Read the key from path into key.  Returns 1, or 0 after printing a clear
 * error: the file is missing, unreadable, the wrong size, or readable by
 * others.
 */
int
secret_load(const char *path, unsigned char key[SECRET_KEY_BYTES])
{
	struct stat st;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		fprintf(stderr, "fascia: secret key file %s: %s (create it "
		    "once with `fascia keygen`)\n", path, strerror(errno));
		return 0;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size != SECRET_KEY_BYTES) {
		fprintf(stderr, "fascia: secret key file %s is not a %d-byte "
		    "file\n", path, SECRET_KEY_BYTES);
		close(fd);
		return 0;
	}
	if ((st.st_mode & 077) != 0) {
		fprintf(stderr, "fascia: secret key file %s must not be "
		    "readable by others (chmod 600)\n", path);
		close(fd);
		return 0;
	}
	n = read(fd, key, SECRET_KEY_BYTES);
	close(fd);
	if (n != SECRET_KEY_BYTES) {
		fprintf(stderr, "fascia: cannot read secret key file %s\n",
		    path);
		return 0;
	}
	return 1;
}
