package dev.herald.engine.s3;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Pattern;

/** Checks and encodes bucket names, object keys and content types. Pure functions. */
final class StorageNames {
    static final int MAX_KEY_BYTES = 1024;
    static final int MAX_CONTENT_TYPE_LENGTH = 255;

    // Loose enough for MinIO and Supabase bucket names, strict enough to be safe in a host name or a path.
    private static final Pattern BUCKET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");
    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
    private static final Pattern CONTENT_TYPE = Pattern.compile(TOKEN + "/" + TOKEN + "( *;[ -~]*)?");
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private StorageNames() {
    }

    static String checkBucket(String bucket) {
        Objects.requireNonNull(bucket, "bucket");
        if (!BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException(
                    "bucket must be 1 to 255 letters, digits, '.', '-' or '_', starting with a letter or digit");
        }
        return bucket;
    }

    static String checkKey(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("key must not be empty");
        }
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("key must be at most " + MAX_KEY_BYTES + " bytes in UTF-8");
        }
        // S3 accepts control characters in keys, but they cannot travel in its XML answers or in headers.
        if (key.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("key must not contain control characters");
        }
        return key;
    }

    static String checkContentType(String contentType) {
        Objects.requireNonNull(contentType, "contentType");
        if (contentType.length() > MAX_CONTENT_TYPE_LENGTH || !CONTENT_TYPE.matcher(contentType).matches()) {
            throw new IllegalArgumentException("contentType must be a media type such as 'image/png' "
                    + "(type/subtype, optional parameters, printable ASCII, at most "
                    + MAX_CONTENT_TYPE_LENGTH + " characters)");
        }
        return contentType;
    }

    /** Percent-encodes each {@code /}-separated segment of a key (RFC 3986 unreserved characters kept). */
    static String encodePath(String key) {
        StringBuilder out = new StringBuilder(key.length() + 16);
        int start = 0;
        while (true) {
            int slash = key.indexOf('/', start);
            String segment = slash < 0 ? key.substring(start) : key.substring(start, slash);
            out.append(encodeSegment(segment));
            if (slash < 0) {
                return out.toString();
            }
            out.append('/');
            start = slash + 1;
        }
    }

    static String encodeSegment(String segment) {
        StringBuilder out = new StringBuilder(segment.length());
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return out.toString();
    }
}
