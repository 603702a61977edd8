package dev.p2pscope;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/// Layering rules the build does not enforce by itself: core never sees JavaFX or picocli (its pom has neither,
/// this keeps it so), the CLI never touches JavaFX, and only the CLI and the launcher print to standard streams.
class ArchitectureTest {

    static List<Path> sources(String root) throws IOException {
        try (Stream<Path> s = Files.walk(Path.of(root))) {
            return s.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }

    @Test
    void coreUsesNoUiToolkitAndNoCliLibrary() throws IOException {
        for (Path p : sources("../core/src/main/java")) {
            assertThat(Files.readString(p)).as(p.toString())
                    .doesNotContain("import javafx.").doesNotContain("import picocli.")
                    .doesNotContain("import java.awt.").doesNotContain("import javax.swing.");
        }
    }

    @Test
    void theCommandLineNeverTouchesJavaFx() throws IOException {
        for (Path p : sources("src/main/java/dev/p2pscope/cli")) {
            // The pure layout (dev.p2pscope.app.render, itself free of JavaFX) is the one app package it may use.
            assertThat(Files.readString(p).replace("import dev.p2pscope.app.render.", "")).as(p.toString())
                    .doesNotContain("javafx.").doesNotContain("dev.p2pscope.app.");
        }
        for (String launcher : List.of("src/main/java/dev/p2pscope/Main.java",
                "src/main/java/dev/p2pscope/Window.java")) {
            assertThat(Files.readString(Path.of(launcher))).doesNotContain("import javafx.");
        }
    }

    @Test
    void viewModelsAndLayoutUseNoSceneGraph() throws IOException {
        for (String dir : List.of("src/main/java/dev/p2pscope/app/viewmodel", "src/main/java/dev/p2pscope/app/render")) {
            for (Path p : sources(dir)) {
                assertThat(Files.readString(p)).as(p.toString()).doesNotContain("import javafx.scene")
                        .doesNotContain("import javafx.stage");
                if (dir.endsWith("render")) assertThat(Files.readString(p)).doesNotContain("import javafx.");
            }
        }
    }

    @Test
    void coreNeverPrintsToStandardStreams() throws IOException {
        for (Path p : sources("../core/src/main/java")) {
            assertThat(Files.readString(p)).as(p.toString()).doesNotContain("System.out").doesNotContain("System.err");
        }
    }

    @Test
    void windowOptionsOpenTheWindowAndSubcommandsDoNot() {
        assertThat(Main.isWindowInvocation(new String[0])).isTrue();
        assertThat(Main.isWindowInvocation(new String[] {"--sample", "x", "--screenshot", "o.png"})).isTrue();
        assertThat(Main.isWindowInvocation(new String[] {"--sample=x"})).isTrue();
        assertThat(Main.isWindowInvocation(new String[] {"check", "--sample", "x"})).isFalse();
        assertThat(Main.isWindowInvocation(new String[] {"--help"})).isFalse();
    }
}
