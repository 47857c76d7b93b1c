/**
 * Sources: turning what a user names on the command line into byte ranges to scan.
 *
 * <p>{@link org.crashdex.source.SourceWalker} walks files and directories, maps each file, passes over
 * binary and empty files with a note, and reports unreadable ones without stopping. Each readable input
 * reaches a {@link org.crashdex.source.SourceVisitor} as a {@link org.crashdex.source.Source}: a name, the
 * mapped bytes, and the file's time. Records name their source by the path as it was given.
 */
package org.crashdex.source;
