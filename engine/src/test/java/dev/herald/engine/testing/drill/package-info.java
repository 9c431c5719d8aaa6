/**
 * The parts every kill -9 and outage drill shares, through the engine's test-jar: the receiver ledger
 * (which {@code webhook-id}s and events arrived, how often, with a valid signature), the child JVM the
 * drill kills with SIGKILL, the guard that stops a child when its drill closes its input, and the seeded
 * kill points. Not part of Herald's API; see {@code docs/reliability.md}.
 */
package dev.herald.engine.testing.drill;
