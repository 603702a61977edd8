/// P2PScope's application: the JavaFX explorer (`dev.p2pscope.app`), the picocli command line
/// (`dev.p2pscope.cli`, which never touches JavaFX) and the one launcher (`dev.p2pscope`).
module dev.p2pscope.app {
    requires dev.p2pscope.core;
    requires info.picocli;
    requires javafx.controls;
    requires javafx.swing;
    requires java.desktop;
    requires java.prefs;
    requires java.management;   // --bench-render reads the JavaFX and renderer threads' CPU time
    requires org.controlsfx.controls;
    requires org.commonmark;

    // JavaFX instantiates the Application subclass reflectively.
    exports dev.p2pscope.app to javafx.graphics;
    // picocli reads and writes the commands' annotated fields reflectively.
    opens dev.p2pscope.cli to info.picocli;
}
