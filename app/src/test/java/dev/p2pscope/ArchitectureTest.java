package dev.p2pscope;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import dev.p2pscope.core.samples.Samples;
import javafx.application.Platform;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleName;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/// The layering, checked on the compiled classes of core and app (not on import text, so nothing can hide a
/// dependency by how it is written): core is free of UI and CLI libraries, the command line never reaches the
/// window, views bind to view models and show core's results without deciding anything themselves, view models
/// use no scene graph, only the command line and the launcher print, and every topology is opened through
/// `TopologySource`. The module descriptors add what the compiler enforces: core's unexported packages
/// (`topology.config`, `topology.lspci`) cannot be named from the app at all.
class ArchitectureTest {

    static JavaClasses classes;

    @BeforeAll
    static void importCompiledClasses() {
        classes = new ClassFileImporter().importPaths(Path.of("target/classes"), Path.of("../core/target/classes"));
    }

    static void check(ArchRule rule) {
        rule.check(classes);
    }

    @Test
    void theClassesAreThere() {
        // A rule over no classes passes trivially: make sure both modules were imported.
        assertThat(classes.contain("dev.p2pscope.core.engine.P2pdmaEngine")).isTrue();
        assertThat(classes.contain("dev.p2pscope.app.view.MainView")).isTrue();
    }

    @Test
    void coreUsesNoUiToolkitAndNoCliLibrary() {
        check(noClasses().that().resideInAPackage("dev.p2pscope.core..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "picocli..", "java.awt..",
                        "javax.swing..", "org.controlsfx..", "dev.p2pscope.app..", "dev.p2pscope.cli..")
                .because("core is the pure library every front end shares"));
    }

    @Test
    void theCommandLineNeverReachesTheWindow() {
        check(noClasses().that().resideInAPackage("dev.p2pscope.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.p2pscope.app..", "javafx..",
                        "org.controlsfx..", "java.awt..")
                .because("a subcommand runs headless and never loads a JavaFX class"));
        check(noClasses().that().haveFullyQualifiedName("dev.p2pscope.Main")
                .or().haveFullyQualifiedName("dev.p2pscope.Window")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..")
                .because("the launcher opens the window through reflection only"));
    }

    @Test
    void viewsShowCoresResultsAndDecideNothing() {
        check(noClasses().that().resideInAPackage("dev.p2pscope.app.view..")
                .should().dependOnClassesThat(resideInAnyPackage("dev.p2pscope.core.live..",
                        "dev.p2pscope.core.host..", "dev.p2pscope.core.whatif..", "dev.p2pscope.core.topology..",
                        "dev.p2pscope.core.samples..", "dev.p2pscope.core.sgl..", "dev.p2pscope.core.generate..")
                        .or(simpleName("P2pdmaEngine")).or(simpleName("KernelSession")).or(simpleName("AllPairs")))
                .because("views import view models, the render package and core result types only; "
                         + "deciding, loading and live I/O happen in core behind a view model"));
    }

    @Test
    void progressReachesTheUiThroughTheTaskRunner() {
        // View models are where background work lands; views may still defer their own layout work to the next
        // pulse with runLater, on the JavaFX thread itself, which is not what this rule is about.
        check(noClasses().that().resideInAnyPackage("dev.p2pscope.app.viewmodel..")
                .should().callMethod(Platform.class, "runLater", Runnable.class)
                .because("work off the JavaFX thread reports back through app.concurrent.TaskRunner"));
    }

    @Test
    void viewModelsAndLayoutUseNoSceneGraph() {
        check(noClasses().that().resideInAPackage("dev.p2pscope.app.viewmodel..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx.scene..", "javafx.stage..",
                        "org.controlsfx..", "dev.p2pscope.app.view..")
                .because("view models are tested without a stage"));
        check(noClasses().that().resideInAPackage("dev.p2pscope.app.render..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "dev.p2pscope.app.view..",
                        "dev.p2pscope.app.viewmodel..")
                .because("the layout is pure computation"));
    }

    @Test
    void onlyTheCommandLineAndTheLauncherPrint() {
        DescribedPredicate<JavaClass> printers = resideInAnyPackage("dev.p2pscope.cli..")
                .or(simpleNameIn(List.of("Main", "Window", "ExplorerLauncher", "ExplorerApp", "AotTraining",
                        "StartTrace")));   // the start-up trace, on stderr when asked for
        check(noClasses().that(DescribedPredicate.not(printers))
                .should().accessField(System.class, "out").orShould().accessField(System.class, "err")
                .orShould().callMethod(Throwable.class, "printStackTrace")
                .because("everything else reports through return values, exceptions and view-model state"));
    }

    @Test
    void everyTopologyIsOpenedThroughTopologySource() {
        check(noClasses().that().resideOutsideOfPackages("dev.p2pscope.core.topology..", "dev.p2pscope.core.samples..")
                .should().callMethod(Samples.class, "load", String.class)
                .because("TopologySource is the one door: sample, JSON file, sysfs, lspci dump, detect by content"));
    }

    static DescribedPredicate<JavaClass> simpleNameIn(List<String> names) {
        return DescribedPredicate.describe("simple name in " + names,
                c -> names.contains(c.getSimpleName()) || names.stream().anyMatch(n -> c.getName().contains("." + n + "$")));
    }

    @Test
    void windowOptionsOpenTheWindowAndSubcommandsDoNot() {
        assertThat(Main.isWindowInvocation(new String[0])).isTrue();
        assertThat(Main.isWindowInvocation(new String[] {"--sample", "x", "--screenshot", "o.png"})).isTrue();
        assertThat(Main.isWindowInvocation(new String[] {"--sample=x"})).isTrue();
        assertThat(Main.isWindowInvocation(new String[] {"--tab", "Lesson"})).isTrue();
        assertThat(Main.isWindowInvocation(new String[] {"check", "--sample", "x"})).isFalse();
        assertThat(Main.isWindowInvocation(new String[] {"--help"})).isFalse();
    }
}
