package dev.p2pscope.app;

import dev.p2pscope.core.topology.TopologyLoadException;
import dev.p2pscope.core.topology.TopologySource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/// The window's first topology, loaded on its own thread from the launch on: the same result, and the same
/// failure, as loading it when the window opens.
class FirstLoadTest {

    @Test
    void loadsWhatTheSourceLoads() throws Exception {
        TopologySource source = TopologySource.sample("skylake-sp-2s-switch");
        ExplorerLauncher.FirstLoad first = ExplorerLauncher.startLoading(source);
        assertThat(first.source()).isSameAs(source);
        assertThat(first.await().topology().size()).isEqualTo(source.load().topology().size());
    }

    @Test
    void failsWithTheLoadsOwnException() {
        TopologySource missing = TopologySource.fromOption("--topology", "/nonexistent/p2pscope-first-load.json");
        String direct = catchMessage(missing);
        assertThatThrownBy(() -> ExplorerLauncher.startLoading(missing).await())
                .isInstanceOf(TopologyLoadException.class)
                .hasMessage(direct);
    }

    private static String catchMessage(TopologySource s) {
        try {
            s.load();
            throw new AssertionError("loaded " + s);
        } catch (TopologyLoadException e) {
            return e.getMessage();
        }
    }
}
