package dev.p2pscope.app.concurrent;

import javafx.application.Platform;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
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
        AtomicBoolean cancelled = new AtomicBoolean();
        return submit(cancelled, work, onSuccess, onFailure);
    }

    @Override
    public <T, P> Cancellable run(ProgressWork<T, P> work, Consumer<P> onProgress, Consumer<T> onSuccess,
                                  Consumer<Throwable> onFailure) {
        AtomicBoolean cancelled = new AtomicBoolean();
        // The latest value not yet shown: a worker reporting faster than the UI draws never floods the event queue.
        AtomicReference<P> pending = new AtomicReference<>();
        Consumer<P> sink = p -> {
            if (pending.getAndSet(p) == null) {
                Platform.runLater(() -> {
                    P latest = pending.getAndSet(null);
                    if (latest != null && !cancelled.get()) onProgress.accept(latest);
                });
            }
        };
        return submit(cancelled, () -> work.call(sink), onSuccess, onFailure);
    }

    private <T> Cancellable submit(AtomicBoolean cancelled, Callable<T> work, Consumer<T> onSuccess,
                                   Consumer<Throwable> onFailure) {
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
