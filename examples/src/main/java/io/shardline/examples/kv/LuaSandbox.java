package io.shardline.examples.kv;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.BaseLib;
import org.luaj.vm2.lib.CoroutineLib;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.ZeroArgFunction;
import org.luaj.vm2.lib.jse.JseMathLib;

/**
 * The Lua state one script run gets, set up as Redis sets up its own (script_lua.c): the base, table,
 * string and math libraries, cjson, cmsgpack, struct and bit, the {@code redis} API, no {@code os}, {@code io},
 * {@code loadfile}, {@code dofile}, {@code print} or {@code debug}, and globals that can be neither
 * created nor read when absent. Built per run on the run's virtual thread and used only there: a fresh
 * state per run is what keeps one script's changes to library tables from reaching the next (Redis
 * makes them read-only instead; luaj has no read-only tables).
 */
final class LuaSandbox {
    private static final Logger LOG = Logger.getLogger("io.shardline.examples.kv.lua");
    static final String CHUNK = "@user_script";

    private LuaSandbox() {
    }

    /**
     * The globals of a run of {@code run}; with null, those FUNCTION LOAD runs a library's body in, whose
     * {@code redis} has only what Redis gives there (the caller adds {@code register_function}).
     */
    static Globals create(ScriptRun run) {
        Globals g = new Globals();
        g.load(new BaseLib());
        g.load(new PackageLib());
        g.load(new TableLib());
        g.load(new StringLib());
        g.load(new JseMathLib());
        g.load(new CoroutineLib());
        g.load(new ScriptHook(run)); // the count hook SCRIPT KILL and the busy threshold need
        LoadState.install(g);
        LuaC.install(g);
        for (String absent : new String[] {"dofile", "loadfile", "print", "require", "module", "package", "debug", "rawlen"}) {
            g.rawset(absent, LuaValue.NIL);
        }
        LuaTable table = (LuaTable) g.rawget("table");
        g.rawset("unpack", table.rawget("unpack")); // Lua 5.1's names, as Redis has them
        g.rawset("loadstring", g.rawget("load"));
        g.rawset("_VERSION", LuaValue.valueOf("Lua 5.1"));
        g.rawset("pcall", new ScriptPcall());
        g.rawset("cjson", LuaJson.library());
        g.rawset("bit", LuaBit.library());
        g.rawset("cmsgpack", LuaMsgpack.library());
        g.rawset("struct", LuaStruct.library());
        LuaTable math = (LuaTable) g.rawget("math");
        Lrand48 rand = new Lrand48(System.nanoTime());
        math.rawset("random", rand.random());
        math.rawset("randomseed", rand.randomseed());
        g.rawset("redis", run == null ? loadApi() : redisApi(run));
        protect(g);
        return g;
    }

    /** Reading an absent global or creating one is an error, as Redis' globals protection makes it. */
    private static void protect(Globals g) {
        LuaTable meta = new LuaTable();
        meta.rawset("__index", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                throw new LuaError("Script attempted to access nonexistent global variable '" + args.arg(2).tojstring() + "'");
            }
        });
        meta.rawset("__newindex", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                throw new LuaError("Attempt to modify a readonly table");
            }
        });
        g.setmetatable(meta);
    }

    /** FUNCTION LOAD's {@code redis}: logging and the version; any other name is an error, as in Redis. */
    private static LuaTable loadApi() {
        LuaTable r = new LuaTable();
        logApi(r);
        LuaTable meta = new LuaTable();
        meta.rawset("__index", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                throw new LuaError("Script attempted to access nonexistent global variable '" + args.arg(2).tojstring() + "'");
            }
        });
        r.setmetatable(meta);
        return r;
    }

    private static void logApi(LuaTable r) {
        r.rawset("log", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                return log(a);
            }
        });
        r.rawset("LOG_DEBUG", 0);
        r.rawset("LOG_VERBOSE", 1);
        r.rawset("LOG_NOTICE", 2);
        r.rawset("LOG_WARNING", 3);
        r.rawset("REDIS_VERSION", ConnectionCommands.VERSION);
        r.rawset("REDIS_VERSION_NUM", versionNum(ConnectionCommands.VERSION));
    }

    private static LuaTable redisApi(ScriptRun run) {
        LuaTable r = new LuaTable();
        r.rawset("call", new RedisCall(run, true));
        r.rawset("pcall", new RedisCall(run, false));
        logApi(r);
        r.rawset("setresp", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                if (a.narg() != 1) {
                    throw raised("redis.setresp() requires one argument.");
                }
                int resp = (int) a.arg1().optdouble(0);
                if (resp != 2 && resp != 3) {
                    throw raised("RESP version must be 2 or 3.");
                }
                run.scriptResp = resp;
                return NONE;
            }
        });
        r.rawset("sha1hex", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                if (a.narg() != 1) {
                    throw raised("wrong number of arguments");
                }
                LuaString s = a.arg1().isstring() ? a.arg1().checkstring() : LuaString.valueOf("");
                return LuaValue.valueOf(ScriptCache.sha1hex(s.m_bytes, s.m_offset, s.m_length));
            }
        });
        r.rawset("error_reply", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                if (a.narg() != 1 || a.arg1().type() != LuaValue.TSTRING) {
                    return LuaReplies.errorTable("wrong number or type of arguments");
                }
                String err = a.arg1().tojstring();
                return LuaReplies.errorTable(err.startsWith("-") ? err : "-" + err);
            }
        });
        r.rawset("status_reply", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                if (a.narg() != 1 || a.arg1().type() != LuaValue.TSTRING) {
                    return LuaReplies.errorTable("wrong number or type of arguments");
                }
                LuaTable t = new LuaTable();
                t.rawset("ok", a.arg1());
                return t;
            }
        });
        r.rawset("set_repl", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                if (a.narg() != 1) {
                    throw raised("redis.set_repl() requires two arguments.");
                }
                int flags = (int) a.arg1().optdouble(0);
                if ((flags & ~3) != 0) {
                    throw raised("Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
                }
                return NONE; // accepted: the log records the effects of every script, whatever it asks
            }
        });
        r.rawset("REPL_NONE", 0);
        r.rawset("REPL_AOF", 1);
        r.rawset("REPL_SLAVE", 2);
        r.rawset("REPL_REPLICA", 2);
        r.rawset("REPL_ALL", 3);
        r.rawset("replicate_commands", new ZeroArgFunction() {
            @Override
            public LuaValue call() {
                return LuaValue.TRUE; // effects replication is the only mode since Redis 7
            }
        });
        r.rawset("breakpoint", new ZeroArgFunction() {
            @Override
            public LuaValue call() {
                return LuaValue.FALSE; // no debugger session: as Redis without LDB
            }
        });
        r.rawset("debug", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                return NONE;
            }
        });
        r.rawset("acl_check_cmd", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                byte[][] argv = RedisCall.argv(a);
                if (CommandTable.lookup(argv[0]) == null) {
                    throw raised("Invalid command passed to redis.acl_check_cmd()");
                }
                return LuaValue.TRUE; // the one user has every permission
            }
        });
        return r;
    }

    /** redis.log: levels 0..3 as Redis' LL_DEBUG..LL_WARNING; the arguments joined by spaces. */
    private static Varargs log(Varargs a) {
        int argc = a.narg();
        if (argc < 2) {
            throw raised("redis.log() requires two arguments or more.");
        }
        if (!a.arg1().isnumber()) {
            throw raised("First argument must be a number (log level).");
        }
        int level = (int) a.arg1().todouble();
        if (level < 0 || level > 3) {
            throw raised("Invalid debug level.");
        }
        StringBuilder line = new StringBuilder();
        for (int j = 2; j <= argc; j++) {
            if (a.arg(j).isstring()) {
                if (j != 2) {
                    line.append(' ');
                }
                line.append(a.arg(j).tojstring());
            }
        }
        Level l = switch (level) {
            case 0 -> Level.FINE;
            case 1 -> Level.CONFIG;
            case 2 -> Level.INFO;
            default -> Level.WARNING;
        };
        LOG.log(l, line::toString);
        return LuaValue.NONE;
    }

    /** An error the Redis API raises: a table {@code {err="ERR text"}} (luaPushError then luaError). */
    static LuaError raised(String text) {
        return new LuaError(LuaReplies.errorTable(text));
    }

    private static int versionNum(String version) {
        String[] p = version.split("\\.");
        return Integer.parseInt(p[0]) << 16 | Integer.parseInt(p[1]) << 8 | Integer.parseInt(p[2]);
    }

    /**
     * Redis' pcall: a table error with an {@code err} string gives that string, as in Redis 7, and a
     * luaj position prefix is spelled as C Lua spells it.
     */
    private static final class ScriptPcall extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            LuaValue f = args.checkvalue(1);
            try {
                return LuaValue.varargsOf(LuaValue.TRUE, f.invoke(args.subargs(2)));
            } catch (LuaError e) {
                ScriptErrors.dropTraceback(e);
                LuaValue m = e.getMessageObject();
                if (m != null && m.istable() && m.rawget("err").isstring()) {
                    return LuaValue.varargsOf(LuaValue.FALSE, m.rawget("err"));
                }
                return LuaValue.varargsOf(LuaValue.FALSE, ScriptErrors.luaMessage(e));
            } catch (StackOverflowError e) {
                return LuaValue.varargsOf(LuaValue.FALSE, LuaValue.valueOf("stack overflow"));
            }
        }
    }

    /** Redis' math.random and randomseed, over the lrand48 generator it uses on every platform. */
    private static final class Lrand48 {
        private static final long MAX = Integer.MAX_VALUE;
        private long x;

        Lrand48(long seed) {
            seed((int) seed);
        }

        private void seed(int seed) {
            x = ((long) seed << 16 | 0x330E) & 0xFFFFFFFFFFFFL;
        }

        private long nextRandom() {
            x = (0x5DEECE66DL * x + 0xB) & 0xFFFFFFFFFFFFL;
            return x >>> 17;
        }

        LuaValue random() {
            return new VarArgFunction() {
                @Override
                public Varargs invoke(Varargs a) {
                    double r = (double) (nextRandom() % MAX) / (double) MAX;
                    switch (a.narg()) {
                        case 0:
                            return LuaValue.valueOf(r);
                        case 1: {
                            int u = a.checkint(1);
                            if (u < 1) {
                                argerror(1, "interval is empty");
                            }
                            return LuaValue.valueOf(Math.floor(r * u) + 1);
                        }
                        case 2: {
                            int l = a.checkint(1);
                            int u = a.checkint(2);
                            if (l > u) {
                                argerror(2, "interval is empty");
                            }
                            return LuaValue.valueOf(Math.floor(r * (u - l + 1)) + l);
                        }
                        default:
                            throw new LuaError("wrong number of arguments");
                    }
                }
            };
        }

        LuaValue randomseed() {
            return new OneArgFunction() {
                @Override
                public LuaValue call(LuaValue seed) {
                    seed(seed.checkint());
                    return NONE;
                }
            };
        }
    }
}
