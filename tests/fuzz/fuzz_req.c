/*
 * fuzz_req.c: libFuzzer harness for the request parser and the router: a
 * REQUEST_URI of any bytes gives a status or a route, never a crash, and
 * a redirect's Location never holds CR or LF.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "req.h"
#include "route.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char base[] = "https://blog.example";
	struct conf conf = { .base_url = base };
	char *arg[ROUTE_ARGS_MAX + 1], *env[3], *uri;
	static const char *const methods[] = { "GET", "HEAD", "POST", "PUT" };
	char method[32];
	FCGX_Request fcgi;
	struct arena a;
	struct req r;
	handler_fn *h;

	if (size == 0 || (uri = malloc(size + 13)) == NULL)
		return 0;
	memcpy(uri, "REQUEST_URI=", 12);
	memcpy(uri + 12, data + 1, size - 1);
	uri[12 + size - 1] = '\0';
	snprintf(method, sizeof(method), "REQUEST_METHOD=%s",
	    methods[data[0] % 4]);
	env[0] = method;
	env[1] = uri;
	env[2] = NULL;
	memset(&fcgi, 0, sizeof(fcgi));
	fcgi.envp = env;
	arena_init(&a, 4096);
	memset(&r, 0, sizeof(r));
	r.arena = &a;
	r.fcgi = &fcgi;
	r.conf = &conf;
	if (req_parse(&r) == REQ_OK &&
	    route_resolve(&r, &h, arg) == ROUTE_REDIRECT &&
	    strpbrk(r.location, "\r\n") != NULL)
		abort();
	arena_free(&a);
	free(uri);
	return 0;
}
