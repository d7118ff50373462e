/**
 * The final challenge's reference fix ({@link dev.proflab.labs.challenge.solution.SalesReportSolution}): best read
 * after trying the challenge.
 */
package dev.proflab.labs.challenge.solution;
