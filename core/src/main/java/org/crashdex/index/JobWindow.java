package org.crashdex.index;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the files in flight between the walker and the indexing threads, which bounds the memory
 * their copies hold. The walker, once the window is full, waits until half of it has drained, then
 * fills it again in one go: waking it for every file that ends would cost two context switches per
 * file, on a directory of small logs thousands of times per second, each taking a core from an
 * indexing thread.
 *
 * <p>Entering and leaving take no lock unless someone waits: the indexing threads leave once per
 * file, and a lock they contend for with the walker shows up in profiles.
 */
final class JobWindow {
  private final int size;
  private final int low;
  private final AtomicInteger inFlight = new AtomicInteger();
  /** Threads in {@link #await}; read after {@link #inFlight} changes, written before it is read. */
  private final AtomicInteger waiters = new AtomicInteger();

  /** A window of {@code size} files (at least 2). */
  JobWindow(int size) {
    this.size = Math.max(2, size);
    this.low = this.size / 2;
  }

  /** Takes a place for one more file; when none is left, waits until half the window is free. */
  void enter() throws InterruptedException {
    if (inFlight.get() >= size) {
      await(low);
    }
    inFlight.incrementAndGet();
  }

  /** Gives a file's place back. */
  void leave() {
    if (inFlight.decrementAndGet() <= low && waiters.get() > 0) {
      synchronized (this) {
        notifyAll();
      }
    }
  }

  /** Waits until every file has left. */
  void drain() throws InterruptedException {
    await(0);
  }

  /**
   * Waits until at most {@code most} files are in flight. The waiter counts itself before it reads
   * the count and a leaver reads the waiters after it changed the count, so one of the two always
   * sees the other: no wake-up is lost.
   */
  private synchronized void await(int most) throws InterruptedException {
    waiters.incrementAndGet();
    try {
      while (inFlight.get() > most) {
        wait();
      }
    } finally {
      waiters.decrementAndGet();
    }
  }
}
