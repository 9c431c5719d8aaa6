/**
 * The bad-input fuzz drill of the demo API ({@link dev.herald.demo.fuzz.ApiFuzzDrillTest}): the case
 * generator, the stub resolver, the single test receiver, and the recording, guarded event loop under the
 * transport that proves no connection leaves for a blocked address.
 */
package dev.herald.demo.fuzz;
