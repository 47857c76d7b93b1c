/**
 * Archive formats: recognising compressed streams and tarballs by their bytes, and opening them with
 * well-kept decoders (Commons Compress for tar, gzip and bzip2; zstd-jni; XZ for Java).
 *
 * <p>This package only answers "what is this stream?" and "give me a decoder for it"; walking
 * archives, naming their members ({@code logs.tar.zst!/2024/console.log}) and keeping memory bounded
 * is {@link org.crashdex.source.SourceWalker}'s job, re-reading a member for {@code crashdex show} is
 * {@link org.crashdex.source.SourceOpener}'s.
 */
package org.crashdex.source.archive;
