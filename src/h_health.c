/*
 * h_health.c: GET /healthz, what a monitor or a load balancer asks: "ok"
 * when this worker can reach the database, else 503 (or 500) with
 * "unavailable".  Never cached.
 */
#include "h_health.h"
#include "resp.h"

/* GET /healthz */
int
h_health(struct req *r, char **arg)
{
	struct db_rows rows;
	enum db_res res;

	(void)arg;
	r->cache_control = "no-store";
	if ((res = db_query(&r->w->db, r->arena, STMT_HEALTH, NULL, &rows)) !=
	    DB_OK)
		return resp_text(r, resp_db_status(res), "unavailable\n");
	return resp_text(r, 200, "ok\n");
}
