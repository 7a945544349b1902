package io.shardline.core.ring;

import java.io.IOException;

/**
 * How a {@link Ring}'s io_uring is set up: the setup flags tried in order, the explanation of a
 * refusal, and whether this machine can have a ring at all. Stateless apart from the once-computed
 * {@link #UNAVAILABLE} reason; any thread.
 */
final class RingSetup {
    /** Completion entries per submission entry: multishot operations post many completions per entry. */
    static final int CQ_PER_SQ = 8;

    /**
     * The flags tried in order, dropping those an older kernel refuses with EINVAL: single issuer and
     * deferred task work (6.1) let completions run only when the loop asks for them, the task-run flag
     * says when that is worth a system call; a ring made for one issuer starts disabled so the loop's
     * thread, not the one that built the loop, becomes that issuer.
     */
    private static final int[] FLAG_CHOICES = {
        Uring.SETUP_SUBMIT_ALL | Uring.SETUP_COOP_TASKRUN | Uring.SETUP_TASKRUN_FLAG
                | Uring.SETUP_SINGLE_ISSUER | Uring.SETUP_DEFER_TASKRUN | Uring.SETUP_R_DISABLED,
        Uring.SETUP_SUBMIT_ALL | Uring.SETUP_COOP_TASKRUN | Uring.SETUP_TASKRUN_FLAG,
        Uring.SETUP_SUBMIT_ALL,
        0,
    };

    /** Null where a ring can be set up here, else why not; probed once. */
    static final String UNAVAILABLE = probe();

    private RingSetup() {
    }

    /**
     * A ring of {@code entries} submission entries with the most capable flags the kernel takes;
     * {@code singleIssuer} false skips the single-issuer choices (a loop on a virtual thread, whose
     * carrier changes).
     */
    static Uring setup(int entries, boolean singleIssuer) throws IOException {
        if (entries < 1 || entries > 32768) {
            throw new IOException("io_uring_setup failed: " + entries + " entries (1 to 32768)");
        }
        Uring.SetupException last = null;
        for (int flags : FLAG_CHOICES) {
            if (!singleIssuer && (flags & Uring.SETUP_SINGLE_ISSUER) != 0) {
                continue;
            }
            Uring u;
            try {
                u = Uring.setup(entries, entries * CQ_PER_SQ, flags);
            } catch (Uring.SetupException e) {
                if (e.errno != Native.EINVAL) {
                    throw explain(e);
                }
                last = e;
                continue;
            }
            if ((u.features & Uring.FEAT_EXT_ARG) == 0) {
                u.close();
                throw new IOException("io_uring here lacks timed waits (IORING_FEAT_EXT_ARG, Linux 5.11)");
            }
            return u;
        }
        throw explain(last);
    }

    private static IOException explain(Uring.SetupException e) {
        String why = switch (e.errno) {
            case Native.ENOMEM -> " (the ring's memory counts against RLIMIT_MEMLOCK: raise ulimit -l)";
            case Native.EPERM -> " (io_uring is disabled: sysctl kernel.io_uring_disabled, or a seccomp filter)";
            case Native.ENOSYS -> " (the kernel has no io_uring)";
            default -> "";
        };
        return new IOException(e.getMessage() + why, e);
    }

    private static String probe() {
        try {
            setup(4, true).close();
            return null;
        } catch (IOException | RuntimeException e) {
            return e.getMessage();
        }
    }
}
