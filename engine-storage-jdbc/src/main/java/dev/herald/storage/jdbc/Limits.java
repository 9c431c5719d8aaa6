package dev.herald.storage.jdbc;

import dev.herald.engine.spi.StoreException;

/**
 * The longest value each column keeps, checked before anything is written so an oversized field is
 * refused with a message naming the field, never cut short. The numbers match the column sizes in
 * the migrations; a value's length is counted in characters, as both databases count it.
 */
final class Limits {
    static final int ID = 64;
    static final int TENANT = 128;
    static final int EVENT_TYPE = 256;
    static final int EVENT_DATA = 1_048_576;
    static final int SUBJECT = 512;
    static final int IDEMPOTENCY_KEY = 512;
    static final int URL = 2048;
    static final int SECRETS = 8192;
    static final int EVENT_TYPES = 8192;
    static final int DESCRIPTION = 4096;
    static final int HEADERS = 16_384;
    static final int ERROR = 2048;
    static final int RESPONSE_BODY = 4096;
    static final int LEASE_OWNER = 256;
    static final int PROVIDER = 32;
    static final int BUCKET = 255;
    static final int OBJECT_KEY = 1024;
    static final int FILENAME = 1024;
    static final int CONTENT_TYPE = 255;
    static final int METADATA = 65_536;
    static final int ETAG = 256;
    static final int FAILURE_REASON = 64;

    private Limits() {
    }

    /** Refuses {@code value} when longer than {@code max} characters; null passes. Returns the value. */
    static String check(String field, String value, int max) {
        if (value != null && value.length() > max && value.codePointCount(0, value.length()) > max) {
            throw new StoreException(field + " is " + value.codePointCount(0, value.length())
                    + " characters long; this store keeps at most " + max);
        }
        return value;
    }
}
