//! Woolly's media: turning an uploaded image into files safe to publish, and keeping them.
//!
//! [`process_image`] decodes within limits (bytes, dimensions, memory), applies the EXIF
//! orientation, and re-encodes the pixels, so that nothing of the upload but its pixels survives:
//! no EXIF, no GPS position, no embedded thumbnails, no trailing data. It also makes a preview
//! and a blurhash. It is CPU-bound and synchronous: callers run it on a blocking pool.
//!
//! [`FileStore`] keeps files under a directory, written atomically (a crash leaves either the
//! whole file or none). Object storage comes later behind the same calls.

use std::io::{Cursor, Write as _};
use std::path::{Path, PathBuf};

use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageDecoder as _, ImageFormat, ImageReader, Limits};

/// Why an upload was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MediaError {
    #[error("File is too large (the limit is {limit} bytes)")]
    TooLarge { limit: usize },
    #[error("File type is not supported: upload a JPEG, PNG, GIF or WebP image")]
    UnsupportedType,
    #[error("Image is too large ({width}x{height}; the limit is {limit} pixels)")]
    TooManyPixels { width: u32, height: u32, limit: u64 },
    #[error("File could not be read as an image: {0}")]
    Invalid(String),
}

/// The image types an upload may be (what the instance document advertises as
/// `supported_mime_types`): anything else is refused.
pub const ACCEPTED_TYPES: [&str; 4] = ["image/jpeg", "image/png", "image/gif", "image/webp"];

/// What an upload may be.
#[derive(Debug, Clone, Copy)]
pub struct ImageLimits {
    pub max_bytes: usize,
    /// Width × height (Mastodon's `image_matrix_limit`).
    pub max_pixels: u64,
    /// The longest side.
    pub max_dimension: u32,
}

impl Default for ImageLimits {
    /// Mastodon 4.5's defaults: 16 MiB and 33 177 600 pixels (7680 × 4320).
    fn default() -> ImageLimits {
        ImageLimits {
            max_bytes: 16 * 1024 * 1024,
            max_pixels: 33_177_600,
            max_dimension: 16_384,
        }
    }
}

/// An upload made safe to publish.
#[derive(Debug, Clone)]
pub struct ProcessedImage {
    /// The re-encoded image.
    pub original: Vec<u8>,
    pub extension: &'static str,
    pub content_type: &'static str,
    pub width: u32,
    pub height: u32,
    /// A JPEG no larger than [`PREVIEW_SIZE`] on its longest side.
    pub preview: Vec<u8>,
    pub preview_width: u32,
    pub preview_height: u32,
    pub blurhash: String,
}

/// The longest side of a preview (Mastodon's `small` style fits 640 × 640 … 1920 pixels of area;
/// 640 is what its clients lay out).
pub const PREVIEW_SIZE: u32 = 640;
const JPEG_QUALITY: u8 = 90;
const PREVIEW_QUALITY: u8 = 80;

fn invalid(error: impl std::fmt::Display) -> MediaError {
    MediaError::Invalid(error.to_string())
}

/// Decodes, orients, checks and re-encodes an uploaded image.
pub fn process_image(bytes: &[u8], limits: &ImageLimits) -> Result<ProcessedImage, MediaError> {
    let (image, format) = decode(bytes, limits)?;
    finish(image, format)
}

/// Like [`process_image`], then scaled and cropped from the centre to fill `width` × `height`
/// when larger (avatars are 400 × 400 and headers 1500 × 500, as in Mastodon).
pub fn process_profile_image(
    bytes: &[u8],
    limits: &ImageLimits,
    width: u32,
    height: u32,
) -> Result<ProcessedImage, MediaError> {
    let (image, format) = decode(bytes, limits)?;
    let image = if image.width() > width || image.height() > height {
        image.resize_to_fill(width, height, image::imageops::FilterType::Lanczos3)
    } else {
        image
    };
    finish(image, format)
}

/// Checks and decodes an image (EXIF orientation applied); pixels only, no metadata survive.
fn decode(bytes: &[u8], limits: &ImageLimits) -> Result<(DynamicImage, ImageFormat), MediaError> {
    if bytes.len() > limits.max_bytes {
        return Err(MediaError::TooLarge {
            limit: limits.max_bytes,
        });
    }
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(invalid)?;
    let format = reader.format().ok_or(MediaError::UnsupportedType)?;
    if !ACCEPTED_TYPES.contains(&format.to_mime_type()) {
        return Err(MediaError::UnsupportedType);
    }
    // Dimensions come from the header alone: an image bomb is refused before any pixel is
    // decoded or any memory is reserved for it.
    let (width, height) = ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(invalid)?;
    if u64::from(width) * u64::from(height) > limits.max_pixels
        || width > limits.max_dimension
        || height > limits.max_dimension
    {
        return Err(MediaError::TooManyPixels {
            width,
            height,
            limit: limits.max_pixels,
        });
    }
    // Decoded pixels may take what an 8-bit RGBA image at the pixel limit takes: a deeper
    // image (16 bits a channel) gets fewer pixels, so that a few uploads at once cannot push a
    // small server out of memory.
    let budget = limits.max_pixels.saturating_mul(4);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut decode_limits = Limits::default();
    decode_limits.max_image_width = Some(limits.max_dimension);
    decode_limits.max_image_height = Some(limits.max_dimension);
    decode_limits.max_alloc = Some(budget);
    reader.limits(decode_limits);
    let mut decoder = reader.into_decoder().map_err(invalid)?;
    if decoder.total_bytes() > budget {
        return Err(MediaError::TooManyPixels {
            width,
            height,
            limit: budget / u64::from(decoder.color_type().bytes_per_pixel()).max(1),
        });
    }
    let orientation = decoder.orientation().map_err(invalid)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(invalid)?;
    // Everything after works on 8 bits a channel: deeper pixels are dropped at once.
    if image.color().bytes_per_pixel() > image.color().channel_count() {
        image = if image.color().has_alpha() {
            DynamicImage::ImageRgba8(image.into_rgba8())
        } else {
            DynamicImage::ImageRgb8(image.into_rgb8())
        };
    }
    image.apply_orientation(orientation);

    Ok((image, format))
}

/// The image scaled down to fit in `size` × `size`; a smaller one is never enlarged (Mastodon's
/// `640x640>`).
fn shrunk_to_fit(image: &DynamicImage, size: u32) -> DynamicImage {
    if image.width() <= size && image.height() <= size {
        image.clone()
    } else {
        image.thumbnail(size, size)
    }
}

/// Re-encodes a decoded image and makes its preview and blurhash.
fn finish(image: DynamicImage, format: ImageFormat) -> Result<ProcessedImage, MediaError> {
    let (original, extension, content_type) = if format == ImageFormat::Jpeg {
        (encode_jpeg(&image, JPEG_QUALITY)?, "jpg", "image/jpeg")
    } else {
        // PNG keeps transparency; GIF and WebP are stored as their first frame.
        (encode_png(&image)?, "png", "image/png")
    };
    let preview_image = shrunk_to_fit(&image, PREVIEW_SIZE);
    let preview = encode_jpeg(&preview_image, PREVIEW_QUALITY)?;
    let tiny = shrunk_to_fit(&image, 32).to_rgba8();
    let blurhash =
        blurhash::encode(4, 3, tiny.width(), tiny.height(), tiny.as_raw()).map_err(invalid)?;
    Ok(ProcessedImage {
        original,
        extension,
        content_type,
        width: image.width(),
        height: image.height(),
        preview_width: preview_image.width(),
        preview_height: preview_image.height(),
        preview,
        blurhash,
    })
}

fn encode_jpeg(image: &DynamicImage, quality: u8) -> Result<Vec<u8>, MediaError> {
    let mut bytes = Vec::new();
    let rgb = image.to_rgb8();
    JpegEncoder::new_with_quality(&mut bytes, quality)
        .encode_image(&rgb)
        .map_err(invalid)?;
    Ok(bytes)
}

fn encode_png(image: &DynamicImage) -> Result<Vec<u8>, MediaError> {
    let mut bytes = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
        .map_err(invalid)?;
    Ok(bytes)
}

/// Files under one directory, named by keys such as `123/original.jpg`.
#[derive(Debug, Clone)]
pub struct FileStore {
    root: PathBuf,
}

impl FileStore {
    pub fn new(root: impl Into<PathBuf>) -> FileStore {
        FileStore { root: root.into() }
    }

    /// The path of a key; keys are made by Woolly, never by clients, but a key that would leave
    /// the directory is refused anyway.
    fn path(&self, key: &str) -> std::io::Result<PathBuf> {
        let safe = !key.is_empty()
            && key
                .split('/')
                .all(|part| !part.is_empty() && part != "." && part != "..")
            && !key.starts_with('/');
        if safe {
            Ok(self.root.join(key))
        } else {
            Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "bad media key",
            ))
        }
    }

    /// Writes a file atomically and durably: to a temporary name, synced, then renamed.
    pub fn put(&self, key: &str, bytes: &[u8]) -> std::io::Result<()> {
        let path = self.path(key)?;
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let temporary = path.with_extension("partial");
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temporary, &path)?;
        Ok(())
    }

    pub fn read(&self, key: &str) -> std::io::Result<Vec<u8>> {
        std::fs::read(self.path(key)?)
    }

    /// Deletes the files under a key prefix (one upload's directory). Missing is fine.
    pub fn delete_dir(&self, key: &str) -> std::io::Result<()> {
        match std::fs::remove_dir_all(self.path(key)?) {
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage};

    #[test]
    fn every_accepted_type_is_processed() {
        let image = DynamicImage::ImageRgb8(RgbImage::from_pixel(4, 3, Rgb([10, 200, 30])));
        for mime in ACCEPTED_TYPES {
            let format = ImageFormat::from_mime_type(mime).unwrap();
            let mut bytes = Vec::new();
            image
                .write_to(&mut Cursor::new(&mut bytes), format)
                .unwrap();
            let processed = process_image(&bytes, &ImageLimits::default());
            assert!(processed.is_ok(), "{mime}: {processed:?}");
        }
    }

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let image = RgbImage::from_fn(width, height, |x, _| {
            if x < width / 2 {
                Rgb([255, 0, 0])
            } else {
                Rgb([0, 0, 255])
            }
        });
        let mut bytes = Vec::new();
        JpegEncoder::new_with_quality(&mut bytes, 90)
            .encode_image(&image)
            .unwrap();
        bytes
    }

    /// A JPEG with an EXIF APP1 segment carrying orientation 6 (rotate 90° clockwise) and a
    /// made-up GPS latitude tag, spliced in after the SOI marker.
    fn jpeg_with_exif(width: u32, height: u32) -> Vec<u8> {
        let plain = jpeg(width, height);
        // TIFF header (little endian), IFD0 with two entries: Orientation=6, GPSInfo pointer.
        let mut tiff: Vec<u8> = vec![b'I', b'I', 42, 0, 8, 0, 0, 0, 2, 0];
        tiff.extend([0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0]); // Orientation, SHORT, 6
        tiff.extend([0x25, 0x88, 4, 0, 1, 0, 0, 0, 38, 0, 0, 0]); // GPSInfo IFD at 38
        tiff.extend([0, 0, 0, 0]); // no next IFD
        tiff.extend([1, 0]); // GPS IFD: one entry
        tiff.extend([0x01, 0x00, 2, 0, 2, 0, 0, 0, b'N', 0, 0, 0]); // GPSLatitudeRef "N"
        tiff.extend([0, 0, 0, 0]);
        let mut segment = b"Exif\0\0".to_vec();
        segment.extend(tiff);
        let length = u16::try_from(segment.len() + 2).unwrap().to_be_bytes();
        let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE1, length[0], length[1]];
        bytes.extend(segment);
        bytes.extend(&plain[2..]);
        bytes
    }

    #[test]
    fn a_jpeg_is_reencoded_oriented_and_stripped_of_exif() {
        let upload = jpeg_with_exif(40, 20);
        assert!(upload.windows(4).any(|window| window == b"Exif"));
        let processed = process_image(&upload, &ImageLimits::default()).unwrap();
        assert_eq!(
            (processed.width, processed.height),
            (20, 40),
            "orientation 6 rotates"
        );
        assert_eq!(processed.content_type, "image/jpeg");
        assert!(
            !processed
                .original
                .windows(4)
                .any(|window| window == b"Exif"),
            "no EXIF survives"
        );
        assert!(
            !processed.original.windows(2).any(|window| window == b"N\0"),
            "no GPS survives"
        );
        // 4 × 3 components: size flag (1) + maximum (1) + DC (4) + 11 AC values × 2.
        assert_eq!(processed.blurhash.len(), 28);
        let preview = image::load_from_memory(&processed.preview).unwrap();
        assert_eq!(
            (preview.width(), preview.height()),
            (processed.preview_width, processed.preview_height)
        );
    }

    #[test]
    fn small_images_keep_their_size_in_the_preview() {
        let processed = process_image(&jpeg(30, 60), &ImageLimits::default()).unwrap();
        assert_eq!(
            (processed.preview_width, processed.preview_height),
            (30, 60)
        );
    }

    #[test]
    fn large_images_get_a_smaller_preview() {
        let processed = process_image(&jpeg(1600, 800), &ImageLimits::default()).unwrap();
        assert_eq!(
            (processed.preview_width, processed.preview_height),
            (640, 320)
        );
    }

    #[test]
    fn deep_images_get_fewer_pixels_and_are_kept_at_eight_bits() {
        let png16 = |width: u32, height: u32| {
            let image = image::ImageBuffer::<image::Rgba<u16>, _>::from_pixel(
                width,
                height,
                image::Rgba([40_000, 1_000, 65_535, 65_535]),
            );
            let mut bytes = Cursor::new(Vec::new());
            DynamicImage::ImageRgba16(image)
                .write_to(&mut bytes, ImageFormat::Png)
                .unwrap();
            bytes.into_inner()
        };
        let limits = ImageLimits {
            max_pixels: 100 * 100,
            ..ImageLimits::default()
        };
        // Within the pixel limit, but 8 bytes a pixel: twice what the budget allows.
        assert!(matches!(
            process_image(&png16(100, 100), &limits),
            Err(MediaError::TooManyPixels { .. })
        ));
        let processed = process_image(&png16(70, 70), &limits).unwrap();
        let stored = image::load_from_memory(&processed.original).unwrap();
        assert_eq!(stored.color(), image::ColorType::Rgba8);
    }

    #[test]
    fn bombs_truncations_and_non_images_are_refused() {
        let limits = ImageLimits {
            max_bytes: 1 << 20,
            max_pixels: 100 * 100,
            max_dimension: 1000,
        };
        assert!(matches!(
            process_image(&jpeg(200, 200), &limits),
            Err(MediaError::TooManyPixels { .. })
        ));
        let truncated = jpeg(64, 64);
        assert!(matches!(
            process_image(&truncated[..truncated.len() / 2], &limits),
            Err(MediaError::Invalid(_))
        ));
        assert_eq!(
            process_image(b"%PDF-1.4 not an image", &limits).unwrap_err(),
            MediaError::UnsupportedType
        );
        assert!(matches!(
            process_image(&vec![0; 2 << 20], &limits),
            Err(MediaError::TooLarge { .. })
        ));
        // A PNG header claiming 100 000 × 100 000 pixels, with no data behind it.
        let mut chunk = b"IHDR".to_vec();
        chunk.extend(100_000u32.to_be_bytes());
        chunk.extend(100_000u32.to_be_bytes());
        chunk.extend([8, 2, 0, 0, 0]);
        let mut bomb = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];
        bomb.extend(&chunk);
        bomb.extend(crc32(&chunk).to_be_bytes());
        bomb.extend([0, 0, 0, 0, b'I', b'D', b'A', b'T']);
        bomb.extend(crc32(b"IDAT").to_be_bytes());
        bomb.extend([0, 0, 0, 0, b'I', b'E', b'N', b'D']);
        bomb.extend(crc32(b"IEND").to_be_bytes());
        let refused = process_image(&bomb, &ImageLimits::default());
        assert!(
            matches!(refused, Err(MediaError::TooManyPixels { .. })),
            "{refused:?}"
        );
    }

    /// PNG's CRC-32 (ISO 3309), so that the bomb's header is well-formed.
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for byte in bytes {
            crc ^= u32::from(*byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    #[test]
    fn the_file_store_writes_whole_files_and_refuses_escaping_keys() {
        let root = std::env::temp_dir().join(format!("woolly-media-test-{}", std::process::id()));
        let store = FileStore::new(&root);
        store.put("1/original.jpg", b"pixels").unwrap();
        assert_eq!(store.read("1/original.jpg").unwrap(), b"pixels");
        assert!(!root.join("1/original.partial").exists());
        assert!(store.put("../escape", b"x").is_err());
        assert!(store.read("1/../../etc/passwd").is_err());
        store.delete_dir("1").unwrap();
        assert!(store.read("1/original.jpg").is_err());
        let _ = std::fs::remove_dir_all(root);
    }
}
