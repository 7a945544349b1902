package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.ReplySink;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * GEOADD, GEOPOS, GEODIST and GEOHASH as geo.c runs them: a geo set is a sorted set whose scores are
 * the 52-bit geohashes of {@link GeoHash}, so GEOADD is a ZADD of those scores (and is logged as that
 * ZADD); the searches are {@link GeoSearchCommands}'. Also the number spellings every geo reply uses.
 * Owned by one shard; not thread-safe.
 */
public final class GeoCommands {
    private static final byte[] ZADD = Args.bytes("zadd");

    private final Keyspace ks;
    private final ZSetCommands zsets;
    /** Keys and members looked up where the request holds them. */
    private final Bytes probe = Bytes.probe();
    private final Bytes member = Bytes.probe();

    GeoCommands(Keyspace ks, ZSetCommands zsets) {
        this.ks = ks;
        this.zsets = zsets;
    }

    /** GEOADD key [NX | XX] [CH] longitude latitude member [longitude latitude member ...]. */
    public void geoadd(Argv argv, ReplySink out, Journal journal) {
        boolean nx = false;
        boolean xx = false;
        int first = 2;
        for (; first < argv.count(); first++) {
            if (argv.equalsIgnoreCase(first, "nx")) {
                nx = true;
            } else if (argv.equalsIgnoreCase(first, "xx")) {
                xx = true;
            } else if (!argv.equalsIgnoreCase(first, "ch")) { // CH is ZADD's to read
                break;
            }
        }
        if ((argv.count() - first) % 3 != 0 || (xx && nx)) {
            out.error(Errors.SYNTAX);
            return;
        }
        int elements = (argv.count() - first) / 3;
        byte[][] zadd = new byte[first + 2 * elements][];
        zadd[0] = ZADD;
        for (int i = 1; i < first; i++) {
            zadd[i] = argv.bytes(i);
        }
        for (int i = 0; i < elements; i++) {
            double[] xy = lonLat(argv, first + 3 * i, out);
            if (xy == null) {
                return;
            }
            zadd[first + 2 * i] = Args.bytes(Long.toString(GeoHash.score(xy[0], xy[1])));
            zadd[first + 2 * i + 1] = argv.bytes(first + 3 * i + 2);
        }
        zsets.zadd(Argv.of(zadd), out, journal);
    }

    /** GEOPOS key [member ...]: each member's decoded position, or a null array. */
    public void geopos(Argv argv, ReplySink out, Journal journal) {
        ZSetValue zset = zset(argv, out);
        if (zset == WRONG) {
            return;
        }
        out.arrayHeader(argv.count() - 2);
        for (int j = 2; j < argv.count(); j++) {
            double[] xy = zset == null ? null : position(zset, member.point(argv, j));
            if (xy == null) {
                out.nullArray();
            } else {
                out.arrayHeader(2);
                out.doubleText(human(xy[0]));
                out.doubleText(human(xy[1]));
            }
        }
    }

    /** GEOHASH key [member ...]: each member's 11-character standard geohash, or null. */
    public void geohash(Argv argv, ReplySink out, Journal journal) {
        ZSetValue zset = zset(argv, out);
        if (zset == WRONG) {
            return;
        }
        out.arrayHeader(argv.count() - 2);
        for (int j = 2; j < argv.count(); j++) {
            double[] xy = zset == null ? null : position(zset, member.point(argv, j));
            if (xy == null) {
                out.nullBulk();
            } else {
                out.bulk(GeoHash.standard(xy[0], xy[1]));
            }
        }
    }

    /** GEODIST key member1 member2 [M | KM | FT | MI]. */
    public void geodist(Argv argv, ReplySink out, Journal journal) {
        double toMeter = 1;
        if (argv.count() == 5) {
            toMeter = unit(argv, 4, out);
            if (toMeter < 0) {
                return;
            }
        } else if (argv.count() > 5) {
            out.error(Errors.SYNTAX);
            return;
        }
        ZSetValue zset = zset(argv, out);
        if (zset == WRONG) {
            return;
        }
        double[] a = zset == null ? null : position(zset, member.point(argv, 2));
        double[] b = zset == null || a == null ? null : position(zset, member.point(argv, 3));
        if (b == null) {
            out.nullBulk();
            return;
        }
        out.bulk(distance(GeoHash.distance(a[0], a[1], b[0], b[1]) / toMeter));
    }

    private static final ZSetValue WRONG = new ZSetValue();

    /** The sorted set at argument 1, null if missing, {@link #WRONG} after replying WRONGTYPE. */
    private ZSetValue zset(Argv argv, ReplySink out) {
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.ZSET, out);
        return e == null ? null : e == Keyspace.WRONG_TYPE ? WRONG : e.zset();
    }

    /** longLatFromMember: the member's decoded position, or null if absent or undecodable. */
    static double[] position(ZSetValue zset, Bytes m) {
        double score = zset.scoreOf(m);
        return Double.isNaN(score) ? null : GeoHash.decode(score);
    }

    /**
     * extractLongLatOrReply: the longitude and latitude at {@code at}, or null after replying the
     * float error or Redis's range error.
     */
    static double[] lonLat(Argv argv, int at, ReplySink out) {
        double[] xy = new double[2];
        for (int i = 0; i < 2; i++) {
            xy[i] = Numbers.toDouble(argv, at + i);
            if (Double.isNaN(xy[i])) {
                out.error(Errors.NOT_FLOAT);
                return null;
            }
        }
        if (xy[0] < GeoHash.LONG_MIN || xy[0] > GeoHash.LONG_MAX || xy[1] < GeoHash.LAT_MIN || xy[1] > GeoHash.LAT_MAX) {
            out.error("ERR invalid longitude,latitude pair " + printfF(xy[0]) + "," + printfF(xy[1]));
            return null;
        }
        return xy;
    }

    /** extractUnitOrReply: meters per unit, or -1 after replying the error. */
    static double unit(Argv argv, int at, ReplySink out) {
        if (argv.equalsIgnoreCase(at, "m")) {
            return 1;
        } else if (argv.equalsIgnoreCase(at, "km")) {
            return 1000;
        } else if (argv.equalsIgnoreCase(at, "ft")) {
            return 0.3048;
        } else if (argv.equalsIgnoreCase(at, "mi")) {
            return 1609.34;
        }
        out.error("ERR unsupported unit provided. please use M, KM, FT, MI");
        return -1;
    }

    /** C's {@code %f}: six decimals of the exact binary value; inf and nan as glibc spells them. */
    static String printfF(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        String s = new BigDecimal(d).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
        return d < 0 || (d == 0 && 1 / d < 0) ? (s.startsWith("-") ? s : "-" + s) : s;
    }

    /**
     * addReplyDoubleDistance (Redis 7.2's fixedpoint_d2string with four digits): the value times 10^4
     * rounded half to even ({@code llrint}), with the point put back.
     */
    static String distance(double d) {
        if (d == 0) {
            return "0.0000";
        }
        long v = (long) Math.rint(d * 10000.0);
        boolean negative = v < 0;
        String digits = Long.toString(Math.abs(v));
        while (digits.length() < 5) {
            digits = "0" + digits;
        }
        int point = digits.length() - 4;
        return (negative ? "-" : "") + digits.substring(0, point) + "." + digits.substring(point);
    }

    /**
     * addReplyHumanLongDouble: {@code %.17Lf} of the exact value (a double widens to long double
     * exactly), trailing zeros and a bare point dropped, "-0" as "0".
     */
    static String human(double d) {
        String s = new BigDecimal(d).setScale(17, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
        return s.equals("-0") ? "0" : s;
    }
}
