/**
 * A folder of profiles collected over time (what {@code proflab collect} writes, or any folder of JFR and pprof
 * files) as windows on a time axis: {@link dev.proflab.history.ProfileFolder} lists it again on every
 * {@link dev.proflab.history.ProfileFolder#scan() scan} (windows keep arriving and retention removes old ones),
 * {@link dev.proflab.history.Window} is one profile with its kind ({@link dev.proflab.profile.ProfileKind}, the
 * vocabulary the collector writes the folders in, named after Go's {@code /debug/pprof} endpoints) and start, and
 * {@link dev.proflab.history.ProfileTimes} reads a profile's start and duration from its header alone. The viewer's
 * history page is built on it.
 */
package dev.proflab.history;
