package org.crashdex.extract.crash;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Frames a title never names (spec §4, list A2): sanitizer and reporting machinery, allocators,
 * locking primitives, string and copy helpers, list and timer helpers, device-model plumbing. They
 * sit on top of almost every stack, so naming them would merge unrelated bugs.
 *
 * <p>Entries are regular-expression fragments matched anywhere in the raw frame name (before the
 * syscall prefix is stripped), so "string" also skips {@code hex_string}. Formats add their own
 * entries (list A7) through {@link #with}.
 */
final class FrameSkips {
  private FrameSkips() {}

  static final List<String> GLOBAL =
      List.of(
          // Sanitizers and reporting.
          "__sanitizer", "__asan", "kasan", "hwasan", "__msan", "kmsan", "kcsan_setup_watchpoint",
          "check_memory_region", "check_heap_object", "check_object", "read_word_at_a_time",
          "(read|write)_once_.*nocheck", "print_address_description", "panic", "invalid_op",
          "report_bug", "fixup_bug", "print_report", "print_usage_bug", "do_error", "_trap$", "do_trap",
          "show_stack", "dump_stack", "walk_stack", "dump_backtrace", "warn_slowpath", "warn_alloc",
          "warn_bogus", "__warn", "print_tainted", "^get_taint$", "__fortify_report", "assertfail",
          "program_check_exception", "program_check_common", "hex_dump_to_buffer", "print_hex_dump",
          // Memory.
          "alloc_page", "k?v?(m|z|c)alloc", "krealloc", "kmem_cache", "allocate_slab", "slab_",
          "__alloc_frozen_pages_noprof", "folio_(alloc|unlock)", "filemap_alloc_folio",
          "__filemap_get_folio", "find_or_create_page", "do_read_cache_folio", "read_cache_page",
          "pagecache_get_page", "grab_cache_page_write_begin", "^kfree$", "^kvfree$", "kfree_skb",
          "xas_(start|load|find)", "find_lock_entries", "truncate_inode_pages_range", "__phys_addr",
          "^lock_page", "^unlock_page",
          // Locking.
          "debug_object", "timer_is_static_object", "work_is_static_object", "__might_fault",
          "might_fault", "might_sleep", "__might_resched", "print_unlock", "imbalance_bug", "lockdep",
          "bh_enable", "bh_disable", "perf_trace", "lock_acquire", "lock_release", "lock_class",
          "mark_lock", "(mark|reacquire)_held_locks", "raw_spin_rq", "spin_(lock|trylock|unlock)",
          "(read|write)_(lock|trylock|unlock)", "^down$", "down_read", "down_write",
          "down_read_trylock", "down_write_trylock", "down_trylock", "up_read", "up_write", "^mutex_",
          "^__mutex_", "^rt_mutex_", "owner_on_cpu", "osq_lock", "osq_unlock",
          "(trace|lockdep)_(hard|soft)irq", "seqprop_assert",
          // Atomics and reference counts.
          "atomic(64)?_(dec|inc|read|set|or|xor|and|add|sub|fetch|xchg|cmpxchg|try)",
          "(set|clear|change|test)_bit", "__wake_up", "^refcount_", "^kref_", "ref_tracker",
          // Strings and copying.
          "memcpy", "memcmp", "memset", "memchr", "memmove", "memdup", "strcmp", "strncmp", "strcpy",
          "strlcpy", "strncpy", "strscpy", "strlen", "strstr", "strnstr", "strnlen", "strchr", "strdup",
          "strndup", "string", "pointer", "snprintf", "scnprintf", "kasprintf", "kvasprintf", "printk",
          "va_format", "dev_(info|notice|warn|err|alert|crit|emerg)", "copy_to_user", "copy_from_user",
          "copy_to_iter", "copy_from_iter", "copy_page_to_iter", "copy_page_from_iter",
          "copy_folio_to_iter", "^copyin$", "^copyout$", "put_user", "get_user",
          "extract_(user|iter)_to_sg", "^crc[0-9]+", "crc_itu_t",
          // Lists and trees.
          "list_add", "list_del", "list_replace", "list_move", "list_splice", "^rb_", "^__rb_",
          "^klist_", "rhashtable_lookup", "_indirect_thunk_",
          // Work and timers.
          "del_timer", "flush_work", "__cancel_work_timer", "cancel_work_sync", "try_to_grab_pending",
          "flush_workqueue", "drain_workqueue", "destroy_workqueue", "queue_work", "insert_work",
          "__queue_delayed_work", "queue_delayed_work_on", "finish_wait", "kthread_stop", "^complete$",
          "wait_for_completion", "lock_timer_base", "__timer_delete_sync", "sk_stop_timer_sync",
          "__mod_timer", "cleanup_srcu_struct",
          // Devices.
          "kobject_", "add_uevent_var", "get_device_parent", "device_(add|del|unregister|destroy|release)",
          "devres_release_all", "hwrng_unregister", "i2c_del_adapter", "__unregister_client",
          "device_for_each_child", "rollback_registered", "unregister_netdev", "sysfs_remove",
          "device_remove_file", "tty_unregister_device", "^put_device$", "ida_free",
          "dummy_urb_enqueue", "usb_kill_urb", "usb_kill_anchored_urbs", "usb_control_msg",
          "usb_hcd_submit_urb", "usb_submit_urb",
          // Filesystems.
          "^iput$", "^iput_final$", "^ihold$", "drop_nlink", "fast_dput", "dput", "mark_buffer_dirty",
          // I/O accessors.
          "(read|write)(b|w|l|q)$", "logic_in", "logic_out",
          // Unwinding and arm64 faults.
          "stack_trace_consume_entry", "arch_stack_walk", "stack_trace_save",
          "do_(kernel|translation)_fault", "do_mem_abort", "el1_abort", "el1h_64_sync(_handler)?");

  /**
   * Entries of {@link #GLOBAL} that syzkaller's list gained after bugs had been named without them
   * (ref_tracker, the workqueue and timer helpers, bottom-half and atomic helpers, kobject and
   * netdevice plumbing, allocator and page-cache entry points, the catch-all "string",
   * print_tainted, truncate_inode_pages_range): a bug named before the addition keeps the frame
   * the entry now skips ("general protection fault in ref_tracker_free", "possible deadlock in
   * lock_timer_base", "INFO: task hung in unregister_netdevice_notifier"). Used by {@link
   * StackRecipe#olderSkips} only: today's titles never see this list.
   */
  static final List<String> LATER_ADDITIONS =
      List.of(
          "ref_tracker", "flush_work", "queue_work", "lock_timer_base", "__mod_timer", "bh_disable",
          "bh_enable", "atomic(64)?_(dec|inc|read|set|or|xor|and|add|sub|fetch|xchg|cmpxchg|try)",
          "kobject_", "print_tainted", "truncate_inode_pages_range", "k?v?(m|z|c)alloc", "kmem_cache",
          "unregister_netdev", "read_cache_page", "string");

  /**
   * Entries of {@link #GLOBAL} that syzkaller's list once had in a looser form: "_trap" was
   * anchored at the end later, so the older list also skipped frames such as {@code
   * nsim_dev_trap_report_work} and named their caller ("... in process_one_work").
   */
  private static final List<String> LATER_ANCHORED = List.of("_trap$");

  static {
    List<String> changed = new ArrayList<>(LATER_ADDITIONS);
    changed.addAll(LATER_ANCHORED);
    for (String e : changed) {
      if (!GLOBAL.contains(e)) {
        throw new AssertionError("not a global skip entry: " + e);
      }
    }
  }

  private static final Matcher GLOBAL_MATCHER = new Matcher(compile(GLOBAL));

  private static final Matcher OLDER_MATCHER = new Matcher(compile(older(List.of())));

  /**
   * The global list without {@link #LATER_ADDITIONS} and with its later anchors removed, plus a
   * format's own entries.
   */
  static Matcher olderWith(String... extra) {
    if (extra.length == 0) {
      return OLDER_MATCHER;
    }
    return new Matcher(compile(older(Arrays.asList(extra))));
  }

  private static List<String> older(List<String> extra) {
    List<String> all = new ArrayList<>(GLOBAL);
    all.removeAll(LATER_ADDITIONS);
    for (String anchored : LATER_ANCHORED) {
      all.set(all.indexOf(anchored), anchored.substring(0, anchored.length() - 1));
    }
    all.addAll(extra);
    return all;
  }

  /** The global list alone. */
  static Matcher global() {
    return GLOBAL_MATCHER;
  }

  /** The global list plus a format's own entries. */
  static Matcher with(String... extra) {
    if (extra.length == 0) {
      return GLOBAL_MATCHER;
    }
    List<String> all = new ArrayList<>(GLOBAL);
    all.addAll(Arrays.asList(extra));
    return new Matcher(compile(all));
  }

  /** A matcher that skips nothing. */
  static Matcher nothing() {
    return NOTHING;
  }

  private static final Matcher NOTHING = new Matcher(Pattern.compile("(?!)"));

  private static Pattern compile(List<String> entries) {
    return Pattern.compile(String.join("|", entries));
  }

  /**
   * Decides whether a frame name is skipped. The list is a regex of some 250 branches; frame names
   * repeat across reports (dump_stack, do_syscall_64 …), so decisions are remembered.
   */
  static final class Matcher {
    /** Past this many remembered names the memory starts over: a bound, not a working-set size. */
    private static final int MAX_REMEMBERED = 1 << 16;

    private final Pattern pattern;
    private final ConcurrentHashMap<String, Boolean> decisions = new ConcurrentHashMap<>();

    Matcher(Pattern pattern) {
      this.pattern = pattern;
    }

    boolean skips(String name) {
      Boolean known = decisions.get(name);
      if (known != null) {
        return known;
      }
      boolean skip = pattern.matcher(name).find();
      if (decisions.size() >= MAX_REMEMBERED) {
        decisions.clear();
      }
      decisions.put(name, skip);
      return skip;
    }
  }
}
