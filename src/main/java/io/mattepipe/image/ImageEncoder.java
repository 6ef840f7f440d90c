package io.mattepipe.image;

import com.luciad.imageio.webp.CompressionType;
import com.luciad.imageio.webp.WebPWriteParam;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Transparency;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.UUID;
import java.util.zip.Deflater;

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
        write(image, format, target, null);
    }

    /**
     * As {@link #write(BufferedImage, String, Path)}, tagged with the ICC profile {@code image}'s
     * values are in (the photo's own, so its colours and gamut survive); null for sRGB.
     */
    public void write(BufferedImage image, String format, Path target, byte[] iccProfile) throws IOException {
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
                encode(image, format, out, iccProfile);
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
        encode(image, format, out, null);
    }

    /** Encodes to a stream, tagged with {@code iccProfile} unless it is null; the caller owns the stream. */
    public void encode(BufferedImage image, String format, OutputStream out, byte[] iccProfile) throws IOException {
        if (format.equalsIgnoreCase("webp")) {
            if (iccProfile == null) {
                encodeWebp(image, out);
            } else {
                ByteArrayOutputStream plain = new ByteArrayOutputStream();
                encodeWebp(image, plain);
                out.write(IccProfiles.withProfile(plain.toByteArray(), iccProfile, image.getWidth(), image.getHeight(),
                        image.getColorModel().hasAlpha()));
            }
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
            BufferedImage written = jpeg ? bgr(image) : image;
            // JPEG's writer takes the profile from the image's colour space (it replaces one given
            // in the metadata with that); PNG's from the metadata
            if (jpeg && iccProfile != null) {
                written = inColourSpace(written, iccProfile);
            }
            IIOMetadata metadata = iccProfile == null || jpeg ? null : withProfile(writer, written, param, iccProfile);
            writer.write(null, new IIOImage(written, null, metadata), param);
        } finally {
            writer.dispose();
        }
    }

    /** PNG's default metadata with the profile in an iCCP chunk (zlib-compressed). */
    private static IIOMetadata withProfile(ImageWriter writer, BufferedImage image, ImageWriteParam param, byte[] profile)
            throws IOException {
        IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
        String format = metadata.getNativeMetadataFormatName();
        IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
        IIOMetadataNode icc = new IIOMetadataNode("iCCP");
        icc.setAttribute("profileName", "ICC profile");
        icc.setAttribute("compressionMethod", "deflate");
        icc.setUserObject(deflate(profile));
        root.appendChild(icc);
        metadata.setFromTree(format, root);
        return metadata;
    }

    /** The same samples, labelled as being in {@code profile}'s colour space: nothing is converted. */
    private static BufferedImage inColourSpace(BufferedImage image, byte[] profile) {
        ColorModel model = new ComponentColorModel(new ICC_ColorSpace(ICC_Profile.getInstance(profile)), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        WritableRaster raster = image.getRaster();
        if (!model.isCompatibleRaster(raster)) {
            raster = model.createCompatibleWritableRaster(image.getWidth(), image.getHeight());
            raster.setRect(bgr(ImageDecoder.toIntRgb(image)).getRaster());
        }
        return new BufferedImage(model, raster, false, null);
    }

    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length);
            byte[] buffer = new byte[8192];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
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
