package org.crashdex.extract.crash;

import static org.crashdex.extract.crash.StackRecipe.STACK;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.crashdex.scan.OopsHeader;

/**
 * The title formats of every header family (spec §5), in syzkaller's order: when two formats match
 * at the same place, the one listed first wins, so specific shapes come before general ones.
 */
final class TitleFormats {
  private TitleFormats() {}

  private static final Pattern RIP = FrameLines.RIP;
  private static final Pattern CT = FrameLines.CALL_TRACE;

  private static Pattern re(String regex) {
    return FrameLines.compile(regex);
  }

  /** RIP+CT: the RIP line, then "Call Trace:", then the stack. */
  private static StackRecipe ripThenCallTrace() {
    return StackRecipe.of(RIP, CT, STACK);
  }

  /** CT: "Call Trace:", then the stack. */
  private static StackRecipe callTrace() {
    return StackRecipe.of(CT, STACK);
  }

  /** WARNINGs: the RIP line and the frames after it (old kernels), else the Call Trace. */
  private static StackRecipe warning(String... skip) {
    return StackRecipe.of(re("(?:IP|NIP|pc |PC is at):? (?:(?:[0-9]+:)?(?:{{PC}} +){0,2}{{FUNC}}"
                + "|(?:[0-9]+:)?0x[0-9a-f]+|(?:[0-9]+:)?{{PC}} +\\[< *\\(null\\)>\\] +\\(null\\)|[0-9]+: +\\(null\\))"
                + "|--- interrupt: [0-9a-f]+ at {{FUNC}}"), STACK)
        .fallback(CT, STACK)
        .skip(skip);
  }

  private static final String AT_FUNC = "at: (?:{{PC}} +)?{{FUNC}}";

  /**
   * A WARNING raised in {@code file}: "WARNING: CPU: 0 PID: 1 at FILE:N FUNCTION+0x…" or the newer
   * "WARNING: FILE:N at FUNCTION+0x…, CPU#0: …", where the function may be missing ("at 0x0").
   */
  private static TitleFormat specific(String file, String function, String template) {
    // The file's literal head ("lib/debugobjects.c", "mm/") sits on the WARNING line: lines without
    // it need no regex.
    String literal = file.replace("\\.", ".");
    int wildcard = literal.indexOf(".*");
    return TitleFormat.of("WARNING: .*" + file + "(?::[0-9]+ at |.*" + function + ")", template)
        .needsOnLine(wildcard < 0 ? literal : literal.substring(0, wildcard));
  }

  private static final List<TitleFormat> BUG =
      List.of(
          TitleFormat.of(
                  "BUG: KASAN: ([a-z\\-]+) in {{FUNC}}(?:.*\\n)+?.*(Read|Write) (?:of size|at addr) (?:[0-9]+)",
                  "KASAN: %[1]v %[3]v in %[4]v")
              .alt("bad-access in %[4]v")
              .stack(
                  StackRecipe.of(re("BUG: KASAN: (?:[a-z\\-]+) in {{FUNC}}"), CT, STACK)
                      .skip("kernel_fault", "tag_check", "mem_abort", "^el1_", "^el1h_")),
          TitleFormat.of(
                  "BUG: KASAN: (?:double-free or invalid-free|double-free|invalid-free) in {{FUNC}}",
                  "KASAN: invalid-free in %[2]v")
              .alt("invalid-free in %[2]v")
              .stack(
                  StackRecipe.of(
                          re("BUG: KASAN: (?:double-free or invalid-free|double-free|invalid-free) in {{FUNC}}"),
                          CT,
                          STACK)
                      .skip("slab_", "kfree", "vunmap", "vfree")),
          TitleFormat.of(
              "BUG: KASAN: ([a-z\\-]+) on address(?:.*\\n)+?.*(Read|Write) of size ([0-9]+)",
              "KASAN: %[1]v %[2]v"),
          TitleFormat.of("BUG: KASAN: (.*)", "KASAN: %[1]v").markCorrupted(),
          TitleFormat.of("BUG: KMSAN: kernel-usb-infoleak in {{FUNC}}", "KMSAN: kernel-usb-infoleak in %[2]v")
              .alt("KMSAN origin in %[3]v")
              .stack(
                  StackRecipe.of(STACK, re("(?:Local variable .* created at:|Uninit was created at:)"), STACK)
                      .fallback(CT, STACK, re("(?:Local variable .* created at:|Uninit was created at:)"), STACK)
                      .skip("alloc_skb", "usb_submit_urb", "usb_start_wait_urb", "usb_bulk_msg",
                          "usb_interrupt_msg", "usb_control_msg"))
              .stackless(),
          TitleFormat.of("BUG: KMSAN: ([a-z\\-]+) in {{FUNC}}", "KMSAN: %[1]v in %[3]v")
              .alt("bad-access in %[3]v")
              .stack(
                  // Reports of KMSAN's early years print "Call Trace:" between the header and the
                  // stack; when the stack right after the header is empty, that one is read.
                  StackRecipe.of(STACK)
                      .fallback(CT, STACK)
                      .skip("alloc_skb", "netlink_ack", "netlink_rcv_skb", "_encrypt$",
                          "^(crypto|cipher|drbg|rng)_"))
              .stackless(),
          TitleFormat.of("BUG: KCSAN: (.*)", "KCSAN: %[1]v").stackless(),
          TitleFormat.of("BUG: KFENCE: (use-after-free|out-of-bounds) ([a-z\\-]+) in {{FUNC}}",
                  "KFENCE: %[1]v %[2]v in %[4]v")
              .alt("bad-access in %[4]v")
              .stack(StackRecipe.of(re("BUG: KFENCE: (?:[a-z\\- ]+) in {{FUNC}}"), STACK)),
          TitleFormat.of("BUG: KFENCE: invalid free in {{FUNC}}", "KFENCE: invalid free in %[2]v")
              .alt("invalid-free in %[2]v")
              .stack(StackRecipe.of(re("BUG: KFENCE: (?:[a-z\\- ]+) in {{FUNC}}"), STACK))
              .stackless(),
          TitleFormat.of("BUG: KFENCE: invalid (read|write) in {{FUNC}}", "KFENCE: invalid %[1]v in %[3]v")
              .alt("bad-access in %[3]v")
              .stack(StackRecipe.of(re("BUG: KFENCE: (?:[a-z\\- ]+) in {{FUNC}}"), STACK)),
          TitleFormat.of("BUG: KFENCE: memory corruption in {{FUNC}}", "KFENCE: memory corruption in %[2]v")
              .stack(StackRecipe.of(re("BUG: KFENCE: (?:[a-z\\- ]+) in {{FUNC}}"), STACK))
              .stackless(),
          TitleFormat.of(
                  "BUG: (?:unable to handle kernel paging request|unable to handle page fault for address"
                      + "|Unable to handle kernel data access)",
                  "BUG: unable to handle kernel paging request in %[1]v")
              .alt("bad-access in %[1]v")
              .stack(ripThenCallTrace()),
          TitleFormat.of(
                  "BUG: (?:unable to handle kernel NULL pointer dereference|kernel NULL pointer dereference"
                      + "|Kernel NULL pointer dereference)",
                  "BUG: unable to handle kernel NULL pointer dereference in %[1]v")
              .alt("bad-access in %[1]v")
              .stack(ripThenCallTrace()),
          TitleFormat.of("BUG: (?:unable to handle kernel|Unable to handle kernel)", "BUG: unable to handle kernel")
              .markCorrupted(),
          TitleFormat.of(
                  "BUG: (spinlock|rwlock) (lockup suspected|already unlocked|recursion|cpu recursion"
                      + "|bad magic|wrong owner|wrong CPU|trylock failure on UP)",
                  "BUG: %[1]v %[2]v in %[3]v")
              .stack(callTrace().skip("spin_", "_lock", "_unlock")),
          TitleFormat.of("BUG: soft lockup", "BUG: soft lockup in %[1]v")
              .alt("stall in %[1]v")
              .stack(ripThenCallTrace().extractor(FrameExtractors.STALL)),
          TitleFormat.of("BUG: .*still has locks held!", "BUG: still has locks held in %[1]v")
              .needsOnLine("still has locks held!")
              .report("BUG: .*still has locks held!(?:.*\\n)+?.*{{PC}} +{{FUNC}}"),
          TitleFormat.of("BUG: scheduling while atomic", "BUG: scheduling while atomic in %[1]v")
              .stack(callTrace().skip("schedule")),
          TitleFormat.of(
                  "BUG: lock held when returning to user space",
                  "BUG: lock held when returning to user space in %[1]v")
              .report(
                  "BUG: lock held when returning to user space(?:.*\\n)+?.*leaving the kernel with locks still held"
                      + "(?:.*\\n)+?.*" + AT_FUNC)
              .stackless(),
          TitleFormat.of("BUG: bad unlock balance detected!", "BUG: bad unlock balance in %[1]v")
              .stack(StackRecipe.of(re("{{PC}} +{{FUNC}}"), CT, STACK)),
          TitleFormat.of("BUG: held lock freed!", "BUG: held lock freed in %[1]v")
              .report("BUG: held lock freed!(?:.*\\n)+?.*{{PC}} +{{FUNC}}"),
          TitleFormat.of("BUG: Bad rss-counter state", "BUG: Bad rss-counter state").stackless(),
          TitleFormat.of("BUG: non-zero nr_ptes on freeing mm", "BUG: non-zero nr_ptes on freeing mm")
              .stackless(),
          TitleFormat.of("BUG: non-zero nr_pmds on freeing mm", "BUG: non-zero nr_pmds on freeing mm")
              .stackless(),
          TitleFormat.of(
                  "BUG: Dentry .* still in use \\([0-9]+\\) \\[(unmount) of ([^\\]]+)\\]",
                  "BUG: Dentry still in use in %[1]v")
              .alt("BUG: Dentry still in use [%[1]v of %[2]v]"),
          TitleFormat.of("BUG: Bad page (state|cache)", "BUG: Bad page %[1]v in %[2]v")
              .stack(
                  StackRecipe.of(re("page last allocated"), STACK)
                      .skip("(free|put|get|update|release)_page", "free_unref", "^_*folio",
                          "truncate_inode_pages", "page_frag_free", "alloc", "vmap", "page_owner")),
          TitleFormat.of("BUG: Bad page map", "BUG: Bad page map"),
          TitleFormat.of("BUG: workqueue lockup", "BUG: workqueue lockup").stackless(),
          TitleFormat.of(
                  "BUG: sleeping function called from invalid context at (.*)",
                  "BUG: sleeping function called from invalid context in %[2]v")
              .stack(callTrace()),
          TitleFormat.of("BUG: using ([a-z_]+)\\(\\) in preemptible", "BUG: using %[1]v() in preemptible code in %[2]v")
              .stack(
                  callTrace()
                      .skip("dump_stack", "preemption", "preempt", "debug_", "processor_id", "this_cpu")),
          TitleFormat.of("BUG: workqueue leaked lock or atomic", "BUG: workqueue leaked lock or atomic in %[1]v")
              .report("BUG: workqueue leaked lock or atomic(?:.*\\n)+?.*last function: ([a-zA-Z0-9_]+)\\n")
              .stackless(),
          TitleFormat.of("BUG: memory leak", "memory leak in %[1]v")
              .stack(
                  StackRecipe.of(re("backtrace(?: \\(crc [0-9a-fA-F]+\\))?:"), STACK)
                      .skip("kmemleak", "mmap", "kmem", "slab", "alloc", "create_object", "idr_get",
                          "list_lru_init", "kasprintf", "kvasprintf", "pcpu_create", "strdup", "strndup",
                          "memdup")),
          TitleFormat.of("BUG: (?:TASK )?stack guard page was hit at", "BUG: stack guard page was hit in %[1]v")
              .alt("stack-overflow in %[1]v")
              .stack(ripThenCallTrace().extractor(FrameExtractors.STALL)),
          TitleFormat.of("BUG: Invalid wait context", "WARNING: locking bug in %[1]v")
              .stack(callTrace().skip("lock_sock", "release_sock")),
          TitleFormat.of("BUG:[ \\t\\n\\x0B\\f\\r]*(?:\\n|$)", "BUG: corrupted").markCorrupted());

  private static final List<TitleFormat> WARNING =
      List.of(
          specific("lib/debugobjects\\.c", "debug_", "WARNING: ODEBUG bug in %[1]v")
              .stack(warning("debug_", "rcu", "hrtimer_", "timer_", "work_", "percpu_", "vunmap", "vfree",
                  "__free_", "debug_check", "kobject_")),
          specific("mm/usercopy\\.c", "usercopy_warn", "WARNING: bad usercopy in %[1]v")
              .stack(warning("usercopy", "__check")),
          specific("lib/kobject\\.c", "kobject_", "WARNING: kobject bug in %[1]v")
              .stack(warning("kobject_")),
          specific("fs/proc/generic\\.c", "proc_register", "WARNING: proc registration bug in %[1]v")
              .stack(warning("proc_")),
          specific("lib/refcount\\.c", "refcount_", "WARNING: refcount bug in %[1]v")
              .stack(warning("refcount", "kobject_")),
          specific("kernel/locking/lockdep\\.c", "lock_", "WARNING: locking bug in %[1]v")
              .stack(warning("lock_sock", "release_sock")),
          TitleFormat.of("WARNING: .*still has locks held!", "WARNING: still has locks held in %[1]v")
              .needsOnLine("still has locks held!")
              .report("WARNING: .*still has locks held!(?:.*\\n)+?.*at: {{FUNC}}"),
          TitleFormat.of("WARNING: Nested lock was not taken", "WARNING: nested lock was not taken in %[1]v")
              .stack(warning()),
          TitleFormat.of(
                  "WARNING: lock held when returning to user space",
                  "WARNING: lock held when returning to user space in %[1]v")
              .report(
                  "WARNING: lock held when returning to user space(?:.*\\n)+?.*leaving the kernel with locks still held"
                      + "(?:.*\\n)+?.*" + AT_FUNC)
              .stackless(),
          specific("mm/vmalloc\\.c", "__vmalloc_node", "WARNING: zero-size vmalloc in %[1]v")
              .stack(warning()),
          specific("mm/.*\\.c", "k?.?malloc", "WARNING: kmalloc bug in %[1]v")
              .stack(warning("kmalloc", "krealloc", "slab", "kmem")),
          TitleFormat.of("WARNING: .* usb_submit_urb", "WARNING in %[1]v/usb_submit_urb")
              .needsOnLine(" usb_submit_urb")
              .stack(warning("usb_submit_urb", "usb_start_wait_urb", "usb_bulk_msg", "usb_interrupt_msg",
                  "usb_control_msg")),
          TitleFormat.of("WARNING: .* at {{SRC}} {{FUNC}}", "WARNING in %[3]v").needsOnLine(" at ").stack(warning()),
          TitleFormat.of("WARNING: (?:.* )?{{SRC}} at ", "WARNING in %[2]v").stack(warning()),
          TitleFormat.of("WARNING: possible circular locking dependency detected", "possible deadlock in %[1]v")
              .report("WARNING: possible circular locking dependency detected(?:.*\\n)+?.*is trying to acquire lock")
              .stack(
                  StackRecipe.of(re(AT_FUNC), re(AT_FUNC), STACK)
                      .skip("process_one_work", "flush_workqueue", "drain_workqueue", "destroy_workqueue")),
          TitleFormat.of("WARNING: possible irq lock inversion dependency detected", "possible deadlock in %[1]v")
              .report(
                  "WARNING: possible irq lock inversion dependency detected(?:.*\\n)+?.*just changed the state of lock"
                      + "(?:.*\\n)+?.*" + AT_FUNC),
          TitleFormat.of("WARNING: .*-safe -> .*-unsafe lock order detected", "possible deadlock in %[1]v")
              .needsOnLine("-safe -> ")
              .stack(StackRecipe.of(re("which became (?:.*) at:"), STACK)),
          TitleFormat.of("WARNING: possible recursive locking detected", "possible deadlock in %[1]v")
              .report(
                  "WARNING: possible recursive locking detected(?:.*\\n)+?.*is trying to acquire lock"
                      + "(?:.*\\n)+?.*" + AT_FUNC),
          TitleFormat.of("WARNING: inconsistent lock state", "inconsistent lock state in %[2]v")
              .report("WARNING: inconsistent lock state(?:.*\\n)+?.*takes(?:.*\\n)+?.*" + AT_FUNC)
              .stack(callTrace()),
          TitleFormat.of("WARNING: suspicious RCU usage", "WARNING: suspicious RCU usage in %[2]v")
              .report("WARNING: suspicious RCU usage(?:.*\\n)+?.*?{{SRC}}")
              .stack(callTrace().skip("rcu", "kmem", "slab")),
          // The unwinder's complaints. Kernels that hash pointers print "(ptrval)" for both.
          TitleFormat.of(
                  "WARNING: kernel stack regs at [0-9a-f]+ in [^ ]* has bad '([^']+)' value",
                  "WARNING: kernel stack regs has bad '%[1]v' value")
              .stackless(),
          TitleFormat.of(
                  "WARNING: kernel stack frame pointer at [0-9a-f]+ in [^ ]* has bad value",
                  "WARNING: kernel stack frame pointer has bad value")
              .stackless(),
          TitleFormat.of(
                  "WARNING: kernel stack (?:regs|frame pointer) at +\\(ptrval\\) in [^ ]* has bad",
                  "WARNING: kernel stack regs has bad value")
              .stackless(),
          TitleFormat.of("WARNING: bad unlock balance detected!", "WARNING: bad unlock balance in %[1]v")
              .stack(StackRecipe.of(re("{{PC}} +{{FUNC}}"), CT, STACK)),
          TitleFormat.of("WARNING: held lock freed!", "WARNING: held lock freed in %[1]v")
              .report("WARNING: held lock freed!(?:.*\\n)+?.*" + AT_FUNC),
          TitleFormat.of("WARNING:[ \\t\\n\\x0B\\f\\r]*(?:\\n|$)", "WARNING: corrupted").markCorrupted());

  private static final List<TitleFormat> INFO =
      List.of(
          TitleFormat.of("INFO: possible circular locking dependency detected", "possible deadlock in %[1]v")
              .report(
                  "INFO: possible circular locking dependency detected \\](?:.*\\n)+?.*is trying to acquire lock"
                      + "(?:.*\\n)+?.*at: {{PC}} +{{FUNC}}"),
          TitleFormat.of("INFO: possible irq lock inversion dependency detected", "possible deadlock in %[1]v")
              .report(
                  "INFO: possible irq lock inversion dependency detected \\](?:.*\\n)+?.*just changed the state of lock"
                      + "(?:.*\\n)+?.*at: {{PC}} +{{FUNC}}"),
          TitleFormat.of("INFO: SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected", "possible deadlock in %[1]v")
              .report(
                  "INFO: SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected \\](?:.*\\n)+?.*is trying to acquire"
                      + "(?:.*\\n)+?.*at: {{PC}} +{{FUNC}}"),
          TitleFormat.of("INFO: possible recursive locking detected", "possible deadlock in %[1]v")
              .report(
                  "INFO: possible recursive locking detected \\](?:.*\\n)+?.*is trying to acquire lock"
                      + "(?:.*\\n)+?.*at: {{PC}} +{{FUNC}}"),
          TitleFormat.of("INFO: inconsistent lock state", "inconsistent lock state in %[1]v")
              .report("INFO: inconsistent lock state \\](?:.*\\n)+?.*takes(?:.*\\n)+?.*at: {{PC}} +{{FUNC}}"),
          TitleFormat.of(
                  "INFO: rcu_(?:preempt|sched|bh|tasks) (?:self-)?detected(?: expedited)? stall",
                  "INFO: rcu detected stall in %[1]v")
              .alt("stall in %[1]v")
              .stack(
                  StackRecipe.of(re("apic_timer_interrupt"), RIP, STACK)
                      .fallback(re("(?:apic_timer_interrupt|Exception stack|el1h_64_irq)"), STACK)
                      .skip("apic_timer_interrupt", "rcu")
                      .extractor(FrameExtractors.STALL)),
          TitleFormat.of("INFO: trying to register non-static key", "INFO: trying to register non-static key in %[1]v")
              .stack(callTrace().skip("stack", "lock", "IRQ")),
          TitleFormat.of("INFO: suspicious RCU usage", "INFO: suspicious RCU usage in %[2]v")
              .report("INFO: suspicious RCU usage(?:.*\\n)+?.*?{{SRC}}")
              .stack(callTrace().skip("rcu", "kmem", "slab")),
          TitleFormat.of(
                  "INFO: task [\\s\\S]{1,100}? blocked (?:in I/O wait )?for more than [0-9]+ seconds",
                  "INFO: task hung in %[1]v")
              .alt("hang in %[1]v")
              .stack(callTrace().extractor(FrameExtractors.HUNG_TASK)),
          TitleFormat.of("INFO: task .* can't die for more than .* seconds", "INFO: task can't die in %[1]v")
              .alt("can't die in %[1]v")
              .stack(callTrace().skip("schedule")),
          TitleFormat.of("INFO: (Freed|Allocated) in (.*)", "INFO: %[1]v in %[2]v").markCorrupted(),
          TitleFormat.of("INFO:[ \\t\\n\\x0B\\f\\r]*(?:\\n|$)", "INFO: corrupted").markCorrupted());

  private static final List<TitleFormat> KERNEL_PANIC =
      List.of(
          TitleFormat.of("Kernel panic - not syncing: stack-protector:", "kernel panic: stack is corrupted in %[1]v")
              .report("Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: {{FUNC}}")
              .stackless(),
          TitleFormat.of("Kernel panic - not syncing: stack-protector:", "kernel panic: stack is corrupted in %[1]v")
              .report("Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: [a-f0-9]+")
              .stack(callTrace().skip("stack_chk")),
          TitleFormat.of(
                  "Kernel panic - not syncing: corrupted stack end detected inside scheduler",
                  "kernel panic: corrupted stack end in %[1]v")
              .alt("stack-overflow in %[1]v")
              .stack(callTrace().skip("schedule", "retint_kernel").extractor(FrameExtractors.STALL)),
          TitleFormat.of("Kernel panic - not syncing: kernel stack overflow", "kernel stack overflow in %[1]v")
              .alt("stack-overflow in %[1]v")
              .stack(callTrace().skip("bad_stack").extractor(FrameExtractors.STALL)),
          TitleFormat.of("Kernel panic - not syncing: Attempted to kill init!", "kernel panic: Attempted to kill init!"),
          TitleFormat.of(
              "Kernel panic - not syncing: Couldn't open N_TTY ldisc for [^ ]+ --- error -[0-9]+",
              "kernel panic: Couldn't open N_TTY ldisc"),
          TitleFormat.of("Kernel panic - not syncing: Fatal exception", "kernel panic: Fatal exception").markCorrupted(),
          TitleFormat.of("Kernel panic - not syncing: panic_on_warn set", "kernel panic: panic_on_warn set")
              .markCorrupted(),
          TitleFormat.of("Kernel panic - not syncing: hung_task: blocked tasks", "kernel panic: hung_task: blocked tasks")
              .markCorrupted(),
          TitleFormat.of("Kernel panic - not syncing: (.*)", "kernel panic: %[1]v"));

  private static final List<TitleFormat> KERNEL_BUG =
      List.of(
          TitleFormat.of("kernel BUG at mm/usercopy.c", "BUG: bad usercopy in %[1]v")
              .stack(callTrace().skip("usercopy", "__check")),
          TitleFormat.of("kernel BUG at lib/list_debug.c", "BUG: corrupted list in %[1]v")
              .alt("bad-access in %[1]v")
              .stack(callTrace()),
          TitleFormat.of("kernel BUG at (.*)", "kernel BUG in %[2]v").stack(ripThenCallTrace().skip("^skb_")));

  private static final List<TitleFormat> TRUSTY =
      List.of(
          TitleFormat.of("trusty: panic.* ASSERT FAILED.*: (.*)", "trusty: ASSERT FAILED: %[1]v").stackless(),
          TitleFormat.of("trusty: panic.* ASSERT FAILED.*", "trusty: ASSERT FAILED").markCorrupted(),
          TitleFormat.of("trusty: panic", "trusty: panic: %[1]v")
              .report("trusty: panic (?:.*?):(?: )?(.*)")
              .stackless());

  private static final Map<OopsHeader, List<TitleFormat>> BY_HEADER = new EnumMap<>(OopsHeader.class);

  static {
    BY_HEADER.put(OopsHeader.BUG, BUG);
    BY_HEADER.put(OopsHeader.WARNING, WARNING);
    BY_HEADER.put(OopsHeader.INFO, INFO);
    BY_HEADER.put(
        OopsHeader.UNABLE_TO_HANDLE,
        List.of(
            TitleFormat.of(
                    "Unable to handle kernel (paging request|NULL pointer dereference|access to user memory)",
                    "BUG: unable to handle kernel %[1]v in %[2]v")
                .alt("bad-access in %[2]v")
                .stack(ripThenCallTrace())));
    BY_HEADER.put(
        OopsHeader.GENERAL_PROTECTION_FAULT,
        List.of(
            TitleFormat.of("general protection fault.*:", "general protection fault in %[1]v")
                .alt("bad-access in %[1]v")
                .stack(ripThenCallTrace())));
    BY_HEADER.put(
        OopsHeader.STACK_SEGMENT,
        List.of(TitleFormat.of("stack segment: ", "stack segment fault in %[1]v").stack(ripThenCallTrace())));
    BY_HEADER.put(OopsHeader.KERNEL_PANIC, KERNEL_PANIC);
    BY_HEADER.put(
        OopsHeader.DOUBLE_FAULT,
        List.of(TitleFormat.of("PANIC: double fault", "PANIC: double fault in %[1]v").stack(StackRecipe.of(RIP))));
    BY_HEADER.put(
        OopsHeader.RUST_PANIC,
        List.of(
            TitleFormat.of("rust_kernel: panicked", "%[1]v in %[2]v")
                .report("rust_kernel: panicked at [^\\n]*?\\n(.+?)\\n")
                .stack(callTrace().skip(Pattern.quote("__rustc::rust_begin_unwind")))));
    BY_HEADER.put(OopsHeader.KERNEL_BUG, KERNEL_BUG);
    BY_HEADER.put(OopsHeader.KERNEL_BUG_UPPER, List.of(TitleFormat.of("Kernel BUG (.*)", "kernel BUG %[1]v")));
    BY_HEADER.put(
        OopsHeader.BUG_KMALLOC,
        List.of(TitleFormat.of("BUG kmalloc-.*: Object already free", "BUG: Object already free")));
    BY_HEADER.put(
        OopsHeader.DIVIDE_ERROR,
        List.of(TitleFormat.of("divide error: ", "divide error in %[1]v").stack(StackRecipe.of(RIP))));
    BY_HEADER.put(
        OopsHeader.DIVIDE_ERROR_UNDERSCORE,
        List.of(TitleFormat.of("divide_error: ", "divide error in %[1]v").stack(StackRecipe.of(RIP))));
    BY_HEADER.put(
        OopsHeader.INVALID_OPCODE,
        List.of(TitleFormat.of("invalid opcode: ", "invalid opcode in %[1]v").stack(StackRecipe.of(RIP))));
    BY_HEADER.put(OopsHeader.INT3, List.of(TitleFormat.of("int3: ", "int3 in %[1]v").stack(ripThenCallTrace())));
    BY_HEADER.put(
        OopsHeader.UBSAN,
        List.of(
            TitleFormat.of("UBSAN: Undefined behaviour in", "UBSAN: undefined-behaviour in %[1]v")
                .stack(callTrace().skip("ubsan", "overflow")),
            TitleFormat.of("UBSAN: array-index-out-of-bounds in", "UBSAN: array-index-out-of-bounds in %[1]v")
                .alt("bad-access in %[1]v")
                .stack(callTrace().skip("ubsan", "overflow")),
            TitleFormat.of("UBSAN: (.*?) in", "UBSAN: %[1]v in %[2]v").stack(callTrace().skip("ubsan", "overflow"))));
    BY_HEADER.put(
        OopsHeader.BOOTING,
        List.of(TitleFormat.of("^Booting the kernel", "unexpected kernel reboot").stackless()));
    BY_HEADER.put(
        OopsHeader.UNREGISTER_NETDEVICE,
        List.of(
            TitleFormat.of(
                    "unregister_netdevice: waiting for (?:.*) to become free",
                    "unregister_netdevice: waiting for DEV to become free")
                .stackless()));
    BY_HEADER.put(
        OopsHeader.VFS_CLOSE,
        List.of(
            TitleFormat.of("VFS: Close: file count is 0", "VFS: Close: file count is zero (use-after-free)")
                .stackless()));
    BY_HEADER.put(
        OopsHeader.VFS_BUSY_INODES,
        List.of(
            TitleFormat.of("VFS: Busy inodes after unmount", "VFS: Busy inodes after unmount (use-after-free)")
                .stackless()));
    BY_HEADER.put(
        OopsHeader.INTERNAL_ERROR,
        List.of(
            TitleFormat.of("Internal error:", "Internal error in %[1]v")
                .alt("bad-access in %[1]v")
                .stack(ripThenCallTrace())));
    BY_HEADER.put(
        OopsHeader.UNHANDLED_FAULT,
        List.of(
            TitleFormat.of("Unhandled fault:", "Unhandled fault in %[1]v")
                .alt("bad-access in %[1]v")
                .stack(ripThenCallTrace())));
    BY_HEADER.put(
        OopsHeader.ALIGNMENT_TRAP,
        List.of(TitleFormat.of("Alignment trap:", "Alignment trap in %[1]v").stack(ripThenCallTrace())));
    BY_HEADER.put(OopsHeader.TRUSTY_PANIC, TRUSTY);
    BY_HEADER.put(
        OopsHeader.GO_FATAL_ERROR, List.of(TitleFormat.of("fatal error:", "go runtime error").stackless()));
    BY_HEADER.put(OopsHeader.SYZFAIL, List.of(TitleFormat.of("SYZFAIL:(.*)", "SYZFAIL:%[1]v").stackless()));
    BY_HEADER.put(
        OopsHeader.SYZFATAL,
        List.of(TitleFormat.of("SYZFATAL:(.*)()", "SYZFATAL:%[1]v").alt("SYZFATAL%[2]v").stackless()));
    BY_HEADER.put(
        OopsHeader.GO_PANIC,
        List.of(
            TitleFormat.of("panic: Sentry detected .* stuck task", "panic: Sentry detected stuck tasks").stackless(),
            TitleFormat.of("panic:(.*)", "panic:%[1]v").stackless()));
  }

  /** The formats of a header family, most specific first. */
  static List<TitleFormat> of(OopsHeader header) {
    return BY_HEADER.getOrDefault(header, List.of());
  }
}
