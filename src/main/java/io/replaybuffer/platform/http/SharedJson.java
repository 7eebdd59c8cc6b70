package io.replaybuffer.platform.http;

/**
 * A response body that many requests are answered with as one immutable instance, the way a cache hands it out:
 * {@link SharedJsonWriter} renders each instance's JSON once and sends those bytes from then on. Only for values
 * that cannot change after they are made (records of immutable parts): a change would never reach the bytes.
 */
public interface SharedJson {
}
