package io.shardline.examples.kv;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.compiler.LuaC;

/**
 * One shard's copy of the server's script cache (SCRIPT LOAD, EVAL), by SHA1: every shard holds every
 * script, each copy filled through the mesh ({@link ScriptCommands}), so EVALSHA is answered on the
 * shard it arrives at. Owned by the {@link KvShard}; used on its thread only. The compiled
 * {@link Prototype} is immutable and shared by the copies (each run makes its own closure of it).
 */
final class ScriptCache {
    /** Redis' script flags, from a {@code #!lua flags=...} shebang (none: Redis' EVAL compatibility mode). */
    static final int NO_WRITES = 1;
    static final int ALLOW_OOM = 1 << 1;
    static final int ALLOW_STALE = 1 << 2;
    static final int NO_CLUSTER = 1 << 3;
    static final int ALLOW_CROSS_SLOT = 1 << 4;
    /** The script had no shebang: Redis 6's rules (writes allowed, not declared read-only). */
    static final int EVAL_COMPAT = 1 << 5;

    /** A cached script: its text, its compiled body and its shebang flags. */
    record Script(String sha, byte[] body, Prototype proto, int flags) {
        boolean has(int flag) {
            return (flags & flag) != 0;
        }
    }

    /** A body that does not compile or whose shebang is wrong: Redis' error, without the leading '-'. */
    static final class BadScript extends Exception {
        BadScript(String reply) {
            super(reply, null, false, false);
        }
    }

    private final Map<String, Script> scripts = new HashMap<>();
    private long bodyBytes;

    Script get(String sha) {
        return scripts.get(sha);
    }

    void put(Script s) {
        if (scripts.putIfAbsent(s.sha(), s) == null) {
            bodyBytes += s.body().length;
        }
    }

    void flush() {
        scripts.clear();
        bodyBytes = 0;
    }

    int size() {
        return scripts.size();
    }

    java.util.Collection<Script> all() {
        return scripts.values();
    }

    /** What the cached scripts take, as Redis' {@code used_memory_scripts_eval} estimates it: bodies and entries. */
    long memory() {
        return bodyBytes + scripts.size() * 216L;
    }

    /** Compiles {@code body} (any thread): Redis' shebang rules, then Lua with the chunk name Redis gives. */
    static Script compile(byte[] body) throws BadScript {
        String sha = sha1hex(body, 0, body.length);
        int flags = EVAL_COMPAT;
        byte[] source = body;
        if (body.length >= 2 && body[0] == '#' && body[1] == '!') {
            int nl = indexOf(body, (byte) '\n');
            if (nl < 0) {
                throw new BadScript("ERR Invalid script shebang");
            }
            flags = shebangFlags(new String(body, 0, nl, StandardCharsets.UTF_8));
            source = body.clone();
            for (int i = 0; i < nl; i++) {
                source[i] = ' '; // as Redis blanks the shebang line: line numbers stay
            }
        }
        try {
            Prototype p = LuaC.instance.compile(new ByteArrayInputStream(source), LuaSandbox.CHUNK);
            return new Script(sha, body, p, flags);
        } catch (LuaError e) {
            throw new BadScript("ERR Error compiling script (new function): " + ScriptErrors.cStyle(String.valueOf(e.getMessage())));
        } catch (java.io.IOException e) {
            throw new BadScript("ERR Error compiling script (new function): " + e.getMessage());
        }
    }

    private static int shebangFlags(String line) throws BadScript {
        String[] parts = line.trim().split("\\s+");
        if (parts.length == 0 || parts[0].isEmpty()) {
            throw new BadScript("ERR Invalid engine in script shebang");
        }
        if (!parts[0].equals("#!lua")) {
            throw new BadScript("ERR Unexpected engine in script shebang: " + parts[0]);
        }
        int flags = 0;
        for (int j = 1; j < parts.length; j++) {
            if (!parts[j].startsWith("flags=")) {
                throw new BadScript("ERR Unknown lua shebang option: " + parts[j]);
            }
            for (String f : parts[j].substring(6).split(",")) {
                if (f.isEmpty()) {
                    continue;
                }
                flags |= switch (f) {
                    case "no-writes" -> NO_WRITES;
                    case "allow-oom" -> ALLOW_OOM;
                    case "allow-stale" -> ALLOW_STALE;
                    case "no-cluster" -> NO_CLUSTER;
                    case "allow-cross-slot-keys" -> ALLOW_CROSS_SLOT;
                    default -> throw new BadScript("ERR Unexpected flag in script shebang: " + f);
                };
            }
        }
        return flags;
    }

    private static int indexOf(byte[] b, byte v) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }

    /** The lowercase hex SHA1 of the bytes, as Redis names scripts (and redis.sha1hex gives). */
    static String sha1hex(byte[] b, int off, int len) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-1");
            md.update(b, off, len);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
