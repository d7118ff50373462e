/**
 * The demo service ({@code proflab serve}, {@code make run-server}): {@link dev.proflab.server.demo.WorkEndpoints}
 * ({@code /work/cpu}, {@code /work/mem}, {@code /work/contention}, {@code /work/leak}, each running a lab's before
 * or after) on a Javalin server with bounds, timeouts and a concurrency cap ({@link dev.proflab.server.demo.DemoService}),
 * and the mapping of the seed's lock profiling settings ({@link dev.proflab.server.demo.LockThreshold}).
 */
package dev.proflab.server.demo;
