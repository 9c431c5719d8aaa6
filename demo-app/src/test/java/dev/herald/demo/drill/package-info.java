/**
 * The kill -9 drill of the demo server: the whole server, on its H2 file or on PostgreSQL and Redis, killed
 * with SIGKILL while it takes events over HTTP and delivers them, and started again. See
 * {@code docs/reliability.md}.
 */
package dev.herald.demo.drill;
