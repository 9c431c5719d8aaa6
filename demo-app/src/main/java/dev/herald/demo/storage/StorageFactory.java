package dev.herald.demo.storage;

import dev.herald.demo.config.HeraldProperties;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/** Makes the one {@link UploadStorage} of the application; it is closed when the application stops. */
@Factory
public class StorageFactory {

    /** The upload store from {@code herald.storage.*}; local files under {@code herald.data-dir}. */
    @Singleton
    @Bean(preDestroy = "close")
    public UploadStorage uploadStorage(StorageProperties storage, HeraldProperties herald) {
        return UploadStorage.start(storage, Path.of(herald.getDataDir()));
    }
}
