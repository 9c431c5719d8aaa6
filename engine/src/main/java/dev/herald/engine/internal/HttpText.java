package dev.herald.engine.internal;

/**
 * The characters HTTP/1.1 allows in a header (RFC 9110), shared by the request checks, which refuse an
 * endpoint's custom header when it is registered, and the transport, which writes it. Public only because
 * those live in different packages; not part of Herald's API.
 */
public final class HttpText {
    private HttpText() {
    }

    /** RFC 9110 tchar: letters, digits and {@code !#$%&'*+-.^_`|~}. */
    public static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    /** A header name: one or more {@linkplain #isTokenChar token characters}. */
    public static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** A field-value character the transports can send (Latin-1): tab, space, visible ASCII, 0x80 to 0xFF. */
    public static boolean isFieldValueChar(char c) {
        return (c >= 0x20 || c == '\t') && c != 0x7f && c <= 0xff;
    }

    /** A header value made only of {@linkplain #isFieldValueChar field-value characters}. */
    public static boolean isFieldValue(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isFieldValueChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
