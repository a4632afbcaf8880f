/*
 * calendar.h: which dates and times of day exist, for the parsers of
 * dates people write (pubdate.c) and WordPress writes (wptext.c).
 */
#ifndef FASCIA_CALENDAR_H
#define FASCIA_CALENDAR_H

int calendar_date_ok(int year, int month, int day);
int calendar_time_ok(int hour, int minute, int second);

#endif
