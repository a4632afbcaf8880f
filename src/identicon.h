/*
 * identicon.h: a commenter's picture, drawn from their email hash.
 */
#ifndef FASCIA_IDENTICON_H
#define FASCIA_IDENTICON_H

#include "buf.h"
#include "keys.h"

void identicon_svg(struct buf *b, const unsigned char hash[HASH_BYTES]);

#endif
