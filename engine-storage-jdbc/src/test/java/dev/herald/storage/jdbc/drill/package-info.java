/**
 * Fault drills: a Herald process killed with SIGKILL and restarted on the same H2 file, a receiver that
 * goes away and comes back. Each drill keeps a ledger of what the receiver saw and proves that nothing
 * the engine acknowledged was lost; duplicates are allowed (delivery is at least once) and counted.
 * See {@code docs/reliability.md}.
 */
package dev.herald.storage.jdbc.drill;
