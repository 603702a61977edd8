package dev.p2pscope.app.view;

import dev.p2pscope.app.concurrent.ImmediateTaskRunner;
import dev.p2pscope.app.viewmodel.ExplorerViewModel;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javafx.util.Duration;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationTest;

import java.util.prefs.Preferences;

/// The shared window for the explorer's TestFX tests: an [ExplorerViewModel] and a [MainView] on tasks that run at
/// once, in a scene of the given size with the keyboard shortcuts installed, shown on JavaFX's headless platform.
/// Subclasses name their own preferences node (so one test's remembered state never leaks into another's), may
/// keep the canvas's hop animation, and open what they need in [#opened()].
abstract class MainViewFxTest extends ApplicationTest {

    /// The window's default size, as --screenshot renders it.
    static final double DEFAULT_WIDTH = 1480;
    static final double DEFAULT_HEIGHT = 920;

    private final String prefsNode;
    private final double width;
    private final double height;
    private final boolean instantHops;

    ExplorerViewModel vm;
    MainView view;
    final FxRobot robot = this;

    /// A window at the default size whose canvas jumps to its target instead of animating the hop.
    MainViewFxTest(String prefsNode) {
        this(prefsNode, DEFAULT_WIDTH, DEFAULT_HEIGHT, true);
    }

    MainViewFxTest(String prefsNode, double width, double height, boolean instantHops) {
        this.prefsNode = prefsNode;
        this.width = width;
        this.height = height;
        this.instantHops = instantHops;
    }

    @Override
    public final void start(Stage stage) {
        vm = new ExplorerViewModel(new ImmediateTaskRunner());
        view = new MainView(vm, Preferences.userRoot().node(prefsNode), new ImmediateTaskRunner());
        Scene scene = new Scene(view, width, height);
        view.installShortcuts(scene);
        if (instantHops) view.canvas().hopDurationProperty().set(Duration.ZERO);
        stage.setScene(scene);
        stage.show();
        opened();
    }

    /// Runs on the JavaFX thread once the window is shown: open a sample, pick a tab.
    void opened() {
    }
}
