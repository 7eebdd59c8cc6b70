/** Segments: the only code that knows the egress output layout on disk and the HLS playlist format. */
package io.replaybuffer.segment;
