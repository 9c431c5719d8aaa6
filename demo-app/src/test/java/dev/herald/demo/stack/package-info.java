/** Real servers for the second configuration: embedded PostgreSQL and embedded Redis on 127.0.0.1. */
package dev.herald.demo.stack;
