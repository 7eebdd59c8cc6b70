/** Capture: choosing the segments for a requested window and securing them before answering. */
package io.replaybuffer.capture;
