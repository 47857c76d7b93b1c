package org.crashdex.source;

import java.lang.foreign.MemorySegment;
import org.crashdex.scan.RecordScanner;
import org.crashdex.scan.RecordSink;

/**
 * One readable input, or one piece of it: bytes under the name records will carry.
 *
 * <p>Most inputs arrive whole, in one piece: a plain file mapped, a compressed file or an archive
 * member decompressed into a reusable buffer. An input larger than {@link ReadLimits#wholeBytes()} (a
 * 10 GiB console log in a tarball) arrives in several pieces, in order, each cut at a record start, so
 * that scanning each piece on its own finds the records a scan of the whole input would find. Use
 * {@link #scan(RecordSink)} and {@link #slice(long, long)}, which speak in offsets of the whole input,
 * and such inputs need no special care.
 *
 * @param name the path as the user gave it (joined with the path below a given directory); a member
 *     of an archive is named {@code archive.tar.zst!/path/in/archive}, nested ones {@code
 *     a.tar!/b.tar.gz!/c.log}; a compressed file keeps its own name ({@code console.log.gz}), offsets
 *     being offsets in its decompressed bytes
 * @param data the bytes of this piece; valid only during {@link SourceVisitor#source}, and, when
 *     {@code mapped}, readable only in the thread that received the call
 * @param modifiedMillis the file's (or archive member's) modification time, epoch milliseconds, 0 when
 *     unknown
 * @param offset where {@code data} starts in the input: 0 for the first piece
 * @param last whether this is the input's last (usually only) piece
 * @param crash what a syz-manager crash directory says about this input, or null for other inputs
 * @param mapped whether {@code data} is a mapping of the whole plain file {@code name}, one that
 *     had not changed for {@link ReadLimits#settleMillis()}: a consumer that wants the bytes beyond the
 *     call (on another thread) may map that file again. Any other input (a member, a decompressed
 *     file, a file young enough to be still written, which must not be mapped: see {@link
 *     SourceWalker}) must be used during the call or copied.
 */
public record Source(
    String name,
    MemorySegment data,
    long modifiedMillis,
    long offset,
    boolean last,
    WorkdirCrash crash,
    boolean mapped) {

  /** A whole input, not mapped, that is not part of a syz-manager crash directory. */
  public Source(String name, MemorySegment data, long modifiedMillis) {
    this(name, data, modifiedMillis, 0, true, null, false);
  }

  /** A piece that is not a mapping of its file (the form of the first release of this record). */
  public Source(String name, MemorySegment data, long modifiedMillis, long offset, boolean last, WorkdirCrash crash) {
    this(name, data, modifiedMillis, offset, last, crash, false);
  }

  /** Whether this piece is the whole input. */
  public boolean whole() {
    return offset == 0 && last;
  }

  /** The offset just past this piece, in the input. */
  public long end() {
    return offset + data.byteSize();
  }

  /** Scans this piece and reports records with offsets in the whole input. */
  public void scan(RecordSink sink) {
    if (offset == 0) {
      RecordScanner.scan(data, sink);
    } else {
      long base = offset;
      RecordScanner.scan(data, (o, length, kind) -> sink.record(base + o, length, kind));
    }
  }

  /** Bytes {@code [sourceOffset, sourceOffset + length)} of the input, which must lie in this piece. */
  public MemorySegment slice(long sourceOffset, long length) {
    return data.asSlice(sourceOffset - offset, length);
  }
}
