package io.shardline.perf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code kv} suite's readers of a server's memory: INFO's {@code key:value} fields, a JVM's live heap
 * after a full GC through {@code jcmd} (the JDK's, next to this JVM's java), and a process's resident
 * set from {@code /proc/<pid>/status}. The parsers are static and pure, for tests. Stateless, any thread.
 */
final class MemoryProbe {
    /** {@code used 10644K} (most collectors) or {@code 10644K used} (Shenandoah), in heap_info's lines. */
    private static final Pattern USED = Pattern.compile("\\bused (\\d+)([KMG]?)\\b|\\b(\\d+)([KMG]?) used\\b");
    /** Field-name parts of INFO fields that are not a current off-heap size (peaks, limits, text forms). */
    private static final List<String> NOT_A_SIZE = List.of("human", "peak", "max", "limit", "capacity", "reserved",
            "perc", "ratio", "startup");

    private MemoryProbe() {
    }

    /** INFO's fields in order: {@code name:value} lines; section headers ("# Memory") and blank lines skipped. */
    static Map<String, String> infoFields(String info) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : info.lines().toList()) {
            String l = line.strip();
            int colon = l.indexOf(':');
            if (l.isEmpty() || l.startsWith("#") || colon <= 0) {
                continue;
            }
            fields.put(l.substring(0, colon), l.substring(colon + 1));
        }
        return fields;
    }

    /** The integer field {@code name}, or -1 if absent or not an integer. */
    static long longField(Map<String, String> fields, String name) {
        String v = fields.get(name);
        if (v == null) {
            return -1;
        }
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The name of the INFO field that gives a server's off-heap bytes now, or null: the first integer
     * field whose name says off-heap ({@code offheap} or {@code off_heap}) and is not a peak, a limit or
     * a human-readable copy. Shardline's INFO memory fields are not fixed yet, so this reads what exists.
     */
    static String offHeapField(Map<String, String> fields) {
        for (String name : fields.keySet()) {
            String n = name.toLowerCase(Locale.ROOT);
            if ((n.contains("offheap") || n.contains("off_heap")) && NOT_A_SIZE.stream().noneMatch(n::contains)
                    && longField(fields, name) >= 0) {
                return name;
            }
        }
        return null;
    }

    /**
     * The Java heap's used bytes in {@code jcmd <pid> GC.heap_info}'s text: the sum of the "used" figures
     * of the heap's lines (one line for G1 and ZGC, one per generation for Parallel and Serial; their
     * spaces' "N% used" do not count), up to the Metaspace lines; -1 if there is none.
     */
    static long heapUsedBytes(String heapInfo) {
        long sum = 0;
        boolean any = false;
        for (String line : heapInfo.lines().toList()) {
            String l = line.strip();
            if (l.startsWith("Metaspace") || l.startsWith("class space")) {
                break;
            }
            Matcher m = USED.matcher(l);
            if (m.find()) {
                String digits = m.group(1) != null ? m.group(1) : m.group(3);
                String unit = m.group(1) != null ? m.group(2) : m.group(4);
                sum += Long.parseLong(digits) * switch (unit) {
                    case "K" -> 1L << 10;
                    case "M" -> 1L << 20;
                    case "G" -> 1L << 30;
                    default -> 1L;
                };
                any = true;
            }
        }
        return any ? sum : -1;
    }

    /** The collector's name as heap_info's first heap line starts ("garbage-first heap", "ZHeap"), or "?". */
    static String heapName(String heapInfo) {
        for (String line : heapInfo.lines().toList()) {
            String l = line.strip();
            if (l.isEmpty() || l.matches("\\d+:")) {
                continue;
            }
            int cut = l.indexOf("  ");
            return cut > 0 ? l.substring(0, cut) : l;
        }
        return "?";
    }

    /** The {@code VmRSS} of {@code /proc/<pid>/status}'s text, in bytes; -1 if it is not there. */
    static long vmRssBytes(String status) {
        for (String line : status.lines().toList()) {
            if (line.startsWith("VmRSS:")) {
                String[] f = line.substring(6).strip().split("\\s+");
                long v = Long.parseLong(f[0]);
                return f.length > 1 && f[1].equalsIgnoreCase("kB") ? v * 1024 : v;
            }
        }
        return -1;
    }

    /** Process {@code pid}'s resident set in bytes; -1 where /proc does not tell. */
    static long rssBytes(long pid) {
        try {
            return vmRssBytes(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Runs {@code jcmd <pid> GC.run} (a full, synchronous collection: System.gc() in that JVM), then
     * returns {@code jcmd <pid> GC.heap_info}'s text.
     */
    static String heapInfoAfterGc(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        return jcmd(pid, "GC.heap_info");
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("jcmd " + pid + " " + command + " did not finish in 120 s");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("jcmd " + pid + " " + command + " exited with " + p.exitValue() + ": " + text.strip());
        }
        return text;
    }
}
