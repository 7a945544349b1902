package io.shardline.examples.kv.resp;

import java.util.Arrays;

/**
 * The arguments of several requests packed into one array: how a run of requests crosses to another
 * shard with one copy and a handful of objects, not an array per argument. Filled by one thread with
 * {@link #add}, then handed over (through the mesh, whose hand-off orders the writes before the reads)
 * to the thread that reads it with {@link #view}; never changed after the hand-off.
 */
public final class PackedArgs {
    private byte[] data = new byte[256];
    private int size;
    /** Per argument: its offset in {@link #data}, then its length. */
    private int[] spans = new int[32];
    private int args;
    /** Per request: the index of its first argument. */
    private int[] first = new int[4];
    private int requests;

    /** A view to pass to {@link #view}, reused for every request its owner reads. */
    public static RespArgs newView() {
        return new RespArgs();
    }

    /** Copies the arguments of one more request. */
    public void add(Argv argv) {
        if (requests == first.length) {
            first = Arrays.copyOf(first, requests * 2);
        }
        first[requests++] = args;
        int n = argv.count();
        for (int i = 0; i < n; i++) {
            int len = argv.length(i);
            if (size + len > data.length) {
                data = Arrays.copyOf(data, (int) Math.min(RespLimits.MAX_ARRAY, Math.max((long) size + len, 2L * data.length)));
            }
            System.arraycopy(argv.array(i), argv.offset(i), data, size, len);
            if (2 * args + 2 > spans.length) {
                spans = Arrays.copyOf(spans, spans.length * 2);
            }
            spans[2 * args] = size;
            spans[2 * args + 1] = len;
            args++;
            size += len;
        }
    }

    public int requests() {
        return requests;
    }

    /** Points {@code view} at request {@code r}'s arguments, where they lie here; valid until the next call. */
    public RespArgs view(int r, RespArgs view) {
        if (r < 0 || r >= requests) {
            throw new IndexOutOfBoundsException("request " + r + " of " + requests);
        }
        int from = first[r];
        int to = r + 1 < requests ? first[r + 1] : args;
        view.clear();
        view.bind(data);
        for (int a = from; a < to; a++) {
            view.add(null, spans[2 * a], spans[2 * a + 1], false);
        }
        return view;
    }
}
