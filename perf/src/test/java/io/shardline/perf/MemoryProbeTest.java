package io.shardline.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading INFO fields, jcmd's GC.heap_info of each collector, and /proc's VmRSS. */
class MemoryProbeTest {
    private static final String REDIS_INFO_MEMORY = "# Memory\r\nused_memory:4143048\r\nused_memory_human:3.95M\r\n"
            + "used_memory_rss:16416768\r\nused_memory_peak_perc:50.44%\r\nmem_allocator:jemalloc-5.3.0\r\n";

    @Test
    void infoFieldsAreNameValueLinesWithoutHeadersOrBlankLines() {
        Map<String, String> f = MemoryProbe.infoFields(REDIS_INFO_MEMORY + "\r\n# Other\r\nx:a:b\r\n");
        assertEquals(List.of("used_memory", "used_memory_human", "used_memory_rss", "used_memory_peak_perc",
                "mem_allocator", "x"), List.copyOf(f.keySet()));
        assertEquals("a:b", f.get("x"), "only the first colon separates");
        assertEquals(4143048, MemoryProbe.longField(f, "used_memory"));
        assertEquals(16416768, MemoryProbe.longField(f, "used_memory_rss"));
        assertEquals(-1, MemoryProbe.longField(f, "used_memory_human"), "not an integer");
        assertEquals(-1, MemoryProbe.longField(f, "maxmemory"), "absent");
        assertEquals(Map.of(), MemoryProbe.infoFields(""));
    }

    @Test
    void theOffHeapFieldIsTheFirstIntegerOffHeapSizeNotAPeakLimitOrTextCopy() {
        assertNull(MemoryProbe.offHeapField(MemoryProbe.infoFields(REDIS_INFO_MEMORY)));
        Map<String, String> f = MemoryProbe.infoFields("used_memory:10\r\nused_memory_offheap_human:1.00M\r\n"
                + "offheap_peak:99\r\nmaxmemory_offheap:5\r\nused_memory_offheap:1048576\r\nmem_off_heap:7\r\n");
        assertEquals("used_memory_offheap", MemoryProbe.offHeapField(f));
        assertEquals("mem_off_heap", MemoryProbe.offHeapField(MemoryProbe.infoFields("mem_off_heap:7\r\n")));
        assertNull(MemoryProbe.offHeapField(MemoryProbe.infoFields("offheap_mode:slabs\r\n")));
    }

    @Test
    void g1OnJdk25HasOneHeapLine() {
        String heapInfo = "7189:\n garbage-first heap   total reserved 6172672K, committed 57344K, used 10644K"
                + " [0x0000000687400000, 0x0000000800000000)\n  region size 4096K, 1 young (4096K), 0 survivors (0K)\n";
        assertEquals(10644L * 1024, MemoryProbe.heapUsedBytes(heapInfo));
        assertEquals("garbage-first heap", MemoryProbe.heapName(heapInfo));
    }

    @Test
    void olderG1StopsAtMetaspace() {
        String heapInfo = "12:\n garbage-first heap   total 262144K, used 12345K [0x1, 0x2)\n"
                + "  region size 1024K, 5 young (5120K), 0 survivors (0K)\n"
                + " Metaspace       used 1234K, committed 1400K, reserved 1114112K\n"
                + "  class space    used 100K, committed 128K, reserved 1048576K\n";
        assertEquals(12345L * 1024, MemoryProbe.heapUsedBytes(heapInfo));
    }

    @Test
    void generationsAreSummedAndTheirSpacesPercentagesDoNotCount() {
        String parallel = "1:\n PSYoungGen      total 76288K, used 3932K [0x1, 0x2, 0x3)\n"
                + "  eden space 65536K, 6% used [0x1,0x2,0x3)\n  from space 10752K, 0% used [0x1,0x2,0x3)\n"
                + " ParOldGen       total 175104K, used 100K [0x1, 0x2, 0x3)\n"
                + "  object space 175104K, 0% used [0x1,0x2,0x3)\n"
                + " Metaspace       used 2K, committed 3K, reserved 4K\n";
        assertEquals((3932L + 100) * 1024, MemoryProbe.heapUsedBytes(parallel));
        assertEquals("PSYoungGen", MemoryProbe.heapName(parallel));
        String serial = "1:\n def new generation   total 78656K, used 8391K [0x1, 0x2, 0x3)\n"
                + "  eden space 69952K,  12% used [0x1, 0x2, 0x3)\n"
                + " tenured generation   total 174784K, used 1M [0x1, 0x2, 0x3)\n"
                + "   the space 174784K,   0% used [0x1, 0x2, 0x3, 0x4)\n";
        assertEquals(8391L * 1024 + (1L << 20), MemoryProbe.heapUsedBytes(serial));
    }

    @Test
    void zgcAndShenandoahSayItTheirWay() {
        assertEquals(26L << 20, MemoryProbe.heapUsedBytes(
                "9:\n ZHeap           used 26M, capacity 104M, max capacity 6028M\n Metaspace       used 1K\n"));
        assertEquals(12345L * 1024, MemoryProbe.heapUsedBytes(
                "9:\nShenandoah Heap\n 4096M max, 4096M soft max, 256M committed, 12345K used\n"));
    }

    @Test
    void noHeapLineIsMinusOne() {
        assertEquals(-1, MemoryProbe.heapUsedBytes("9:\nGC.heap_info is not supported\n"));
        assertEquals("?", MemoryProbe.heapName(""));
    }

    @Test
    void vmRssIsInKilobytes() {
        assertEquals(108856L * 1024, MemoryProbe.vmRssBytes("Name:\tjava\nVmHWM:\t  200000 kB\nVmRSS:\t  108856 kB\n"));
        assertEquals(-1, MemoryProbe.vmRssBytes("Name:\tkthreadd\n"));
    }

    @Test
    void thisJvmsOwnHeapAfterAFullGcAndRssAreRead() throws Exception {
        long pid = ProcessHandle.current().pid();
        String heapInfo = MemoryProbe.heapInfoAfterGc(pid);
        long used = MemoryProbe.heapUsedBytes(heapInfo);
        long total = Runtime.getRuntime().totalMemory();
        assertTrue(used > 0 && used <= total, "live heap " + used + " of " + total + " in " + heapInfo);
        assertTrue(MemoryProbe.rssBytes(pid) > used, "RSS above the live heap");
        assertEquals(-1, MemoryProbe.rssBytes(Long.MAX_VALUE), "no such process");
    }
}
