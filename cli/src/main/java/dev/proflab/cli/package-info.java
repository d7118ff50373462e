/**
 * The {@code proflab} command ({@link dev.proflab.cli.Main}, picocli): one subcommand per class, each wiring the
 * libraries (profile, stats, capture, gc, debug) and the servers (viewer, demo service) to the terminal. It owns
 * the user's words: flags, exit codes (0 ok, 1 a check failed, 2 bad input) and one-line errors, phrasing the
 * libraries' neutral parameter names as its flags. What only the labs' runner knows lives here too: the labs'
 * benchmarks ({@code dev.proflab.jmh}) and the GC lab's probe ({@code GcProbe}).
 */
package dev.proflab.cli;
