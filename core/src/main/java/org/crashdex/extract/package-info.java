/**
 * Extraction: turning the bytes of one record into the fields people search by.
 *
 * <p>The scanner ({@link org.crashdex.scan}) has already decided where a record starts and ends;
 * extraction never looks outside those bytes. A record is decoded once, as ISO-8859-1, so every byte
 * maps to one char and nothing is lost to invalid UTF-8; kernel logs are ASCII in every part that
 * matters for titles, frames and hashes.
 *
 * <p>{@link org.crashdex.extract.ConsoleLine} splits console lines into context and text;
 * {@link org.crashdex.extract.crash} names crash reports the way syzbot does;
 * {@link org.crashdex.extract.bisect} reads syzbot bisection logs.
 */
package org.crashdex.extract;
