/*
 * secret.h: the site's secret key.
 */
#ifndef FASCIA_SECRET_H
#define FASCIA_SECRET_H

#define SECRET_KEY_BYTES 32

int secret_create(const char *path);
int secret_load(const char *path, unsigned char key[SECRET_KEY_BYTES]);

#endif
