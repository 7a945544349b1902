package io.shardline.storage;

import java.nio.file.Path;

/** A log file holds bytes that fail their checksum where valid records follow. Immutable. */
public final class CorruptLogException extends StorageException {
    private static final long serialVersionUID = 1L;
    private final long position;

    public CorruptLogException(Path path, long position, String message) {
        super(path, "corrupt at byte " + position + ": " + message);
        this.position = position;
    }

    /** The byte position in the file of the first bad record. */
    public long position() {
        return position;
    }
}
