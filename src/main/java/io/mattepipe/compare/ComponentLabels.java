package io.mattepipe.compare;

import java.util.Arrays;

/**
 * Connected components of a thresholded byte image, by two-pass union-find over int arrays so
 * that a megapixel mask costs a few milliseconds and no per-pixel objects. One instance is reused
 * across thresholds to avoid reallocating its arrays. The only per-pixel array is the parents
 * (4 bytes a pixel): roots and sizes are kept per component, which for a 16-megapixel photo's
 * matte in the comparison stage is 128 MB less than two more per-pixel arrays.
 *
 * <p>Every root is the smallest row-major index of its component: unions always link to the
 * smaller root, so a parent never lies after its child and one in-order pass compresses all paths.
 */
final class ComponentLabels {

    private static final int BACKGROUND = -1;

    private final int width;
    private final int height;
    private final int[] parent;
    /** The roots in ascending (row-major) order, and each one's pixel count at the same index. */
    private int[] roots = new int[64];
    private int[] sizes = new int[64];
    private int rootCount;

    ComponentLabels(int width, int height) {
        this.width = width;
        this.height = height;
        parent = new int[width * height];
    }

    /**
     * Labels the pixels whose unsigned value is at least {@code threshold}. The scan visits a
     * neighbour only when it can join two components not yet known to be one (the decision trees
     * of Wu, Otoo and Suzuki), so a solid region costs a copy per pixel rather than a union.
     */
    void label(byte[] values, int threshold, boolean eightConnected) {
        int w = width;
        for (int y = 0, i = 0; y < height; y++) {
            for (int x = 0; x < w; x++, i++) {
                if ((values[i] & 0xFF) < threshold) {
                    parent[i] = BACKGROUND;
                } else if (eightConnected) {
                    linkEight(i, x, y);
                } else {
                    linkFour(i, x, y);
                }
            }
        }
        rootCount = 0;
        // neighbouring pixels mostly share a root: its index is looked up only when the root changes
        int lastRoot = BACKGROUND;
        int last = 0;
        for (int i = 0; i < parent.length; i++) {
            int p = parent[i];
            if (p == BACKGROUND) {
                continue;
            }
            if (p == i) {
                if (rootCount == roots.length) {
                    roots = Arrays.copyOf(roots, 2 * rootCount);
                    sizes = Arrays.copyOf(sizes, 2 * rootCount);
                }
                roots[rootCount] = i;
                sizes[rootCount] = 1;
                lastRoot = i;
                last = rootCount++;
            } else {
                int root = parent[p];
                parent[i] = root;
                if (root != lastRoot) {
                    lastRoot = root;
                    last = index(root);
                }
                sizes[last]++;
            }
        }
    }

    int componentCount() {
        return rootCount;
    }

    /** The root of the {@code k}-th component, in row-major order of first pixel. */
    int root(int k) {
        return roots[k];
    }

    int size(int root) {
        return sizes[index(root)];
    }

    /** Where {@code root} is among the roots, which the labelling pass records in ascending order. */
    private int index(int root) {
        return Arrays.binarySearch(roots, 0, rootCount, root);
    }

    /** The root of the component holding pixel {@code i}, or -1 for background. */
    int rootOf(int i) {
        return parent[i];
    }

    /** Up and left touch through up-left when it is set, so only then are they joined for free. */
    private void linkFour(int i, int x, int y) {
        boolean left = x > 0 && parent[i - 1] != BACKGROUND;
        boolean up = y > 0 && parent[i - width] != BACKGROUND;
        if (left) {
            parent[i] = parent[i - 1];
            if (up && parent[i - width - 1] == BACKGROUND) {
                union(i - width, i);
            }
        } else {
            parent[i] = up ? parent[i - width] : i;
        }
    }

    /** Up touches all other earlier neighbours, and up-left touches left; up-right touches neither. */
    private void linkEight(int i, int x, int y) {
        int up = i - width;
        boolean hasUp = y > 0;
        boolean left = x > 0 && parent[i - 1] != BACKGROUND;
        boolean upLeft = hasUp && x > 0 && parent[up - 1] != BACKGROUND;
        if (hasUp && parent[up] != BACKGROUND) {
            parent[i] = parent[up];
        } else if (hasUp && x < width - 1 && parent[up + 1] != BACKGROUND) {
            parent[i] = parent[up + 1];
            if (upLeft) {
                union(up - 1, i);
            } else if (left) {
                union(i - 1, i);
            }
        } else if (upLeft) {
            parent[i] = parent[up - 1];
        } else {
            parent[i] = left ? parent[i - 1] : i;
        }
    }

    private void union(int a, int b) {
        int ra = find(a);
        int rb = find(b);
        if (ra < rb) {
            parent[rb] = ra;
        } else if (rb < ra) {
            parent[ra] = rb;
        }
    }

    private int find(int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }
}
