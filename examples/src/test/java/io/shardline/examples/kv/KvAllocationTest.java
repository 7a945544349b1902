package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The local path allocates nothing per request: GET nothing at all, SET only the copy of the value it
 * stores. One object per request costs at least 16 bytes per op, so a bound of 1 byte per op holds
 * whether or not the JIT has compiled the path (an interpreted run measures about 0.02), and fails
 * the moment any per-request allocation comes back.
 */
class KvAllocationTest {

    @Test
    void getAndSetAllocateNothingPerRequestBeyondTheStoredValue() throws Exception {
        KvAllocBench.Result r = KvAllocBench.run(4_000);
        assertTrue(r.getBytesPerOp() < 1.0, () -> "GET allocates: " + r);
        assertTrue(r.setBytesPerOp() - r.setValueBytes() < 1.0, () -> "SET allocates beyond its value: " + r);
        assertTrue(r.setValueBytes() > 100, () -> "the value copy was not measured: " + r);
    }
}
