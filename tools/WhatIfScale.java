import dev.p2pscope.app.concurrent.FxTaskRunner;
import dev.p2pscope.app.view.MainView;
import dev.p2pscope.app.viewmodel.ExplorerViewModel;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.topology.TopologySource;
import dev.p2pscope.core.whatif.WhatIf;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.prefs.Preferences;

/// Measures one what-if edit on a large tree in the real window (headless): time until the changed-pairs list
/// shows its count, the longest FX-thread stall meanwhile, and the heap in use after a GC before and after.
/// `-Dsample=1` also samples the FX thread's stack and prints where it spent its time. How to run it:
/// docs/what-if-at-scale.md.
public class WhatIfScale {
    static ExplorerViewModel vm;
    static MainView view;

    static void fx(Runnable r) throws Exception {
        CountDownLatch l = new CountDownLatch(1);
        Platform.runLater(() -> { try { r.run(); } finally { l.countDown(); } });
        l.await();
    }

    static long heapMb() {
        System.gc(); System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
    }

    public static void main(String[] a) throws Exception {
        Topology t = TopologySource.detect(Path.of(a[0])).load().topology();
        String edit = a[1];
        CountDownLatch started = new CountDownLatch(1);
        Platform.startup(started::countDown);
        started.await();
        fx(() -> {
            vm = new ExplorerViewModel(new FxTaskRunner());
            view = new MainView(vm, Preferences.userRoot().node("p2pscope-measure"));
            Stage s = new Stage();
            s.setScene(new Scene(view, 1480, 920));
            s.show();
            vm.show(t);
            view.selectTab("What-if");
        });
        while (true) { boolean[] ok = {false}; fx(() -> ok[0] = vm.matrixProperty().get() != null); if (ok[0]) break; Thread.sleep(50); }
        fx(() -> {});
        long before = heapMb();
        AtomicLong maxStall = new AtomicLong();
        var ses = Executors.newSingleThreadScheduledExecutor();
        ses.scheduleAtFixedRate(() -> { long sent = System.nanoTime(); Platform.runLater(() -> maxStall.accumulateAndGet(System.nanoTime() - sent, Math::max)); }, 0, 5, TimeUnit.MILLISECONDS);
        Thread.sleep(200);
        maxStall.set(0);
        Thread fxThread = Thread.getAllStackTraces().keySet().stream().filter(x -> x.getName().equals("JavaFX Application Thread")).findFirst().orElseThrow();
        java.util.Map<String, Integer> hist = new java.util.concurrent.ConcurrentHashMap<>();
        boolean sample = System.getProperty("sample") != null;
        Thread sampler = new Thread(() -> {
            long end = System.nanoTime() + 8_000_000_000L;
            while (sample && System.nanoTime() < end) {
                StackTraceElement[] st = fxThread.getStackTrace();
                StringBuilder k = new StringBuilder();
                int n = 0;
                for (StackTraceElement e : st) {
                    if (e.getClassName().startsWith("dev.p2pscope") || n == 0) { k.append(e.getClassName().replaceAll(".*\\.", "")).append('.').append(e.getMethodName()).append(':').append(e.getLineNumber()).append(" < "); n++; }
                    if (n >= 5) break;
                }
                if (st.length > 0 && !st[0].getMethodName().contains("runLoop")) hist.merge(k.toString(), 1, Integer::sum);
                try { Thread.sleep(20); } catch (InterruptedException ex) { return; }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        long t0 = System.nanoTime();
        fx(() -> vm.apply(edit.startsWith("deny:") ? WhatIf.deny(edit.substring(5)) : edit.startsWith("cpu:") ? WhatIf.cpu(edit.substring(4)) : WhatIf.allow(edit)));
        long[] shown = {0};
        String[] first = {null};
        while (true) {
            fx(() -> { if (!vm.changedPairs().isEmpty() && shown[0] == 0) { shown[0] = System.nanoTime(); } });
            if (shown[0] != 0) break;
            Thread.sleep(5);
        }
        Thread.sleep(300);   // let the window lay out and draw what it shows
        fx(() -> {
            var lv = (javafx.scene.control.ListView<?>) view.lookup("#changed-pairs");
            first[0] = lv.getItems().size() + " items; first: " + lv.getItems().getFirst();
        });
        long stall = maxStall.get();
        ses.shutdown();
        long after = heapMb();
        System.out.printf("edit %s: %s%n", edit, first[0]);
        System.out.printf("time to show the count: %.0f ms; longest FX stall: %.0f ms; heap after GC: %d MB before, %d MB after%n",
                (shown[0] - t0) / 1e6, stall / 1e6, before, after);
        hist.entrySet().stream().sorted((x, y) -> y.getValue() - x.getValue()).limit(12).forEach(e -> System.out.println(e.getValue() + "  " + e.getKey()));
        Platform.exit();
        System.exit(0);
    }
}
