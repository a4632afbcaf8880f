/*
 * fcgi_floor.c: the floor of `make bench`, what any page of an uncached
 * FastCGI design costs at the least: a minimal libfcgi program that
 * answers every request with the same bytes from memory (the headers and
 * page fascia served for the benchmark post), with as many processes as
 * fascia has workers, behind the same nginx location settings.
 *
 *	fcgi_floor SOCKET FILE WORKERS
 *
 * FILE holds a whole FastCGI response: header lines, an empty line, the
 * body.  The program runs until it is killed.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcgiapp.h>

static char *
slurp(const char *path, size_t *len)
{
	struct stat st;
	char *p;
	int fd;

	if ((fd = open(path, O_RDONLY)) == -1 || fstat(fd, &st) == -1 ||
	    (p = malloc((size_t)st.st_size)) == NULL ||
	    read(fd, p, (size_t)st.st_size) != st.st_size) {
		perror(path);
		exit(1);
	}
	close(fd);
	*len = (size_t)st.st_size;
	return p;
}

static int
listen_unix(const char *path)
{
	struct sockaddr_un sun;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "%s: path too long\n", path);
		exit(1);
	}
	strcpy(sun.sun_path, path);
	unlink(path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    chmod(path, 0777) == -1 || listen(fd, SOMAXCONN) == -1) {
		perror(path);
		exit(1);
	}
	return fd;
}

static void
serve(int fd, const char *resp, size_t len)
{
	FCGX_Request r;

	if (FCGX_InitRequest(&r, fd, 0) != 0)
		exit(1);
	while (FCGX_Accept_r(&r) >= 0) {
		FCGX_PutStr(resp, (int)len, r.out);
		FCGX_Finish_r(&r);
	}
	exit(0);
}

int
main(int argc, char **argv)
{
	size_t len;
	char *resp;
	int fd, i, n;

	if (argc != 4 || (n = atoi(argv[3])) < 1 || n > 64) {
		fprintf(stderr, "usage: fcgi_floor SOCKET FILE WORKERS\n");
		return 2;
	}
	resp = slurp(argv[2], &len);
	if (FCGX_Init() != 0)
		return 1;
	fd = listen_unix(argv[1]);
	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < n; i++)
		if (fork() == 0)
			serve(fd, resp, len);
	while (wait(NULL) > 0)
		;
	return 0;
}
