package io.shardline.storage;

import java.nio.file.Path;
import java.util.List;

/**
 * What opening a log found and changed. Immutable, any thread.
 *
 * @param segments segment files in the log after recovery
 * @param scanned segments whose every record was read and verified (the rest had a valid index)
 * @param records records in the log
 * @param truncatedFile the file whose torn tail was cut, or null
 * @param truncatedAt the byte position it was cut at, or -1
 * @param droppedBytes bytes removed from it, padding included
 * @param notes one line per thing recovery did, for logs
 */
public record RecoveryReport(int segments, int scanned, long records, Path truncatedFile, long truncatedAt,
        long droppedBytes, List<String> notes) {

    /** Whether recovery changed anything on disk. */
    public boolean repaired() {
        return !notes.isEmpty();
    }

    @Override
    public String toString() {
        return "recovered " + records + " records in " + segments + " segments (" + scanned + " scanned)"
                + (notes.isEmpty() ? "" : "; " + String.join("; ", notes));
    }
}
