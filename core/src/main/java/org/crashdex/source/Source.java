package org.crashdex.source;

import java.lang.foreign.MemorySegment;

/**
 * One readable input: a file's bytes (mapped, not copied) under the name records will carry.
 *
 * @param name the path as the user gave it (joined with the path below a given directory)
 * @param data the bytes
 * @param modifiedMillis the file's modification time, epoch milliseconds (0 when unknown)
 */
public record Source(String name, MemorySegment data, long modifiedMillis) {}
