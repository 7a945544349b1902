package io.shardline.core;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * The JFR event for a stall, committed by the watchdog thread (each instance used by one thread).
 * The stack is the loop thread's, as text, because JFR would otherwise record the watchdog's own.
 */
@Name("io.shardline.Stall")
@Label("Shardline Loop Stall")
@Category("Shardline")
@Description("A loop ran one task past its stall threshold")
@StackTrace(false)
final class StallEvent extends jdk.jfr.Event {
    @Label("Loop Id")
    int loopId;

    @Label("Loop Thread")
    String thread;

    @Label("Stalled For")
    @Timespan(Timespan.NANOSECONDS)
    long stalledNanos;

    @Label("Waited For A CPU")
    @Description("Part of the stall the loop thread spent runnable but waiting for a CPU")
    @Timespan(Timespan.NANOSECONDS)
    long waitedNanos;

    @Label("Loop Stack")
    String stack;
}
