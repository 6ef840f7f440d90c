package io.mattepipe.intake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Stream;

/**
 * The files under a folder, depth first and sorted by name within each folder, listing a folder
 * only when the walk reaches it: a data set of millions of files is never listed at once, and the
 * same tree always gives the same order. Links are not followed, so a link to a folder is returned
 * as a file (and rejected by the caller) instead of leading the walk outside the upload.
 */
final class FileWalk implements Iterator<Path> {

    private static final Comparator<Path> BY_NAME = Comparator.comparing(p -> p.getFileName().toString());

    private final Deque<Iterator<Path>> pending = new ArrayDeque<>();
    private Path next;

    FileWalk(Path root) {
        if (Files.isDirectory(root)) {
            pending.push(sortedChildren(root));
        } else {
            next = root;
        }
    }

    @Override
    public boolean hasNext() {
        while (next == null && !pending.isEmpty()) {
            Iterator<Path> folder = pending.peek();
            if (!folder.hasNext()) {
                pending.pop();
                continue;
            }
            Path child = folder.next();
            if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                pending.push(sortedChildren(child));
            } else {
                next = child;
            }
        }
        return next != null;
    }

    @Override
    public Path next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Path file = next;
        next = null;
        return file;
    }

    private static Iterator<Path> sortedChildren(Path folder) {
        try (Stream<Path> children = Files.list(folder)) {
            List<Path> sorted = children.sorted(BY_NAME).toList();
            return sorted.iterator();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }
}
