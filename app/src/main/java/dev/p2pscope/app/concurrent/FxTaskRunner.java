package dev.p2pscope.app.concurrent;

import javafx.application.Platform;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/// Background work on daemon threads, callbacks on the JavaFX thread; a cancelled task's callbacks never run.
public final class FxTaskRunner implements TaskRunner {

    private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "p2pscope-worker");
        t.setDaemon(true);
        return t;
    });

    @Override
    public <T> Cancellable run(Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        return run(work, onSuccess, onFailure, new AtomicBoolean());
    }

    @Override
    public <T, P> Cancellable runWithProgress(ProgressWork<T, P> work, Consumer<P> onProgress, Consumer<T> onSuccess,
                                              Consumer<Throwable> onFailure) {
        AtomicBoolean cancelled = new AtomicBoolean();
        // Platform.runLater keeps the order of the runnables, so progress never arrives after the outcome.
        Consumer<P> progress = p -> Platform.runLater(() -> {
            if (!cancelled.get()) onProgress.accept(p);
        });
        return run(() -> work.call(progress), onSuccess, onFailure, cancelled);
    }

    private <T> Cancellable run(Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure,
                                AtomicBoolean cancelled) {
        var future = executor.submit(() -> {
            try {
                T result = work.call();
                Platform.runLater(() -> {
                    if (!cancelled.get()) onSuccess.accept(result);
                });
            } catch (Exception | StackOverflowError e) {
                Platform.runLater(() -> {
                    if (!cancelled.get()) onFailure.accept(e);
                });
            }
        });
        return handle(cancelled, future);
    }

    private static Cancellable handle(AtomicBoolean cancelled, java.util.concurrent.Future<?> future) {
        return new Cancellable() {
            @Override
            public void cancel() {
                cancelled.set(true);
                future.cancel(true);
            }

            @Override
            public boolean isCancelled() {
                return cancelled.get();
            }
        };
    }
}
