/// picocli's module, declared as in its published jar (`META-INF/versions/9/module-info.class`).
module info.picocli {
    requires static java.sql;
    exports picocli;
}
