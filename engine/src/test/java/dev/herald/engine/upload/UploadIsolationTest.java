package dev.herald.engine.upload;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Uploads work with any storage: the package knows the SPI, never the S3 adapter or the AWS SDK. */
class UploadIsolationTest {

    @Test
    void uploadPackageKnowsNoStorageSdk() {
        JavaClasses upload = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.herald.engine.upload");

        noClasses().that().resideInAPackage("dev.herald.engine.upload..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.herald.engine.s3..", "software.amazon..")
                .because("the AWS SDK is optional; storage reaches uploads through UploadUrlSigner and ObjectVerifier")
                .check(upload);
    }
}
