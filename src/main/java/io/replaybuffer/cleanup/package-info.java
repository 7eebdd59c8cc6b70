/** Cleanup: the scheduled sweep that keeps every buffer at its window and reclaims what nobody can capture. */
package io.replaybuffer.cleanup;
