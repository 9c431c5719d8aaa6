package dev.herald.demo.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * One request of the drill and what its answer must be.
 *
 * @param family      which kind of bad input it is, for the report
 * @param method      the HTTP method
 * @param path        path and query, already percent-encoded
 * @param body        the raw body, null for none
 * @param contentType the content type, null for none
 * @param headers     extra headers
 * @param auth        which API key it carries
 * @param expect      what the answer must be
 * @param codes       when not empty and the request is refused, the error codes allowed
 */
record FuzzCase(String family, String method, String path, byte[] body, String contentType,
                Map<String, String> headers, Auth auth, Expect expect, Set<String> codes) {

    /** The API key a case carries. */
    enum Auth {
        /** The acting tenant's key. */
        OWN,
        /** No Authorization header. */
        NONE,
        /** An Authorization header with no known key in it. */
        WRONG
    }

    /** What the answer must be, beyond "never 5xx, errors in the error shape". */
    enum Expect {
        /** Any status below 500. */
        ANY,
        /** A 4xx: the input is bad in a way the server must see. */
        REJECT,
        /** 404: an id of another tenant, or one that cannot exist. */
        NOT_FOUND,
        /** 401: no valid key. */
        UNAUTHORIZED,
        /** A 4xx, or a 2xx listing that shows nothing of the other tenant. */
        NO_FOREIGN
    }

    FuzzCase {
        headers = Map.copyOf(headers);
        codes = Set.copyOf(codes);
    }

    static FuzzCase of(String family, String method, String path, byte[] body, Expect expect) {
        return new FuzzCase(family, method, path, body, body == null ? null : "application/json", Map.of(), Auth.OWN,
                expect, Set.of());
    }

    static FuzzCase json(String family, String method, String path, String body, Expect expect) {
        return of(family, method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), expect);
    }

    FuzzCase withCodes(String... allowed) {
        return new FuzzCase(family, method, path, body, contentType, headers, auth, expect, Set.of(allowed));
    }

    FuzzCase withAuth(Auth value, Expect newExpect) {
        return new FuzzCase(family, method, path, body, contentType, headers, value, newExpect, codes);
    }

    FuzzCase withContentType(String value) {
        return new FuzzCase(family, method, path, body, value, headers, auth, expect, codes);
    }

    FuzzCase withHeaders(Map<String, String> value) {
        return new FuzzCase(family, method, path, body, contentType, value, auth, expect, codes);
    }

    /** A short printable account of the case for findings: never the whole of a huge body. */
    String describe() {
        String shownBody = body == null ? "-" : printable(new String(body, 0, Math.min(body.length, 240),
                StandardCharsets.UTF_8)) + (body.length > 240 ? "...(" + body.length + " bytes)" : "");
        return family + " " + method + " " + printable(path.length() > 160 ? path.substring(0, 160) + "..." : path)
                + " auth=" + auth + " ct=" + contentType + " headers=" + headers.keySet() + " body=" + shownBody;
    }

    static String printable(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().forEach(c -> {
            if (c >= 0x20 && c < 0x7f) {
                out.append((char) c);
            } else {
                out.append(String.format("\\u{%x}", c));
            }
        });
        return out.toString();
    }
}
