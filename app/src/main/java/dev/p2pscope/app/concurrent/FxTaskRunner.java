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
        AtomicBoolean cancelled = new AtomicBoolean();
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
