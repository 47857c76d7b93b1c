/**
 * Sources: turning what a user names on the command line into byte ranges to scan, whatever form the
 * logs were kept in.
 *
 * <p>{@link org.crashdex.source.SourceWalker} walks files and directories and hands every readable
 * input to a {@link org.crashdex.source.SourceVisitor} as a {@link org.crashdex.source.Source}: a name,
 * the bytes, the file's time, and, for the logs and reports of a syz-manager crash directory, a {@link
 * org.crashdex.source.WorkdirCrash} (crash id, description, tag, occurrence). Inputs come in three
 * forms:
 *
 * <ul>
 *   <li><b>Plain files</b> are mapped, zero copy, once they have stopped changing; a file still being
 *       written is read instead, because a mapping that shrinks under the Vector API scanner kills the
 *       JVM (SIGBUS), where a read only comes up short.
 *   <li><b>Compressed files and tarballs</b> ({@code .gz .xz .zst .bz2 .tar} and their combinations,
 *       nested as they come, recognised by their bytes: {@link org.crashdex.source.archive}) are read
 *       as streams by {@code ArchiveReader}; each text member is decoded into one reusable off-heap
 *       buffer ({@code PieceReader}) and named {@code archive.tar.zst!/path/in/archive}. Nothing is
 *       copied to disk and memory stays bounded by {@link org.crashdex.source.ReadLimits}: a member
 *       larger than the buffer arrives in several pieces cut at record starts, so scanning each piece
 *       ({@link org.crashdex.source.Source#scan}) finds the records of the whole.
 *   <li><b>syz-manager crash directories</b> ({@code crashes/<sha1>/description, log<N>, report<N>,
 *       tag<N>...}) are recognised on disk and inside tarballs (read twice when their metadata comes
 *       after their logs); metadata, reproducers and {@code vmcore} are passed over with a note.
 * </ul>
 *
 * <p>Bad input never stops a walk: each unreadable file, broken or looping link, FIFO or device,
 * truncated or corrupt compressed member, or file that changed while being read gets one {@link
 * org.crashdex.source.SourceVisitor#failed} call, and the visitor protocol ({@code source} pieces, then
 * {@code finished} or {@code failed}) lets a consumer keep nothing of it. {@link
 * org.crashdex.source.SourceOpener} reads a record's bytes back by source name and offsets, members of
 * nested archives included, for {@code crashdex show}.
 */
package org.crashdex.source;
