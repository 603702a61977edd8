package dev.p2pscope.app.view;

import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.BulletList;
import org.commonmark.node.Code;
import org.commonmark.node.Emphasis;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Link;
import org.commonmark.node.ListItem;
import org.commonmark.node.OrderedList;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.node.ThematicBreak;
import org.commonmark.parser.Parser;

import java.util.ArrayList;
import java.util.List;

/// Markdown as JavaFX nodes: paragraphs and list items become wrapping [TextFlow]s, so the source's line breaks
/// inside a paragraph are spaces (as in any Markdown renderer) and the text reflows with the tab's width.
/// Parsing is CommonMark's (`org.commonmark`); this class only walks its tree. Styled by `.md-*` classes.
final class MarkdownView extends VBox {

    private static final Parser PARSER = Parser.builder().build();

    MarkdownView() {
        super(8);
        getStyleClass().add("markdown");
    }

    /// Replaces the content with `markdown` rendered.
    void setMarkdown(String markdown) {
        getChildren().setAll(render(markdown == null ? "" : markdown));
    }

    /// The blocks of `markdown` as nodes.
    static List<Node> render(String markdown) {
        List<Node> out = new ArrayList<>();
        org.commonmark.node.Node doc = PARSER.parse(markdown);
        for (org.commonmark.node.Node b = doc.getFirstChild(); b != null; b = b.getNext()) out.add(block(b, 0));
        return out;
    }

    private static Node block(org.commonmark.node.Node b, int depth) {
        return switch (b) {
            case Heading h -> flow(h, "md-heading", "md-h" + Math.min(h.getLevel(), 3));
            case Paragraph p -> flow(p, "md-paragraph");
            case BulletList l -> list(l, depth, false);
            case OrderedList l -> list(l, depth, true);
            case BlockQuote q -> {
                VBox box = new VBox(4);
                box.getStyleClass().add("md-quote");
                for (var c = q.getFirstChild(); c != null; c = c.getNext()) box.getChildren().add(block(c, depth));
                yield box;
            }
            case FencedCodeBlock c -> code(c.getLiteral());
            case IndentedCodeBlock c -> code(c.getLiteral());
            case ThematicBreak t -> {
                var r = new javafx.scene.control.Separator();
                yield r;
            }
            default -> flow(b, "md-paragraph");
        };
    }

    private static Node list(org.commonmark.node.Node l, int depth, boolean ordered) {
        VBox box = new VBox(4);
        box.getStyleClass().add("md-list");
        int n = l instanceof OrderedList o && o.getMarkerStartNumber() != null ? o.getMarkerStartNumber() : 1;
        for (var item = l.getFirstChild(); item != null; item = item.getNext()) {
            if (!(item instanceof ListItem)) continue;
            Label marker = new Label(ordered ? (n++) + "." : "\u2022");
            marker.getStyleClass().add("md-marker");
            marker.setMinWidth(16);
            VBox body = new VBox(4);
            for (var c = item.getFirstChild(); c != null; c = c.getNext()) body.getChildren().add(block(c, depth + 1));
            HBox row = new HBox(4, marker, body);
            HBox.setHgrow(body, Priority.ALWAYS);
            box.getChildren().add(row);
        }
        return box;
    }

    private static Node code(String literal) {
        Text t = new Text(literal.stripTrailing());
        t.getStyleClass().addAll("md-text", "md-code");
        TextFlow f = new TextFlow(t);
        f.getStyleClass().add("md-code-block");
        return f;
    }

    private static TextFlow flow(org.commonmark.node.Node block, String... styles) {
        TextFlow f = new TextFlow();
        f.getStyleClass().addAll(styles);
        block.accept(new Inline(f));
        return f;
    }

    /// Collects a block's inline content as styled [Text] runs.
    private static final class Inline extends AbstractVisitor {
        private final TextFlow into;
        private boolean strong;
        private boolean emphasis;

        Inline(TextFlow into) {
            this.into = into;
        }

        private void add(String s, String... extra) {
            Text t = new Text(s);
            t.getStyleClass().add("md-text");
            if (strong) t.getStyleClass().add("md-strong");
            if (emphasis) t.getStyleClass().add("md-emphasis");
            t.getStyleClass().addAll(extra);
            into.getChildren().add(t);
        }

        @Override
        public void visit(org.commonmark.node.Text text) {
            add(text.getLiteral());
        }

        @Override
        public void visit(Code code) {
            add(code.getLiteral(), "md-code");
        }

        @Override
        public void visit(SoftLineBreak b) {
            add(" ");
        }

        @Override
        public void visit(HardLineBreak b) {
            add("\n");
        }

        @Override
        public void visit(StrongEmphasis e) {
            boolean was = strong;
            strong = true;
            visitChildren(e);
            strong = was;
        }

        @Override
        public void visit(Emphasis e) {
            boolean was = emphasis;
            emphasis = true;
            visitChildren(e);
            emphasis = was;
        }

        @Override
        public void visit(Link link) {
            visitChildren(link);
            add(" (" + link.getDestination() + ")", "md-link");
        }
    }
}
