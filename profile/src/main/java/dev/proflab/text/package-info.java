/**
 * Text for people: {@link dev.proflab.text.Escape} writes names from a profile where they could be read as
 * something else (XML and HTML, a terminal), and {@link dev.proflab.text.Phrase} is a library's one-line message
 * with its parameters marked, which the library names neutrally and a caller names its own way (the CLI its
 * flags).
 */
package dev.proflab.text;
