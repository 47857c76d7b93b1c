package org.crashdex.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.crashdex.index.IndexListener;
import org.crashdex.index.IndexSchema;
import org.crashdex.index.Indexer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An index of another layout is refused by searches and by the indexer, with what to do about it. */
class SchemaVersionTest {
  @TempDir Path dir;

  @Test
  void anIndexOfAnotherSchemaIsRefusedNotMisread() throws Exception {
    Path logs = Files.createDirectories(dir.resolve("logs"));
    Files.writeString(logs.resolve("a.log"), FullTextPhraseTest.crash("some_fn", "the quick brown fox"));
    Path index = dir.resolve("index");
    try (Indexer indexer = Indexer.open(index, Indexer.Options.defaults().withThreads(1))) {
      indexer.index(List.of(logs), IndexListener.NONE);
    }
    try (CrashSearcher s = CrashSearcher.open(index)) {
      assertEquals(1, s.count(CrashQueryParser.parse("\"brown fox\"")));
    }
    // The same index as an older crashdex would have left it: its commit names schema 2.
    try (FSDirectory d = FSDirectory.open(index);
        IndexWriter w = new IndexWriter(d, new IndexWriterConfig().setOpenMode(IndexWriterConfig.OpenMode.APPEND))) {
      w.setLiveCommitData(Map.of(IndexSchema.VERSION_KEY, "2").entrySet());
      w.commit();
    }
    IOException search = assertThrows(IOException.class, () -> CrashSearcher.open(index));
    assertTrue(search.getMessage().contains("schema 2") && search.getMessage().contains("crashdex index"), search.getMessage());
    IOException write = assertThrows(IOException.class, () -> Indexer.open(index, Indexer.Options.defaults()));
    assertTrue(write.getMessage().contains("another layout"), write.getMessage());
  }
}
