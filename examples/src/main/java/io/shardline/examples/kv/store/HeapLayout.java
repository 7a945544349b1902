package io.shardline.examples.kv.store;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * What arrays and small objects cost on this JVM's heap, read once from its flags (compact object
 * headers, compressed oops), so the keyspace's byte accounting matches what a heap dump would show.
 * Immutable, any thread.
 */
final class HeapLayout {
    /** Bytes of an array's header (mark word, class, length). */
    static final int ARRAY_HEADER;
    /** Bytes of a reference field or array slot. */
    static final int REFERENCE;
    /** Bytes of an object header without fields. */
    static final int OBJECT_HEADER;

    static {
        boolean compactHeaders = flag("UseCompactObjectHeaders");
        boolean compressedOops = flag("UseCompressedOops") || !flagKnown("UseCompressedOops");
        OBJECT_HEADER = compactHeaders ? 8 : compressedOops ? 12 : 16;
        ARRAY_HEADER = compactHeaders ? 12 : compressedOops ? 16 : 20;
        REFERENCE = compressedOops ? 4 : 8;
    }

    private HeapLayout() {
    }

    /** Heap bytes of a byte[] of {@code length}, 8-byte aligned. */
    static long byteArray(long length) {
        return align(ARRAY_HEADER + length);
    }

    /** Heap bytes of an array of {@code length} elements of {@code elementBytes} each. */
    static long array(long length, int elementBytes) {
        return align(ARRAY_HEADER + length * elementBytes);
    }

    /** Heap bytes of an object with {@code references} reference fields and {@code primitiveBytes} more. */
    static long object(int references, int primitiveBytes) {
        return align(OBJECT_HEADER + (long) references * REFERENCE + primitiveBytes);
    }

    private static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }

    private static boolean flag(String name) {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return hotspot != null && Boolean.parseBoolean(hotspot.getVMOption(name).getValue());
        } catch (RuntimeException e) { // not HotSpot, or no such flag on this version
            return false;
        }
    }

    private static boolean flagKnown(String name) {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return hotspot != null && hotspot.getVMOption(name) != null;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
