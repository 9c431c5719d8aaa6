package dev.herald.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The engine stays framework-free, and its layers point one way. */
class ArchitectureTest {
    private static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("dev.herald.engine");

    @Test
    void noFrameworkTypes() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "io.micronaut..", "org.springframework..", "jakarta.servlet..", "javax.servlet..",
                        "io.quarkus..", "jakarta.inject..", "javax.inject..", "jakarta.ws..", "redis.clients..",
                        "java.sql..")
                .because("engine is a plain Java library; frameworks, JDBC and Redis live in their own modules")
                .check(ENGINE);
    }

    @Test
    void valuesAndSpiDoNotReachIntoTheEngine() {
        noClasses().that().resideInAnyPackage("dev.herald.engine.model..", "dev.herald.engine.spi..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.herald.engine.delivery..",
                        "dev.herald.engine.memory..", "dev.herald.engine.http..", "dev.herald.engine.upload..")
                .check(ENGINE);
    }
}
