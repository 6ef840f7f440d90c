package io.mattepipe.intake;

import java.util.Locale;
import java.util.StringJoiner;

/** Names found inside uploads, made safe to show and to derive output names from. */
public final class SafeNames {

    private SafeNames() {
    }

    /**
     * The name as a normalised relative path: backslashes become '/', empty and "." segments go.
     *
     * @throws UnsafeNameException for ".." segments, absolute paths (/x, C:\x, \\server), control
     *                             characters or a name that is empty once normalised
     */
    public static String sanitize(String rawEntryName) throws UnsafeNameException {
        if (rawEntryName == null) {
            throw new UnsafeNameException("unsafe path in archive: (no name)");
        }
        String name = rawEntryName.replace('\\', '/');
        boolean drive = name.length() >= 2 && name.charAt(1) == ':' && isAsciiLetter(name.charAt(0));
        if (name.startsWith("/") || drive || name.chars().anyMatch(Character::isISOControl)) {
            throw unsafe(rawEntryName);
        }
        StringJoiner path = new StringJoiner("/");
        for (String segment : name.split("/")) {
            if (segment.equals("..")) {
                throw unsafe(rawEntryName);
            }
            if (!segment.isEmpty() && !segment.equals(".")) {
                path.add(segment);
            }
        }
        if (path.length() == 0) {
            throw unsafe(rawEntryName);
        }
        return path.toString();
    }

    /** The name without its last extension: {@code a/b/cat.jpg} → {@code a/b/cat}. */
    public static String stem(String name) {
        int dot = extensionDot(name);
        return dot < 0 ? name : name.substring(0, dot);
    }

    /** The last extension, lower-case, without the dot; "" when there is none. */
    public static String extension(String name) {
        int dot = extensionDot(name);
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** Files that archivers and desktops add on their own; nobody means them as input. */
    static boolean isJunk(String name) {
        String[] segments = name.split("/");
        for (String segment : segments) {
            if (segment.equals("__MACOSX")) {
                return true;
            }
        }
        String last = segments[segments.length - 1];
        return last.startsWith("._") || last.equals(".DS_Store")
                || last.equalsIgnoreCase("Thumbs.db") || last.equalsIgnoreCase("desktop.ini");
    }

    /** The name with control characters written as \\uXXXX, for messages and displays. */
    static String printable(String name) {
        StringBuilder out = new StringBuilder(name.length());
        name.chars().forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.append((char) c);
            }
        });
        return out.toString();
    }

    private static UnsafeNameException unsafe(String rawEntryName) {
        return new UnsafeNameException("unsafe path in archive: " + printable(rawEntryName));
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** The dot of the last extension, or -1; a leading dot (".hidden") starts a name, not an extension. */
    private static int extensionDot(String name) {
        int dot = name.lastIndexOf('.');
        return dot > name.lastIndexOf('/') + 1 ? dot : -1;
    }
}
