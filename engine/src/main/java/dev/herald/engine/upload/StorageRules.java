package dev.herald.engine.upload;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Rules for bucket names, object keys, file names and media types, and the key a registration generates.
 * Pure functions; each {@code check…} returns an error message, or null when the value is fine, so callers
 * decide between an {@link IllegalArgumentException} (settings) and a {@code HeraldException} (requests).
 */
final class StorageRules {
    static final int MAX_KEY_BYTES = 1024;
    static final int MAX_FILENAME_LENGTH = 255;
    static final int MAX_SANITISED_NAME = 200;
    static final int MAX_PREFIX_BYTES = 256;

    // The same shape the S3 signer accepts: safe in a host name and a path.
    private static final Pattern BUCKET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");
    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
    private static final Pattern MEDIA_TYPE = Pattern.compile(TOKEN + "/" + TOKEN + "( *;[ -~]*)?");
    private static final String NAME = "[!#$%&'+.^_`|~0-9A-Za-z-]+";
    private static final Pattern MEDIA_RANGE = Pattern.compile("(\\*/\\*|" + NAME + "/\\*|" + NAME + "/" + NAME + ")");
    private static final int MAX_MEDIA_TYPE = 255;
    /** Longest ETag claim kept; storage ETags are a few dozen characters (an MD5 in hex, a part count). */
    static final int MAX_ETAG = 256;

    private StorageRules() {
    }

    static String checkBucket(String bucket) {
        return BUCKET.matcher(bucket).matches() ? null
                : "bucket must be 1 to 255 letters, digits, '.', '-' or '_', starting with a letter or digit";
    }

    /** Keys a client may not choose: ones that escape a prefix when treated as a path, or break headers. */
    static String checkKey(String key) {
        if (key.isEmpty()) {
            return "key must not be empty";
        }
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            return "key must be at most " + MAX_KEY_BYTES + " bytes in UTF-8";
        }
        if (hasControl(key)) {
            return "key must not contain control characters";
        }
        if (key.startsWith("/")) {
            return "key must not start with '/'";
        }
        // Backslashes count as separators too: some tools map keys to Windows paths.
        for (String segment : key.split("[/\\\\]", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                return "key must not contain '.' or '..' segments";
            }
        }
        return null;
    }

    static String checkFilename(String filename) {
        if (filename.isBlank() || filename.length() > MAX_FILENAME_LENGTH) {
            return "filename must have 1 to " + MAX_FILENAME_LENGTH + " characters and not be blank";
        }
        return hasControl(filename) ? "filename must not contain control characters" : null;
    }

    static String checkMediaType(String contentType) {
        return contentType.length() <= MAX_MEDIA_TYPE && MEDIA_TYPE.matcher(contentType).matches() ? null
                : "contentType must be a media type such as 'image/png' (type/subtype, optional parameters, "
                + "printable ASCII, at most " + MAX_MEDIA_TYPE + " characters)";
    }

    /** {@code type/subtype}, {@code type/*} or {@code *}{@code /*}. */
    static boolean isMediaRange(String range) {
        return MEDIA_RANGE.matcher(range).matches();
    }

    /** The lower-case {@code type/subtype} of a media type, parameters dropped. */
    static String essence(String contentType) {
        int semicolon = contentType.indexOf(';');
        String base = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        return base.trim().toLowerCase(Locale.ROOT);
    }

    /** Whether {@code contentType} falls in one of {@code ranges}; an empty set allows every type. */
    static boolean allowed(Set<String> ranges, String contentType) {
        if (ranges.isEmpty()) {
            return true;
        }
        String essence = essence(contentType);
        String type = essence.substring(0, essence.indexOf('/'));
        return ranges.contains("*/*") || ranges.contains(essence) || ranges.contains(type + "/*");
    }

    static String checkPrefix(String prefix) {
        if (prefix.isEmpty()) {
            return null;
        }
        if (prefix.getBytes(StandardCharsets.UTF_8).length > MAX_PREFIX_BYTES || !prefix.endsWith("/")) {
            return "keyPrefix must be empty or end with '/', at most " + MAX_PREFIX_BYTES + " bytes";
        }
        return checkKey(prefix);
    }

    /**
     * The key of a registration without one: {@code <prefix><token>/<name>}. The token makes it unique, so
     * two uploads never share an object; the name keeps only ASCII letters, digits, {@code .}, {@code -} and
     * {@code _} (every other run of characters becomes one {@code _}), never starts with a dot, and is cut
     * to {@value #MAX_SANITISED_NAME} characters keeping the extension.
     */
    static String generatedKey(String prefix, String token, String filename) {
        return prefix + token + "/" + sanitise(filename);
    }

    static String sanitise(String filename) {
        // Only the last path segment counts: "C:\\photos\\cat.png" and "../../cat.png" become "cat.png".
        String name = filename;
        int cut = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        if (cut >= 0) {
            name = name.substring(cut + 1);
        }
        StringBuilder out = new StringBuilder(name.length());
        boolean replaced = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '-' || c == '_';
            if (keep) {
                out.append(c);
                replaced = false;
            } else if (!replaced) {
                out.append('_');
                replaced = true;
            }
        }
        int start = 0;
        while (start < out.length() && out.charAt(start) == '.') {
            start++;
        }
        String clean = out.substring(start);
        if (clean.length() > MAX_SANITISED_NAME) {
            int dot = clean.lastIndexOf('.');
            String ext = dot > 0 && clean.length() - dot <= 16 ? clean.substring(dot) : "";
            clean = clean.substring(0, MAX_SANITISED_NAME - ext.length()) + ext;
        }
        return clean.isEmpty() || clean.equals("_") ? "file" : clean;
    }

    /**
     * A client's ETag claim, {@linkplain #normaliseEtag normalised}: at most {@value #MAX_ETAG} characters of an
     * entity tag (RFC 9110 etagc: visible ASCII but the double quote, and 0x80 to 0xFF). Null when fine.
     */
    static String checkEtag(String normalised) {
        if (normalised == null) {
            return null;
        }
        if (normalised.length() > MAX_ETAG) {
            return "etag must have at most " + MAX_ETAG + " characters";
        }
        for (int i = 0; i < normalised.length(); i++) {
            char c = normalised.charAt(i);
            if (c <= 0x20 || c == '"' || c == 0x7f || c > 0xff) {
                return "etag must be an entity tag such as \"9b2cf535f27731c974343645a3985328\"";
            }
        }
        return null;
    }

    /** An ETag as storage compares it: without quotes or weak marker, lower case. */
    static String normaliseEtag(String etag) {
        if (etag == null) {
            return null;
        }
        String e = etag.trim();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
            e = e.substring(1, e.length() - 1);
        }
        return e.isEmpty() ? null : e.toLowerCase(Locale.ROOT);
    }

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(Character::isISOControl);
    }
}
