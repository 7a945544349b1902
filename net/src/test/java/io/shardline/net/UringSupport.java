package io.shardline.net;

import java.io.IOException;
import org.junit.jupiter.api.Assumptions;

/** Opens an io_uring for a test, or skips the test where the kernel has none (old kernel, seccomp). */
final class UringSupport {
    private UringSupport() {
    }

    static IoUring openOrSkip(int entries) {
        try {
            return IoUring.open(entries);
        } catch (IOException e) {
            Assumptions.abort("io_uring unavailable here: " + e.getMessage());
            throw new AssertionError("unreachable");
        }
    }
}
