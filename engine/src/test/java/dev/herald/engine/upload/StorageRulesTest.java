package dev.herald.engine.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StorageRulesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "cat.png|cat.png",
            "My Photo (1).JPG|My_Photo_1_.JPG",
            "../../etc/passwd|passwd",
            "C:\\Users\\me\\report.pdf|report.pdf",
            ".htaccess|htaccess",
            "...|file",
            "résumé final.docx|r_sum_final.docx",
            "日本語.txt|_.txt",
            "漢字|file",
            "a   b|a_b",
            "dir/|file"})
    void generatedNamesAreSafe(String filename, String expected) {
        assertThat(StorageRules.sanitise(filename)).isEqualTo(expected);
        assertThat(StorageRules.checkKey(StorageRules.generatedKey("uploads/", "wh_X", filename))).isNull();
    }

    @ParameterizedTest
    @ValueSource(ints = {201, 300, 1000})
    void longNamesAreCutKeepingTheExtension(int length) {
        String name = StorageRules.sanitise("n".repeat(length) + ".tar.gz");
        assertThat(name).hasSize(StorageRules.MAX_SANITISED_NAME).endsWith(".gz");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "dir/file.txt", "a..b/c", "..a/b", "a/b..", "x/.hidden", "with space/ü.png", "a//b"})
    void acceptableKeys(String key) {
        assertThat(StorageRules.checkKey(key)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "..", "../a", "a/..", "a/../b", ".", "./a", "a/./b", "/a", "a\\..\\b", "a\u0000",
            "a\r\nb", "a\u007fb"})
    void refusedKeys(String key) {
        assertThat(StorageRules.checkKey(key)).isNotNull();
    }

    @ParameterizedTest
    @CsvSource({"image/png,true", "IMAGE/PNG; charset=x,true", "image/jpeg,true", "application/pdf,true",
            "application/pdf;x=y,true", "text/plain,false", "application/json,false"})
    void contentTypesMatchRangesIgnoringCaseAndParameters(String type, boolean allowed) {
        assertThat(StorageRules.allowed(Set.of("image/*", "application/pdf"), type)).isEqualTo(allowed);
        assertThat(StorageRules.allowed(Set.of(), type)).isTrue();
        assertThat(StorageRules.allowed(Set.of("*/*"), type)).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "\"abc\"|abc", "W/\"abc\"|abc", "ABC|abc", " \"d41d8cd98f00b204e9800998ecf8427e\" |d41d8cd98f00b204e9800998ecf8427e",
            "\"\"|null", "''|null"})
    void etagsCompareWithoutQuotesAndCase(String etag, String normalised) {
        assertThat(StorageRules.normaliseEtag(etag)).isEqualTo(normalised);
    }

    @Test
    void etagClaimsMustBeShortEntityTags() {
        assertThat(StorageRules.checkEtag(null)).isNull();
        assertThat(StorageRules.checkEtag("d41d8cd98f00b204e9800998ecf8427e-12")).isNull();
        assertThat(StorageRules.checkEtag("a".repeat(256))).isNull();
        assertThat(StorageRules.checkEtag("\u00e9t\u00e9")).isNull();
        assertThat(StorageRules.checkEtag("a".repeat(257))).contains("256");
        for (String bad : new String[] {"a b", "a\u0000b", "a\"b", "a\u007fb", "\uD83D\uDE00", "a\tb"}) {
            assertThat(StorageRules.checkEtag(bad)).as(bad).contains("entity tag");
        }
    }
}
