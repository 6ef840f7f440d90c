package io.mattepipe.image;

import com.luciad.imageio.webp.CompressionType;
import com.luciad.imageio.webp.WebPWriteParam;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.UUID;

/**
 * Writes PNG, JPEG and WebP files under a temporary name and renames them into place, so a crash never
 * leaves a half-written result under its final name.
 */
public final class ImageEncoder {

    static {
        // ImageIO otherwise buffers every output stream through a temporary file on disk: a file
        // created and deleted per image, which costs more than encoding a small one
        ImageIO.setUseCache(false);
    }

    private final int pngCompressionLevel;
    private final float jpegQuality;
    private final boolean webpLossless;
    private final float webpQuality;

    /** PNG and JPEG as given, WebP lossless. */
    public ImageEncoder(int pngCompressionLevel, float jpegQuality) {
        this(pngCompressionLevel, jpegQuality, true, 0.9f);
    }

    /**
     * @param pngCompressionLevel deflate level 0..9 ({@code output.png-compression}; BENCHMARKS.md
     *                            measures size against time on real cutouts)
     * @param jpegQuality         0..1
     * @param webpLossless        WebP keeps every pixel and alpha value ({@code output.webp-lossless})
     * @param webpQuality         0..1: lossy WebP's quality, lossless WebP's effort ({@code output.webp-quality})
     */
    public ImageEncoder(int pngCompressionLevel, float jpegQuality, boolean webpLossless, float webpQuality) {
        if (pngCompressionLevel < 0 || pngCompressionLevel > 9) {
            throw new IllegalArgumentException("PNG compression level must be 0..9, got " + pngCompressionLevel);
        }
        this.pngCompressionLevel = pngCompressionLevel;
        this.jpegQuality = jpegQuality;
        this.webpLossless = webpLossless;
        this.webpQuality = webpQuality;
    }

    /** Writes {@code image} as {@code format} ("png", "jpg" or "webp") to {@code target}, atomically. */
    public void write(BufferedImage image, String format, Path target) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        // createDirectories alone throws and catches an exception when the folder exists, i.e. on all but the first call
        if (!Files.isDirectory(parent)) {
            Files.createDirectories(parent);
        }
        // not Files.createTempFile: it makes the file 0600 whatever the umask, and the rename keeps that
        Path temp = parent.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".part");
        boolean moved = false;
        try {
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                encode(image, format, out);
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** Encodes to a stream; the caller owns the stream. */
    public void encode(BufferedImage image, String format, OutputStream out) throws IOException {
        if (format.equalsIgnoreCase("webp")) {
            encodeWebp(image, out);
            return;
        }
        boolean jpeg = isJpeg(format);
        if (!jpeg && !format.equalsIgnoreCase("png")) {
            throw new IllegalArgumentException("unsupported output format: " + format + " (png, jpg or webp)");
        }
        if (jpeg && image.getColorModel().hasAlpha()) {
            throw new IllegalArgumentException("JPEG has no alpha channel: flatten on a background colour first");
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName(jpeg ? "jpeg" : "png").next();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            // The JDK's PNG writer maps quality q to deflate level round(9·(1−q)).
            param.setCompressionQuality(jpeg ? jpegQuality : 1f - pngCompressionLevel / 9f);
            writer.write(null, new IIOImage(jpeg ? bgr(image) : image, null, null), param);
        } finally {
            writer.dispose();
        }
    }

    /** WebP through libwebp (webp-imageio), with alpha when the image has it. */
    private void encodeWebp(BufferedImage image, OutputStream out) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByMIMEType("image/webp").next();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            WebPWriteParam param = new WebPWriteParam(Locale.ROOT);
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionType(webpLossless ? CompressionType.Lossless : CompressionType.Lossy);
            param.setCompressionQuality(webpQuality);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
    }

    /**
     * JPEG's writer copies a packed-int image into its byte buffer one sample at a time through the
     * generic raster path; from byte BGR it copies whole rows. Measured on a 192x90 panel: 250 µs
     * an encode instead of 345. The copy is 3 bytes a pixel beside the image, within the stages'
     * pixel budget.
     */
    private static BufferedImage bgr(BufferedImage image) {
        // a sub-image shares a larger array: left to the writer
        if (image.getType() != BufferedImage.TYPE_INT_RGB || image.getRaster().getParent() != null) {
            return image;
        }
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        int[] src = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        byte[] dst = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
        for (int i = 0, j = 0; i < src.length; i++, j += 3) {
            int pixel = src[i];
            dst[j] = (byte) pixel;
            dst[j + 1] = (byte) (pixel >> 8);
            dst[j + 2] = (byte) (pixel >> 16);
        }
        return out;
    }

    public static boolean isJpeg(String format) {
        return format.equalsIgnoreCase("jpg") || format.equalsIgnoreCase("jpeg");
    }
}
