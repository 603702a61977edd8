package dev.p2pscope.app.view;

import dev.p2pscope.app.concurrent.FxTaskRunner;
import dev.p2pscope.app.concurrent.TaskRunner;
import dev.p2pscope.app.viewmodel.ExplorerViewModel;
import dev.p2pscope.app.viewmodel.HostViewModel;
import dev.p2pscope.app.viewmodel.InspectorViewModel;
import dev.p2pscope.app.viewmodel.LessonViewModel;
import dev.p2pscope.app.viewmodel.NoticesViewModel;
import dev.p2pscope.app.viewmodel.SglViewModel;
import dev.p2pscope.core.engine.VerdictMatrix;
import javafx.embed.swing.SwingFXUtils;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Separator;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToolBar;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.stage.FileChooser;
import javafx.stage.Window;

import javax.imageio.ImageIO;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.prefs.Preferences;

/// The explorer window's content: toolbar, topology canvas, side tabs (verdict, inspector, matrix, what-if,
/// lesson, notices) and a status bar. Views only bind and forward to the view model.
public final class MainView extends BorderPane {

    public static final String LIGHT = "/dev/p2pscope/app/app.css";
    public static final String DARK = "/dev/p2pscope/app/dark.css";

    final ExplorerViewModel vm;
    final TopologyCanvas canvas;
    final VerdictView verdict;
    final InspectorView inspector;
    final WhatIfView whatIf;
    final SglView sgl;
    final HostView host;
    final TabPane tabs = new TabPane();
    final TextField search = new TextField();
    final Label matchCount = new Label();
    final Label status = new Label();
    /// The views of the Matrix, Live and Lesson tabs are built when their tab is first opened (or a caller asks
    /// for them): building them was a third of the window's start and the first frame shows none of them.
    private MatrixView matrix;
    private LiveView live;
    private LessonView lesson;
    final LessonViewModel lessonModel;
    final NoticesView notices;
    final ToggleButton dark = new ToggleButton("Dark");
    final MenuButton recent = new MenuButton("Recent");
    final SplitPane split = new SplitPane();
    /// Presentation mode's caption: the verdict in large type under the canvas.
    final Label caption = new Label();
    private final javafx.beans.property.BooleanProperty presenting = new javafx.beans.property.SimpleBooleanProperty();
    private final Preferences prefs;
    private final TaskRunner runner;

    public MainView(ExplorerViewModel vm, Preferences prefs) {
        this(vm, prefs, new FxTaskRunner());
    }

    public MainView(ExplorerViewModel vm, Preferences prefs, TaskRunner runner) {
        this.vm = vm;
        this.prefs = prefs;
        this.runner = runner;
        getStyleClass().add("main-view");
        canvas = new TopologyCanvas(vm);
        verdict = new VerdictView(vm, canvas);
        inspector = new InspectorView(new InspectorViewModel(vm));
        whatIf = new WhatIfView(vm);
        sgl = new SglView(new SglViewModel(vm));
        host = new HostView(new HostViewModel(vm));
        lessonModel = new LessonViewModel(vm);
        notices = new NoticesView(new NoticesViewModel(vm));
        verdict.getChildren().addFirst(whatIf.banner());   // while what-if edits are active
        Tab verdictTab = tab("Verdict", () -> verdict, false);
        Tab matrixTab = tab("Matrix", this::matrix, true);   // the matrix scrolls itself
        Tab whatIfTab = tab("What-if", () -> whatIf, false);
        Tab lessonTab = tab("Lesson", this::lesson, false);
        Tab noticesTab = tab("Notices", () -> notices, true);
        tabs.getTabs().addAll(verdictTab, tab("Inspector", () -> inspector, false), matrixTab, whatIfTab,
                tab("SGL", () -> sgl, false), tab("Host", () -> host, false), tab("Live", this::live, false),
                lessonTab, noticesTab);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        canvas.setOnEditAcs(a -> {   // right-click "Edit ACS…": the pair being studied stays
            whatIf.model().setTarget(a);
            tabs.getSelectionModel().select(whatIfTab);
        });
        split.getItems().setAll(canvas, tabs);
        split.setOrientation(Orientation.HORIZONTAL);
        split.setDividerPositions(0.62);
        toolbarNode = toolbar();
        statusNode = statusBar();
        setTop(toolbarNode);
        setCenter(split);
        setBottom(statusNode);
        caption.getStyleClass().add("presentation-caption");
        caption.setId("presentation-caption");
        caption.setWrapText(true);
        caption.setMaxWidth(Double.MAX_VALUE);
        caption.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> {
            var v = vm.verdictProperty().get();
            if (v == null) return "Click a provider, then a client.   Space: play \u00b7 N: step \u00b7 S: the pair \u00b7 "
                    + "F: whole tree \u00b7 Esc: end";
            // Several clients: every client the kernel examined and the sum, in core's words, not the last alone.
            return vm.distanceMany().map(m -> dev.p2pscope.core.text.VerdictText.caption(m, vm.clients().size()))
                    .orElseGet(() -> dev.p2pscope.core.text.VerdictText.caption(v));
        }, vm.verdictProperty(), vm.clients()));
        vm.errorProperty().addListener((o, a, e) -> {
            if (e != null && getScene() != null && getScene().getWindow() != null && getScene().getWindow().isShowing()) {
                Alert alert = new Alert(Alert.AlertType.ERROR, e);
                alert.setHeaderText("This source could not be opened");
                alert.initOwner(getScene().getWindow());
                alert.show();
            }
        });
        // An edit brings the what-if tab forward, except a tour step's own edits: the teacher stays on the lesson.
        vm.changedPairs().addListener((javafx.collections.ListChangeListener<VerdictMatrix.PairChange>) c -> {
            if (!vm.edits().isEmpty() && tabs.getSelectionModel().getSelectedItem() != lessonTab) {
                tabs.getSelectionModel().select(whatIfTab);
            }
        });
        // A new pair brings the verdict forward from the text tabs; the tabs that work with the pair (matrix,
        // what-if, SGL, host, live) stay, so a cell click or a preflight does not take the user away.
        vm.verdictProperty().addListener((o, a, v) -> {
            Tab at = tabs.getSelectionModel().getSelectedItem();
            if (v != null && !lessonModel.applyingProperty().get() && (at == lessonTab || at == noticesTab)) {
                tabs.getSelectionModel().select(verdictTab);
            }
        });
        setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) e.acceptTransferModes(TransferMode.COPY);
            e.consume();
        });
        setOnDragDropped(e -> {
            List<File> files = e.getDragboard().getFiles();
            if (!files.isEmpty()) openPath(files.getFirst().toPath());
            e.setDropCompleted(!files.isEmpty());
            e.consume();
        });
    }

    /// Scrolls the matrix by pixels (the render benchmark's probe).
    public void scrollMatrix(double dx, double dy) {
        matrix().scrollBy(dx, dy);
    }

    /// The Matrix tab's view, built on first use.
    MatrixView matrix() {
        if (matrix == null) matrix = new MatrixView(vm);
        return matrix;
    }

    /// The Live tab's view, built on first use (its model looks for this host's p2pmem providers then).
    LiveView live() {
        if (live == null) live = new LiveView(vm, runner, canvas::follow);
        return live;
    }

    /// The Lesson tab's view, built on first use; its model exists from the start (the tour drives the canvas).
    LessonView lesson() {
        if (lesson == null) lesson = new LessonView(lessonModel);
        return lesson;
    }

    /// How the matrix is shown: its size and whether as a grid or a virtualized canvas.
    public String matrixDescription() {
        var m = vm.matrixProperty().get();
        return m == null ? "no matrix" : m.size() + " devices, " + (m.size() > MatrixView.GRID_LIMIT
                ? "virtualized canvas" : "grid");
    }

    /// Brings the tab called `name` (case-insensitive) to the front.
    ///
    /// @throws IllegalArgumentException naming the tabs there are
    public void selectTab(String name) {
        for (Tab t : tabs.getTabs()) {
            if (t.getText().equalsIgnoreCase(name)) {
                tabs.getSelectionModel().select(t);
                return;
            }
        }
        throw new IllegalArgumentException("no tab " + name + " (there are: "
                + String.join(", ", tabs.getTabs().stream().map(Tab::getText).toList()) + ")");
    }

    /// A tab whose content joins the scene when the tab is first selected, and stays. JavaFX styles, skins and
    /// lays out the content of every tab in the scene, shown or not, and that was most of the window's start
    /// (issue 15: the first frame shows one tab). Views bind to their view models, so a tab shows the current
    /// state whenever it is opened. Measured: docs/performance.md, "Start".
    ///
    /// @param content the tab's view (built by the call for the tabs whose views are built on first use)
    /// @param fitToHeight for views that scroll themselves: the scroll pane gives them its height
    private static Tab tab(String name, java.util.function.Supplier<? extends javafx.scene.Node> content,
                           boolean fitToHeight) {
        Tab t = new Tab(name);
        t.selectedProperty().addListener(new javafx.beans.value.ChangeListener<>() {
            @Override
            public void changed(javafx.beans.value.ObservableValue<? extends Boolean> o, Boolean was, Boolean is) {
                if (!is) return;
                o.removeListener(this);
                javafx.scene.Node view = content.get();
                if (view instanceof TextArea) {
                    t.setContent(view);
                    return;
                }
                ScrollPane scroll = new ScrollPane(view);
                if (view instanceof Region r) {
                    scroll.setFitToWidth(true);
                    r.setPadding(new Insets(10));
                }
                scroll.setFitToHeight(fitToHeight);
                t.setContent(scroll);
            }
        });
        return t;
    }

    private ToolBar toolbar() {
        MenuButton samples = new MenuButton("Samples");
        for (String name : vm.sampleNames()) {
            MenuItem i = new MenuItem(name);
            i.setOnAction(e -> openSample(name));
            samples.getItems().add(i);
        }
        Button host = new Button("This host");
        host.setOnAction(e -> vm.openThisHost());
        Button open = new Button("Open\u2026");
        open.setOnAction(e -> chooseAndOpen());
        Button cancel = new Button("Cancel");
        cancel.visibleProperty().bind(vm.loadingProperty());
        cancel.setOnAction(e -> vm.cancelLoad());
        MenuButton export = new MenuButton("Export");
        export.getItems().addAll(
                item("Canvas as PNG\u2026", e -> save("png", this::pngExport)),
                item("Canvas as SVG\u2026", e -> save("svg", this::svgExport)),
                item("Topology as JSON\u2026", e -> save("json", this::jsonExport)),
                item("Matrix as CSV\u2026", e -> save("csv", this::csvExport)),
                item("Verdict text to clipboard", e -> verdict.copy.fire()));
        Button fit = new Button("Fit");
        fit.setOnAction(e -> canvas.fit());
        Button zoomIn = new Button("+");
        zoomIn.setOnAction(e -> canvas.zoomBy(1.2, canvas.getWidth() / 2, canvas.getHeight() / 2));
        Button zoomOut = new Button("\u2212");
        zoomOut.setOnAction(e -> canvas.zoomBy(1 / 1.2, canvas.getWidth() / 2, canvas.getHeight() / 2));
        search.setPromptText("Find: BDF, name, class, driver");
        search.textProperty().addListener((o, a, b) -> canvas.search(b));
        search.setOnAction(e -> canvas.nextMatch());   // Enter: the next match
        matchCount.getStyleClass().add("match-count");
        matchCount.setId("match-count");
        matchCount.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> {
            int n = canvas.matchCountProperty().get();
            return n < 0 ? "" : n == 0 ? "no match" : n == 1 ? "1 match" : n + " matches (Enter: next)";
        }, canvas.matchCountProperty()));
        Button toSelection = new Button("Selection");
        toSelection.setOnAction(e -> canvas.zoomToSelection());
        toSelection.disableProperty().bind(vm.verdictProperty().isNull());
        dark.setOnAction(e -> applyTheme(dark.isSelected()));
        dark.setSelected(prefs.getBoolean("dark", false));
        refreshRecent();
        return new ToolBar(samples, host, open, recent, cancel, new Separator(), export, new Separator(), zoomOut, fit,
                zoomIn, toSelection, search, matchCount, new Separator(), dark);
    }

    private static MenuItem item(String text, javafx.event.EventHandler<javafx.event.ActionEvent> h) {
        MenuItem i = new MenuItem(text);
        i.setOnAction(h);
        return i;
    }

    private HBox statusBar() {
        ProgressIndicator busy = new ProgressIndicator();
        busy.setPrefSize(16, 16);
        busy.visibleProperty().bind(vm.loadingProperty());
        status.textProperty().bind(vm.statusProperty());
        Label source = new Label();
        source.textProperty().bind(vm.sourceNameProperty());
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        Label help = new Label("click: provider then client \u00b7 wheel: zoom \u00b7 drag: pan \u00b7 F: fit \u00b7 "
                + "S: selection \u00b7 L: legend \u00b7 F5: present \u00b7 Space: play \u00b7 Ctrl+Z/Y: undo/redo");
        HBox bar = new HBox(10, busy, status, grow, help, source);
        bar.getStyleClass().add("status-bar");
        bar.setPadding(new Insets(4, 8, 4, 8));
        return bar;
    }

    /// Presentation mode for a classroom: the canvas alone and full screen, type readable from the back
    /// (nothing under 1.75 times the usual minimum), the verdict as a large caption; Space plays, N steps,
    /// S zooms to the pair, F fits, F5 or Escape ends it.
    public void togglePresentation() {
        boolean on = !presenting.get();
        presenting.set(on);
        if (on) {
            getStyleClass().add("presentation");
            split.getItems().remove(tabs);
            setTop(null);
            setBottom(caption);
        } else {
            getStyleClass().remove("presentation");
            if (!split.getItems().contains(tabs)) split.getItems().add(tabs);
            split.setDividerPositions(0.62);
            setTop(toolbarNode);
            setBottom(statusNode);
        }
        // Full screen where there is a screen (JavaFX's headless platform cannot draw a full-screen window).
        if (getScene() != null && getScene().getWindow() instanceof javafx.stage.Stage st
                && !"Headless".equalsIgnoreCase(System.getProperty("glass.platform"))) {
            st.setFullScreen(on);
        }
        applyCss();
        layout();   // the canvas takes its new size before it refits
        canvas.setTextScale(on ? PRESENTATION_SCALE : 1);
        canvas.requestFocus();
        // Full screen arrives later: refit once the window has its size.
        javafx.application.Platform.runLater(canvas::fitOrFocus);
    }

    static final double PRESENTATION_SCALE = 1.75;

    public boolean presenting() {
        return presenting.get();
    }

    private javafx.scene.Node toolbarNode;
    private javafx.scene.Node statusNode;

    /// Keyboard shortcuts, once the view is in a scene.
    public void installShortcuts(Scene scene) {
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F5), this::togglePresentation);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.Z, KeyCombination.SHORTCUT_DOWN), vm::undo);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.Y, KeyCombination.SHORTCUT_DOWN), vm::redo);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.O, KeyCombination.SHORTCUT_DOWN), this::chooseAndOpen);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN), search::requestFocus);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.M, KeyCombination.SHORTCUT_DOWN),
                () -> tabs.getSelectionModel().select(2));
        canvas.setOnKeyPressed(e -> {
            switch (e.getCode()) {
                case F -> canvas.fit();
                case S -> canvas.zoomToSelection();
                case L -> canvas.toggleLegend();
                case PLUS, EQUALS, ADD -> canvas.zoomBy(1.2, canvas.getWidth() / 2, canvas.getHeight() / 2);
                case MINUS, SUBTRACT -> canvas.zoomBy(1 / 1.2, canvas.getWidth() / 2, canvas.getHeight() / 2);
                case LEFT -> canvas.panBy(60, 0);
                case RIGHT -> canvas.panBy(-60, 0);
                case UP -> canvas.panBy(0, 60);
                case DOWN -> canvas.panBy(0, -60);
                case SPACE -> canvas.play();
                case N -> canvas.step();
                case ESCAPE -> {
                    canvas.stop();
                    if (presenting.get()) togglePresentation();
                }
                case P -> togglePresentation();
                default -> { }
            }
        });
        applyTheme(dark.isSelected());
    }

    void applyTheme(boolean darkTheme) {
        Scene s = getScene();
        if (s == null) return;
        s.getStylesheets().setAll(getClass().getResource(LIGHT).toExternalForm());
        if (darkTheme) s.getStylesheets().add(getClass().getResource(DARK).toExternalForm());
        prefs.putBoolean("dark", darkTheme);
    }

    public void openSample(String name) {
        vm.openSample(name);
    }

    /// Opens a file or directory of any supported kind in the background, and remembers it.
    public void openPath(Path p) {
        vm.openFile(p);
        List<String> r = new java.util.ArrayList<>(List.of(prefs.get("recent", "").split("\n")));
        r.remove(p.toString());
        r.removeIf(String::isBlank);
        r.addFirst(p.toString());
        prefs.put("recent", String.join("\n", r.subList(0, Math.min(8, r.size()))));
        refreshRecent();
    }

    private void refreshRecent() {
        recent.getItems().clear();
        for (String s : prefs.get("recent", "").split("\n")) {
            if (!s.isBlank()) recent.getItems().add(item(s, e -> openPath(Path.of(s))));
        }
        recent.setDisable(recent.getItems().isEmpty());
    }

    private void chooseAndOpen() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Open a topology (JSON), a sysfs snapshot (.tar.gz/.tar.bz2) or an lspci -xxxx dump");
        File f = fc.showOpenDialog(window());
        if (f != null) openPath(f.toPath());
    }

    private Window window() {
        return getScene() == null ? null : getScene().getWindow();
    }

    /// An export: what it needs is captured on the JavaFX thread, then `writeTo` renders and writes the file,
    /// which runs in the background.
    interface Export {
        void writeTo(Path p) throws IOException;
    }

    private void save(String ext, java.util.function.Supplier<Export> what) {
        FileChooser fc = new FileChooser();
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter(ext.toUpperCase(), "*." + ext));
        File f = fc.showSaveDialog(window());
        if (f == null) return;
        Export export = what.get();
        Path p = f.toPath();
        vm.report("Writing " + p + "...");
        runner.run(() -> {
            export.writeTo(p);
            return p;
        }, done -> vm.report("Wrote " + done), e -> {
            vm.report("Could not write " + p);
            new Alert(Alert.AlertType.ERROR, "Cannot write " + p + ": " + e.getMessage()).show();
        });
    }

    /// The canvas as a PNG: the whole tree at 1:1, or for a tree drawn on the canvas (too large for one image)
    /// what is in view.
    Export pngExport() {
        WritableImage img;
        if (canvas.bigMode()) {
            img = canvas.snapshot(null, null);
        } else {
            double z = canvas.zoomProperty().get();
            canvas.zoomProperty().set(1);   // export at 1:1, whatever the view's zoom
            try {
                img = canvas.content().snapshot(null, null);
            } finally {
                canvas.zoomProperty().set(z);
            }
        }
        return p -> ImageIO.write(SwingFXUtils.fromFXImage(img, null), "png", p.toFile());
    }

    Export svgExport() {
        SvgExport.Drawing d = canvas.drawing();
        return p -> Files.writeString(p, SvgExport.render(d), StandardCharsets.UTF_8);
    }

    Export jsonExport() {
        var json = vm.topologyJson();
        return p -> Files.writeString(p, json.get(), StandardCharsets.UTF_8);
    }

    Export csvExport() {
        VerdictMatrix m = vm.matrixProperty().get();
        return p -> {
            try (var w = Files.newBufferedWriter(p, StandardCharsets.UTF_8)) {
                writeCsv(m, w);
            }
        };
    }

    /// Exports at once, on the calling thread (tests and scripts).
    public void exportPng(Path p) throws IOException {
        pngExport().writeTo(p);
    }

    public void exportSvg(Path p) throws IOException {
        svgExport().writeTo(p);
    }

    /// The matrix as CSV, streamed (a 4,096-endpoint matrix is 16.8 million cells): one row per provider, one
    /// column per client, each cell `MAP_TYPE:distance`.
    static void writeCsv(VerdictMatrix m, Appendable out) throws IOException {
        if (m == null) return;
        out.append("provider\\client");
        for (var d : m.devices()) out.append(',').append(d.toString());
        out.append('\n');
        for (int i = 0; i < m.size(); i++) {
            out.append(m.devices().get(i).toString());
            for (int j = 0; j < m.size(); j++) {
                out.append(',').append(m.mapType(i, j).name()).append(':').append(Integer.toString(m.distance(i, j)));
            }
            out.append('\n');
        }
    }

    public TopologyCanvas canvas() { return canvas; }
    public TabPane tabs() { return tabs; }

}
