/*
 * privileges.c: whom `fascia serve` runs as.
 *
 * Started as root (an init script, a shell), serve would answer the web
 * as root: it refuses to, unless the config's `user` names the account
 * to become.  Then it does what needs root first (reading the secret key,
 * binding the socket, which is given to that user), and becomes the user,
 * with its groups, before it forks a worker or answers a request; there
 * is no way back.  Started as anyone else (systemd's User=), `user` may
 * only name that same account.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "privileges.h"

/*
 * Work out from c whom serve becomes, into p.  Returns 1, or 0 after
 * saying on standard error why serve must not start.
 */
int
privileges_plan(const struct conf *c, struct privileges *p)
{
	const struct passwd *pw;

	memset(p, 0, sizeof(*p));
	if (c->user[0] == '\0') {
		if (geteuid() != 0)
			return 1;
		fprintf(stderr,
		    "fascia: refusing to serve as root: set `user` in %s to "
		    "the account fascia should become (fascia, say)\n",
		    c->path);
		return 0;
	}
	errno = 0;
	if ((pw = getpwnam(c->user)) == NULL) {
		fprintf(stderr, "fascia: user = %s: %s\n", c->user,
		    errno != 0 ? strerror(errno) : "no such user");
		return 0;
	}
	if (pw->pw_uid == 0) {
		fprintf(stderr,
		    "fascia: user = %s: refusing to serve as root; name "
		    "an account of its own\n",
		    c->user);
		return 0;
	}
	if (geteuid() != 0) {
		if (pw->pw_uid == geteuid())
			return 1;
		fprintf(stderr,
		    "fascia: user = %s, but only root can become another "
		    "user: start fascia as root, or as %s\n",
		    c->user, c->user);
		return 0;
	}
	if (strlen(pw->pw_name) >= sizeof(p->name)) {
		fprintf(stderr, "fascia: user = %s: name too long\n", c->user);
		return 0;
	}
	p->drop = 1;
	p->uid = pw->pw_uid;
	p->gid = pw->pw_gid;
	strcpy(p->name, pw->pw_name);
	return 1;
}

/*
 * Become p's user, giving it the Unix socket at socket_path first (NULL:
 * none of ours).  Returns 1, or 0 after saying why not: then serve must
 * stop, still privileged.
 */
int
privileges_drop(const struct privileges *p, const char *socket_path)
{
	if (!p->drop)
		return 1;
	if (socket_path != NULL && chown(socket_path, p->uid, p->gid) == -1) {
		fprintf(stderr, "fascia: %s: %s\n", socket_path,
		    strerror(errno));
		return 0;
	}
	if (initgroups(p->name, p->gid) == -1 || setgid(p->gid) == -1 ||
	    setuid(p->uid) == -1) {
		fprintf(stderr, "fascia: becoming %s: %s\n", p->name,
		    strerror(errno));
		return 0;
	}
	if (setuid(0) != -1) {
		fprintf(stderr, "fascia: still root after becoming %s\n",
		    p->name);
		return 0;
	}
	return 1;
}
