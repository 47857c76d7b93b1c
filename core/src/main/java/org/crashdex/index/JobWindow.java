package org.crashdex.index;

/**
 * Bounds the files in flight between the walker and the indexing threads, which bounds the memory
 * their copies hold. The walker, once the window is full, waits until half of it has drained, then
 * fills it again in one go: waking it for every file that ends would cost two context switches per
 * file, on a directory of small logs thousands of times per second, each taking a core from an
 * indexing thread.
 */
final class JobWindow {
  private final int size;
  private final int low;
  private int inFlight;

  /** A window of {@code size} files (at least 2). */
  JobWindow(int size) {
    this.size = Math.max(2, size);
    this.low = this.size / 2;
  }

  /** Takes a place for one more file; when none is left, waits until half the window is free. */
  synchronized void enter() throws InterruptedException {
    if (inFlight >= size) {
      while (inFlight > low) {
        wait();
      }
    }
    inFlight++;
  }

  /** Gives a file's place back. */
  synchronized void leave() {
    if (--inFlight <= low) {
      notifyAll(); // without a waiter, no system call
    }
  }

  /** Waits until every file has left. */
  synchronized void drain() throws InterruptedException {
    while (inFlight > 0) {
      wait();
    }
  }
}
