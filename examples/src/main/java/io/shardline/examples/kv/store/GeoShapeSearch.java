package io.shardline.examples.kv.store;

import java.util.ArrayList;

/**
 * The geo search itself, as geohash_helper.c and geo.c run it: the shape's bounding box picks a
 * geohash step, and the centre cell and those of its eight neighbours the box reaches are read as
 * score ranges of the sorted set, in Redis's order, each point tested against the circle or the box.
 * Stateless; runs on the shard that owns the set.
 */
final class GeoShapeSearch {
    private GeoShapeSearch() {
    }

    /** A found point: its decoded position, distance from the centre in meters, score and member. */
    record Point(double lon, double lat, double dist, double score, byte[] member) {
    }

    /** The search area: a circle of {@code radius} or a {@code width} by {@code height} box, in units of {@code conversion} meters. */
    static final class Shape {
        boolean circle;
        double lon;
        double lat;
        double radius;
        double width;
        double height;
        double conversion;
    }

    /** membersOfAllNeighbors over the cells of geohashCalculateAreasByShapeWGS84, stopping at {@code limit} (0: none). */
    static ArrayList<Point> search(ZSetValue zset, Shape shape, long limit) {
        GeoHash.Cell[] cells = areas(shape);
        ArrayList<Point> found = new ArrayList<>();
        int last = 0;
        for (int i = 0; i < cells.length; i++) {
            if (cells[i].zero()) {
                continue;
            }
            // a huge radius can make neighbours the same cell: each is read once
            if (last != 0 && cells[i].equals(cells[last])) {
                continue;
            }
            if (!found.isEmpty() && limit != 0 && found.size() >= limit) {
                break;
            }
            long min = cells[i].align52();
            long max = new GeoHash.Cell(cells[i].bits() + 1, cells[i].step()).align52();
            inRange(zset, min, max, shape, found, limit);
            last = i;
        }
        return found;
    }

    /** geoGetPointsInRange: members with min <= score < max inside the shape, appended in score order. */
    private static void inRange(ZSetValue zset, double min, double max, Shape shape, ArrayList<Point> found, long limit) {
        int size = zset.size();
        for (int r = zset.countPrefix((score, m) -> score < min); r < size; r++) {
            double score = zset.scoreAt(r);
            if (score >= max) {
                break;
            }
            Point p = within(shape, score, zset, r);
            if (p != null) {
                found.add(p);
            }
            if (!found.isEmpty() && limit != 0 && found.size() >= limit) {
                break;
            }
        }
    }

    /** geoWithinShape: the point of the member at {@code rank}, or null if it is outside. */
    private static Point within(Shape shape, double score, ZSetValue zset, int rank) {
        double[] xy = GeoHash.decode(score);
        if (xy == null) {
            return null;
        }
        double dist;
        if (shape.circle) {
            dist = GeoHash.distance(shape.lon, shape.lat, xy[0], xy[1]);
            if (dist > shape.radius * shape.conversion) {
                return null;
            }
        } else {
            double widthM = shape.width * shape.conversion;
            double heightM = shape.height * shape.conversion;
            if (GeoHash.latDistance(xy[1], shape.lat) > heightM / 2) {
                return null;
            }
            if (GeoHash.distance(xy[0], xy[1], shape.lon, xy[1]) > widthM / 2) {
                return null;
            }
            dist = GeoHash.distance(shape.lon, shape.lat, xy[0], xy[1]);
        }
        return new Point(xy[0], xy[1], dist, score, zset.memberAt(rank));
    }

    /**
     * geohashCalculateAreasByShapeWGS84: the centre cell, then north, south, east, west, north-east,
     * north-west, south-east and south-west, those the bounding box does not reach left as ZERO.
     */
    private static GeoHash.Cell[] areas(Shape shape) {
        double conv = shape.conversion;
        double height = conv * (shape.circle ? shape.radius : shape.height / 2);
        double width = conv * (shape.circle ? shape.radius : shape.width / 2);
        double r = GeoHash.EARTH_RADIUS_IN_METERS;
        double latDelta = GeoHash.radDeg(height / r);
        double longDeltaTop = GeoHash.radDeg(width / r / StrictMath.cos(GeoHash.degRad(shape.lat + latDelta)));
        double longDeltaBottom = GeoHash.radDeg(width / r / StrictMath.cos(GeoHash.degRad(shape.lat - latDelta)));
        boolean southern = shape.lat < 0; // the box's wider edge is the one nearer the equator
        double minLon = southern ? shape.lon - longDeltaBottom : shape.lon - longDeltaTop;
        double maxLon = southern ? shape.lon + longDeltaBottom : shape.lon + longDeltaTop;
        double minLat = shape.lat - latDelta;
        double maxLat = shape.lat + latDelta;

        double radiusMeters = shape.circle ? shape.radius
                : StrictMath.sqrt((shape.width / 2) * (shape.width / 2) + (shape.height / 2) * (shape.height / 2));
        radiusMeters *= conv;
        int steps = GeoHash.estimateSteps(radiusMeters, shape.lat);
        GeoHash.Cell hash = GeoHash.encode(shape.lon, shape.lat, steps);
        GeoHash.Cell[] n = neighbours(hash);
        // near a cell's edge the estimated step may be too fine for the neighbours to cover the box
        double[] north = GeoHash.area(n[1]);
        double[] south = GeoHash.area(n[2]);
        double[] east = GeoHash.area(n[3]);
        double[] west = GeoHash.area(n[4]);
        boolean decrease = north[3] < maxLat || south[2] > minLat || east[1] < maxLon || west[0] > minLon;
        if (steps > 1 && decrease) {
            steps--;
            hash = GeoHash.encode(shape.lon, shape.lat, steps);
            n = neighbours(hash);
        }
        double[] area = GeoHash.area(hash);
        if (steps >= 2) {
            if (area[2] < minLat) {
                n[2] = n[7] = n[8] = GeoHash.ZERO; // south, south-east, south-west
            }
            if (area[3] > maxLat) {
                n[1] = n[5] = n[6] = GeoHash.ZERO; // north, north-east, north-west
            }
            if (area[0] < minLon) {
                n[4] = n[8] = n[6] = GeoHash.ZERO; // west, south-west, north-west
            }
            if (area[1] > maxLon) {
                n[3] = n[7] = n[5] = GeoHash.ZERO; // east, south-east, north-east
            }
        }
        return n;
    }

    /** The cell and its neighbours in membersOfAllNeighbors' order. */
    private static GeoHash.Cell[] neighbours(GeoHash.Cell hash) {
        return new GeoHash.Cell[] {
            hash,
            GeoHash.neighbour(hash, 0, 1),
            GeoHash.neighbour(hash, 0, -1),
            GeoHash.neighbour(hash, 1, 0),
            GeoHash.neighbour(hash, -1, 0),
            GeoHash.neighbour(hash, 1, 1),
            GeoHash.neighbour(hash, -1, 1),
            GeoHash.neighbour(hash, 1, -1),
            GeoHash.neighbour(hash, -1, -1),
        };
    }
}
