package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.ReplySink;
import java.util.Objects;
import java.util.function.Function;

/**
 * The data commands of one {@link Keyspace}, grouped as Redis' source files group them (strings,
 * string ranges, bitmaps, keys, key copies, lists, sets, hashes, sorted sets), and the frame every
 * data command runs in. Owned by one
 * shard; not thread-safe.
 *
 * <p>Which command a request names, and whether its arity fits, is decided once by the caller's
 * command table; this class only runs the chosen {@link Handler}. Handlers read the {@link Argv} in
 * place (it may be the parser's buffer, valid only during the call): keys and members are looked up
 * through reusable probes, and what a command keeps (a value, a new key, a member) it takes with
 * {@link Argv#bytes(int)}, which for an owned argv hands its array over.
 */
public final class DataCommands {
    /** A data command bound to its group: what a command table holds. Stateless. */
    @FunctionalInterface
    public interface Handler {
        void run(DataCommands commands, Argv argv, ReplySink out, Journal journal);
    }

    private final Keyspace keyspace;
    private final StringCommands strings;
    private final KeyCommands keys;
    private final ListCommands lists;
    private final ListEditCommands listEdits;
    private final SetCommands sets;
    private final SetAlgebraCommands setAlgebra;
    private final HashCommands hashes;
    private final HashWalkCommands hashWalks;
    private final ZSetCommands zsets;
    private final ZSetRangeCommands zsetRanges;
    private final ZSetReadCommands zsetReads;
    private final ZSetEditCommands zsetEdits;
    private final GeoCommands geos;
    private final GeoSearchCommands geoSearches;
    private final ZSetAlgebraCommands zsetAlgebra;
    private final StringRangeCommands stringRanges;
    private final BitCommands bits;
    private final KeyCopyCommands keyCopies;
    private final DumpCommands dumps;
    private final HllCommands hlls;
    private final StreamCommands streams;
    private final StreamReadCommands streamReads;
    private final StreamGroupCommands streamGroups;
    private final StreamClaimCommands streamClaims;
    private final StreamInfoCommands streamInfo;
    private final MoveCommand move;
    /** The shard's databases this one is among (MOVE, COPY ... DB); alone until the shard says otherwise. */
    private Databases databases;

    public DataCommands(Keyspace keyspace) {
        this.keyspace = Objects.requireNonNull(keyspace, "keyspace");
        this.strings = new StringCommands(keyspace);
        this.keys = new KeyCommands(keyspace);
        this.lists = new ListCommands(keyspace);
        this.listEdits = new ListEditCommands(keyspace);
        this.sets = new SetCommands(keyspace);
        this.setAlgebra = new SetAlgebraCommands(keyspace);
        this.hashes = new HashCommands(keyspace);
        this.hashWalks = new HashWalkCommands(keyspace);
        this.zsets = new ZSetCommands(keyspace);
        this.zsetRanges = new ZSetRangeCommands(keyspace);
        this.zsetReads = new ZSetReadCommands(keyspace);
        this.zsetEdits = new ZSetEditCommands(keyspace);
        this.geos = new GeoCommands(keyspace, zsets);
        this.geoSearches = new GeoSearchCommands(keyspace);
        this.zsetAlgebra = new ZSetAlgebraCommands(keyspace);
        this.stringRanges = new StringRangeCommands(keyspace);
        this.bits = new BitCommands(keyspace);
        this.keyCopies = new KeyCopyCommands(keyspace);
        this.dumps = new DumpCommands(keyspace);
        this.hlls = new HllCommands(keyspace);
        this.streams = new StreamCommands(keyspace);
        this.streamReads = new StreamReadCommands(keyspace);
        this.streamGroups = new StreamGroupCommands(keyspace, streams);
        this.streamClaims = new StreamClaimCommands(keyspace);
        this.streamInfo = new StreamInfoCommands(keyspace);
        this.databases = Databases.single(keyspace);
        this.keyCopies.databases = this::databases;
        this.move = new MoveCommand(keyspace, this::databases);
    }

    /** Places this keyspace's commands among the shard's numbered {@code databases}. */
    public void setDatabases(Databases databases) {
        this.databases = Objects.requireNonNull(databases, "databases");
    }

    public Databases databases() {
        return databases;
    }

    public MoveCommand move() {
        return move;
    }

    /** {@code command} of the group {@code group} selects, as a handler. */
    public static <G> Handler of(Function<DataCommands, G> group, DataCommand<G> command) {
        return (d, argv, out, journal) -> command.run(group.apply(d), argv, out, journal);
    }

    public Keyspace keyspace() {
        return keyspace;
    }

    public StringCommands strings() {
        return strings;
    }

    public KeyCommands keys() {
        return keys;
    }

    public ListCommands lists() {
        return lists;
    }

    public ListEditCommands listEdits() {
        return listEdits;
    }

    public SetCommands sets() {
        return sets;
    }

    public SetAlgebraCommands setAlgebra() {
        return setAlgebra;
    }

    public HashCommands hashes() {
        return hashes;
    }

    public HashWalkCommands hashWalks() {
        return hashWalks;
    }

    public ZSetCommands zsets() {
        return zsets;
    }

    public ZSetRangeCommands zsetRanges() {
        return zsetRanges;
    }

    public ZSetReadCommands zsetReads() {
        return zsetReads;
    }

    public GeoCommands geos() {
        return geos;
    }

    public GeoSearchCommands geoSearches() {
        return geoSearches;
    }

    public ZSetEditCommands zsetEdits() {
        return zsetEdits;
    }

    public ZSetAlgebraCommands zsetAlgebra() {
        return zsetAlgebra;
    }

    public StringRangeCommands stringRanges() {
        return stringRanges;
    }

    public BitCommands bits() {
        return bits;
    }

    public HllCommands hlls() {
        return hlls;
    }

    public KeyCopyCommands keyCopies() {
        return keyCopies;
    }

    public DumpCommands dumps() {
        return dumps;
    }

    public StreamCommands streams() {
        return streams;
    }

    public StreamReadCommands streamReads() {
        return streamReads;
    }

    public StreamGroupCommands streamGroups() {
        return streamGroups;
    }

    public StreamClaimCommands streamClaims() {
        return streamClaims;
    }

    public StreamInfoCommands streamInfo() {
        return streamInfo;
    }

    /**
     * Runs {@code handler} on {@code argv} (arity already checked) and writes its reply to {@code out};
     * logs each write it makes, and each key it finds expired, to {@code journal}.
     */
    public void execute(Handler handler, Argv argv, ReplySink out, Journal journal) {
        keyspace.beginCommand(journal);
        try {
            handler.run(this, argv, out, journal);
        } finally {
            keyspace.endCommand();
        }
    }

    /**
     * Applies one journal entry, as when recovering: the keyspace is put in loading mode for the call
     * (nothing expires on its own; the journal's DELs do that), the reply is dropped and nothing is
     * logged.
     */
    public void replay(Handler handler, Argv argv) {
        boolean wasLoading = keyspace.isLoading();
        keyspace.setLoading(true);
        try {
            execute(handler, argv, DiscardingSink.INSTANCE, Journal.NONE);
        } finally {
            keyspace.setLoading(wasLoading);
        }
    }
}
