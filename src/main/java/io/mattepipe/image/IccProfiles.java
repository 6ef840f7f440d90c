package io.mattepipe.image;

import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import javax.imageio.stream.ImageInputStream;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The ICC colour profile a PNG ({@code iCCP}), JPEG ({@code APP2 ICC_PROFILE}) or WebP ({@code ICCP})
 * file carries, read from the file's own structure; and a WebP file given one, which libwebp's
 * simple encoder cannot do.
 */
public final class IccProfiles {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private IccProfiles() {
    }

    /** The profile's bytes, or null when the file has none or is none of the three formats. */
    public static byte[] read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(12);
            if (head.length >= 8 && Arrays.equals(Arrays.copyOf(head, 8), PNG_SIGNATURE)) {
                return png(file);
            }
            if (head.length >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8) {
                return jpeg(file);
            }
            if (head.length == 12 && new String(head, 0, 4, StandardCharsets.US_ASCII).equals("RIFF")
                    && new String(head, 8, 4, StandardCharsets.US_ASCII).equals("WEBP")) {
                return webpChunk(Files.readAllBytes(file), "ICCP");
            }
            return null;
        }
    }

    private static byte[] png(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            in.skipNBytes(8);
            while (true) {
                int length = in.readInt();
                String type = new String(in.readNBytes(4), StandardCharsets.US_ASCII);
                if (type.equals("iCCP")) {
                    byte[] data = in.readNBytes(length);
                    int nul = 0;
                    while (nul < data.length && data[nul] != 0) {
                        nul++;
                    }
                    // name, NUL, compression method (0: zlib), then the compressed profile
                    return inflate(Arrays.copyOfRange(data, nul + 2, data.length));
                }
                if (type.equals("IDAT") || type.equals("IEND")) {
                    return null;
                }
                in.skipNBytes(length + 4L);
            }
        }
    }

    /** A profile spread over several APP2 segments, each "ICC_PROFILE\0", its number and the count, then its part. */
    private static byte[] jpeg(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            List<JPEGSegment> segments = JPEGSegmentUtil.readSegments(in, JPEG.APP2, "ICC_PROFILE");
            if (segments.isEmpty()) {
                return null;
            }
            byte[][] parts = new byte[segments.size()][];
            for (JPEGSegment segment : segments) {
                byte[] data = segment.data().readAllBytes();
                int index = (data[0] & 0xFF) - 1;
                if (index < 0 || index >= parts.length) {
                    return null;
                }
                parts[index] = Arrays.copyOfRange(data, 2, data.length);
            }
            ByteArrayOutputStream profile = new ByteArrayOutputStream();
            for (byte[] part : parts) {
                if (part == null) {
                    return null;
                }
                profile.write(part);
            }
            return profile.toByteArray();
        }
    }

    /**
     * {@code colour} (sRGB, as a user gives it) in {@code profile}'s space, for a background under
     * values in that space; as it is when the profile is null.
     */
    public static Color fromSrgb(Color colour, byte[] profile) {
        if (colour == null || profile == null) {
            return colour;
        }
        float[] values = new ICC_ColorSpace(ICC_Profile.getInstance(profile)).fromRGB(colour.getRGBColorComponents(null));
        return new Color(Math.max(0f, Math.min(1f, values[0])), Math.max(0f, Math.min(1f, values[1])),
                Math.max(0f, Math.min(1f, values[2])));
    }

    /** The payload of the first chunk of {@code type} in a WebP file, or null. */
    static byte[] webpChunk(byte[] webp, String type) {
        ByteBuffer buffer = ByteBuffer.wrap(webp).order(ByteOrder.LITTLE_ENDIAN);
        int at = 12;
        while (at + 8 <= webp.length) {
            String name = new String(webp, at, 4, StandardCharsets.US_ASCII);
            int size = buffer.getInt(at + 4);
            if (size < 0 || at + 8L + size > webp.length) {
                return null;
            }
            if (name.equals(type)) {
                return Arrays.copyOfRange(webp, at + 8, at + 8 + size);
            }
            at += 8 + size + (size & 1);
        }
        return null;
    }

    /**
     * {@code webp} with {@code profile} in an ICCP chunk: the extended format (a VP8X chunk first,
     * with the ICC flag and, where the image has an ALPH chunk or is lossless with alpha, the alpha
     * flag), as the WebP container specification orders it.
     */
    static byte[] withProfile(byte[] webp, byte[] profile, int width, int height, boolean alpha) {
        ByteArrayOutputStream chunks = new ByteArrayOutputStream(webp.length + profile.length + 64);
        ByteBuffer header = ByteBuffer.allocate(18).order(ByteOrder.LITTLE_ENDIAN);
        header.put("VP8X".getBytes(StandardCharsets.US_ASCII)).putInt(10);
        header.put((byte) (0x20 | (alpha ? 0x10 : 0))).put(new byte[3]);
        putUint24(header, width - 1);
        putUint24(header, height - 1);
        chunks.writeBytes(header.array());
        chunks.writeBytes(chunk("ICCP", profile));
        ByteBuffer buffer = ByteBuffer.wrap(webp).order(ByteOrder.LITTLE_ENDIAN);
        int at = 12;
        while (at + 8 <= webp.length) {
            String name = new String(webp, at, 4, StandardCharsets.US_ASCII);
            int size = buffer.getInt(at + 4);
            int end = Math.min(webp.length, at + 8 + size + (size & 1));
            // the encoder's own VP8X (written for alpha) is replaced by the one above
            if (!name.equals("VP8X") && !name.equals("ICCP")) {
                chunks.write(webp, at, end - at);
            }
            at = end;
        }
        byte[] body = chunks.toByteArray();
        ByteBuffer out = ByteBuffer.allocate(12 + body.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(4 + body.length).put("WEBP".getBytes(StandardCharsets.US_ASCII));
        out.put(body);
        return out.array();
    }

    private static byte[] chunk(String type, byte[] payload) {
        ByteBuffer out = ByteBuffer.allocate(8 + payload.length + (payload.length & 1)).order(ByteOrder.LITTLE_ENDIAN);
        out.put(type.getBytes(StandardCharsets.US_ASCII)).putInt(payload.length).put(payload);
        return out.array();
    }

    private static void putUint24(ByteBuffer buffer, int value) {
        buffer.put((byte) value).put((byte) (value >> 8)).put((byte) (value >> 16));
    }

    private static byte[] inflate(byte[] compressed) throws IOException {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(compressed);
            ByteArrayOutputStream out = new ByteArrayOutputStream(compressed.length * 2);
            byte[] buffer = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IOException("truncated iCCP profile");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new IOException("unreadable iCCP profile: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }
}
