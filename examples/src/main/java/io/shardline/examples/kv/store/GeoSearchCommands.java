package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.ReplySink;
import java.util.ArrayList;
import java.util.Comparator;

/**
 * GEORADIUS, GEORADIUSBYMEMBER, their _RO forms, GEOSEARCH and GEOSEARCHSTORE, through one parser
 * as geo.c's georadiusGeneric, in its order of checks and with its errors; the search is
 * {@link GeoShapeSearch}'s. Owned by one shard; not thread-safe.
 *
 * <p>Journal form: a STORE as the DEL of the destination and a ZADD of the result
 * ({@link ZSetStore}); the reads log nothing. When the destination lives on another shard the
 * source's shard runs the {@code *Gather} form, which replies the (member, score) pairs to store.
 */
public final class GeoSearchCommands {
    private static final int RADIUS_COORDS = 1;
    private static final int RADIUS_MEMBER = 1 << 1;
    private static final int RADIUS_NOSTORE = 1 << 2;
    private static final int GEOSEARCH = 1 << 3;
    private static final int GEOSEARCHSTORE = 1 << 4;

    private static final int SORT_NONE = 0;
    private static final int SORT_ASC = 1;
    private static final int SORT_DESC = 2;

    private final Keyspace ks;
    private final Bytes probe = Bytes.probe();
    private final Bytes member = Bytes.probe();

    GeoSearchCommands(Keyspace ks) {
        this.ks = ks;
    }

    public void georadius(Argv argv, ReplySink out, Journal journal) {
        generic(argv, 1, RADIUS_COORDS, false, out, journal);
    }

    public void georadiusRo(Argv argv, ReplySink out, Journal journal) {
        generic(argv, 1, RADIUS_COORDS | RADIUS_NOSTORE, false, out, journal);
    }

    public void georadiusbymember(Argv argv, ReplySink out, Journal journal) {
        generic(argv, 1, RADIUS_MEMBER, false, out, journal);
    }

    public void georadiusbymemberRo(Argv argv, ReplySink out, Journal journal) {
        generic(argv, 1, RADIUS_MEMBER | RADIUS_NOSTORE, false, out, journal);
    }

    public void geosearch(Argv argv, ReplySink out, Journal journal) {
        generic(argv, 1, GEOSEARCH, false, out, journal);
    }

    public void geosearchstore(Argv argv, ReplySink out, Journal journal) {
        generic(argv, 2, GEOSEARCH | GEOSEARCHSTORE, false, out, journal);
    }

    /** GEORADIUS ... STORE on the source's shard, the destination elsewhere: replies the pairs to store. */
    public void georadiusGather(Argv argv, ReplySink out, Journal journal) {
        generic(argv, 1, RADIUS_COORDS, true, out, journal);
    }

    public void georadiusbymemberGather(Argv argv, ReplySink out, Journal journal) {
        generic(argv, 1, RADIUS_MEMBER, true, out, journal);
    }

    public void geosearchstoreGather(Argv argv, ReplySink out, Journal journal) {
        generic(argv, 2, GEOSEARCH | GEOSEARCHSTORE, true, out, journal);
    }

    /**
     * georadiusGeneric. With {@code gather}, a STORE replies its flat (member, score text) pairs
     * instead of writing them.
     */
    private void generic(Argv argv, int src, int flags, boolean gather, ReplySink out, Journal journal) {
        Entry e = ks.lookup(probe.point(argv, src), ValueType.ZSET, out);
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        ZSetValue zset = e == null ? null : e.zset();
        byte[] storeKey = null;
        boolean storeDist = false;
        int base;
        GeoShapeSearch.Shape shape = new GeoShapeSearch.Shape();
        if ((flags & RADIUS_COORDS) != 0) {
            base = 6;
            shape.circle = true;
            double[] xy = GeoCommands.lonLat(argv, 2, out);
            if (xy == null || !distance(argv, base - 2, shape, out)) {
                return;
            }
            shape.lon = xy[0];
            shape.lat = xy[1];
        } else if ((flags & RADIUS_MEMBER) != 0 && zset == null) {
            base = 5; // no source: parse on, so that the reply fits a STORE
        } else if ((flags & RADIUS_MEMBER) != 0) {
            base = 5;
            shape.circle = true;
            double[] xy = GeoCommands.position(zset, member.point(argv, 2));
            if (xy == null) {
                out.error("ERR could not decode requested zset member");
                return;
            }
            shape.lon = xy[0];
            shape.lat = xy[1];
            if (!distance(argv, base - 2, shape, out)) {
                return;
            }
        } else {
            base = 2;
            if ((flags & GEOSEARCHSTORE) != 0) {
                base = 3;
                storeKey = argv.bytes(1);
            }
        }
        boolean withDist = false;
        boolean withHash = false;
        boolean withCoords = false;
        boolean fromMember = false;
        boolean fromLoc = false;
        boolean byRadius = false;
        boolean byBox = false;
        int sort = SORT_NONE;
        boolean any = false;
        long count = 0;
        boolean search = (flags & GEOSEARCH) != 0;
        int remaining = argv.count() - base;
        for (int i = 0; i < remaining; i++) {
            int at = base + i;
            if (argv.equalsIgnoreCase(at, "withdist")) {
                withDist = true;
            } else if (argv.equalsIgnoreCase(at, "withhash")) {
                withHash = true;
            } else if (argv.equalsIgnoreCase(at, "withcoord")) {
                withCoords = true;
            } else if (argv.equalsIgnoreCase(at, "any")) {
                any = true;
            } else if (argv.equalsIgnoreCase(at, "asc")) {
                sort = SORT_ASC;
            } else if (argv.equalsIgnoreCase(at, "desc")) {
                sort = SORT_DESC;
            } else if (argv.equalsIgnoreCase(at, "count") && i + 1 < remaining) {
                if (!Numbers.isLong(argv, at + 1)) {
                    out.error(Errors.NOT_INTEGER);
                    return;
                }
                count = Numbers.toLong(argv, at + 1);
                if (count <= 0) {
                    out.error("ERR COUNT must be > 0");
                    return;
                }
                i++;
            } else if ((argv.equalsIgnoreCase(at, "store") || argv.equalsIgnoreCase(at, "storedist")) && i + 1 < remaining
                    && (flags & RADIUS_NOSTORE) == 0 && !search) {
                storeKey = argv.bytes(at + 1);
                storeDist = argv.equalsIgnoreCase(at, "storedist");
                i++;
            } else if (argv.equalsIgnoreCase(at, "storedist") && search && (flags & GEOSEARCHSTORE) != 0) {
                storeDist = true;
            } else if (argv.equalsIgnoreCase(at, "frommember") && i + 1 < remaining && search && !fromLoc) {
                if (zset != null) {
                    double[] xy = GeoCommands.position(zset, member.point(argv, at + 1));
                    if (xy == null) {
                        out.error("ERR could not decode requested zset member");
                        return;
                    }
                    shape.lon = xy[0];
                    shape.lat = xy[1];
                }
                fromMember = true;
                i++;
            } else if (argv.equalsIgnoreCase(at, "fromlonlat") && i + 2 < remaining && search && !fromMember) {
                double[] xy = GeoCommands.lonLat(argv, at + 1, out);
                if (xy == null) {
                    return;
                }
                shape.lon = xy[0];
                shape.lat = xy[1];
                fromLoc = true;
                i += 2;
            } else if (argv.equalsIgnoreCase(at, "byradius") && i + 2 < remaining && search && !byBox) {
                if (!distance(argv, at + 1, shape, out)) {
                    return;
                }
                shape.circle = true;
                byRadius = true;
                i += 2;
            } else if (argv.equalsIgnoreCase(at, "bybox") && i + 3 < remaining && search && !byRadius) {
                if (!box(argv, at + 1, shape, out)) {
                    return;
                }
                shape.circle = false;
                byBox = true;
                i += 3;
            } else {
                out.error(Errors.SYNTAX);
                return;
            }
        }
        if (storeKey != null && (withDist || withHash || withCoords)) {
            out.error("ERR " + ((flags & GEOSEARCHSTORE) != 0 ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS")
                    + " is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
            return;
        }
        if (search && !(fromMember || fromLoc)) {
            out.error("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " + new String(argv.bytes(0), java.nio.charset.StandardCharsets.UTF_8));
            return;
        }
        if (search && !(byRadius || byBox)) {
            out.error("ERR exactly one of BYRADIUS and BYBOX can be specified for " + new String(argv.bytes(0), java.nio.charset.StandardCharsets.UTF_8));
            return;
        }
        if (any && count == 0) {
            out.error("ERR the ANY argument requires COUNT argument");
            return;
        }
        String event = search ? "geosearchstore" : "georadiusstore";
        if (zset == null) {
            finish(new ArrayList<>(), 0, storeKey, storeDist, shape, gather, false, false, false, event, out, journal);
            return;
        }
        if (count != 0 && sort == SORT_NONE && !any) {
            sort = SORT_ASC; // the nearest N need a sort
        }
        ArrayList<GeoShapeSearch.Point> found = GeoShapeSearch.search(zset, shape, any ? count : 0);
        int returned = (int) (count == 0 || found.size() < count ? found.size() : count);
        if (sort != SORT_NONE) {
            Comparator<GeoShapeSearch.Point> byDist = Comparator.comparingDouble(GeoShapeSearch.Point::dist);
            found.sort(sort == SORT_ASC ? byDist : byDist.reversed());
        }
        finish(found, returned, storeKey, storeDist, shape, gather, withDist, withHash, withCoords, event, out, journal);
    }

    /** Replies, stores or (gathering) hands over the first {@code returned} points. */
    private void finish(ArrayList<GeoShapeSearch.Point> found, int returned, byte[] storeKey, boolean storeDist, GeoShapeSearch.Shape shape, boolean gather,
            boolean withDist, boolean withHash, boolean withCoords, String event, ReplySink out, Journal journal) {
        if (storeKey == null) {
            int options = (withDist ? 1 : 0) + (withCoords ? 1 : 0) + (withHash ? 1 : 0);
            out.arrayHeader(returned);
            for (int i = 0; i < returned; i++) {
                GeoShapeSearch.Point p = found.get(i);
                if (options > 0) {
                    out.arrayHeader(options + 1);
                }
                out.bulk(p.member());
                if (withDist) {
                    out.bulk(GeoCommands.distance(p.dist() / shape.conversion));
                }
                if (withHash) {
                    out.integer((long) p.score());
                }
                if (withCoords) {
                    out.arrayHeader(2);
                    out.doubleText(GeoCommands.human(p.lon()));
                    out.doubleText(GeoCommands.human(p.lat()));
                }
            }
            return;
        }
        byte[][] members = new byte[returned][];
        double[] scores = new double[returned];
        for (int i = 0; i < returned; i++) {
            GeoShapeSearch.Point p = found.get(i);
            members[i] = p.member();
            scores[i] = storeDist ? p.dist() / shape.conversion : p.score();
        }
        if (gather) {
            out.arrayHeader(2L * returned);
            for (int i = 0; i < returned; i++) {
                out.bulk(members[i]);
                out.bulk(ZSetStore.scoreText(scores[i]));
            }
            return;
        }
        ZSetStore.replace(ks, storeKey, members, scores, returned, journal, event);
        out.integer(returned);
    }

    /** extractDistanceOrReply: radius and unit at {@code at}; false after replying the error. */
    private static boolean distance(Argv argv, int at, GeoShapeSearch.Shape shape, ReplySink out) {
        double d = Numbers.toDouble(argv, at);
        if (Double.isNaN(d)) {
            out.error("ERR need numeric radius");
            return false;
        }
        if (d < 0) {
            out.error("ERR radius cannot be negative");
            return false;
        }
        shape.radius = d;
        double toMeters = GeoCommands.unit(argv, at + 1, out);
        if (toMeters < 0) {
            return false;
        }
        shape.conversion = toMeters;
        return true;
    }

    /** extractBoxOrReply: width, height and unit at {@code at}; false after replying the error. */
    private static boolean box(Argv argv, int at, GeoShapeSearch.Shape shape, ReplySink out) {
        double w = Numbers.toDouble(argv, at);
        if (Double.isNaN(w)) {
            out.error("ERR need numeric width");
            return false;
        }
        double h = Numbers.toDouble(argv, at + 1);
        if (Double.isNaN(h)) {
            out.error("ERR need numeric height");
            return false;
        }
        if (h < 0 || w < 0) {
            out.error("ERR height or width cannot be negative");
            return false;
        }
        shape.width = w;
        shape.height = h;
        double toMeters = GeoCommands.unit(argv, at + 2, out);
        if (toMeters < 0) {
            return false;
        }
        shape.conversion = toMeters;
        return true;
    }
}
