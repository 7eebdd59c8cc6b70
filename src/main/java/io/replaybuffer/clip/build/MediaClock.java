package io.replaybuffer.clip.build;

import org.bytedeco.ffmpeg.avutil.AVRational;

/**
 * A stream's time base as plain numbers. JavaCV makes a new Java wrapper (with a deallocator) for every struct it
 * returns, so reading {@code streams(i).time_base()} per packet would allocate tens of MB per clip; these are
 * read once per segment, and the arithmetic stays in Java.
 */
record MediaClock(long num, long den) {

    static MediaClock of(AVRational rational) {
        return new MediaClock(rational.num(), rational.den());
    }

    long toMicros(long ticks) {
        return rescale(ticks, num * 1_000_000L, den);
    }

    long fromMicros(long micros) {
        return rescale(micros, den, num * 1_000_000L);
    }

    long to(MediaClock other, long ticks) {
        return rescale(ticks, num * other.den, den * other.num);
    }

    /**
     * a·b/c rounded to nearest, halves away from zero (as FFmpeg's av_rescale_q), exact even when a·b does not
     * fit in a long. b and c are positive.
     */
    static long rescale(long a, long b, long c) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        if ((high == 0 && low >= 0) || (high == -1 && low < 0 && low != Long.MIN_VALUE)) {
            return low >= 0 ? (low + c / 2) / c : -((-low + c / 2) / c);
        }
        java.math.BigInteger product = java.math.BigInteger.valueOf(a).multiply(java.math.BigInteger.valueOf(b));
        java.math.BigInteger half = java.math.BigInteger.valueOf(c / 2);
        java.math.BigInteger divisor = java.math.BigInteger.valueOf(c);
        return product.signum() >= 0 ? product.add(half).divide(divisor).longValueExact()
                : product.negate().add(half).divide(divisor).negate().longValueExact();
    }
}
