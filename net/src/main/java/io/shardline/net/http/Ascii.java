package io.shardline.net.http;

/** Byte-level helpers for HTTP's ASCII grammar (RFC 9110 5.6); stateless, any thread. */
final class Ascii {
    /** tchar of RFC 9110 5.6.2, indexed by byte. */
    private static final boolean[] TCHAR = new boolean[256];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private Ascii() {
    }

    static boolean isTchar(byte b) {
        return TCHAR[b & 0xff];
    }

    static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0xff || !TCHAR[c]) {
                return false;
            }
        }
        return true;
    }

    static int lower(int b) {
        return b >= 'A' && b <= 'Z' ? b + 32 : b;
    }

    /** Whether {@code b[from, from + s.length())} is {@code s}, ignoring ASCII case. */
    static boolean equalsIgnoreCase(byte[] b, int from, String s) {
        for (int i = 0; i < s.length(); i++) {
            if (lower(b[from + i] & 0xff) != lower(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether the comma-separated list in {@code b[from, to)} has an element {@code token} (any case, OWS trimmed). */
    static boolean listContains(byte[] b, int from, int to, String token) {
        int i = from;
        while (i < to) {
            int s = i;
            while (i < to && b[i] != ',') {
                i++;
            }
            int e = i;
            while (s < e && (b[s] == ' ' || b[s] == '\t')) {
                s++;
            }
            while (e > s && (b[e - 1] == ' ' || b[e - 1] == '\t')) {
                e--;
            }
            if (e - s == token.length() && equalsIgnoreCase(b, s, token)) {
                return true;
            }
            i++;
        }
        return false;
    }
}
