package dev.p2pscope.app.view;

import dev.p2pscope.core.model.PciAddress;
import javafx.scene.paint.Color;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/// The style sheets are the one palette: the canvas painters and the SVG export read the theme's colours, so the
/// dark theme covers them and the SVG matches the screen.
class ThemePaletteTest extends MainViewFxTest {

    ThemePaletteTest() {
        super("p2pscope-test-palette", 1200, 800, false);
    }

    @Override
    void opened() {
        view.openSample("acs-redirect-switch");
    }

    @Test
    void theDarkThemeReachesThePaintersAndTheSvg() {
        robot.interact(() -> vm.setPair(PciAddress.parse("0000:03:00.0"), PciAddress.parse("0000:04:00.0")));
        String[] svg = new String[2];
        Color[] bg = new Color[2];
        for (int i = 0; i < 2; i++) {
            boolean dark = i == 1;
            robot.interact(() -> {
                view.applyTheme(dark);
                bg[dark ? 1 : 0] = Palette.of(view.canvas()).get(Palette.Key.BG);
                svg[dark ? 1 : 0] = SvgExport.render(view.canvas().drawing());
            });
        }
        // The values in app.css and dark.css, read back, not restated in Java.
        assertThat(bg[0]).isEqualTo(Color.web("#f6f7fb"));
        assertThat(bg[1]).isEqualTo(Color.web("#161a22"));
        assertThat(svg[0]).contains("fill=\"#f6f7fb\"");
        assertThat(svg[1]).contains("fill=\"#161a22\"").doesNotContain("fill=\"#f6f7fb\"");
        // The refused route in the theme's colour, along the route the canvas draws.
        assertThat(svg[1]).contains("class=\"route\"").contains("stroke=\"#d6336c\"");
        robot.interact(() -> view.applyTheme(false));
    }
}
