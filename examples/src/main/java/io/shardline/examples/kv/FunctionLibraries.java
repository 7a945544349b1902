package io.shardline.examples.kv;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * One shard's copy of the server's function libraries (FUNCTION LOAD), every shard holding every
 * library as with the script cache ({@link ScriptCache}). A library is kept as its code, compiled once;
 * each FCALL runs the library's body again in the run's fresh Lua state to get the function's callback
 * ({@link ScriptRun}), which costs the body's top level (usually only its {@code register_function}
 * calls). Owned by the {@link KvShard}; used on its thread only, but {@link #compile} runs anywhere.
 */
final class FunctionLibraries {
    static final String CHUNK = "@user_function";

    /** A registered function: its name, description (or null) and flags ({@link ScriptCache}'s bits). */
    record Function(String name, String description, int flags) {
    }

    /** A library: its name, code, compiled body and functions in registration order. */
    record Library(String name, byte[] code, Prototype proto, Map<String, Function> functions) {
    }

    private final LinkedHashMap<String, Library> libraries = new LinkedHashMap<>();
    private final HashMap<String, Library> byFunction = new HashMap<>();

    Library library(String name) {
        return libraries.get(name);
    }

    /** The library of function {@code name}, or null. */
    Library ofFunction(String name) {
        return byFunction.get(name);
    }

    List<Library> all() {
        return new ArrayList<>(libraries.values());
    }

    int functionCount() {
        return byFunction.size();
    }

    /** Redis' check before adding {@code lib}: the error (no leading '-'), or null when it fits. */
    String conflict(Library lib, boolean replace) {
        Library old = libraries.get(lib.name());
        if (old != null && !replace) {
            return "ERR Library '" + lib.name() + "' already exists";
        }
        for (String f : lib.functions().keySet()) {
            Library owner = byFunction.get(f);
            if (owner != null && !owner.name().equals(lib.name())) {
                return "ERR Function " + f + " already exists";
            }
        }
        return null;
    }

    /** Adds (or replaces) {@code lib}; the caller checked {@link #conflict}. */
    void put(Library lib) {
        delete(lib.name());
        libraries.put(lib.name(), lib);
        for (String f : lib.functions().keySet()) {
            byFunction.put(f, lib);
        }
    }

    boolean delete(String name) {
        Library old = libraries.remove(name);
        if (old == null) {
            return false;
        }
        for (String f : old.functions().keySet()) {
            byFunction.remove(f);
        }
        return true;
    }

    void flush() {
        libraries.clear();
        byFunction.clear();
    }

    /** What the libraries take, as Redis' {@code used_memory_functions} estimates: code and entries. */
    long memory() {
        long n = 0;
        for (Library l : libraries.values()) {
            n += l.code().length + 96L * (1 + l.functions().size());
        }
        return n;
    }

    /**
     * Parses the {@code #!lua name=<lib>} header, compiles the code and runs its body once with
     * {@code redis.register_function}, as FUNCTION LOAD does; Redis' errors otherwise.
     */
    static Library compile(byte[] code) throws ScriptCache.BadScript {
        String text = new String(code, StandardCharsets.UTF_8);
        if (!text.startsWith("#!")) {
            throw new ScriptCache.BadScript("ERR Missing library metadata");
        }
        int nl = text.indexOf('\n');
        String[] parts = (nl < 0 ? text : text.substring(0, nl)).substring(2).trim().split("\\s+");
        String engine = parts[0];
        String name = null;
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].startsWith("name=")) {
                name = parts[i].substring(5);
            } else {
                throw new ScriptCache.BadScript("ERR Invalid metadata value given: " + parts[i]);
            }
        }
        if (name == null) {
            throw new ScriptCache.BadScript("ERR Library name was not given");
        }
        if (!engine.equalsIgnoreCase("lua")) {
            throw new ScriptCache.BadScript("ERR Engine '" + engine + "' not found");
        }
        if (!validName(name)) {
            throw new ScriptCache.BadScript(BAD_NAME);
        }
        byte[] source = code.clone();
        for (int i = 0; i < (nl < 0 ? source.length : nl); i++) {
            source[i] = ' '; // the header is not Lua; blanked so line numbers stay
        }
        Prototype proto;
        try {
            proto = LuaC.instance.compile(new ByteArrayInputStream(source), CHUNK);
        } catch (LuaError e) {
            throw new ScriptCache.BadScript("ERR Error compiling function: " + ScriptErrors.cStyle(String.valueOf(e.getMessage())));
        } catch (java.io.IOException e) {
            throw new ScriptCache.BadScript("ERR Error compiling function: " + e.getMessage());
        }
        Map<String, Function> functions = new LinkedHashMap<>();
        Globals g = LuaSandbox.create(null);
        ((LuaTable) g.rawget("redis")).rawset("register_function", registrar(functions, null));
        try {
            new LuaClosure(proto, g).call();
        } catch (LuaError e) {
            ScriptErrors.dropTraceback(e);
            LuaValue m = e.getMessageObject();
            String why = m != null && m.istable() && m.rawget("err").isstring() ? m.rawget("err").tojstring()
                    : "ERR " + ScriptErrors.cStyle(m == null ? String.valueOf(e.getMessage()) : m.tojstring());
            throw new ScriptCache.BadScript("ERR Error registering functions: " + why);
        } catch (StackOverflowError e) {
            throw new ScriptCache.BadScript("ERR Error registering functions: ERR stack overflow");
        }
        if (functions.isEmpty()) {
            throw new ScriptCache.BadScript("ERR No functions registered");
        }
        return new Library(name, code, proto, functions);
    }

    static final String BAD_NAME = "ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long";

    static boolean validName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (!(ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code redis.register_function}, positional {@code (name, callback)} or named
     * {@code {function_name=, callback=, flags=, description=}}: records into {@code functions} and, when
     * {@code callbacks} is given (an FCALL's run of the body), keeps each callback there.
     */
    static LuaValue registrar(Map<String, Function> functions, Map<String, LuaValue> callbacks) {
        return new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                String name;
                LuaValue callback;
                String description = null;
                int flags = 0;
                if (a.narg() == 1) {
                    if (!a.arg1().istable()) {
                        throw LuaSandbox.raised("calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).");
                    }
                    LuaTable t = (LuaTable) a.arg1();
                    name = null;
                    callback = null;
                    for (Varargs n = t.next(LuaValue.NIL); !n.arg1().isnil(); n = t.next(n.arg1())) {
                        String key = n.arg1().isstring() ? n.arg1().tojstring() : "";
                        LuaValue v = n.arg(2);
                        switch (key) {
                            case "function_name" -> {
                                if (v.type() != LuaValue.TSTRING) {
                                    throw LuaSandbox.raised("function_name argument given to redis.register_function must be a string");
                                }
                                name = v.tojstring();
                            }
                            case "description" -> {
                                if (v.type() != LuaValue.TSTRING) {
                                    throw LuaSandbox.raised("description argument given to redis.register_function must be a string");
                                }
                                description = v.tojstring();
                            }
                            case "callback" -> {
                                if (!v.isfunction()) {
                                    throw LuaSandbox.raised("callback argument given to redis.register_function must be a function");
                                }
                                callback = v;
                            }
                            case "flags" -> {
                                if (!v.istable()) {
                                    throw LuaSandbox.raised("flags argument to redis.register_function must be a table representing function flags");
                                }
                                flags = flags((LuaTable) v);
                            }
                            default -> throw LuaSandbox.raised("unknown argument given to redis.register_function");
                        }
                    }
                    if (name == null) {
                        throw LuaSandbox.raised("redis.register_function must get a function name argument");
                    }
                    if (callback == null) {
                        throw LuaSandbox.raised("redis.register_function must get a callback argument");
                    }
                } else if (a.narg() == 2) {
                    if (a.arg1().type() != LuaValue.TSTRING) {
                        throw LuaSandbox.raised("first argument to redis.register_function must be a string");
                    }
                    if (!a.arg(2).isfunction()) {
                        throw LuaSandbox.raised("second argument to redis.register_function must be a function");
                    }
                    name = a.arg1().tojstring();
                    callback = a.arg(2);
                } else {
                    throw LuaSandbox.raised("wrong number of arguments to redis.register_function");
                }
                if (!validName(name)) {
                    throw LuaSandbox.raised(BAD_NAME.substring(4));
                }
                if (functions.containsKey(name)) {
                    throw LuaSandbox.raised("Function already exists in the library");
                }
                functions.put(name, new Function(name, description, flags));
                if (callbacks != null) {
                    callbacks.put(name, callback);
                }
                return NONE;
            }
        };
    }

    private static int flags(LuaTable t) {
        int flags = 0;
        for (int i = 1; !t.rawget(i).isnil(); i++) {
            LuaValue f = t.rawget(i);
            if (f.type() != LuaValue.TSTRING) {
                throw LuaSandbox.raised("unknown flag given");
            }
            flags |= switch (f.tojstring()) {
                case "no-writes" -> ScriptCache.NO_WRITES;
                case "allow-oom" -> ScriptCache.ALLOW_OOM;
                case "allow-stale" -> ScriptCache.ALLOW_STALE;
                case "no-cluster" -> ScriptCache.NO_CLUSTER;
                case "allow-cross-slot-keys" -> ScriptCache.ALLOW_CROSS_SLOT;
                default -> throw LuaSandbox.raised("unknown flag given");
            };
        }
        return flags;
    }

    /** A function's flags by name, in Redis' order (FUNCTION LIST). */
    static List<String> flagNames(int flags) {
        List<String> names = new ArrayList<>();
        if ((flags & ScriptCache.NO_WRITES) != 0) {
            names.add("no-writes");
        }
        if ((flags & ScriptCache.ALLOW_OOM) != 0) {
            names.add("allow-oom");
        }
        if ((flags & ScriptCache.ALLOW_STALE) != 0) {
            names.add("allow-stale");
        }
        if ((flags & ScriptCache.NO_CLUSTER) != 0) {
            names.add("no-cluster");
        }
        if ((flags & ScriptCache.ALLOW_CROSS_SLOT) != 0) {
            names.add("allow-cross-slot-keys");
        }
        return names;
    }
}
