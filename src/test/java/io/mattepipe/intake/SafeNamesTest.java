package io.mattepipe.intake;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafeNamesTest {

    @Test
    void normalisesRelativeNames() throws UnsafeNameException {
        assertEquals("a/b/cat.jpg", SafeNames.sanitize("a/b/cat.jpg"));
        assertEquals("a/b/cat.jpg", SafeNames.sanitize("./a//b/./cat.jpg"));
        assertEquals("a/b/cat.jpg", SafeNames.sanitize("a\\b\\cat.jpg"));
        assertEquals("photos/cat.jpg", SafeNames.sanitize("photos/cat.jpg/"));
        // dots that are part of a name are not a way up
        assertEquals("..cat.jpg", SafeNames.sanitize("..cat.jpg"));
        assertEquals("a/.../b.jpg", SafeNames.sanitize("a/.../b.jpg"));
        assertEquals("猫/写真.jpg", SafeNames.sanitize("猫/写真.jpg"));
    }

    @Test
    void refusesNamesThatEscapeOrHide() {
        for (String name : new String[] {"../evil.jpg", "a/../../evil.jpg", "a/..", "..\\evil.jpg", "/etc/x.jpg",
                "C:\\x.jpg", "c:x.jpg", "C:/x.jpg", "\\\\server\\share\\x.jpg", "//server/x.jpg", "", ".", "./", "///"}) {
            UnsafeNameException e = assertThrows(UnsafeNameException.class, () -> SafeNames.sanitize(name), name);
            assertEquals("unsafe path in archive: " + name, e.getMessage());
        }
        assertThrows(UnsafeNameException.class, () -> SafeNames.sanitize(null));
    }

    @Test
    void refusesControlCharactersAndShowsThemEscaped() {
        UnsafeNameException nul = assertThrows(UnsafeNameException.class, () -> SafeNames.sanitize("cat\u0000.jpg"));
        assertEquals("unsafe path in archive: cat\\u0000.jpg", nul.getMessage());
        assertThrows(UnsafeNameException.class, () -> SafeNames.sanitize("a\nb.jpg"));
        assertThrows(UnsafeNameException.class, () -> SafeNames.sanitize("a\u007fb.jpg"));
        assertThrows(UnsafeNameException.class, () -> SafeNames.sanitize("a\u0085b.jpg"));
    }

    @Test
    void stemDropsTheLastExtensionOnly() {
        assertEquals("a/b/cat", SafeNames.stem("a/b/cat.jpg"));
        assertEquals("cat.alpha", SafeNames.stem("cat.alpha.png"));
        assertEquals("a.b/cat", SafeNames.stem("a.b/cat"));
        assertEquals(".hidden", SafeNames.stem(".hidden"));
        assertEquals("cat", SafeNames.stem("cat"));
    }

    @Test
    void extensionIsLowerCaseWithoutDot() {
        assertEquals("jpg", SafeNames.extension("a/b/CAT.JPG"));
        assertEquals("png", SafeNames.extension("cat.alpha.png"));
        assertEquals("gz", SafeNames.extension("x.tar.gz"));
        assertEquals("", SafeNames.extension("a.b/cat"));
        assertEquals("", SafeNames.extension(".DS_Store"));
        assertEquals("", SafeNames.extension("README"));
    }

    @Test
    void recognisesArchiverJunk() {
        assertTrue(SafeNames.isJunk("__MACOSX/._a.jpg"));
        assertTrue(SafeNames.isJunk("photos/__MACOSX/a.jpg"));
        assertTrue(SafeNames.isJunk("photos/._a.jpg"));
        assertTrue(SafeNames.isJunk("photos/.DS_Store"));
        assertTrue(SafeNames.isJunk("Thumbs.db"));
        assertTrue(SafeNames.isJunk("photos/desktop.ini"));
        assertFalse(SafeNames.isJunk("photos/a.jpg"));
        assertFalse(SafeNames.isJunk("photos/_a.jpg"));
    }
}
