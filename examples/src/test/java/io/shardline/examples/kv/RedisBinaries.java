package io.shardline.examples.kv;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds Redis' own programs for tests that compare with them. Stateless. */
final class RedisBinaries {
    private RedisBinaries() {
    }

    /** The program on the PATH or in /usr/bin, or null. */
    static Path find(String name) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(":")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        Path usr = Path.of("/usr/bin", name);
        return Files.isExecutable(usr) ? usr : null;
    }
}
