package org.crashdex.source;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.crashdex.source.archive.Compression;
import org.crashdex.source.archive.TarFormat;

/**
 * Walks the paths a user names: files as they are, directories recursively in name order (following
 * symbolic links, loops reported and not followed), compressed files and tarballs member by member
 * (see {@link ArchiveReader}), syz-manager crash directories with their metadata (see {@link
 * CrashDirectory}). Binary files (a {@code vmcore}, an image) are passed over with a note.
 *
 * <h2>Plain files: mapped, or read</h2>
 *
 * A plain file larger than {@value #READ_BYTES} bytes is mapped, zero copy, when it was last
 * modified more than {@link ReadLimits#settleMillis()} ago (a smaller one is read: cheaper). A younger file may still be written to, and a mapped file that
 * shrinks under the scanner is not an exception but a fault: the JVM turns it into an {@code
 * InternalError} in interpreted code, and dies of SIGBUS in the scanner's compiled Vector API loop. So a
 * young file is read instead, through the same bounded buffer as archive members, as a snapshot of the
 * size it had when opened. Either way the size and time are checked again after the visitor is done: a
 * file that shrank or grew meanwhile is reported {@linkplain SourceVisitor#failed failed} (the visitor
 * drops what it took), to be read again once it is complete. An {@code InternalError} from a mapped
 * file is reported the same way.
 *
 * <p>The walker's mapping of a file belongs to the walking thread alone (a confined arena): unmapping
 * a shared mapping makes every thread of the process stop for a handshake, once per file, which on
 * a directory of small logs costs the indexing threads more than reading the logs does. The bytes of
 * a {@linkplain Source#mapped() mapped} source are therefore readable only in the thread that called
 * {@link SourceVisitor#source}; a consumer that wants them on other threads copies them or maps the
 * file again. (Buffered pieces, of archives and young files, may be read by any thread during the
 * call.)
 *
 * <h2>Bad input</h2>
 *
 * Nothing stops the walk but an exception of the visitor itself: unreadable files, broken or looping
 * symbolic links, special files (FIFOs are never opened, so never block), truncated or corrupt
 * compressed data each give one {@link SourceVisitor#failed} line, and the walk goes on.
 */
public final class SourceWalker {
  /**
   * Files up to this size are read, not mapped, even when settled: a mapping costs two system calls
   * and a page fault per page touched, more than one read of a small log into the reused buffer.
   */
  static final long READ_BYTES = 1L << 20;

  /** How many leading bytes decide whether a file is text. */
  static final int SNIFF_BYTES = 8192;

  private final SourceVisitor visitor;
  private final ReadLimits limits;
  private final PieceReader pieces;
  private final ArchiveReader archives;

  private SourceWalker(SourceVisitor visitor, ReadLimits limits) {
    this.visitor = visitor;
    this.limits = limits;
    this.pieces = new PieceReader(limits.wholeBytes());
    this.archives = new ArchiveReader(pieces, visitor);
  }

  /** Visits every input under {@code roots}, in order, with the default limits. */
  public static void walk(List<Path> roots, SourceVisitor visitor) throws Exception {
    walk(roots, visitor, ReadLimits.DEFAULT);
  }

  /** Visits every input under {@code roots}, in order; only the visitor's own exceptions end the walk. */
  public static void walk(List<Path> roots, SourceVisitor visitor, ReadLimits limits) throws Exception {
    SourceWalker walker = new SourceWalker(visitor, limits);
    try (walker.pieces) {
      for (Path root : roots) {
        walker.walkRoot(root);
      }
    } catch (VisitorAbort e) {
      throw e.original();
    }
  }

  private void walkRoot(Path root) throws IOException {
    if (!Files.exists(root)) {
      visitor.failed(root.toString(), Files.isSymbolicLink(root) ? brokenLink(root) : "no such file or directory");
    } else if (Files.isDirectory(root)) {
      for (Path file : listFiles(root)) {
        visitFile(file);
      }
    } else {
      visitFile(root);
    }
  }

  private List<Path> listFiles(Path root) throws IOException {
    List<Path> files = new ArrayList<>();
    Files.walkFileTree(
        root,
        EnumSet.of(FileVisitOption.FOLLOW_LINKS),
        Integer.MAX_VALUE,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            files.add(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            visitor.failed(file.toString(), describe(e));
            return FileVisitResult.CONTINUE;
          }
        });
    files.sort(null);
    return files;
  }

  private void visitFile(Path file) {
    String name = file.toString();
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (IOException e) {
      visitor.failed(name, Files.isSymbolicLink(file) ? brokenLink(file) : describe(e));
      return;
    }
    if (!attrs.isRegularFile()) {
      // Never opened: opening a FIFO blocks until a writer comes.
      visitor.failed(name, "not a regular file (" + specialKind(file, attrs) + "), not read");
      return;
    }
    WorkdirCrash crash = null;
    Path dir = file.getParent();
    CrashDirectory.Entry role = CrashDirectory.classify(file.getFileName().toString());
    if (role.role() != CrashDirectory.Role.OTHER && CrashDirectory.isCrashDirectory(dir)) {
      String reason = role.skipReason();
      if (reason != null) {
        visitor.skipped(name, reason);
        return;
      }
      try {
        crash = CrashDirectory.info(dir, role);
      } catch (IOException e) {
        visitor.failed(name, "crash directory metadata unreadable: " + describe(e));
        return;
      }
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      // The size and time as of just before the open: a file that changes after this is caught by
      // the check after reading, which compares against them (a stat of the open file would cost
      // two more system calls per file and close no gap that check leaves open).
      readFile(file, name, channel, crash, attrs.size(), attrs.lastModifiedTime().toMillis());
    } catch (IOException e) {
      visitor.failed(name, describe(e));
    }
  }

  private void readFile(Path file, String name, FileChannel channel, WorkdirCrash crash, long size, long modified)
      throws IOException {
    if (size == 0) {
      visitor.skipped(name, "empty");
      return;
    }
    if (size > READ_BYTES) {
      // Only a large file's first bytes are read ahead; a small one's come with the whole file.
      ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, TarFormat.HEADER_BYTES));
      while (head.hasRemaining() && channel.read(head, head.position()) > 0) {}
      if (isArchive(name, MemorySegment.ofArray(head.array()).asSlice(0, head.position()))) {
        readArchive(name, channel, modified, crash);
        return;
      }
    }
    if (size > READ_BYTES && System.currentTimeMillis() - modified > limits.settleMillis()) {
      readMapped(file, name, channel, size, modified, crash);
    } else {
      PieceReader.Outcome outcome;
      try {
        outcome = pieces.read(name, modified, crash, PieceReader.of(channel, size), visitor, head -> isArchive(name, head));
      } catch (InputDamage d) {
        visitor.failed(name, d.getMessage());
        return;
      }
      switch (outcome) {
        case EMPTY -> visitor.skipped(name, "empty");
        case BINARY -> visitor.skipped(name, "binary, not a text log");
        case ARCHIVE -> readArchive(name, channel, modified, crash);
        case DELIVERED -> finishIfUnchanged(file, name, size, modified);
      }
    }
  }

  /** Whether an input whose first bytes are {@code data} is compressed or a tarball. */
  private static boolean isArchive(String name, MemorySegment data) {
    int n = (int) Math.min(data.byteSize(), TarFormat.HEADER_BYTES);
    byte[] head = data.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
    return Compression.detect(head, n) != null
        || TarFormat.detect(head, n, TarFormat.byName(name))
        || (Compression.byName(name) != null && looksBinary(data.asSlice(0, n)));
  }

  private void readArchive(String name, FileChannel channel, long modified, WorkdirCrash crash) throws IOException {
    archives.readFile(Channels.newInputStream(channel.position(0)), name, modified, crash);
    if (archives.hasDeferred()) {
      archives.replay(Channels.newInputStream(channel.position(0)), name, modified, crash);
    }
  }

  private void readMapped(Path file, String name, FileChannel channel, long size, long modified, WorkdirCrash crash)
      throws IOException {
    try (Arena arena = Arena.ofConfined()) { // see the class comment: no handshake when unmapped
      MemorySegment data = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
      try {
        if (looksBinary(data)) {
          visitor.skipped(name, "binary, not a text log");
          return;
        }
        visitor.source(new Source(name, data, modified, 0, true, crash, true));
      } catch (InternalError e) {
        // A fault while reading the mapping: the file was truncated under us.
        visitor.failed(name, "shrank while being read (" + size + " bytes when opened, " + channel.size() + " now)");
        return;
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new VisitorAbort(e);
      }
    }
    finishIfUnchanged(file, name, size, modified);
  }

  private void finishIfUnchanged(Path file, String name, long size, long modified)
      throws IOException {
    BasicFileAttributes now = Files.readAttributes(file, BasicFileAttributes.class);
    long sizeNow = now.size();
    long modifiedNow = now.lastModifiedTime().toMillis();
    if (sizeNow != size || modifiedNow != modified) {
      String how = sizeNow < size ? "shrank" : sizeNow > size ? "grew" : "was rewritten";
      visitor.failed(name, how + " while being read (" + size + " bytes when opened, " + sizeNow + " now): not indexed, read it again once complete");
    } else {
      finished(visitor, name);
    }
  }

  static void finished(SourceVisitor visitor, String name) {
    try {
      visitor.finished(name);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new VisitorAbort(e);
    }
  }

  private static String specialKind(Path file, BasicFileAttributes attrs) {
    if (attrs.isDirectory()) {
      return "directory";
    }
    try {
      int mode = (Integer) Files.getAttribute(file, "unix:mode");
      return switch (mode & 0170000) {
        case 0010000 -> "FIFO";
        case 0140000 -> "socket";
        case 0020000 -> "character device";
        case 0060000 -> "block device";
        default -> "special file";
      };
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "special file";
    }
  }

  private static String brokenLink(Path link) {
    try {
      link.toRealPath();
      return "unreadable symbolic link";
    } catch (FileSystemLoopException e) {
      return "symbolic link loop";
    } catch (FileSystemException e) {
      String reason = e.getReason();
      if (reason != null && reason.contains("levels of symbolic links")) {
        return "symbolic link loop";
      }
      return e instanceof NoSuchFileException ? "broken symbolic link (target missing)" : "broken symbolic link: " + describe(e);
    } catch (IOException e) {
      return "broken symbolic link: " + describe(e);
    }
  }

  /**
   * Text logs may hold a stray NUL or invalid UTF-8; a binary file is mostly control bytes. A file
   * whose first {@value #SNIFF_BYTES} bytes are more than 10% NUL or non-whitespace control bytes is
   * binary.
   */
  public static boolean looksBinary(MemorySegment data) {
    long n = Math.min(data.byteSize(), SNIFF_BYTES);
    int control = 0;
    long i = 0;
    // Eight bytes at a time: only words holding a byte below 0x20 (in text, about one in ten: the
    // line ends) are looked at byte by byte. Sniffing every member of a tarball of small logs reads
    // most of their bytes, so this is on the hot path of archive reading.
    for (; i + 8 <= n; i += 8) {
      long w = data.get(WORD, i);
      if (((w - 0x2020202020202020L) & ~w & 0x8080808080808080L) != 0) {
        for (long k = i; k < i + 8; k++) {
          control += isControl(data.get(ValueLayout.JAVA_BYTE, k)) ? 1 : 0;
        }
      }
    }
    for (; i < n; i++) {
      control += isControl(data.get(ValueLayout.JAVA_BYTE, i)) ? 1 : 0;
    }
    return control * 10L > n;
  }

  private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED;

  private static boolean isControl(byte b) {
    return b >= 0 && b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f' && b != 0x1B;
  }

  /** A one-line reason for a failure, without the exception's class name. */
  public static String describe(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemLoopException) {
      return "symbolic link loop";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason().contains("levels of symbolic links") ? "symbolic link loop" : f.getReason();
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

}
