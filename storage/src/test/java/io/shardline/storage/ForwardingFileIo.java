package io.shardline.storage;

import io.shardline.core.Future;
import io.shardline.core.Loop;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A test backend that passes every call to {@link #real()}, so a test's backend overrides only the calls it
 * changes. Owned by the real backend's loop, as that one is.
 */
interface ForwardingFileIo extends FileIo {
    FileIo real();

    @Override
    default Loop loop() {
        return real().loop();
    }

    @Override
    default Future<FileHandle> open(Path path, boolean create, boolean direct) {
        return real().open(path, create, direct);
    }

    @Override
    default Future<Integer> read(FileHandle file, long position, ByteBuffer dst) {
        return real().read(file, position, dst);
    }

    @Override
    default Future<Void> write(FileHandle file, long position, ByteBuffer src) {
        return real().write(file, position, src);
    }

    @Override
    default Future<Void> force(FileHandle file, boolean metadata) {
        return real().force(file, metadata);
    }

    @Override
    default Future<Void> close(FileHandle file) {
        return real().close(file);
    }

    @Override
    default <T> Future<T> run(BlockingCall<T> call) {
        return real().run(call);
    }

    @Override
    default void close() {
        real().close();
    }
}
