package dev.p2pscope.app;

import dev.p2pscope.app.view.MainView;
import dev.p2pscope.app.view.TopologyCanvas;
import dev.p2pscope.app.viewmodel.ExplorerViewModel;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.scene.Scene;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/// `--bench-render`: what a user of the window waits for, measured on the pulses JavaFX really renders.
///
/// 1. The topology loads in the background, as in the window; the time it is handed to the view is printed (from
///    launch), then the delay from there to the first frame that shows the tree, and what that frame contained.
///    "Shown" is counted conservatively: the tree's first pulse is pulse N; JavaFX's next pulse waits for the
///    renderer to finish frame N before it syncs the scene, so the time is taken at the start of pulse N + 2.
/// 2. Zoom and pan of the tree, then scrolling of the matrix, each for five seconds: every pulse changes the view,
///    so every pulse is a frame drawn and shown. Next to frames per second, the CPU time per frame of the JavaFX
///    thread and of the renderer thread, which do not depend on how loaded the machine is: a frame every 16.7 ms
///    needs each under 16.7 ms.
final class RenderBench {

    private RenderBench() {
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /// @param out where each line of the report goes (the launcher prints it)
    static void start(Scene scene, MainView view, ExplorerViewModel vm, long launched,
                      java.util.function.Consumer<String> out) {
        TopologyCanvas canvas = view.canvas();
        // Loaded: the background load hands its result to the JavaFX thread (loading ends just before the views
        // are given the topology, so the views' own work counts towards the first frame).
        long[] loaded = {vm.topology() != null ? System.nanoTime() : 0, fxCpu(), renderCpu()};
        if (loaded[0] == 0) {
            vm.loadingProperty().addListener((o, a, busy) -> {
                if (!busy && loaded[0] == 0) {
                    loaded[0] = System.nanoTime();
                    loaded[1] = fxCpu();
                    loaded[2] = renderCpu();
                }
            });
        }
        // Pulse N: the first layout pass with the tree in it and the canvas sized.
        String[] content = {null};
        Runnable probe = new Runnable() {
            @Override
            public void run() {
                if (content[0] != null || loaded[0] == 0 || canvas.treeLayout() == null || canvas.getWidth() <= 0) {
                    return;
                }
                content[0] = String.format(Locale.ROOT, "%d boxes of %d functions, %s, %s detail%s",
                        canvas.treeLayout().boxes().size(), vm.topology().size(),
                        canvas.bigMode() ? "canvas drawing with culling" : "scene-graph nodes",
                        canvas.detailProperty().get().name().toLowerCase(Locale.ROOT),
                        vm.matrixProperty().get() == null ? "; the all-pairs matrix still computing in the background"
                                : "; the all-pairs matrix ready");
                scene.removePostLayoutPulseListener(this);
            }
        };
        scene.addPostLayoutPulseListener(probe);
        new AnimationTimer() {
            int sinceFirst = -1;
            int frames;
            long t0;
            long fx0;
            long render0;
            int phase;   // 0: waiting for the first frame, 1: zoom/pan, 2: waiting for the matrix, 3: matrix scroll
            long matrixAsked;

            private void say(String format, Object... args) {
                out.accept(String.format(Locale.ROOT, format, args));
            }

            @Override
            public void handle(long now) {
                if (phase == 0) {
                    if (content[0] == null) return;
                    if (++sinceFirst < 2) return;
                    say("topology loaded: %.0f ms from launch", (loaded[0] - launched) / 1e6);
                    say("time to first frame: %.0f ms after the topology was loaded, "
                            + "%.0f ms from launch (%s); CPU in between: JavaFX thread %.0f ms, renderer %.0f ms",
                            (now - loaded[0]) / 1e6, (now - launched) / 1e6, content[0], (fxCpu() - loaded[1]) / 1e6,
                            (renderCpu() - loaded[2]) / 1e6);
                    begin(now, 1);
                    return;
                }
                if (phase == 2) {
                    if (vm.matrixProperty().get() == null) return;
                    say("matrix: ready %.0f ms after it was asked for (computed in the "
                            + "background)", (now - matrixAsked) / 1e6);
                    begin(now, 3);
                    return;
                }
                frames++;
                if (phase == 1) {
                    canvas.zoomBy(frames % 40 < 20 ? 1.03 : 1 / 1.03, 600, 400);
                    canvas.panBy(frames % 60 < 30 ? 6 : -6, 0);
                } else {
                    view.scrollMatrix(frames % 60 < 30 ? 24 : -24, frames % 60 < 30 ? 60 : -60);
                }
                if (now - t0 > 5_000_000_000L) {
                    double s = (now - t0) / 1e9;
                    say("%s: %d frames in %.1f s = %.1f fps; CPU per frame: JavaFX thread "
                                    + "%.1f ms, renderer %.1f ms%s",
                            phase == 3 ? "matrix scroll (" + view.matrixDescription() + ")" : "zoom/pan", frames, s,
                            frames / s, (fxCpu() - fx0) / 1e6 / frames, (renderCpu() - render0) / 1e6 / frames,
                            phase == 3 ? "" : canvas.movingPlainly() ? "; boxes drawn plainly while the view moves "
                                    + "(square, no text), in full once it stops" : "");
                    if (phase == 3) {
                        stop();
                        Platform.exit();
                        return;
                    }
                    view.selectTab("Matrix");
                    matrixAsked = now;
                    phase = 2;
                }
            }

            private void begin(long now, int next) {
                phase = next;
                frames = 0;
                t0 = now;
                fx0 = fxCpu();
                render0 = renderCpu();
            }
        }.start();
    }

    private static long fxCpu() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : 0;
    }

    /// CPU time of JavaFX's renderer thread (where the software pipeline rasterizes), 0 when it cannot be read.
    private static long renderCpu() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("QuantumRenderer")) return Math.max(0, THREADS.getThreadCpuTime(t.threadId()));
        }
        return 0;
    }
}
