/*
 * fcgi_out.c: a response sent as FastCGI STDOUT records in one writev(2).
 *
 * libfcgi copies what a program writes through an 8 KB buffer and sends
 * each buffer as a record of its own, with a write(2) each: eleven for an
 * 83 KB page, and as many reads for nginx.  Here the records' headers are
 * made beside the caller's buffers, which are sent from where they are.
 * libfcgi is given nothing to write for the request, so its stream is
 * empty when FCGX_Finish_r() ends the stream and the request, as the
 * protocol wants, after these records.
 */
#include <errno.h>
#include <string.h>
#include <sys/uio.h>

#include <fastcgi.h>

#include "fcgi_out.h"

/* Records for RESPONSE_MAX and HEADERS_MAX (8 MB and 16 KB), with room;
 * Linux takes 1024 buffers in one writev(2). */
#define RECORDS_MAX 160
#define IOV_MAX_OUT (3 * RECORDS_MAX)

static void
set_header(FCGI_Header *h, int id, size_t len)
{
	memset(h, 0, sizeof(*h));
	h->version = FCGI_VERSION_1;
	h->type = FCGI_STDOUT;
	h->requestIdB1 = (unsigned char)((id >> 8) & 0xff);
	h->requestIdB0 = (unsigned char)(id & 0xff);
	h->contentLengthB1 = (unsigned char)((len >> 8) & 0xff);
	h->contentLengthB0 = (unsigned char)(len & 0xff);
}

/* Write all of iov (n entries), which it advances; retries what a signal
 * or a full socket cut short.  Returns 1, or 0 on a write error. */
static int
write_all(int fd, struct iovec *iov, int n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = writev(fd, iov, n)) < 0) {
			if (errno == EINTR)
				continue;
			return 0;
		}
		while (n > 0 && (size_t)w >= iov->iov_len) {
			w -= (ssize_t)iov->iov_len;
			iov++;
			n--;
		}
		if (n > 0) {
			iov->iov_base = (char *)iov->iov_base + w;
			iov->iov_len -= (size_t)w;
		}
	}
	return 1;
}

/*
 * Send the nparts buffers of part, in order, as the STDOUT of fr's
 * request.  Returns 1, or 0 when the response is too large to frame or
 * the connection failed (nginx has gone).
 */
int
fcgi_out_send(FCGX_Request *fr, const struct iovec *part, int nparts)
{
	FCGI_Header head[RECORDS_MAX];
	struct iovec iov[IOV_MAX_OUT];
	size_t off = 0, room;
	int i = 0, n = 0, records = 0;

	while (i < nparts) {
		if (off == part[i].iov_len) {
			i++;
			off = 0;
			continue;
		}
		/* a record: its header, then up to FCGI_MAX_LENGTH bytes taken
		 * from the parts in turn */
		if (records == RECORDS_MAX || n == IOV_MAX_OUT)
			return 0;
		iov[n].iov_base = &head[records];
		iov[n].iov_len = sizeof(head[records]);
		n++;
		room = FCGI_MAX_LENGTH;
		while (i < nparts && room > 0) {
			size_t take = part[i].iov_len - off;

			if (take > room)
				take = room;
			if (take > 0) {
				if (n == IOV_MAX_OUT)
					return 0;
				iov[n].iov_base =
				    (char *)part[i].iov_base + off;
				iov[n].iov_len = take;
				n++;
				off += take;
				room -= take;
			}
			if (off == part[i].iov_len) {
				i++;
				off = 0;
			}
		}
		set_header(&head[records], fr->requestId,
		    FCGI_MAX_LENGTH - room);
		records++;
	}
	return write_all(fr->ipcFd, iov, n);
}
