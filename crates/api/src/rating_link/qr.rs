//! The QR code of a link, as SVG (for print: it scales) and PNG (for chat and slides), made by
//! the service itself: nothing is fetched from outside.
//!
//! The PNG is drawn here from the code's modules as a 1-bit grayscale image and encoded with the
//! `png` crate — the encoder the `image` crate would use, without the rest of `image`. Error
//! correction level M (15 %) survives a creased print-out and keeps the code small.

use qrcode::render::svg;
use qrcode::{Color, EcLevel, QrCode};

use crate::error::ApiError;

/// Pixels per module in the PNG.
const MODULE_PX: usize = 8;
/// Light modules around the code, as the standard asks.
const QUIET_ZONE: usize = 4;

fn code(text: &str) -> Result<QrCode, ApiError> {
    QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(|error| ApiError::internal(format!("QR code of a rating link: {error}")))
}

/// The QR code of `text` as an SVG document.
pub fn svg(text: &str) -> Result<String, ApiError> {
    Ok(code(text)?
        .render::<svg::Color<'_>>()
        .min_dimensions(256, 256)
        .quiet_zone(true)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build())
}

/// The QR code of `text` as a PNG image.
pub fn png(text: &str) -> Result<Vec<u8>, ApiError> {
    let code = code(text)?;
    let modules = code.width();
    let colors = code.to_colors();
    let side = (modules + 2 * QUIET_ZONE) * MODULE_PX;
    let row_bytes = side.div_ceil(8);
    // 1-bit grayscale: 0 is black, 1 is white; start black and light up the light pixels.
    let mut pixels = vec![0u8; row_bytes * side];
    for y in 0..side {
        for x in 0..side {
            let dark = module_at(x / MODULE_PX, modules)
                .zip(module_at(y / MODULE_PX, modules))
                .and_then(|(mx, my)| colors.get(my * modules + mx))
                .is_some_and(|color| *color == Color::Dark);
            if !dark {
                if let Some(byte) = pixels.get_mut(y * row_bytes + x / 8) {
                    *byte |= 0x80 >> (x % 8);
                }
            }
        }
    }
    let png_error = |error: png::EncodingError| ApiError::internal(format!("QR code PNG: {error}"));
    let side = u32::try_from(side).map_err(ApiError::internal)?;
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, side, side);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::One);
    let mut writer = encoder.write_header().map_err(png_error)?;
    writer.write_image_data(&pixels).map_err(png_error)?;
    writer.finish().map_err(png_error)?;
    Ok(out)
}

/// The module index of a position counted from the image's edge, or `None` in the quiet zone.
fn module_at(position: usize, modules: usize) -> Option<usize> {
    position
        .checked_sub(QUIET_ZONE)
        .filter(|module| *module < modules)
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "http://127.0.0.1:8080/rate/r1.eyJhdWQiOiJndWFuamlhL3JhdGluZy1saW5rIn0.AAAA";

    #[test]
    fn the_svg_is_a_standalone_document() -> Result<(), ApiError> {
        let svg = svg(URL)?;
        assert!(svg.contains("<svg"));
        assert!(svg.trim_end().ends_with("</svg>"));
        assert!(!svg.contains("href"), "nothing linked or loaded");
        Ok(())
    }

    #[test]
    fn the_png_decodes_to_a_square_with_quiet_zone_and_a_dark_finder() -> Result<(), ApiError> {
        let bytes = png(URL)?;
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().map_err(ApiError::internal)?;
        let mut buffer = vec![0; reader.output_buffer_size().unwrap_or(0)];
        let info = reader.next_frame(&mut buffer).map_err(ApiError::internal)?;
        assert_eq!(info.width, info.height);
        let modules = code(URL)?.width();
        assert_eq!(info.width as usize, (modules + 2 * QUIET_ZONE) * MODULE_PX);
        let pixel = |x: usize, y: usize| buffer[y * info.line_size + x / 8] & (0x80 >> (x % 8));
        assert_ne!(pixel(0, 0), 0, "the quiet zone is light");
        let corner = QUIET_ZONE * MODULE_PX;
        assert_eq!(
            pixel(corner, corner),
            0,
            "the finder pattern's corner is dark"
        );
        Ok(())
    }
}
