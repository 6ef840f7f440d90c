package io.mattepipe.image;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the photos real collections contain (JPEG baseline/progressive/CMYK through TwelveMonkeys,
 * PNG of any depth, grey, palette or with alpha, WebP, TIFF, BMP, GIF) into one upright
 * {@code TYPE_INT_RGB} image, so every later stage handles exactly one pixel layout.
 *
 * <p>The header is read first and an image whose pixel count exceeds {@code maxPixels} is refused
 * before a single pixel buffer is allocated: a 50000×50000 PNG of a few hundred bytes must not
 * take 10 GB of heap.
 */
public final class ImageDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(ImageDecoder.class);

    private final long maxPixels;

    public ImageDecoder(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    /** The image upright (EXIF orientation applied), as {@code TYPE_INT_RGB}. */
    public BufferedImage decode(Path file) throws ImageDecodeException {
        return decode(file, 1);
    }

    /**
     * The image upright, every {@code subsampling}-th pixel of every {@code subsampling}-th row:
     * {@code ceil(width / subsampling)} wide. For pictures shown smaller than the photo: a
     * 16-megapixel photo decoded whole costs 112 MB of heap on the way, a quarter of it in each
     * direction 7 MB. Decoders that cannot subsample give the whole image.
     */
    public BufferedImage decode(Path file, int subsampling) throws ImageDecodeException {
        if (subsampling < 1) {
            throw new IllegalArgumentException("subsampling must be at least 1, got " + subsampling);
        }
        return readChecked(file, subsampling, true, false);
    }

    /**
     * The upright image and the RGB colour profile its file carries: where there is one, the values
     * are left in that profile's space (an Adobe RGB photo keeps its gamut) and the profile comes
     * with them, for the outputs to carry; otherwise this is {@link #decode(Path)} and the profile null.
     */
    public Decoded decodeKeepingProfile(Path file) throws ImageDecodeException {
        byte[] profile = rgbProfile(file);
        return profile == null ? new Decoded(decode(file), null) : new Decoded(readChecked(file, 1, true, true), profile);
    }

    /** An image as {@code TYPE_INT_RGB} and the ICC profile its values are in; null for sRGB. */
    public record Decoded(BufferedImage rgb, byte[] iccProfile) {
    }

    /** The file's ICC profile where it is an RGB one; null for none, another kind (CMYK, grey) or an unreadable one. */
    private static byte[] rgbProfile(Path file) {
        try {
            byte[] profile = IccProfiles.read(file);
            return profile != null && ICC_Profile.getInstance(profile).getColorSpaceType() == ColorSpace.TYPE_RGB ? profile : null;
        } catch (IOException | IllegalArgumentException unreadable) {
            LOG.debug("{}: colour profile not read, the image is taken as sRGB: {}", file.getFileName(), unreadable.toString());
            return null;
        }
    }

    /**
     * A matte stored as an image: the alpha channel of an RGBA cutout, or the only (first) band of
     * a grey ground truth. Read from the raster, never through {@code getRGB}, which converts
     * Java's linear grey to sRGB and brightens every value; 16-bit samples keep their high byte.
     */
    public AlphaMatte decodeMatte(Path file) throws ImageDecodeException {
        BufferedImage image = readChecked(file, 1, false, false);
        Raster raster = image.getRaster();
        int w = image.getWidth();
        int h = image.getHeight();
        int band = image.getColorModel().hasAlpha() ? raster.getNumBands() - 1 : 0;
        int bits = image.getColorModel().getComponentSize(band);
        int[] row = new int[w];
        byte[] values = new byte[w * h];
        for (int y = 0; y < h; y++) {
            raster.getSamples(0, y, w, 1, band, row);
            for (int x = 0; x < w; x++) {
                values[y * w + x] = (byte) (bits > 8 ? row[x] >> (bits - 8) : row[x]);
            }
        }
        return new AlphaMatte(w, h, values);
    }

    /** Width times height from the header alone; 0 when there is none to read (decoding will say why). */
    public long pixelCount(Path file) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                return 0;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return (long) reader.getWidth(0) * reader.getHeight(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException unreadable) {
            return 0;
        }
    }

    /**
     * @param upright as {@code TYPE_INT_RGB} with the EXIF orientation applied (read from the same
     *                stream: a second open of the file per decode cost more than the read itself)
     */
    private BufferedImage readChecked(Path file, int subsampling, boolean upright, boolean inProfile) throws ImageDecodeException {
        String name = file.getFileName().toString();
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new ImageDecodeException("cannot open " + name);
            }
            int orientation = upright ? exifOrientation(in) : 1;
            in.seek(0);
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImageDecodeException("not an image: " + name + " (no decoder recognises its content)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width * height > maxPixels) {
                    throw new ImageDecodeException(String.format(Locale.ROOT,
                            "image too large: %s is %dx%d (%d pixels), the limit is %d pixels",
                            name, width, height, width * height, maxPixels));
                }
                TruncationListener truncation = new TruncationListener();
                reader.addIIOReadWarningListener(truncation);
                ImageReadParam param = reader.getDefaultReadParam();
                if (subsampling > 1) {
                    param.setSourceSubsampling(subsampling, subsampling, 0, 0);
                }
                if (inProfile) {
                    profileType(reader).ifPresent(param::setDestinationType);
                }
                BufferedImage image = reader.read(0, param);
                if (truncation.message != null) {
                    throw new ImageDecodeException("corrupt image: " + name + " (" + truncation.message + ")");
                }
                if (!upright) {
                    return image;
                }
                BufferedImage rgb = inProfile ? valuesAsIntRgb(image) : toIntRgb(image);
                // ImageIO's PNG reader leaves values in the iCCP profile's space and calls them
                // sRGB; the JPEG and WebP readers convert to sRGB themselves
                if (!inProfile && reader.getFormatName().equalsIgnoreCase("png")) {
                    rgb = toSrgb(rgb, rgbProfile(file));
                }
                return Orientation.apply(rgb, orientation);
            } finally {
                reader.dispose();
            }
        } catch (ImageDecodeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // some plugins wrap an OutOfMemoryError: that is the heap's fault, not the file's
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof OutOfMemoryError memory) {
                    throw memory;
                }
            }
            // ImageIO signals broken data with IIOException, but also with IndexOutOfBounds and friends.
            throw new ImageDecodeException("corrupt image: " + name + " (" + e.getMessage() + ")", e);
        }
    }

    /** The reader's layout in the file's own RGB profile, where it offers one (TwelveMonkeys' JPEG and WebP readers do). */
    private static Optional<ImageTypeSpecifier> profileType(ImageReader reader) throws IOException {
        for (Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0); types.hasNext(); ) {
            ImageTypeSpecifier type = types.next();
            ColorSpace space = type.getColorModel().getColorSpace();
            if (space instanceof ICC_ColorSpace && !space.isCS_sRGB() && space.getType() == ColorSpace.TYPE_RGB
                    && !type.getColorModel().hasAlpha()) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /**
     * The first three bands' values as {@code TYPE_INT_RGB}, whatever colour space they are in: no
     * conversion, for an image whose profile travels beside it.
     */
    static BufferedImage valuesAsIntRgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB || image.getType() == BufferedImage.TYPE_3BYTE_BGR
                || image.getRaster().getNumBands() < 3 || image.getColorModel().getComponentSize(0) != 8) {
            return toIntRgb(image);
        }
        int w = image.getWidth();
        BufferedImage rgb = new BufferedImage(w, image.getHeight(), BufferedImage.TYPE_INT_RGB);
        int[] dst = ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
        int[] r = new int[w];
        int[] g = new int[w];
        int[] b = new int[w];
        Raster raster = image.getRaster();
        for (int y = 0; y < image.getHeight(); y++) {
            raster.getSamples(0, y, w, 1, 0, r);
            raster.getSamples(0, y, w, 1, 1, g);
            raster.getSamples(0, y, w, 1, 2, b);
            for (int x = 0; x < w; x++) {
                dst[y * w + x] = r[x] << 16 | g[x] << 8 | b[x];
            }
        }
        return rgb;
    }

    /** {@code rgb}'s values, taken as being in {@code profile}'s space, converted to sRGB; as it is without a profile. */
    static BufferedImage toSrgb(BufferedImage rgb, byte[] profile) {
        if (profile == null) {
            return rgb;
        }
        ColorModel model = new ComponentColorModel(new ICC_ColorSpace(ICC_Profile.getInstance(profile)), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        WritableRaster raster = model.createCompatibleWritableRaster(rgb.getWidth(), rgb.getHeight());
        int[] pixels = ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
        byte[] samples = ((DataBufferByte) raster.getDataBuffer()).getData();
        for (int i = 0, j = 0; i < pixels.length; i++, j += 3) {
            samples[j] = (byte) (pixels[i] >> 16);
            samples[j + 1] = (byte) (pixels[i] >> 8);
            samples[j + 2] = (byte) pixels[i];
        }
        BufferedImage srgb = new BufferedImage(rgb.getWidth(), rgb.getHeight(), BufferedImage.TYPE_INT_RGB);
        new ColorConvertOp(null).filter(new BufferedImage(model, raster, false, null), srgb);
        return srgb;
    }

    /** Copies any layout into {@code TYPE_INT_RGB}; transparent pixels are shown over white. */
    static BufferedImage toIntRgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        if (image.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            copyBgr(image, rgb);
            return rgb;
        }
        Graphics2D g = rgb.createGraphics();
        try {
            if (image.getColorModel().hasAlpha()) {
                g.setColor(Color.WHITE);
                g.fillRect(0, 0, image.getWidth(), image.getHeight());
            }
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return rgb;
    }

    /** The layout every JPEG decodes to: a straight byte copy is several times faster than drawImage. */
    private static void copyBgr(BufferedImage bgr, BufferedImage rgb) {
        byte[] src = ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
        int[] dst = ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
        for (int i = 0, j = 0; i < dst.length; i++, j += 3) {
            dst[i] = (src[j + 2] & 0xFF) << 16 | (src[j + 1] & 0xFF) << 8 | (src[j] & 0xFF);
        }
    }

    /** EXIF orientation (1..8) of a JPEG; 1 (upright) for anything else or when absent. */
    private static int exifOrientation(ImageInputStream in) {
        try {
            // anything but a JPEG (its start-of-image marker, FF D8) has none: asked of every PNG the
            // pipeline decodes, the segment reader would throw and the exception be built each time
            if (in.read() != 0xFF || in.read() != 0xD8) {
                return 1;
            }
            in.seek(0);
            List<JPEGSegment> exif = JPEGSegmentUtil.readSegments(in, JPEG.APP1, "Exif");
            if (exif.isEmpty()) {
                return 1;
            }
            // The segment data is "Exif\0\0" and then a TIFF structure whose offsets count from its own start.
            InputStream data = exif.get(0).segmentData();
            data.skipNBytes(6);
            try (ImageInputStream tiff = ImageIO.createImageInputStream(data)) {
                Directory directory = new TIFFReader().read(tiff);
                Entry orientation = directory.getEntryById(TIFF.TAG_ORIENTATION);
                return orientation == null ? 1 : ((Number) orientation.getValue()).intValue();
            }
        } catch (IOException | RuntimeException notJpegOrNoExif) {
            LOG.debug("no readable EXIF orientation, taking the image as upright: {}", notJpegOrNoExif.toString());
            return 1;
        }
    }

    /** The JPEG decoder reports a cut-off file as a warning and fills the rest with grey. */
    private static final class TruncationListener implements IIOReadWarningListener {
        private String message;

        @Override
        public void warningOccurred(ImageReader source, String warning) {
            if (warning.toLowerCase(Locale.ROOT).contains("premature end")) {
                message = warning;
            }
        }
    }
}
