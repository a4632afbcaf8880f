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

#define SECRET_FILE_MODE (S_IRUSR | S_IWUSR) /* 0600 */

/*
 * Create the key file at path unless it exists, saying which on standard
 * output.  Returns 1 when a key file is there afterwards, 0 after
 * printing why not (a file half written is removed).
 */
int
secret_create(const char *path)
{
	unsigned char key[SECRET_KEY_BYTES];
	int fd, ok = 0;

	if (sodium_init() < 0) {
		fprintf(stderr, "fascia keygen: libsodium failed to start\n");
		return 0;
	}
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		 SECRET_FILE_MODE)) == -1) {
		if (errno == EEXIST) {
			printf("%s exists; keeping it\n", path);
			return 1;
		}
		fprintf(stderr, "fascia keygen: %s: %s\n", path,
		    strerror(errno));
		return 0;
	}
	randombytes_buf(key, sizeof(key));
	if (write(fd, key, sizeof(key)) != (ssize_t)sizeof(key) ||
	    fsync(fd) == -1)
		fprintf(stderr, "fascia keygen: %s: %s\n", path,
		    strerror(errno));
	else
		ok = 1;
	sodium_memzero(key, sizeof(key));
	if (close(fd) == -1 && ok) {
		fprintf(stderr, "fascia keygen: %s: %s\n", path,
		    strerror(errno));
		ok = 0;
	}
	if (!ok)
		unlink(path);
	else
		printf("created %s\n", path);
	return ok;
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
		fprintf(stderr,
		    "fascia: secret key file %s: %s (create it "
		    "once with `fascia keygen`)\n",
		    path, strerror(errno));
		return 0;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size != SECRET_KEY_BYTES) {
		fprintf(stderr,
		    "fascia: secret key file %s is not a %d-byte "
		    "file\n",
		    path, SECRET_KEY_BYTES);
		close(fd);
		return 0;
	}
	if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		fprintf(stderr,
		    "fascia: secret key file %s must not be "
		    "readable by others (chmod 600)\n",
		    path);
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
