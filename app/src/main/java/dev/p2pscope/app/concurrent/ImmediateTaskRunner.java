package dev.p2pscope.app.concurrent;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

/// Runs work on the calling thread, at once: deterministic view-model tests without sleeping.
public final class ImmediateTaskRunner implements TaskRunner {

    @Override
    public <T> Cancellable run(Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        try {
            onSuccess.accept(work.call());
        } catch (Exception e) {
            onFailure.accept(e);
        }
        return new Cancellable() {
            @Override public void cancel() { }
            @Override public boolean isCancelled() { return false; }
        };
    }

    @Override
    public <T, P> Cancellable runWithProgress(ProgressWork<T, P> work, Consumer<P> onProgress, Consumer<T> onSuccess,
                                              Consumer<Throwable> onFailure) {
        return run(() -> work.call(onProgress), onSuccess, onFailure);
    }
}
