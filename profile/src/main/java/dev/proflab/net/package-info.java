/**
 * The host names a local server answers to ({@link dev.proflab.net.HostCheck}), against DNS rebinding: a pure
 * function of a request's {@code Host} text, shared by the three HTTP servers (the debug endpoints, the viewer,
 * the demo service). It lives with the profile library because all three depend on that library already and it
 * needs nothing but the JDK.
 */
package dev.proflab.net;
