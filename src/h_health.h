/*
 * h_health.h: /healthz, for monitors and load balancers.
 */
#ifndef FASCIA_H_HEALTH_H
#define FASCIA_H_HEALTH_H

#include "req.h"

handler_fn h_health;

#endif
