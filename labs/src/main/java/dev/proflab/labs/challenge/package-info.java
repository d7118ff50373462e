/**
 * The final challenge: a nightly batch job that is slower than it should be ({@link dev.proflab.labs.challenge.Challenge}).
 * {@link dev.proflab.labs.challenge.SalesReport} is the job as it runs today and stays as it is;
 * {@link dev.proflab.labs.challenge.MySalesReport} is the learner's copy to fix, measured against it by
 * {@code make challenge-compare}.
 */
package dev.proflab.labs.challenge;
