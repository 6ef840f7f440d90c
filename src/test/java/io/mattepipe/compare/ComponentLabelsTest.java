package io.mattepipe.compare;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ComponentLabelsTest {

    /**
     * Against a plain flood fill, on random masks of several densities: the same components in the
     * same order, the same sizes and the same pixel-to-root map. The sparse masks have hundreds of
     * components, past the per-component arrays' first size, so their growth is covered too.
     */
    @Test
    void matchesAFloodFillOnRandomMasks() {
        Random random = new Random(7);
        int width = 83;
        int height = 57;
        ComponentLabels labels = new ComponentLabels(width, height);
        for (double density : new double[] {0.05, 0.3, 0.5, 0.7, 0.95}) {
            for (boolean eight : new boolean[] {false, true}) {
                byte[] values = new byte[width * height];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (byte) (random.nextDouble() < density ? 200 : 10);
                }
                labels.label(values, 128, eight);
                int[] root = new int[values.length];
                List<int[]> expected = floodFill(values, width, height, eight, root);
                String where = "density " + density + (eight ? ", 8-connected" : ", 4-connected");
                assertEquals(expected.size(), labels.componentCount(), where);
                for (int k = 0; k < expected.size(); k++) {
                    assertEquals(expected.get(k)[0], labels.root(k), where);
                    assertEquals(expected.get(k)[1], labels.size(labels.root(k)), where);
                }
                for (int i = 0; i < values.length; i++) {
                    assertEquals(root[i], labels.rootOf(i), where + ", pixel " + i);
                }
            }
        }
    }

    /** Components as {first pixel, size} in row-major order of first pixel; {@code root} gets each pixel's first pixel or -1. */
    private static List<int[]> floodFill(byte[] values, int width, int height, boolean eight, int[] root) {
        Arrays.fill(root, -1);
        List<int[]> components = new ArrayList<>();
        Deque<Integer> queue = new ArrayDeque<>();
        for (int start = 0; start < values.length; start++) {
            if ((values[start] & 0xFF) < 128 || root[start] >= 0) {
                continue;
            }
            int size = 0;
            root[start] = start;
            queue.add(start);
            while (!queue.isEmpty()) {
                int i = queue.poll();
                size++;
                int x = i % width;
                int y = i / width;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = x + dx;
                        int ny = y + dy;
                        if ((dx == 0 && dy == 0) || (!eight && dx != 0 && dy != 0)
                                || nx < 0 || ny < 0 || nx >= width || ny >= height) {
                            continue;
                        }
                        int j = ny * width + nx;
                        if ((values[j] & 0xFF) >= 128 && root[j] < 0) {
                            root[j] = start;
                            queue.add(j);
                        }
                    }
                }
            }
            components.add(new int[] {start, size});
        }
        return components;
    }
}
