package io.shardline.examples.kv;

import org.luaj.vm2.Prototype;

/**
 * The scripting fields of INFO's memory section, with Redis 7's names: the compiled scripts and
 * libraries (what Redis' Lua VMs hold for them), the cache and library sizes, and their counts. Every
 * shard holds the same caches, so one shard's answer is the server's. Stateless; on a shard's thread.
 */
final class ScriptInfo {
    private ScriptInfo() {
    }

    static String memoryFields(KvShard local) {
        long vmEval = 0;
        for (ScriptCache.Script s : local.scripts.all()) {
            vmEval += compiledBytes(s.proto());
        }
        long vmFunctions = 0;
        int libraries = 0;
        for (FunctionLibraries.Library l : local.functions.all()) {
            vmFunctions += compiledBytes(l.proto());
            libraries++;
        }
        long scriptsEval = local.scripts.memory();
        long functions = local.functions.memory();
        StringBuilder b = new StringBuilder();
        field(b, "used_memory_lua", vmEval);
        field(b, "used_memory_vm_eval", vmEval);
        MemoryInfo.human(b, "used_memory_lua_human", vmEval);
        field(b, "used_memory_scripts_eval", scriptsEval);
        field(b, "number_of_cached_scripts", local.scripts.size());
        field(b, "number_of_functions", local.functions.functionCount());
        field(b, "number_of_libraries", libraries);
        field(b, "used_memory_vm_functions", vmFunctions);
        field(b, "used_memory_vm_total", vmEval + vmFunctions);
        MemoryInfo.human(b, "used_memory_vm_total_human", vmEval + vmFunctions);
        field(b, "used_memory_functions", functions);
        field(b, "used_memory_scripts", scriptsEval + functions);
        MemoryInfo.human(b, "used_memory_scripts_human", scriptsEval + functions);
        return b.toString();
    }

    /** An estimate of a compiled chunk's size: its instructions, constants, line table and nested functions. */
    static long compiledBytes(Prototype p) {
        long n = 64 + 4L * p.code.length + 16L * p.k.length + (p.lineinfo == null ? 0 : 4L * p.lineinfo.length);
        for (Prototype inner : p.p) {
            n += compiledBytes(inner);
        }
        return n;
    }

    private static void field(StringBuilder b, String name, long value) {
        b.append(name).append(':').append(value).append("\r\n");
    }
}
