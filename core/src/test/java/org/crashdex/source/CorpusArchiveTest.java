package org.crashdex.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.crashdex.extract.RecordExtractor;
import org.crashdex.source.archive.Compression;
import org.crashdex.testing.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared corpus read as a directory and as tarballs gives the same records with the same fields. */
class CorpusArchiveTest {
  @TempDir Path tmp;

  @Test
  void directoryAndTarZstAndTarGzGiveTheSameRecords() throws Exception {
    Path corpus = Corpus.root();
    List<String> plain = records(corpus, name -> corpus.relativize(Path.of(name)).toString());
    assertTrue(plain.size() > 2000, "records in the corpus: " + plain.size());
    for (Compression c : List.of(Compression.ZSTD, Compression.GZIP)) {
      Path tar = tmp.resolve("corpus.tar" + ArchiveWalkTest.suffix(c));
      Packing.tarDirectory(corpus, c, tar);
      String prefix = tar + "!/";
      List<String> packed = records(tar, name -> {
        assertTrue(name.startsWith(prefix), name);
        return name.substring(prefix.length());
      });
      assertEquals(plain.size(), packed.size(), c.label());
      assertEquals(plain, packed, c.label());
    }
  }

  /** (member path, offset, length, kind, title) of every record, sorted. */
  static List<String> records(Path root, Function<String, String> memberPath) throws Exception {
    List<String> out = new ArrayList<>();
    SourceWalker.walk(List.of(root), new SourceVisitor() {
      @Override
      public void source(Source source) {
        source.scan((offset, length, kind) -> out.add(String.join("\t",
            memberPath.apply(source.name()), Long.toString(offset), Long.toString(length), kind.label(),
            String.valueOf(RecordExtractor.extract(source.slice(offset, length), kind).title()))));
      }

      @Override
      public void failed(String name, String message) {
        throw new AssertionError(name + ": " + message);
      }
    });
    out.sort(null);
    return out;
  }
}
