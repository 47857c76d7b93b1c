package org.crashdex.source;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.crashdex.scan.MappedFile;

/**
 * Walks the paths a user names: files as they are, directories recursively in name order (following
 * symbolic links, with loops reported, not followed). Each regular file is mapped and handed over as a
 * {@link Source}; binary files (a syz-manager {@code vmcore}, an image) are passed over with a note.
 */
public final class SourceWalker {

  /** How many leading bytes decide whether a file is text. */
  static final int SNIFF_BYTES = 8192;

  private SourceWalker() {}

  /** Visits every input under {@code roots}, in order. */
  public static void walk(List<Path> roots, SourceVisitor visitor) throws Exception {
    for (Path root : roots) {
      if (!Files.exists(root)) {
        visitor.failed(root.toString(), Files.isSymbolicLink(root) ? "broken symbolic link" : "no such file or directory");
      } else if (Files.isDirectory(root)) {
        for (Path file : listFiles(root, visitor)) {
          visitFile(file, visitor);
        }
      } else {
        visitFile(root, visitor);
      }
    }
  }

  private static List<Path> listFiles(Path root, SourceVisitor visitor) throws IOException {
    List<Path> files = new ArrayList<>();
    Files.walkFileTree(
        root,
        EnumSet.of(FileVisitOption.FOLLOW_LINKS),
        Integer.MAX_VALUE,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            return FileVisitResult.CONTINUE;
          }

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

  private static void visitFile(Path file, SourceVisitor visitor) throws Exception {
    String name = file.toString();
    if (!Files.isRegularFile(file)) {
      visitor.skipped(name, "not a regular file");
      return;
    }
    long modified;
    MappedFile mapped;
    try {
      modified = Files.getLastModifiedTime(file).toMillis();
      mapped = MappedFile.open(file);
    } catch (IOException e) {
      visitor.failed(name, describe(e));
      return;
    }
    try (mapped) {
      MemorySegment data = mapped.segment();
      if (data.byteSize() == 0) {
        visitor.skipped(name, "empty");
      } else if (looksBinary(data)) {
        visitor.skipped(name, "binary, not a text log");
      } else {
        visitor.source(new Source(name, data, modified));
      }
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
    for (long i = 0; i < n; i++) {
      int b = data.get(ValueLayout.JAVA_BYTE, i) & 0xFF;
      if (b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f' && b != 0x1B) {
        control++;
      }
    }
    return control * 10L > n;
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
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
