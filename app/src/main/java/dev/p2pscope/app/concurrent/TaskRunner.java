package dev.p2pscope.app.concurrent;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

/// Runs work off the JavaFX thread and delivers its result (or failure) back on it. Tests use
/// [ImmediateTaskRunner], which does everything at once on the calling thread.
public interface TaskRunner {

    /// Runs `work` in the background; then `onSuccess` or `onFailure` on the UI thread.
    <T> Cancellable run(Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure);

    /// Work that reports progress while it runs (the consumer may be called from any thread).
    @FunctionalInterface
    interface ProgressWork<T, P> {
        T call(Consumer<P> progress) throws Exception;
    }

    /// Runs `work` in the background; its progress reports reach `onProgress` on the UI thread (in order, and
    /// never after `onSuccess`/`onFailure`), then `onSuccess` or `onFailure` on the UI thread.
    <T, P> Cancellable runWithProgress(ProgressWork<T, P> work, Consumer<P> onProgress, Consumer<T> onSuccess,
                                       Consumer<Throwable> onFailure);

    /// A handle on work that was started.
    interface Cancellable {
        void cancel();

        boolean isCancelled();
    }
}
