/**
 * The {@code crashdex} command line: one picocli command class per verb, each a
 * {@code Callable<Integer>} that returns one of the {@link org.crashdex.cli.ExitCodes}.
 *
 * <p>{@link org.crashdex.cli.Main} wires the verbs together and guarantees the contract every verb
 * keeps: bad input ends in a one-line message on stderr and a documented exit code, never a stack
 * trace. {@code scan} prints what the library finds in logs without keeping anything; {@code index}
 * builds the Lucene index that {@code search}, {@code show}, {@code top} and {@code stats} read;
 * {@code demo} runs them all on the bundled samples. The commands hold no logic of their own beyond
 * options and printing: scanning, extraction, indexing and search live in {@code core}.
 */
package org.crashdex.cli;
