package dev.p2pscope.app.concurrent;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

/// Runs work off the JavaFX thread and delivers its result (or failure), and any progress it reports, back on it.
/// Tests use [ImmediateTaskRunner], which does everything at once on the calling thread. A view or view model
/// never calls `Platform.runLater` from a worker: progress goes through [#run(ProgressWork, Consumer, Consumer,
/// Consumer)].
public interface TaskRunner {

    /// Runs `work` in the background; then `onSuccess` or `onFailure` on the UI thread.
    <T> Cancellable run(Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure);

    /// Runs `work` in the background, handing it a sink for progress; each progress value reaches `onProgress` on
    /// the UI thread (when values come faster than the UI thread takes them, only the latest is delivered), then
    /// `onSuccess` or `onFailure`. Nothing of a cancelled task is delivered.
    <T, P> Cancellable run(ProgressWork<T, P> work, Consumer<P> onProgress, Consumer<T> onSuccess,
                           Consumer<Throwable> onFailure);

    /// Work that reports progress as it goes.
    @FunctionalInterface
    interface ProgressWork<T, P> {
        T call(Consumer<P> progress) throws Exception;
    }

    /// A handle on work that was started.
    interface Cancellable {
        void cancel();

        boolean isCancelled();
    }
}
