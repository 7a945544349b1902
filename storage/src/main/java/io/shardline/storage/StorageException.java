package io.shardline.storage;

import java.nio.file.Path;

/** A storage failure that names the file it concerns. Immutable. */
public class StorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Path path;

    public StorageException(Path path, String message) {
        super(path + ": " + message);
        this.path = path;
    }

    public StorageException(Path path, String message, Throwable cause) {
        super(path + ": " + message + (cause != null && cause.getMessage() != null ? " (" + cause.getMessage() + ")" : ""), cause);
        this.path = path;
    }

    /** The file or directory concerned. */
    public Path path() {
        return path;
    }
}
