package io.shardline.examples.kv.store;

/**
 * Redis's geohash arithmetic (geohash.c, geohash_helper.c): a longitude/latitude pair as a 52-bit
 * interleaved hash (latitude bits even, longitude bits odd, the Web Mercator latitude range of
 * +/-85.05112878), its cell, its eight neighbours, the step a search radius needs, and the haversine
 * distances Redis computes, operation for operation so that scores and search results match
 * redis-server's. Stateless; any thread.
 *
 * <p>A hash is a {@code long} of {@code 2 * step} bits; a cell that a search excludes is
 * {@link #ZERO} (Redis's GZERO: bits 0 and step 0).
 */
final class GeoHash {
    static final double LONG_MIN = -180;
    static final double LONG_MAX = 180;
    static final double LAT_MIN = -85.05112878;
    static final double LAT_MAX = 85.05112878;
    static final int STEP_MAX = 26;
    static final double EARTH_RADIUS_IN_METERS = 6372797.560856;
    private static final double MERCATOR_MAX = 20037726.37;
    private static final double D_R = Math.PI / 180.0;
    /** A cell the search skips (neither bits nor step). */
    static final Cell ZERO = new Cell(0, 0);

    private GeoHash() {
    }

    /** A geohash cell: {@code bits} holds {@code 2 * step} interleaved bits. */
    record Cell(long bits, int step) {
        boolean zero() {
            return bits == 0 && step == 0;
        }

        /** The cell's lowest 52-bit score (geohashAlign52Bits). */
        long align52() {
            return bits << (52 - step * 2);
        }
    }

    /**
     * geohashEncode over the given ranges: null if the point is outside Redis's limits or the ranges.
     * The offsets are truncated to 32 bits as C's conversion to {@code uint32_t} does.
     */
    static Cell encode(double longMin, double longMax, double latMin, double latMax, double longitude, double latitude, int step) {
        if (longitude > LONG_MAX || longitude < LONG_MIN || latitude > LAT_MAX || latitude < LAT_MIN) {
            return null;
        }
        if (latitude < latMin || latitude > latMax || longitude < longMin || longitude > longMax) {
            return null;
        }
        double latOffset = (latitude - latMin) / (latMax - latMin);
        double longOffset = (longitude - longMin) / (longMax - longMin);
        latOffset *= (double) (1L << step);
        longOffset *= (double) (1L << step);
        return new Cell(interleave((long) latOffset & 0xFFFFFFFFL, (long) longOffset & 0xFFFFFFFFL), step);
    }

    /** geohashEncodeWGS84: over the Mercator ranges. */
    static Cell encode(double longitude, double latitude, int step) {
        return encode(LONG_MIN, LONG_MAX, LAT_MIN, LAT_MAX, longitude, latitude, step);
    }

    /** The 52-bit score GEOADD stores for a point inside the limits. */
    static long score(double longitude, double latitude) {
        return encode(longitude, latitude, STEP_MAX).align52();
    }

    /** A score as geo.c's decodeGeohash reads it: C's {@code (uint64_t)} of the double. */
    static long bitsOf(double score) {
        if (score >= 0x1p63) {
            return (long) (score - 0x1p63) ^ Long.MIN_VALUE;
        }
        return (long) score;
    }

    /**
     * geohashDecode over the Mercator ranges: the cell's {longitude min, longitude max, latitude min,
     * latitude max}, or null for a zero cell.
     */
    static double[] area(Cell hash) {
        return area(LONG_MIN, LONG_MAX, LAT_MIN, LAT_MAX, hash);
    }

    private static double[] area(double longMin, double longMax, double latMin, double latMax, Cell hash) {
        if (hash.zero()) {
            return null;
        }
        long sep = deinterleave(hash.bits);
        double latScale = latMax - latMin;
        double longScale = longMax - longMin;
        long ilato = sep & 0xFFFFFFFFL;
        long ilono = sep >>> 32;
        double cells = (double) (1L << hash.step);
        return new double[] {
            longMin + (ilono * 1.0 / cells) * longScale,
            longMin + ((ilono + 1) * 1.0 / cells) * longScale,
            latMin + (ilato * 1.0 / cells) * latScale,
            latMin + ((ilato + 1) * 1.0 / cells) * latScale,
        };
    }

    /**
     * decodeGeohash: the centre {longitude, latitude} of the full-precision cell of a stored score,
     * clamped to the limits; null when the score decodes to nothing (a zero hash).
     */
    static double[] decode(double score) {
        double[] a = area(new Cell(bitsOf(score), STEP_MAX));
        if (a == null) {
            return null;
        }
        double x = (a[0] + a[1]) / 2;
        x = Math.max(LONG_MIN, Math.min(LONG_MAX, x));
        double y = (a[2] + a[3]) / 2;
        y = Math.max(LAT_MIN, Math.min(LAT_MAX, y));
        return new double[] {x, y};
    }

    /** GEOHASH's 11 characters: the point re-encoded over the standard +/-90 latitude range. */
    static String standard(double longitude, double latitude) {
        Cell hash = encode(-180, 180, -90, 90, longitude, latitude, STEP_MAX);
        String alphabet = "0123456789bcdefghjkmnpqrstuvwxyz";
        char[] buf = new char[11];
        for (int i = 0; i < 11; i++) {
            // 52 bits make ten characters and two bits: the 11th is '0', as Redis has always printed it
            int idx = i == 10 ? 0 : (int) ((hash.bits >>> (52 - (i + 1) * 5)) & 0x1f);
            buf[i] = alphabet.charAt(idx);
        }
        return new String(buf);
    }

    /** Bits of x in the even positions, of y in the odd (x and y below 2^32). */
    static long interleave(long x, long y) {
        x = (x | (x << 16)) & 0x0000FFFF0000FFFFL;
        y = (y | (y << 16)) & 0x0000FFFF0000FFFFL;
        x = (x | (x << 8)) & 0x00FF00FF00FF00FFL;
        y = (y | (y << 8)) & 0x00FF00FF00FF00FFL;
        x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0FL;
        y = (y | (y << 4)) & 0x0F0F0F0F0F0F0F0FL;
        x = (x | (x << 2)) & 0x3333333333333333L;
        y = (y | (y << 2)) & 0x3333333333333333L;
        x = (x | (x << 1)) & 0x5555555555555555L;
        y = (y | (y << 1)) & 0x5555555555555555L;
        return x | (y << 1);
    }

    /** The inverse of {@link #interleave}: the even bits in the low word, the odd in the high. */
    static long deinterleave(long interleaved) {
        long x = interleaved;
        long y = interleaved >>> 1;
        x = (x | x) & 0x5555555555555555L;
        y = (y | y) & 0x5555555555555555L;
        x = (x | (x >>> 1)) & 0x3333333333333333L;
        y = (y | (y >>> 1)) & 0x3333333333333333L;
        x = (x | (x >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
        y = (y | (y >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
        x = (x | (x >>> 4)) & 0x00FF00FF00FF00FFL;
        y = (y | (y >>> 4)) & 0x00FF00FF00FF00FFL;
        x = (x | (x >>> 8)) & 0x0000FFFF0000FFFFL;
        y = (y | (y >>> 8)) & 0x0000FFFF0000FFFFL;
        x = (x | (x >>> 16)) & 0x00000000FFFFFFFFL;
        y = (y | (y >>> 16)) & 0x00000000FFFFFFFFL;
        return x | (y << 32);
    }

    /** geohash_move_x: one cell east (d > 0) or west, wrapping round the antimeridian. */
    private static Cell moveX(Cell hash, int d) {
        long x = hash.bits & 0xaaaaaaaaaaaaaaaaL;
        long y = hash.bits & 0x5555555555555555L;
        long zz = 0x5555555555555555L >>> (64 - hash.step * 2);
        if (d > 0) {
            x = x + (zz + 1);
        } else {
            x = x | zz;
            x = x - (zz + 1);
        }
        x &= 0xaaaaaaaaaaaaaaaaL >>> (64 - hash.step * 2);
        return new Cell(x | y, hash.step);
    }

    /** geohash_move_y: one cell north (d > 0) or south. */
    private static Cell moveY(Cell hash, int d) {
        long x = hash.bits & 0xaaaaaaaaaaaaaaaaL;
        long y = hash.bits & 0x5555555555555555L;
        long zz = 0xaaaaaaaaaaaaaaaaL >>> (64 - hash.step * 2);
        if (d > 0) {
            y = y + (zz + 1);
        } else {
            y = y | zz;
            y = y - (zz + 1);
        }
        y &= 0x5555555555555555L >>> (64 - hash.step * 2);
        return new Cell(x | y, hash.step);
    }

    /** The cell moved {@code dx} east and {@code dy} north (each -1, 0 or 1). */
    static Cell neighbour(Cell hash, int dx, int dy) {
        Cell c = dx == 0 ? hash : moveX(hash, dx);
        return dy == 0 ? c : moveY(c, dy);
    }

    /** geohashEstimateStepsByRadius: the step whose cells are about the radius wide at this latitude. */
    static int estimateSteps(double rangeMeters, double lat) {
        if (rangeMeters == 0) {
            return 26;
        }
        int step = 1;
        while (rangeMeters < MERCATOR_MAX) {
            rangeMeters *= 2;
            step++;
        }
        step -= 2; // make sure the range is included in most of the base cases
        if (lat > 66 || lat < -66) { // wider cells towards the poles
            step--;
            if (lat > 80 || lat < -80) {
                step--;
            }
        }
        return Math.max(1, Math.min(26, step));
    }

    static double degRad(double ang) {
        return ang * D_R;
    }

    static double radDeg(double ang) {
        return ang / D_R;
    }

    /** geohashGetLatDistance: the distance along a meridian. */
    static double latDistance(double lat1d, double lat2d) {
        return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2d) - degRad(lat1d));
    }

    /** geohashGetDistance: the haversine distance in meters. */
    static double distance(double lon1d, double lat1d, double lon2d, double lat2d) {
        double lon1r = degRad(lon1d);
        double lon2r = degRad(lon2d);
        double v = StrictMath.sin((lon2r - lon1r) / 2);
        if (v == 0.0) { // the same longitude: the cheaper formula
            return latDistance(lat1d, lat2d);
        }
        double lat1r = degRad(lat1d);
        double lat2r = degRad(lat2d);
        double u = StrictMath.sin((lat2r - lat1r) / 2);
        double a = u * u + StrictMath.cos(lat1r) * StrictMath.cos(lat2r) * v * v;
        return 2.0 * EARTH_RADIUS_IN_METERS * StrictMath.asin(StrictMath.sqrt(a));
    }
}
