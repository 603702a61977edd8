package dev.p2pscope.app.concurrent;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

/// Runs work off the JavaFX thread and delivers its result (or failure) back on it. Tests use
/// [ImmediateTaskRunner], which does everything at once on the calling thread.
public interface TaskRunner {

    /// Runs `work` in the background; then `onSuccess` or `onFailure` on the UI thread.
    <T> Cancellable run(Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure);

    /// A handle on work that was started.
    interface Cancellable {
        void cancel();

        boolean isCancelled();
    }
}
